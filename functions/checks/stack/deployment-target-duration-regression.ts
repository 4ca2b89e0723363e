import { numberParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import { decidedByCanary } from './canary/judgment.ts';
import type { StackClients } from './clients.ts';
import { deploymentTarget, NO_DEPLOYMENT } from './deployment-target.ts';
import { metricValues, versionDimensions, windowMinutesOf } from './target-metrics.ts';

/**
 * After traffic shift: PASS when the target version's p90 Duration is at most `maxSlowdownPercent`
 * above the current (previous) version's, both measured through the alias in the same window.
 */
export const deploymentTargetDurationRegression: CheckRule<StackClients> = async (context) => {
  if (!context.deployment) return NO_DEPLOYMENT;
  const target = await deploymentTarget(context, context.deployment.deploymentId);
  if (!target.currentVersion || target.currentVersion === target.targetVersion) {
    return { status: 'NOT_APPLICABLE', message: 'the deployment has no previous version to compare with' };
  }
  const windowMinutes = windowMinutesOf(context);
  const decided = await decidedByCanary(context, 'duration');
  if (decided) return decided;
  const maxSlowdownPercent = numberParam(context.params.maxSlowdownPercent, 'maxSlowdownPercent') ?? 20;
  // A window can straddle two periods; the slower one counts, for both versions alike.
  const p90 = async (version: string) => {
    const values = await metricValues(
      context,
      { metricName: 'Duration', dimensions: versionDimensions(target, version), stat: 'p90' },
      windowMinutes,
    );
    return values.length > 0 ? Math.max(...values) : undefined;
  };
  const [targetP90, currentP90] = await Promise.all([p90(target.targetVersion), p90(target.currentVersion)]);
  const evidence = {
    targetVersion: target.targetVersion,
    currentVersion: target.currentVersion,
    targetP90Ms: targetP90,
    currentP90Ms: currentP90,
    maxSlowdownPercent,
    windowMinutes,
  };
  if (targetP90 === undefined || currentP90 === undefined || currentP90 <= 0) {
    return {
      status: 'NOT_APPLICABLE',
      message: `both versions need Duration data in the last ${windowMinutes} minutes to compare (${targetP90 === undefined ? 'target' : 'current'} version has none)`,
      evidence,
    };
  }
  const slowdownPercent = Math.round(((targetP90 - currentP90) / currentP90) * 1000) / 10;
  const comparison = `p90 ${targetP90} ms for version ${target.targetVersion} vs ${currentP90} ms for version ${target.currentVersion}`;
  if (slowdownPercent > maxSlowdownPercent) {
    return {
      status: 'FAIL',
      message: `${comparison}: ${slowdownPercent}% slower (limit ${maxSlowdownPercent}%)`,
      evidence: { ...evidence, slowdownPercent },
    };
  }
  return {
    status: 'PASS',
    message: `${comparison} (${slowdownPercent}%)`,
    evidence: { ...evidence, slowdownPercent },
  };
};
