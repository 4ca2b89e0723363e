import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { createSqsClients } from '../../../functions/checks/sqs/clients.ts';
import { rules } from '../../../functions/checks/sqs/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createQueue, queuePolicy, queueResource, tlsOnlyStatement } from '../../support/queues.ts';

const CHECK = 'sqs-queue-ssl-requests-only';
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
  it('passes a policy that denies sqs:* without TLS', async () => {
    const queueUrl = await queueWithPolicy('tls-only', [tlsOnlyStatement]);

    const result = await runCheck(CHECK, rules, clients, queueResource(queueUrl));

    expect(result).toMatchObject({
      status: 'PASS',
      evidence: { denyingStatements: ['DenyInsecureTransport'] },
    });
  });

  it('passes a deny on "*" with BoolIfExists and a boolean false', async () => {
    const queueUrl = await queueWithPolicy('tls-star', [
      {
        Effect: 'Deny',
        Principal: '*',
        Action: '*',
        Condition: { BoolIfExists: { 'aws:SecureTransport': false } },
      },
    ]);

    const result = await runCheck(CHECK, rules, clients, queueResource(queueUrl));

    expect(result.status).toBe('PASS');
  });

  it('fails a queue without a policy', async () => {
    const { queueUrl } = await createQueue(clients.sqs, 'no-policy');

    const result = await runCheck(CHECK, rules, clients, queueResource(queueUrl));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'the queue has no policy, so nothing denies requests without TLS',
    });
  });

  it('fails a TLS deny that covers only one action', async () => {
    const queueUrl = await queueWithPolicy('tls-partial', [
      { ...tlsOnlyStatement, Action: 'sqs:SendMessage' },
    ]);

    const result = await runCheck(CHECK, rules, clients, queueResource(queueUrl));

    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('denies every sqs:* request');
  });

  it('fails an Allow statement with the same condition', async () => {
    const queueUrl = await queueWithPolicy('tls-allow', [{ ...tlsOnlyStatement, Effect: 'Allow' }]);

    const result = await runCheck(CHECK, rules, clients, queueResource(queueUrl));

    expect(result.status).toBe('FAIL');
  });

  it('is an ERROR when the queue does not exist', async () => {
    const result = await runCheck(
      CHECK,
      rules,
      clients,
      queueResource('https://sqs.us-east-1.amazonaws.com/123456789012/gone'),
    );

    expect(result.status).toBe('ERROR');
  });
});
