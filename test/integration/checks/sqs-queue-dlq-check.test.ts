import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqsClients } from '../../../functions/checks/sqs/clients.ts';
import { rules } from '../../../functions/checks/sqs/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createQueue, queueResource } from '../../support/queues.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'sqs-queue-dlq-check';
const clients = createSqsClients();

describe(`${CHECK} (moto)`, () => {
  it('passes a queue with a redrive policy, and is not applicable to its DLQ', async () => {
    const dlq = await createQueue(clients.sqs, 'orders-dlq');
    const { queueUrl } = await createQueue(clients.sqs, 'orders', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: 5 }),
    });

    const source = await runCheck(CHECK, rules, clients, queueResource(queueUrl));
    const deadLetter = await runCheck(CHECK, rules, clients, queueResource(dlq.queueUrl));

    expect(source).toMatchObject({ status: 'PASS', evidence: { deadLetterTargetArn: dlq.queueArn } });
    expect(deadLetter).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'the queue is a dead-letter queue of another queue',
      evidence: { sourceQueue: queueUrl },
    });
  });

  it('fails a queue without a dead-letter queue', async () => {
    const { queueUrl } = await createQueue(clients.sqs, 'lonely');

    const result = await runCheck(CHECK, rules, clients, queueResource(queueUrl));

    expect(result).toMatchObject({ status: 'FAIL', message: 'the queue has no dead-letter queue' });
  });

  it('is an ERROR when the queue does not exist', async () => {
    const result = await runCheck(
      CHECK,
      rules,
      clients,
      queueResource('https://sqs.us-east-1.amazonaws.com/123456789012/gone'),
    );

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('QueueDoesNotExist');
  });

  describe('access denied (SDK mock: moto does not enforce IAM)', () => {
    const sqs = new SQSClient({});
    const mock = mockClient(sqs);
    afterEach(() => mock.reset());

    it('is an ERROR that names both permissions', async () => {
      mock.onAnyCommand().rejects(accessDenied());

      const result = await runCheck(
        CHECK,
        rules,
        { sqs },
        queueResource('https://sqs.us-east-1.amazonaws.com/123456789012/q'),
      );

      expect(result.status).toBe('ERROR');
      expect(result.message).toContain('sqs:ListDeadLetterSourceQueues');
    });
  });
});
