/** CloudWatch alarms; moto does not provision CloudFormation alarms, so tests put them through the API. */
import {
  type CloudWatchClient,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';

export const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:oncall';

export const alarmResource = (alarmName: string) => ({
  logicalId: 'ErrorsAlarm',
  physicalId: alarmName,
  type: 'AWS::CloudWatch::Alarm',
});

export async function putAlarm(
  cloudWatch: CloudWatchClient,
  alarmName: string,
  settings: Partial<PutMetricAlarmCommandInput> = {},
): Promise<string> {
  const metric = settings.Metrics
    ? {}
    : {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: 'orders' }],
        Statistic: 'Sum' as const,
        Period: 60,
      };
  await cloudWatch.send(
    new PutMetricAlarmCommand({
      AlarmName: alarmName,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ...metric,
      ...settings,
    }),
  );
  return alarmName;
}
