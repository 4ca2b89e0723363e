/**
 * The canary judgment of one metric: is the target version worse than the baseline (the version it
 * replaces), judged on per-minute samples of both? In the spirit of Kayenta's NetflixACAJudge, whose
 * Mann-Whitney classifier marks a metric High only when the test finds a shift AND the effect size
 * (the ratio of the means) passes its threshold, and marks it Nodata when a side has no values
 * (https://github.com/spinnaker/spinnaker/blob/main/kayenta-judge/src/main/scala/com/netflix/kayenta/judge/classifiers/metric/MannWhitneyClassifier.scala). Here:
 *
 * - INCONCLUSIVE when either version has fewer than `minSamples` samples;
 * - FAIL when the one-sided test "target worse than baseline" is significant (p < alpha) AND the
 *   mean got worse by more than `tolerance` of the baseline's mean AND by more than `minChange` in
 *   absolute terms, so a tiny difference that a long window makes significant does not fail;
 * - PASS otherwise.
 *
 * The effect is measured on means, not medians: a per-minute error rate is mostly 0 in both versions,
 * so both medians are 0 even when the target fails in a third of its minutes.
 */
import { mannWhitneyU, mean, median } from './mann-whitney.ts';

/** Which way is worse: `higher` for errors, durations, throttles; `lower` for, e.g., a success rate. */
export type Direction = 'higher' | 'lower';
export type Verdict = 'PASS' | 'FAIL' | 'INCONCLUSIVE';

export interface JudgmentRule {
  /** Significance level of the one-sided test. */
  readonly alpha: number;
  /** Fewest samples either version needs for a conclusive judgment. */
  readonly minSamples: number;
  /** Smallest relative worsening of the mean that counts (0.1: 10% of the baseline's mean). */
  readonly tolerance: number;
  /** Smallest absolute worsening of the mean that counts, in the metric's unit. */
  readonly minChange: number;
}

export interface SampleSummary {
  readonly samples: number;
  readonly median?: number;
  readonly mean?: number;
}

export interface MetricJudgment {
  readonly verdict: Verdict;
  /** Why, in a few words: the sentence a report shows after the verdict. */
  readonly reason: string;
  readonly target: SampleSummary;
  readonly baseline: SampleSummary;
  /** U of the target sample (scipy's statistic with the target first), in the metric's own order. */
  readonly u?: number;
  readonly pValue?: number;
  readonly method?: 'exact' | 'asymptotic';
  /** How much worse the target's mean is, in the metric's unit (negative: better). */
  readonly change?: number;
  /** `change` relative to the baseline's mean; absent when that mean is 0. */
  readonly relativeChange?: number;
}

function summary(values: readonly number[]): SampleSummary {
  return values.length === 0
    ? { samples: 0 }
    : { samples: values.length, median: median(values), mean: mean(values) };
}

/** Rounds for a message: four significant digits. */
export function shown(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

export function judgeMetric(
  target: readonly number[],
  baseline: readonly number[],
  direction: Direction,
  rule: JudgmentRule,
): MetricJudgment {
  const sides = { target: summary(target), baseline: summary(baseline) };
  if (target.length < rule.minSamples || baseline.length < rule.minSamples) {
    return {
      verdict: 'INCONCLUSIVE',
      reason: `${target.length} target and ${baseline.length} baseline samples, fewer than the ${rule.minSamples} each needs`,
      ...sides,
    };
  }
  // "Worse" is "greater" for a higher-is-worse metric, "less" otherwise.
  const test = mannWhitneyU(target, baseline, direction === 'higher' ? 'greater' : 'less');
  const sign = direction === 'higher' ? 1 : -1;
  const baselineMean = sides.baseline.mean as number;
  const change = sign * ((sides.target.mean as number) - baselineMean);
  const relativeChange = baselineMean === 0 ? undefined : change / Math.abs(baselineMean);
  const measured = {
    ...sides,
    u: test.u,
    pValue: test.pValue,
    method: test.method,
    change,
    ...(relativeChange === undefined ? {} : { relativeChange }),
  };
  const p = `p=${shown(test.pValue)}`;
  if (test.pValue >= rule.alpha) {
    return { verdict: 'PASS', reason: `no significant worsening (${p} ≥ ${rule.alpha})`, ...measured };
  }
  const meaningful =
    change > rule.minChange && (relativeChange === undefined || relativeChange > rule.tolerance);
  const by = relativeChange === undefined ? `by ${shown(change)}` : `by ${shown(relativeChange * 100)}%`;
  if (!meaningful) {
    return {
      verdict: 'PASS',
      reason: `significant (${p}) but the mean is worse only ${by}, within the tolerance`,
      ...measured,
    };
  }
  return { verdict: 'FAIL', reason: `significantly worse (${p} < ${rule.alpha}), mean ${by}`, ...measured };
}
