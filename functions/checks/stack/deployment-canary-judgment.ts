import type { CheckOutcome, CheckRule } from '../types.ts';
import { shown } from './canary/judge.ts';
import {
  BUILT_IN_METRICS,
  type BuiltInMetric,
  type CanaryJudgment,
  type CanarySettings,
  canaryJudgment,
  canarySettings,
} from './canary/judgment.ts';
import type { StackClients } from './clients.ts';
import { NO_DEPLOYMENT } from './deployment-target.ts';

type JudgedMetric = CanaryJudgment['metrics'][number];

function value(metric: JudgedMetric, of: number | undefined): string {
  return of === undefined ? '–' : `${shown(of * metric.scale)}${metric.unit}`;
}

/** One metric in a line: verdict, why (with the p-value), the statistic and the medians behind it. */
function line(metric: JudgedMetric): string {
  const { target, baseline } = metric;
  const statistic = metric.u === undefined ? '' : `U=${shown(metric.u)}, `;
  return `${metric.name} ${metric.verdict}: ${metric.reason} (${statistic}n=${target.samples}/${baseline.samples}, median ${value(metric, target.median)} vs ${value(metric, baseline.median)})`;
}

/**
 * FAIL if any metric is significantly and meaningfully worse; otherwise the `inconclusive` policy
 * decides when a metric is inconclusive: ERROR or FAIL as soon as one is, PASS or NOT_APPLICABLE
 * only when all are (a partly conclusive judgment passes on what it could judge).
 */
function status(metrics: readonly JudgedMetric[], settings: CanarySettings): CheckOutcome['status'] {
  if (metrics.some((metric) => metric.verdict === 'FAIL')) return 'FAIL';
  const inconclusive = metrics.filter((metric) => metric.verdict === 'INCONCLUSIVE').length;
  if (inconclusive > 0 && (settings.inconclusive === 'ERROR' || settings.inconclusive === 'FAIL')) {
    return settings.inconclusive;
  }
  return inconclusive === metrics.length ? settings.inconclusive : 'PASS';
}

/**
 * After traffic shift: the target version against the version it replaces, per metric, by a one-sided
 * Mann-Whitney U test on per-minute samples with an effect-size tolerance (docs/canary.md).
 */
export const deploymentCanaryJudgment: CheckRule<StackClients> = async (context) => {
  if (!context.deployment) return NO_DEPLOYMENT;
  const settings = canarySettings(context.params);
  if (settings.metrics.length + settings.userMetrics.length === 0) {
    return { status: 'NOT_APPLICABLE', message: 'no metric is configured for the canary judgment' };
  }
  const judgment = await canaryJudgment(context, context.params);
  if (!judgment) {
    return { status: 'NOT_APPLICABLE', message: 'the deployment has no previous version to compare with' };
  }
  const { target, window, metrics } = judgment;
  const verdict = status(metrics, settings);
  const versions = `version ${target.targetVersion} vs ${target.currentVersion} of ${target.functionName}:${target.alias}`;
  const inconclusive = metrics
    .filter((metric) => metric.verdict === 'INCONCLUSIVE')
    .map((metric) => metric.name);
  const fallbacks = inconclusive.flatMap((name) =>
    name in BUILT_IN_METRICS ? [BUILT_IN_METRICS[name as BuiltInMetric]] : [],
  );
  const policy =
    inconclusive.length > 0
      ? ` Inconclusive for ${inconclusive.join(', ')} (policy: ${settings.inconclusive})${fallbacks.length > 0 ? `; ${fallbacks.join(', ')} decide(s) instead` : ''}.`
      : '';
  return {
    status: verdict,
    message: `${versions} over ${window.minutes} minute(s) of the shift: ${metrics.map(line).join('; ')}.${policy}`,
    evidence: {
      targetVersion: target.targetVersion,
      currentVersion: target.currentVersion,
      window,
      test: 'Mann-Whitney U, one-sided (target worse than baseline), per-minute samples',
      alpha: settings.alpha,
      minSamples: settings.minSamples,
      tolerancePercent: settings.tolerancePercent,
      inconclusive: settings.inconclusive,
      metrics: Object.fromEntries(
        metrics.map(({ name, scale: _scale, unit: _unit, ...judged }) => [name, judged]),
      ),
    },
  };
};
