import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourceCommand,
} from '@aws-sdk/client-cloudformation';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqsClients } from '../../../functions/checks/sqs/clients.ts';
import { rules } from '../../../functions/checks/sqs/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createQueue, queueResource } from '../../support/queues.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'sqs-queue-encrypted';
const clients = createSqsClients();
const GONE_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/gone';

describe(`${CHECK} (moto)`, () => {
  it('passes a queue encrypted with a KMS key', async () => {
    const { queueUrl } = await createQueue(clients.sqs, 'kms-queue', { KmsMasterKeyId: 'alias/orders' });

    const result = await runCheck(CHECK, rules, clients, queueResource(queueUrl));

    expect(result).toMatchObject({ status: 'PASS', evidence: { KmsMasterKeyId: 'alias/orders' } });
  });

  it('passes a queue with SQS-managed encryption, here one CloudFormation created under an AWS host URL', async () => {
    const cloudFormation = new CloudFormationClient({});
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'queue-stack',
        TemplateBody: JSON.stringify({ Resources: { OrdersQueue: { Type: 'AWS::SQS::Queue' } } }),
      }),
    );
    const { StackResourceDetail } = await cloudFormation.send(
      new DescribeStackResourceCommand({ StackName: 'queue-stack', LogicalResourceId: 'OrdersQueue' }),
    );
    const queueUrl = String(StackResourceDetail?.PhysicalResourceId);

    const result = await runCheck(CHECK, rules, clients, queueResource(queueUrl));

    expect(queueUrl).toMatch(/^https:\/\/sqs\.us-east-1\.amazonaws\.com\//);
    expect(result).toMatchObject({ status: 'PASS', message: 'encrypted with SQS-managed keys (SSE-SQS)' });
  });

  it('fails a queue without encryption', async () => {
    const { queueUrl } = await createQueue(clients.sqs, 'plain-queue', { SqsManagedSseEnabled: 'false' });

    const result = await runCheck(CHECK, rules, clients, queueResource(queueUrl));

    expect(result).toMatchObject({ status: 'FAIL', message: 'the queue is not encrypted at rest' });
  });

  it('is an ERROR when the queue does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, queueResource(GONE_QUEUE_URL));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('QueueDoesNotExist');
  });

  describe('access denied (SDK mock: moto does not enforce IAM)', () => {
    const sqs = new SQSClient({});
    const mock = mockClient(sqs);
    afterEach(() => mock.reset());

    it('is an ERROR that names the missing permission', async () => {
      mock.onAnyCommand().rejects(accessDenied());

      const result = await runCheck(
        CHECK,
        rules,
        { sqs },
        queueResource('https://sqs.us-east-1.amazonaws.com/123456789012/q'),
      );

      expect(result.status).toBe('ERROR');
      expect(result.message).toContain('sqs:GetQueueAttributes');
    });
  });
});
