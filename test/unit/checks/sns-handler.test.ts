import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { registry } from '../../../functions/checks/registry.ts';
import { runWorkItem } from '../../../functions/checks/run.ts';
import { rules } from '../../../functions/checks/sns/handler.ts';
import { TEST_STACK } from '../../support/check-harness.ts';

describe('sns family handler', () => {
  it('binds a rule to every sns check of the registry, and to nothing else', () => {
    const checkIds = registry.filter((check) => check.family === 'sns').map((check) => check.id);

    expect(Object.keys(rules).sort()).toEqual(checkIds.sort());
    expect(checkIds).toHaveLength(3);
  });

  it('runs the three checks with one GetTopicAttributes (SDK mock: counts calls)', async () => {
    const sns = new SNSClient({});
    const mock = mockClient(sns);
    const topicArn = 'arn:aws:sns:us-east-1:123456789012:orders';
    mock.on(GetTopicAttributesCommand).resolves({
      Attributes: {
        KmsMasterKeyId: 'alias/aws/sns',
        Policy: JSON.stringify({
          Statement: [
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 'sns:Publish',
              Resource: topicArn,
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        }),
      },
    });

    const outcome = await runWorkItem(
      'sns',
      rules,
      { sns },
      {
        workItem: {
          family: 'sns',
          resource: { logicalId: 'T', physicalId: topicArn, type: 'AWS::SNS::Topic' },
        },
        stack: TEST_STACK,
        trigger: 'adhoc',
      },
    );

    expect(outcome.results.map((result) => result.status)).toEqual(['PASS', 'PASS', 'PASS']);
    expect(mock.commandCalls(GetTopicAttributesCommand)).toHaveLength(1);
  });
});
