import { describe, expect, it } from 'vitest';
import { mannWhitneyU, median } from '../../functions/checks/stack/canary/mann-whitney.ts';

/**
 * Reference values from scipy.stats.mannwhitneyu(x, y, alternative=…) of SciPy 1.17.1 (method 'auto',
 * use_continuity=True): the exact distribution when one sample has at most 8 values and nothing is tied,
 * the tie-corrected normal approximation otherwise.
 */
const SCIPY = [
  {
    name: 'exact, no ties (n=5/4)',
    x: [19, 22, 16, 29, 24],
    y: [20, 11, 17, 12],
    u: 17,
    method: 'exact',
    'two-sided': 0.1111111111111111,
    greater: 0.05555555555555555,
    less: 0.9682539682539683,
  },
  {
    name: 'exact, 3 values against 12',
    x: [8.1, 9.4, 7.7],
    y: [5.5, 6.1, 7.2, 8.0, 4.9, 6.6, 7.9, 5.0, 6.3, 7.0, 5.8, 6.9],
    u: 34,
    method: 'exact',
    'two-sided': 0.017582417582417582,
    greater: 0.008791208791208791,
    less: 0.9956043956043956,
  },
  {
    name: 'asymptotic, values tied across the samples (n=10/10)',
    x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    y: [5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
    u: 18,
    method: 'asymptotic',
    'two-sided': 0.017006577801423665,
    greater: 0.9930981102709392,
    less: 0.008503288900711833,
  },
  {
    name: 'asymptotic, mostly zeros like per-minute error rates (n=10/12)',
    x: [0, 0, 0, 0.1, 0.2, 0, 0, 0, 0.05, 0],
    y: [0, 0, 0, 0, 0, 0, 0, 0.01, 0, 0, 0, 0],
    u: 74.5,
    method: 'asymptotic',
    'two-sided': 0.17013021644127646,
    greater: 0.08506510822063823,
    less: 0.9291879985935401,
  },
  {
    name: 'asymptotic, no ties, both samples above 8 (n=9/11)',
    x: [3.1, 2.4, 5.6, 7.7, 1.2, 9.9, 4.4, 8.3, 6.2],
    y: [2.2, 8.8, 6.6, 3.3, 1.1, 0.5, 7.1, 5.5, 4.9, 0.9, 2.8],
    u: 65,
    method: 'asymptotic',
    'two-sided': 0.2544505826463366,
    greater: 0.1272252913231683,
    less: 0.8879274229738989,
  },
] as const;

describe('the Mann-Whitney U test', () => {
  describe.each(SCIPY)('$name', (reference) => {
    it.each(['two-sided', 'greater', 'less'] as const)('gives scipy’s U and %s p-value', (alternative) => {
      const result = mannWhitneyU(reference.x, reference.y, alternative);

      expect(result.u).toBe(reference.u);
      expect(result.method).toBe(reference.method);
      // The normal tail is a Chebyshev fit with fractional error < 1.2e-7.
      expect(result.pValue).toBeCloseTo(reference[alternative], 6);
      expect(Math.abs(result.pValue / reference[alternative] - 1)).toBeLessThan(1e-6);
    });
  });

  it('counts the exact distribution by hand: 3 against 3, fully separated, is 1 arrangement of C(6,3) = 20', () => {
    const result = mannWhitneyU([4, 5, 6], [1, 2, 3], 'greater');

    expect(result).toMatchObject({ u: 9, method: 'exact', sizes: [3, 3] });
    expect(result.pValue).toBeCloseTo(1 / 20, 12);
    expect(mannWhitneyU([4, 5, 6], [1, 2, 3], 'two-sided').pValue).toBeCloseTo(2 / 20, 12);
    expect(mannWhitneyU([4, 5, 6], [1, 2, 3], 'less').pValue).toBeCloseTo(1, 12);
  });

  it('agrees with the normal approximation on larger samples when the exact method is forced', () => {
    const x = Array.from({ length: 8 }, (_, index) => index * 1.7 + 3);
    const y = Array.from({ length: 30 }, (_, index) => index * 0.9);

    const exact = mannWhitneyU(x, y, 'greater', 'exact');
    const asymptotic = mannWhitneyU(x, y, 'greater', 'asymptotic');

    expect(exact.u).toBe(asymptotic.u);
    expect(Math.abs(exact.pValue - asymptotic.pValue)).toBeLessThan(0.01);
  });

  it('gives p = 1 when every value is tied: the samples say nothing', () => {
    const result = mannWhitneyU([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0], 'greater');

    expect(result).toMatchObject({ u: 45, pValue: 1, method: 'asymptotic' });
  });

  it('refuses an empty sample or a value that is not finite', () => {
    expect(() => mannWhitneyU([], [1, 2])).toThrow(RangeError);
    expect(() => mannWhitneyU([1, Number.NaN], [1, 2])).toThrow(/finite/);
  });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
