/** cloudwatch: the configuration moto's CloudFormation ignores, applied through the service API (table in ../index.ts). */
import {
  DeleteAlarmsCommand,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import type { ApplyContext } from '../context.ts';
import { coerce, text } from '../values.ts';

export const ALARM_NUMBERS = new Set(['Period', 'EvaluationPeriods', 'DatapointsToAlarm', 'Threshold']);

export const ALARM_PROPERTIES = [
  'AlarmDescription',
  'ActionsEnabled',
  'AlarmActions',
  'OKActions',
  'InsufficientDataActions',
  'MetricName',
  'Namespace',
  'Statistic',
  'ExtendedStatistic',
  'Dimensions',
  'Period',
  'Unit',
  'EvaluationPeriods',
  'DatapointsToAlarm',
  'Threshold',
  'ComparisonOperator',
  'TreatMissingData',
  'EvaluateLowSampleCountPercentile',
  'Metrics',
  'ThresholdMetricId',
  'Tags',
];

export async function applyAlarm(context: ApplyContext, logicalId: string) {
  const AlarmName = text(context.property(logicalId, 'AlarmName')) ?? context.generatedName(logicalId);
  const input: Record<string, unknown> = { AlarmName };
  for (const name of ALARM_PROPERTIES) {
    const value = context.property(logicalId, name);
    if (value !== undefined)
      input[name] = coerce(value, ALARM_NUMBERS, new Set(['ActionsEnabled', 'ReturnData']), name);
  }
  const { cloudWatch } = context.clients;
  await cloudWatch.send(new PutMetricAlarmCommand(input as unknown as PutMetricAlarmCommandInput));
  context.created(logicalId, 'AWS::CloudWatch::Alarm', AlarmName, () =>
    cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: [AlarmName] })),
  );
  context.applied(logicalId, `alarm ${AlarmName}`);
}
