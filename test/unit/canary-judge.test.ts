import { describe, expect, it } from 'vitest';
import { type JudgmentRule, judgeMetric } from '../../functions/checks/stack/canary/judge.ts';
import { mannWhitneyU } from '../../functions/checks/stack/canary/mann-whitney.ts';

/** mulberry32: a small seeded PRNG, so every series here is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller). */
function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** Per-minute p90 durations: log-normal around `medianMs`. */
function durations(next: () => number, minutes: number, medianMs: number): number[] {
  return Array.from({ length: minutes }, () => medianMs * Math.exp(0.25 * normal(next)));
}

/** Per-minute error rates: `calls` invocations a minute, each failing with probability `rate`. */
function errorRates(next: () => number, minutes: number, calls: number, rate: number): number[] {
  return Array.from({ length: minutes }, () => {
    let errors = 0;
    for (let call = 0; call < calls; call += 1) if (next() < rate) errors += 1;
    return errors / calls;
  });
}

const RULE: JudgmentRule = { alpha: 0.05, minSamples: 5, tolerance: 0.1, minChange: 0 };

describe('the canary judgment of one metric', () => {
  it('fails a target version whose error rate is clearly worse', () => {
    const next = random(1);
    const baseline = errorRates(next, 12, 200, 0.005);
    const target = errorRates(next, 12, 20, 0.1);

    const judged = judgeMetric(target, baseline, 'higher', { ...RULE, minChange: 0.001 });

    expect(judged.verdict).toBe('FAIL');
    expect(judged.pValue).toBeLessThan(0.001);
    expect(judged.reason).toMatch(/^significantly worse \(p=.+ < 0\.05\), mean by \d+%$/);
    expect(judged).toMatchObject({
      target: { samples: 12 },
      baseline: { samples: 12 },
      method: 'asymptotic',
    });
  });

  it('fails a target version whose durations are 1.5 × slower', () => {
    const next = random(2);

    const judged = judgeMetric(durations(next, 10, 180), durations(next, 10, 120), 'higher', RULE);

    expect(judged.verdict).toBe('FAIL');
    expect(judged.target.median).toBeGreaterThan(judged.baseline.median ?? 0);
  });

  it('passes versions drawn from the same distribution', () => {
    const next = random(3);

    const judged = judgeMetric(durations(next, 15, 120), durations(next, 15, 120), 'higher', RULE);

    expect(judged.verdict).toBe('PASS');
    expect(judged.reason).toMatch(/^no significant worsening \(p=.+ ≥ 0\.05\)$/);
  });

  it('passes a target version that got better: the test is one-sided', () => {
    const next = random(4);

    const judged = judgeMetric(durations(next, 10, 60), durations(next, 10, 120), 'higher', RULE);

    expect(judged.verdict).toBe('PASS');
    expect(judged.pValue).toBeGreaterThan(0.99);
    expect(judged.change).toBeLessThan(0);
  });

  it('reads a lower-is-worse metric the other way round', () => {
    const next = random(5);
    const success = (rate: number) => errorRates(next, 10, 100, rate);

    expect(judgeMetric(success(0.8), success(0.99), 'lower', RULE).verdict).toBe('FAIL');
    expect(judgeMetric(success(0.99), success(0.8), 'lower', RULE).verdict).toBe('PASS');
  });

  it('passes a tiny difference that a long window makes significant, within the tolerance', () => {
    const next = random(6);
    const baseline = Array.from({ length: 2_000 }, () => 100 + normal(next));
    const target = Array.from({ length: 2_000 }, () => 100.5 + normal(next));

    const judged = judgeMetric(target, baseline, 'higher', RULE);

    expect(judged.pValue).toBeLessThan(1e-6);
    expect(judged.verdict).toBe('PASS');
    expect(judged.reason).toMatch(
      /^significant \(p=.+\) but the mean is worse only by 0\.\d+%, within the tolerance$/,
    );
  });

  it('fails an error rate that rises from 0 only beyond minChange', () => {
    const baseline = [0, 0, 0, 0, 0, 0, 0, 0];
    const slightly = [0.0005, 0.0005, 0.0005, 0.0005, 0.0005, 0.0005, 0.0005, 0.0005];
    const clearly = slightly.map((rate) => rate * 20);

    const within = judgeMetric(slightly, baseline, 'higher', { ...RULE, minChange: 0.001 });
    const beyond = judgeMetric(clearly, baseline, 'higher', { ...RULE, minChange: 0.001 });

    expect(within).toMatchObject({ verdict: 'PASS', change: 0.0005 });
    expect(within.relativeChange).toBeUndefined();
    expect(beyond.verdict).toBe('FAIL');
    expect(beyond.reason).toContain('mean by 0.01');
  });

  it('is inconclusive with fewer than minSamples on either side, and says how many it had', () => {
    const next = random(7);

    const judged = judgeMetric(durations(next, 4, 500), durations(next, 30, 100), 'higher', RULE);

    expect(judged).toMatchObject({
      verdict: 'INCONCLUSIVE',
      target: { samples: 4 },
      baseline: { samples: 30 },
    });
    expect(judged.reason).toBe('4 target and 30 baseline samples, fewer than the 5 each needs');
    expect(judged.pValue).toBeUndefined();
    expect(judgeMetric([], [], 'higher', RULE)).toMatchObject({
      verdict: 'INCONCLUSIVE',
      target: { samples: 0 },
    });
  });

  describe('false positives on identical distributions, over 2,000 seeds', () => {
    const SEEDS = 2_000;
    const TOLERANCE = 0.015; // ≈ 3 binomial standard deviations of a 5% rate over 2,000 trials

    function rates(series: (next: () => number) => [number[], number[]]) {
      let significant = 0;
      let failed = 0;
      for (let seed = 1; seed <= SEEDS; seed += 1) {
        const [target, baseline] = series(random(seed * 7919));
        if (mannWhitneyU(target, baseline, 'greater').pValue < RULE.alpha) significant += 1;
        if (judgeMetric(target, baseline, 'higher', RULE).verdict === 'FAIL') failed += 1;
      }
      return { significant: significant / SEEDS, failed: failed / SEEDS };
    }

    it('keeps the rate at or below alpha on continuous durations (10 minutes each)', () => {
      const measured = rates((next) => [durations(next, 10, 120), durations(next, 10, 120)]);

      expect(measured.significant).toBeLessThanOrEqual(RULE.alpha + TOLERANCE);
      // Calibrated, not merely timid: the test does reject about alpha of the time.
      expect(measured.significant).toBeGreaterThan(RULE.alpha / 2);
      expect(measured.failed).toBeLessThanOrEqual(measured.significant);
    });

    it('keeps the rate at or below alpha on small exact samples (5 minutes each)', () => {
      const measured = rates((next) => [durations(next, 5, 120), durations(next, 5, 120)]);

      expect(measured.significant).toBeLessThanOrEqual(RULE.alpha + TOLERANCE);
    });

    it('keeps the rate at or below alpha on tied, mostly-zero error rates (12 minutes each)', () => {
      const measured = rates((next) => [errorRates(next, 12, 50, 0.01), errorRates(next, 12, 50, 0.01)]);

      expect(measured.significant).toBeLessThanOrEqual(RULE.alpha + TOLERANCE);
      expect(measured.failed).toBeLessThanOrEqual(RULE.alpha + TOLERANCE);
    });
  });
});
