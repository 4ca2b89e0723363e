import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createCloudWatchClients } from '../../../functions/checks/cloudwatch/clients.ts';
import { rules } from '../../../functions/checks/cloudwatch/handler.ts';
import { registry } from '../../../functions/checks/registry.ts';
import { runWorkItem } from '../../../functions/checks/run.ts';
import { TEST_STACK } from '../../support/check-harness.ts';

describe('cloudwatch family handler', () => {
  it('binds a rule to every cloudwatch check of the registry, and to nothing else', () => {
    const checkIds = registry.filter((check) => check.family === 'cloudwatch').map((check) => check.id);

    expect(Object.keys(rules).sort()).toEqual(checkIds.sort());
    expect(checkIds).toHaveLength(3);
  });

  it('runs both alarm checks with one DescribeAlarms, and only coverage on a function (SDK mock: counts calls)', async () => {
    const cloudWatch = new CloudWatchClient({});
    const mock = mockClient(cloudWatch);
    mock.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'orders-errors',
          ActionsEnabled: true,
          AlarmActions: ['arn:aws:sns:us-east-1:123456789012:oncall'],
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: 'orders' }],
        },
      ],
    });
    const clients = { ...createCloudWatchClients(), cloudWatch };
    const run = (resource: { logicalId: string; physicalId: string; type: string }) =>
      runWorkItem('cloudwatch', rules, clients, {
        workItem: { family: 'cloudwatch', resource },
        stack: TEST_STACK,
        trigger: 'adhoc',
      });

    const alarm = await run({
      logicalId: 'Alarm',
      physicalId: 'orders-errors',
      type: 'AWS::CloudWatch::Alarm',
    });
    const alarmCalls = mock.commandCalls(DescribeAlarmsCommand).length;
    const fn = await run({ logicalId: 'Fn', physicalId: 'orders', type: 'AWS::Lambda::Function' });

    expect(alarm.results.map((result) => [result.checkId, result.status])).toEqual([
      ['cloudwatch-alarm-action-check', 'PASS'],
      ['cloudwatch-alarm-action-enabled-check', 'PASS'],
    ]);
    expect(alarmCalls).toBe(1);
    expect(fn.results.map((result) => [result.checkId, result.status])).toEqual([
      ['stack-alarm-coverage', 'PASS'],
    ]);
  });
});
