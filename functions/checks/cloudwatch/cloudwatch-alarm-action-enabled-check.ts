import type { CheckRule } from '../types.ts';
import { describeAlarm } from './alarm.ts';
import type { CloudWatchClients } from './clients.ts';

/** PASS when the alarm's actions are enabled. */
export const cloudwatchAlarmActionEnabledCheck: CheckRule<CloudWatchClients> = async (context) => {
  const alarm = await describeAlarm(context);
  if (alarm.ActionsEnabled !== true) {
    return { status: 'FAIL', message: 'the alarm actions are disabled, so nothing happens when it fires' };
  }
  return { status: 'PASS', message: 'the alarm actions are enabled' };
};
