import { booleanParam, textParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import { describeAlarm } from './alarm.ts';
import type { CloudWatchClients } from './clients.ts';

const ACTION_PARAMS = ['action1', 'action2', 'action3', 'action4', 'action5'] as const;

/**
 * PASS when the alarm has the actions the parameters require (AlarmActions by default; also
 * InsufficientDataActions / OKActions when asked) and, with `action1..5`, only those actions.
 */
export const cloudwatchAlarmActionCheck: CheckRule<CloudWatchClients> = async (context) => {
  const alarm = await describeAlarm(context);
  const { params } = context;
  const actions = {
    AlarmActions: alarm.AlarmActions ?? [],
    InsufficientDataActions: alarm.InsufficientDataActions ?? [],
    OKActions: alarm.OKActions ?? [],
  };
  const required = {
    AlarmActions: booleanParam(params.alarmActionRequired, 'alarmActionRequired', true),
    InsufficientDataActions: booleanParam(
      params.insufficientDataActionRequired,
      'insufficientDataActionRequired',
      false,
    ),
    OKActions: booleanParam(params.okActionRequired, 'okActionRequired', false),
  };
  const missing = (Object.keys(required) as (keyof typeof required)[]).filter(
    (field) => required[field] && actions[field].length === 0,
  );
  if (missing.length > 0) {
    return { status: 'FAIL', message: `the alarm has no ${missing.join(' and no ')}`, evidence: actions };
  }
  const allowed = ACTION_PARAMS.map((name) => textParam(params[name])).filter(
    (arn): arn is string => arn !== undefined,
  );
  const unexpected = Object.values(actions)
    .flat()
    .filter((arn) => allowed.length > 0 && !allowed.includes(arn));
  if (unexpected.length > 0) {
    return {
      status: 'FAIL',
      message: `the alarm notifies ${unexpected.join(', ')}, which is not one of the allowed actions`,
      evidence: actions,
    };
  }
  return {
    status: 'PASS',
    message: `the alarm notifies ${actions.AlarmActions.length} action(s) when it fires`,
    evidence: actions,
  };
};
