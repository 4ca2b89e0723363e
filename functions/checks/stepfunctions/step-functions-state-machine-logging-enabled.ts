import { listParam, textParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { StepFunctionsClients } from './clients.ts';
import { describeStateMachineMetadata } from './state-machine.ts';

const LEVEL_RANK: Readonly<Record<string, number>> = { OFF: 0, FATAL: 1, ERROR: 2, ALL: 3 };

/** Log group ARNs come with and without the `:*` suffix; compare them without it. */
function logGroupKey(arn: string): string {
  return arn.replace(/:\*$/, '');
}

/**
 * PASS when the level is not OFF and at least one destination is set; with `logLevel`, the level is
 * at least that one (ALL > ERROR > FATAL); with `cloudWatchLogGroupArns`, every destination is listed.
 */
export const stepFunctionsStateMachineLoggingEnabled: CheckRule<StepFunctionsClients> = async (context) => {
  const { loggingConfiguration } = await describeStateMachineMetadata(context);
  const level = loggingConfiguration?.level ?? 'OFF';
  const logGroupArns = (loggingConfiguration?.destinations ?? [])
    .map((destination) => destination.cloudWatchLogsLogGroup?.logGroupArn)
    .filter((arn): arn is string => Boolean(arn));
  const evidence = { level, logGroupArns };
  if (level === 'OFF') return { status: 'FAIL', message: 'logging is OFF', evidence };
  if (logGroupArns.length === 0) {
    return {
      status: 'FAIL',
      message: `logging level is ${level} but no log group receives the logs`,
      evidence,
    };
  }
  const minimum = textParam(context.params.logLevel)?.toUpperCase();
  if (minimum && (LEVEL_RANK[level] ?? 0) < (LEVEL_RANK[minimum] ?? Number.POSITIVE_INFINITY)) {
    return { status: 'FAIL', message: `logging level is ${level}, below the required ${minimum}`, evidence };
  }
  const allowed = new Set(listParam(context.params.cloudWatchLogGroupArns).map(logGroupKey));
  const unlisted = logGroupArns.filter((arn) => allowed.size > 0 && !allowed.has(logGroupKey(arn)));
  if (unlisted.length > 0) {
    return {
      status: 'FAIL',
      message: `logs go to ${unlisted.join(', ')}, which is not an allowed log group`,
      evidence,
    };
  }
  return { status: 'PASS', message: `logging level is ${level} to ${logGroupArns.join(', ')}`, evidence };
};
