/**
 * The quality term of the fitness score, as one tally per check (DESIGN.md "Scoring"):
 *
 *   passRate(c) = passes / scored results of check c (ERROR scored as a failure when the policy says so)
 *   quality     = 100 · Σ w(c)·passRate(c) / Σ w(c), over checks with at least one scored result
 *   fitness     = quality − penalty, each rounded to two decimals
 *
 * score() and the improvement plan (plan.ts) both compute through these functions, so "the fitness
 * if this finding passed" is the report's own arithmetic, not an estimate.
 */
import type { CheckResult, Status } from '../checks/types.ts';
import { SEVERITY_WEIGHTS } from './weights.ts';

export const round = (value: number) => Math.round(value * 100) / 100;

export interface CheckTally {
  pass: number;
  scored: number;
  readonly weight: number;
}

/** One tally per check, in the order the checks first appear in the results. */
export type Tally = Map<string, CheckTally>;

export function isScored(status: Status, errorsCountAsFailures: boolean): boolean {
  return status === 'PASS' || status === 'FAIL' || (status === 'ERROR' && errorsCountAsFailures);
}

export function tallyOf(results: readonly CheckResult[], errorsCountAsFailures: boolean): Tally {
  const tally: Tally = new Map();
  for (const result of results) {
    let entry = tally.get(result.checkId);
    if (!entry) {
      entry = { pass: 0, scored: 0, weight: SEVERITY_WEIGHTS[result.severity] };
      tally.set(result.checkId, entry);
    }
    if (!isScored(result.status, errorsCountAsFailures)) continue;
    entry.scored += 1;
    if (result.status === 'PASS') entry.pass += 1;
  }
  return tally;
}

/** Quality before rounding; null when no check has a scored result. */
export function rawQualityOf(tally: Tally): number | null {
  let weighted = 0;
  let totalWeight = 0;
  for (const { pass, scored, weight } of tally.values()) {
    if (scored === 0) continue;
    weighted += weight * (pass / scored);
    totalWeight += weight;
  }
  return totalWeight === 0 ? null : (100 * weighted) / totalWeight;
}

export function qualityOfTally(tally: Tally): number | null {
  const quality = rawQualityOf(tally);
  return quality === null ? null : round(quality);
}

/** 100 · Σ w·passRate / Σ w over checks with at least one scored result; null when none. */
export function qualityOf(results: readonly CheckResult[], errorsCountAsFailures: boolean): number | null {
  return qualityOfTally(tallyOf(results, errorsCountAsFailures));
}

export function fitnessOf(quality: number | null, penalty: number): number | null {
  return quality === null ? null : round(quality - penalty);
}
