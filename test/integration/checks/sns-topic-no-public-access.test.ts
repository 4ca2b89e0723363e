import { describe, expect, it } from 'vitest';
import { createSnsClients } from '../../../functions/checks/sns/clients.ts';
import { rules } from '../../../functions/checks/sns/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTopic, setTopicPolicy, topicResource } from '../../support/topics.ts';

const CHECK = 'sns-topic-no-public-access';
const clients = createSnsClients();

describe(`${CHECK} (moto)`, () => {
  it('passes the stock topic policy, which pins "*" with AWS:SourceOwner', async () => {
    const topicArn = await createTopic(clients.sns, 'stock');

    const result = await runCheck(CHECK, rules, clients, topicResource(topicArn));

    expect(result).toMatchObject({ status: 'PASS', message: 'no statement of the topic policy is public' });
  });

  it('fails a statement that lets anyone publish, and names it', async () => {
    const topicArn = await createTopic(clients.sns, 'public');
    await setTopicPolicy(clients.sns, topicArn, [
      { Sid: 'AnyonePublishes', Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'sns:Publish' },
    ]);

    const result = await runCheck(CHECK, rules, clients, topicResource(topicArn));

    expect(result).toMatchObject({ status: 'FAIL', evidence: { publicStatements: ['AnyonePublishes'] } });
  });

  it('fails a "*" principal whose only condition is an open source IP range', async () => {
    const topicArn = await createTopic(clients.sns, 'open-ip');
    await setTopicPolicy(clients.sns, topicArn, [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'sns:Subscribe',
        Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } },
      },
    ]);

    const result = await runCheck(CHECK, rules, clients, topicResource(topicArn));

    expect(result.status).toBe('FAIL');
  });

  it('passes a "*" principal pinned by aws:SourceAccount', async () => {
    const topicArn = await createTopic(clients.sns, 'pinned');
    await setTopicPolicy(clients.sns, topicArn, [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'sns:Publish',
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
    ]);

    const result = await runCheck(CHECK, rules, clients, topicResource(topicArn));

    expect(result.status).toBe('PASS');
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
