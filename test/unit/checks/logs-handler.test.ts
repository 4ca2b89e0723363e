import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { rules } from '../../../functions/checks/logs/handler.ts';
import { registry } from '../../../functions/checks/registry.ts';
import { runWorkItem } from '../../../functions/checks/run.ts';
import { TEST_STACK } from '../../support/check-harness.ts';

describe('logs family handler', () => {
  it('binds a rule to every logs check of the registry, and to nothing else', () => {
    const checkIds = registry.filter((check) => check.family === 'logs').map((check) => check.id);

    expect(Object.keys(rules).sort()).toEqual(checkIds.sort());
    expect(checkIds).toHaveLength(2);
  });

  it('runs both checks with one DescribeLogGroups (SDK mock: counts calls)', async () => {
    const cloudWatchLogs = new CloudWatchLogsClient({});
    const logs = mockClient(cloudWatchLogs);
    logs
      .on(DescribeLogGroupsCommand)
      .resolves({ logGroups: [{ logGroupName: '/app', retentionInDays: 400 }] });

    const outcome = await runWorkItem(
      'logs',
      rules,
      { cloudWatchLogs },
      {
        workItem: {
          family: 'logs',
          resource: { logicalId: 'AppLogs', physicalId: '/app', type: 'AWS::Logs::LogGroup' },
        },
        stack: TEST_STACK,
        trigger: 'adhoc',
      },
    );

    expect(outcome.results.map((result) => [result.checkId, result.status])).toEqual([
      ['cw-loggroup-retention-period-check', 'PASS'],
      ['cloudwatch-log-group-encrypted', 'FAIL'],
    ]);
    expect(logs.commandCalls(DescribeLogGroupsCommand)).toHaveLength(1);
  });
});
