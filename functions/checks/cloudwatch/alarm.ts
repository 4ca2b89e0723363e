import { type CompositeAlarm, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { CheckContext } from '../types.ts';
import type { CloudWatchClients } from './clients.ts';

/** The alarm named by the resource does not exist (any more). */
export class AlarmNotFoundError extends Error {
  constructor(alarmName: string) {
    super(`alarm ${alarmName} does not exist`);
    this.name = 'AlarmNotFoundError';
  }
}

/**
 * One DescribeAlarms per work item; the physical id is the alarm name. Without AlarmTypes only metric
 * alarms come back, so ask for composite alarms too.
 */
export function describeAlarm({
  resource,
  clients,
  memo,
}: CheckContext<CloudWatchClients>): Promise<MetricAlarm | CompositeAlarm> {
  return memo(`alarm:${resource.physicalId}`, async () => {
    const { MetricAlarms, CompositeAlarms } = await clients.cloudWatch.send(
      new DescribeAlarmsCommand({
        AlarmNames: [resource.physicalId],
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      }),
    );
    const alarm = [...(MetricAlarms ?? []), ...(CompositeAlarms ?? [])].find(
      (candidate) => candidate.AlarmName === resource.physicalId,
    );
    if (!alarm) throw new AlarmNotFoundError(resource.physicalId);
    return alarm;
  });
}
