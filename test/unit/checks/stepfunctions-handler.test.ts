import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { registry } from '../../../functions/checks/registry.ts';
import { runWorkItem } from '../../../functions/checks/run.ts';
import { rules } from '../../../functions/checks/stepfunctions/handler.ts';
import { TEST_STACK } from '../../support/check-harness.ts';

describe('stepfunctions family handler', () => {
  it('binds a rule to every stepfunctions check of the registry, and to nothing else', () => {
    const checkIds = registry.filter((check) => check.family === 'stepfunctions').map((check) => check.id);

    expect(Object.keys(rules).sort()).toEqual(checkIds.sort());
    expect(checkIds).toHaveLength(4);
  });

  it('runs the four checks with one metadata and one full DescribeStateMachine (SDK mock: counts calls)', async () => {
    const sfn = new SFNClient({});
    const mock = mockClient(sfn);
    mock.on(DescribeStateMachineCommand).resolves({
      definition: '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}',
      loggingConfiguration: {
        level: 'ALL',
        destinations: [
          { cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:g:*' } },
        ],
      },
      tracingConfiguration: { enabled: true },
      encryptionConfiguration: {
        type: 'CUSTOMER_MANAGED_KMS_KEY',
        kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k',
      },
    });
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:flow';

    const outcome = await runWorkItem(
      'stepfunctions',
      rules,
      { sfn },
      {
        workItem: {
          family: 'stepfunctions',
          resource: { logicalId: 'Flow', physicalId: arn, type: 'AWS::StepFunctions::StateMachine' },
        },
        stack: TEST_STACK,
        trigger: 'adhoc',
      },
    );

    expect(outcome.results.every((result) => result.status === 'PASS')).toBe(true);
    expect(outcome.results).toHaveLength(4);
    const calls = mock
      .commandCalls(DescribeStateMachineCommand)
      .map((call) => call.args[0].input.includedData);
    expect(calls.sort()).toEqual(['METADATA_ONLY', undefined]);
  });
});
