import { describe, expect, it } from 'vitest';
import { createSnsClients } from '../../../functions/checks/sns/clients.ts';
import { rules } from '../../../functions/checks/sns/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTopic, setTopicPolicy, topicResource } from '../../support/topics.ts';

const CHECK = 'sns-topic-ssl-publish-only';
const clients = createSnsClients();

const denyWithoutTls = (action: string | string[]) => ({
  Sid: 'AllowPublishThroughSSLOnly',
  Effect: 'Deny',
  Principal: '*',
  Action: action,
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

describe(`${CHECK} (moto)`, () => {
  it('passes a policy that denies sns:Publish without TLS (what CDK enforceSSL writes)', async () => {
    const topicArn = await createTopic(clients.sns, 'tls-publish');
    await setTopicPolicy(clients.sns, topicArn, [denyWithoutTls('sns:Publish')]);

    const result = await runCheck(CHECK, rules, clients, topicResource(topicArn));

    expect(result).toMatchObject({
      status: 'PASS',
      evidence: { denyingStatements: ['AllowPublishThroughSSLOnly'] },
    });
  });

  it('passes a deny on sns:*', async () => {
    const topicArn = await createTopic(clients.sns, 'tls-all');
    await setTopicPolicy(clients.sns, topicArn, [denyWithoutTls(['sns:*'])]);

    const result = await runCheck(CHECK, rules, clients, topicResource(topicArn));

    expect(result.status).toBe('PASS');
  });

  it('fails the stock policy', async () => {
    const topicArn = await createTopic(clients.sns, 'stock');

    const result = await runCheck(CHECK, rules, clients, topicResource(topicArn));

    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('denies sns:Publish');
  });

  it('fails a TLS deny that leaves sns:Publish out', async () => {
    const topicArn = await createTopic(clients.sns, 'tls-subscribe');
    await setTopicPolicy(clients.sns, topicArn, [denyWithoutTls('sns:Subscribe')]);

    const result = await runCheck(CHECK, rules, clients, topicResource(topicArn));

    expect(result.status).toBe('FAIL');
  });

  it('is an ERROR when the topic does not exist', async () => {
    const result = await runCheck(
      CHECK,
      rules,
      clients,
      topicResource('arn:aws:sns:us-east-1:123456789012:gone'),
    );

    expect(result.status).toBe('ERROR');
  });
});
