import { numberParam } from '../evaluators/params.ts';
import { findLogGroup } from '../logs/log-group-facts.ts';
import type { CheckRule } from '../types.ts';
import type { LambdaClients } from './clients.ts';
import { functionConfiguration } from './function-facts.ts';

/**
 * PASS when the function's log group (LoggingConfig.LogGroup, else /aws/lambda/<name>) exists and
 * expires its logs after at least `minRetentionDays`. Unlike Config, "never expire" fails: cost.
 */
export const lambdaFunctionLogRetention: CheckRule<LambdaClients> = async (context) => {
  const { clients, params, resource } = context;
  const minRetentionDays = numberParam(params.minRetentionDays, 'minRetentionDays') ?? 1;
  const config = await functionConfiguration(context, resource.physicalId);
  const logGroupName =
    config.LoggingConfig?.LogGroup ?? `/aws/lambda/${config.FunctionName ?? resource.physicalId}`;
  const logGroup = await findLogGroup(clients.cloudWatchLogs, logGroupName);
  if (!logGroup) {
    return {
      status: 'FAIL',
      message: `log group ${logGroupName} does not exist, so Lambda creates it on first use without retention`,
      evidence: { logGroupName },
    };
  }
  const retention = logGroup.retentionInDays;
  const evidence = { logGroupName, retentionInDays: retention ?? null, minRetentionDays };
  if (retention === undefined) {
    return { status: 'FAIL', message: `log group ${logGroupName} never expires its logs`, evidence };
  }
  if (retention < minRetentionDays) {
    return {
      status: 'FAIL',
      message: `log group ${logGroupName} keeps logs ${retention} day(s), less than ${minRetentionDays}`,
      evidence,
    };
  }
  return { status: 'PASS', message: `log group ${logGroupName} keeps logs ${retention} day(s)`, evidence };
};
