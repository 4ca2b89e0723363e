import { numberParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import { decidedByCanary } from './canary/judgment.ts';
import type { StackClients } from './clients.ts';
import { deploymentTarget, NO_DEPLOYMENT } from './deployment-target.ts';
import { metricSum, versionDimensions, windowMinutesOf } from './target-metrics.ts';

/** After traffic shift: PASS when Errors / Invocations of the target version stays within the limit. */
export const deploymentTargetErrorRate: CheckRule<StackClients> = async (context) => {
  if (!context.deployment) return NO_DEPLOYMENT;
  const target = await deploymentTarget(context, context.deployment.deploymentId);
  const decided = await decidedByCanary(context, 'errorRate');
  if (decided) return decided;
  const windowMinutes = windowMinutesOf(context);
  const maxErrorRatePercent = numberParam(context.params.maxErrorRatePercent, 'maxErrorRatePercent') ?? 1;
  const dimensions = versionDimensions(target, target.targetVersion);
  const [invocations, errors] = await Promise.all([
    metricSum(context, { metricName: 'Invocations', dimensions }, windowMinutes),
    metricSum(context, { metricName: 'Errors', dimensions }, windowMinutes),
  ]);
  const version = `${target.functionName}:${target.alias} version ${target.targetVersion}`;
  if (invocations === 0) {
    return {
      status: 'NOT_APPLICABLE',
      message: `${version} was not invoked in the last ${windowMinutes} minutes, so it has no error rate`,
      evidence: { invocations, errors, windowMinutes },
    };
  }
  const errorRatePercent = Math.round((errors / invocations) * 10_000) / 100;
  const evidence = { invocations, errors, errorRatePercent, maxErrorRatePercent, windowMinutes };
  if (errorRatePercent > maxErrorRatePercent) {
    return {
      status: 'FAIL',
      message: `${version} failed ${errors} of ${invocations} invocations (${errorRatePercent}% > ${maxErrorRatePercent}%)`,
      evidence,
    };
  }
  return {
    status: 'PASS',
    message: `${version} failed ${errors} of ${invocations} invocations (${errorRatePercent}%)`,
    evidence,
  };
};
