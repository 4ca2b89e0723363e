import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { createSqsClients } from '../../../functions/checks/sqs/clients.ts';
import { rules } from '../../../functions/checks/sqs/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createQueue, queuePolicy, queueResource } from '../../support/queues.ts';

const CHECK = 'sqs-queue-no-public-access';
const clients = createSqsClients();

async function queueWithPolicy(name: string, statements: Record<string, unknown>[]) {
  const { queueUrl, queueArn } = await createQueue(clients.sqs, name);
  await clients.sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: queueUrl,
      Attributes: { Policy: queuePolicy(queueArn, statements) },
    }),
  );
  return queueUrl;
}

describe(`${CHECK} (moto)`, () => {
  it('passes a queue without a policy', async () => {
    const { queueUrl } = await createQueue(clients.sqs, 'no-policy');

    const result = await runCheck(CHECK, rules, clients, queueResource(queueUrl));

    expect(result).toMatchObject({ status: 'PASS', message: 'the queue has no resource policy' });
  });

  it('passes a "*" principal pinned by aws:SourceArn, and a service principal', async () => {
    const queueUrl = await queueWithPolicy('pinned', [
      {
        Sid: 'TopicDelivers',
        Effect: 'Allow',
        Principal: '*',
        Action: 'sqs:SendMessage',
        Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:orders' } },
      },
      {
        Sid: 'EventsDeliver',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
      },
    ]);

    const result = await runCheck(CHECK, rules, clients, queueResource(queueUrl));

    expect(result).toMatchObject({ status: 'PASS', message: 'no statement of the queue policy is public' });
  });

  it('fails a statement that allows everyone, and names it', async () => {
    const queueUrl = await queueWithPolicy('public', [
      { Sid: 'AnyoneSends', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sqs:SendMessage' },
    ]);

    const result = await runCheck(CHECK, rules, clients, queueResource(queueUrl));

    expect(result).toMatchObject({ status: 'FAIL', evidence: { publicStatements: ['AnyoneSends'] } });
  });

  it('fails a "*" principal whose condition uses a wildcard value', async () => {
    const queueUrl = await queueWithPolicy('wildcard-pin', [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'sqs:*',
        Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*' } },
      },
    ]);

    const result = await runCheck(CHECK, rules, clients, queueResource(queueUrl));

    expect(result).toMatchObject({ status: 'FAIL', evidence: { publicStatements: ['Statement[0]'] } });
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
});
