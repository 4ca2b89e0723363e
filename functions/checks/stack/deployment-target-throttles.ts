import type { CheckRule } from '../types.ts';
import { decidedByCanary } from './canary/judgment.ts';
import type { StackClients } from './clients.ts';
import { deploymentTarget, NO_DEPLOYMENT } from './deployment-target.ts';
import { aliasDimensions, metricSum, windowMinutesOf } from './target-metrics.ts';

/** After traffic shift: PASS when the deployment's alias saw no throttled invocation in the window. */
export const deploymentTargetThrottles: CheckRule<StackClients> = async (context) => {
  if (!context.deployment) return NO_DEPLOYMENT;
  const target = await deploymentTarget(context, context.deployment.deploymentId);
  const decided = await decidedByCanary(context, 'throttles');
  if (decided) return decided;
  const windowMinutes = windowMinutesOf(context);
  const throttles = await metricSum(
    context,
    { metricName: 'Throttles', dimensions: aliasDimensions(target) },
    windowMinutes,
  );
  const alias = `${target.functionName}:${target.alias}`;
  const evidence = { throttles, windowMinutes, targetVersion: target.targetVersion };
  if (throttles > 0) {
    return {
      status: 'FAIL',
      message: `${alias} throttled ${throttles} invocation(s) in the last ${windowMinutes} minutes`,
      evidence,
    };
  }
  return {
    status: 'PASS',
    message: `${alias} throttled nothing in the last ${windowMinutes} minutes`,
    evidence,
  };
};
