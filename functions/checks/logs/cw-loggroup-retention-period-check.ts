import { InvalidInputError } from '../../shared/errors.ts';
import { listParam, numberParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { LogsClients } from './clients.ts';
import { describeLogGroup } from './log-group-facts.ts';

const MAX_RETENTION_DAYS = 3653;

/**
 * PASS when the group keeps logs at least `MinRetentionTime` days, or never expires them (Config
 * counts that as compliant). Groups outside `LogGroupNames`, when given, are N/A.
 */
export const cwLoggroupRetentionPeriodCheck: CheckRule<LogsClients> = async (context) => {
  const { params, resource } = context;
  const minRetention = numberParam(params.MinRetentionTime, 'MinRetentionTime') ?? 365;
  if (minRetention < 1 || minRetention > MAX_RETENTION_DAYS) {
    throw new InvalidInputError(
      `parameter MinRetentionTime must lie in 1..${MAX_RETENTION_DAYS}, got ${minRetention}`,
    );
  }
  const scope = listParam(params.LogGroupNames);
  if (scope.length > 0 && !scope.includes(resource.physicalId)) {
    return { status: 'NOT_APPLICABLE', message: 'the log group is not in LogGroupNames' };
  }
  const logGroup = await describeLogGroup(context, resource.physicalId);
  if (!logGroup) return { status: 'ERROR', message: `log group ${resource.physicalId} does not exist` };
  const retention = logGroup.retentionInDays;
  if (retention === undefined) {
    return {
      status: 'PASS',
      message: 'the log group never expires its logs',
      evidence: { retentionInDays: null, MinRetentionTime: minRetention },
    };
  }
  const evidence = { retentionInDays: retention, MinRetentionTime: minRetention };
  if (retention < minRetention) {
    return {
      status: 'FAIL',
      message: `logs are kept ${retention} day(s), less than ${minRetention}`,
      evidence,
    };
  }
  return { status: 'PASS', message: `logs are kept ${retention} day(s)`, evidence };
};
