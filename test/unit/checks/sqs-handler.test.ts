import { GetQueueAttributesCommand, ListDeadLetterSourceQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { registry } from '../../../functions/checks/registry.ts';
import { runWorkItem } from '../../../functions/checks/run.ts';
import { rules } from '../../../functions/checks/sqs/handler.ts';
import { TEST_STACK } from '../../support/check-harness.ts';

describe('sqs family handler', () => {
  it('binds a rule to every sqs check of the registry, and to nothing else', () => {
    const checkIds = registry.filter((check) => check.family === 'sqs').map((check) => check.id);

    expect(Object.keys(rules).sort()).toEqual(checkIds.sort());
    expect(checkIds).toHaveLength(4);
  });

  it('runs the four checks with one GetQueueAttributes(All) (SDK mock: counts calls)', async () => {
    const sqs = new SQSClient({});
    const mock = mockClient(sqs);
    const queueArn = 'arn:aws:sqs:us-east-1:123456789012:orders';
    mock
      .on(GetQueueAttributesCommand)
      .resolves({
        Attributes: {
          SqsManagedSseEnabled: 'true',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `${queueArn}-dlq`, maxReceiveCount: 3 }),
          Policy: JSON.stringify({
            Statement: [
              {
                Effect: 'Deny',
                Principal: '*',
                Action: 'sqs:*',
                Resource: queueArn,
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ],
          }),
        },
      })
      .on(ListDeadLetterSourceQueuesCommand)
      .resolves({ queueUrls: [] });

    const outcome = await runWorkItem(
      'sqs',
      rules,
      { sqs },
      {
        workItem: {
          family: 'sqs',
          resource: {
            logicalId: 'Q',
            physicalId: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders',
            type: 'AWS::SQS::Queue',
          },
        },
        stack: TEST_STACK,
        trigger: 'adhoc',
      },
    );

    expect(outcome.results.map((result) => result.status)).toEqual(['PASS', 'PASS', 'PASS', 'PASS']);
    expect(mock.commandCalls(GetQueueAttributesCommand)).toHaveLength(1);
    expect(mock.commandCalls(GetQueueAttributesCommand)[0]?.args[0].input.AttributeNames).toEqual(['All']);
  });
});
