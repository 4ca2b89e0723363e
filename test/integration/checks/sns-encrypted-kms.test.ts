import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createSnsClients } from '../../../functions/checks/sns/clients.ts';
import { rules } from '../../../functions/checks/sns/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { accessDenied } from '../../support/service-errors.ts';
import { createTopic, topicResource } from '../../support/topics.ts';

const CHECK = 'sns-encrypted-kms';
const clients = createSnsClients();

describe(`${CHECK} (moto)`, () => {
  it('passes a topic encrypted with the AWS managed key', async () => {
    const topicArn = await createTopic(clients.sns, 'managed-key', { KmsMasterKeyId: 'alias/aws/sns' });

    const result = await runCheck(CHECK, rules, clients, topicResource(topicArn));

    expect(result).toMatchObject({ status: 'PASS', evidence: { KmsMasterKeyId: 'alias/aws/sns' } });
  });

  it('checks the key against kmsKeyIds, accepting the key id for its ARN', async () => {
    const { KeyMetadata } = await new KMSClient({}).send(new CreateKeyCommand({}));
    const topicArn = await createTopic(clients.sns, 'customer-key', {
      KmsMasterKeyId: String(KeyMetadata?.Arn),
    });

    const byId = await runCheck(CHECK, rules, clients, topicResource(topicArn), {
      params: { kmsKeyIds: [String(KeyMetadata?.KeyId)] },
    });
    const other = await runCheck(CHECK, rules, clients, topicResource(topicArn), {
      params: { kmsKeyIds: 'alias/other-key' },
    });

    expect(byId.status).toBe('PASS');
    expect(other.status).toBe('FAIL');
    expect(other.message).toContain('not one of the allowed keys');
  });

  it('fails an unencrypted topic', async () => {
    const topicArn = await createTopic(clients.sns, 'plain');

    const result = await runCheck(CHECK, rules, clients, topicResource(topicArn));

    expect(result).toMatchObject({ status: 'FAIL', message: 'the topic is not encrypted with a KMS key' });
  });

  it('is an ERROR when the topic does not exist', async () => {
    const result = await runCheck(
      CHECK,
      rules,
      clients,
      topicResource('arn:aws:sns:us-east-1:123456789012:gone'),
    );

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NotFound');
  });

  describe('access denied (SDK mock: moto does not enforce IAM)', () => {
    const sns = new SNSClient({});
    const mock = mockClient(sns);
    afterEach(() => mock.reset());

    it('is an ERROR that names the missing permission', async () => {
      mock.onAnyCommand().rejects(accessDenied('AuthorizationError'));

      const result = await runCheck(
        CHECK,
        rules,
        { sns },
        topicResource('arn:aws:sns:us-east-1:123456789012:t'),
      );

      expect(result.status).toBe('ERROR');
      expect(result.message).toContain('access denied (AuthorizationError)');
      expect(result.message).toContain('sns:GetTopicAttributes');
    });
  });
});
