/**
 * The Mann-Whitney U test (Wilcoxon rank-sum test) of two independent samples, as
 * scipy.stats.mannwhitneyu computes it (method 'auto', use_continuity=True):
 * https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.mannwhitneyu.html
 *
 * - U of the first sample x: U₁ = R₁ − n₁(n₁+1)/2, R₁ the sum of x's ranks in the pooled sample, tied
 *   values taking the mean of their ranks.
 * - `greater`: x tends to be larger than y (the p-value is P(U ≥ U₁)); `less`: smaller (the test of
 *   U₂ = n₁n₂ − U₁); `two-sided`: twice the tail of max(U₁, U₂), at most 1.
 * - exact: the null distribution of U when one sample has at most 8 values and no value is tied;
 *   otherwise the normal approximation with mean n₁n₂/2, the tie-corrected variance
 *   n₁n₂/12 · ((n+1) − Σ(t³−t)/(n(n−1))) and a continuity correction of ½.
 *   https://en.wikipedia.org/wiki/Mann%E2%80%93Whitney_U_test#Normal_approximation_and_tie_correction
 */
export type Alternative = 'two-sided' | 'greater' | 'less';
export type Method = 'auto' | 'exact' | 'asymptotic';

export interface MannWhitneyResult {
  /** U₁, the statistic of the first sample (scipy's `statistic`). */
  readonly u: number;
  readonly pValue: number;
  readonly method: 'exact' | 'asymptotic';
  /** The standardized statistic of the asymptotic method (continuity-corrected). */
  readonly z?: number;
  readonly sizes: readonly [number, number];
}

/** scipy's choice: the exact distribution is only computed for a small sample without ties. */
const EXACT_MAX_SMALLER_SIZE = 8;

/** Mean ranks (1-based) of the pooled values, and the tie term Σ(t³ − t) over groups of equal values. */
function rank(pooled: readonly number[]): { ranks: number[]; tieTerm: number } {
  const order = pooled.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(pooled.length);
  let tieTerm = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end += 1;
    const meanRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i += 1) ranks[order[i]?.index ?? 0] = meanRank;
    const tied = end - start + 1;
    tieTerm += tied ** 3 - tied;
    start = end + 1;
  }
  return { ranks, tieTerm };
}

/**
 * P(U ≥ u) under the null hypothesis for sample sizes m and n, by the recurrence on probabilities
 * p(m, n, u) = m/(m+n) · p(m−1, n, u−n) + n/(m+n) · p(m, n−1, u) (the largest pooled value belongs to
 * the first sample or the second), which stays in floating range where the counts would not.
 */
function exactSurvival(u: number, m: number, n: number): number {
  // table[j][k]: P(U = k) for sizes (i, j), built up row by row in i.
  let previous: Float64Array[] = Array.from({ length: n + 1 }, () => Float64Array.of(1));
  for (let i = 1; i <= m; i += 1) {
    const current: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n; j += 1) {
      const distribution = new Float64Array(i * j + 1);
      const withoutFirst = previous[j] as Float64Array; // sizes (i−1, j): the largest is the first's
      const withoutSecond = current[j - 1] as Float64Array; // sizes (i, j−1): the largest is the second's
      withoutFirst.forEach((p, k) => {
        distribution[k + j] = (distribution[k + j] ?? 0) + (i / (i + j)) * p;
      });
      withoutSecond.forEach((p, k) => {
        distribution[k] = (distribution[k] ?? 0) + (j / (i + j)) * p;
      });
      current.push(distribution);
    }
    previous = current;
  }
  const distribution = previous[n] as Float64Array;
  let tail = 0;
  for (let k = Math.max(0, Math.ceil(u)); k < distribution.length; k += 1) tail += distribution[k] ?? 0;
  return Math.min(1, tail);
}

/**
 * The complementary error function by the Chebyshev fit of Numerical Recipes (Press et al., 2nd ed.,
 * §6.2, `erfcc`): fractional error below 1.2e-7 for every x, far finer than any alpha a gate uses.
 */
function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const coefficients = [
    -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
    -0.82215223, 0.17087277,
  ];
  const series = coefficients.reduceRight((total, coefficient) => coefficient + t * total, 0);
  const tail = t * Math.exp(-x * x + series);
  return x >= 0 ? tail : 2 - tail;
}

/** The standard normal survival function, 1 − Φ(z). */
function normalSurvival(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  alternative: Alternative = 'two-sided',
  method: Method = 'auto',
): MannWhitneyResult {
  if (x.length === 0 || y.length === 0)
    throw new RangeError('the Mann-Whitney U test needs two non-empty samples');
  if ([...x, ...y].some((value) => !Number.isFinite(value))) {
    throw new RangeError('the Mann-Whitney U test needs finite values');
  }
  const n1 = x.length;
  const n2 = y.length;
  const { ranks, tieTerm } = rank([...x, ...y]);
  const rankSum = ranks.slice(0, n1).reduce((total, value) => total + value, 0);
  const u1 = rankSum - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const [tested, factor] =
    alternative === 'greater' ? [u1, 1] : alternative === 'less' ? [u2, 1] : [Math.max(u1, u2), 2];
  const chosen =
    method === 'auto'
      ? Math.min(n1, n2) <= EXACT_MAX_SMALLER_SIZE && tieTerm === 0
        ? 'exact'
        : 'asymptotic'
      : method;
  if (chosen === 'exact') {
    const p = exactSurvival(tested, Math.min(n1, n2), Math.max(n1, n2));
    return { u: u1, pValue: Math.min(1, p * factor), method: 'exact', sizes: [n1, n2] };
  }
  const n = n1 + n2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  // Every value tied: U says nothing, z is −∞ and the p-value 1 (scipy evaluates the survival at −∞).
  const z = sigma > 0 ? (tested - (n1 * n2) / 2 - 0.5) / sigma : Number.NEGATIVE_INFINITY;
  return {
    u: u1,
    pValue: Math.min(1, normalSurvival(z) * factor),
    method: 'asymptotic',
    z,
    sizes: [n1, n2],
  };
}

/** The median of a non-empty sample (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function mean(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0) / values.length;
}
