/**
 * The improvement plan (docs/plan-and-coverage.md): what to fix next, and what would make a failed
 * gate pass. Pure, and computed with the report's own scoring (quality.ts), never estimated.
 *
 * - Each non-passing finding (FAIL, or ERROR; SUPPRESSED and NOT_APPLICABLE are not findings) gets
 *   the fitness the stack would have if it alone passed, and the gain over the report's fitness.
 * - Findings that one change fixes on one resource (the registry's `fix` groups) form one step, whose
 *   fitness is that of all its findings passing. Steps are ranked: required ones first (critical
 *   findings while the policy fails on critical: no gain makes up for them), then by gain.
 * - When the gate Failed: the fewest findings whose fixes make it pass ("fix these 2 to pass"). The
 *   required findings are in it; then the smallest set that lifts fitness to every threshold the
 *   policy sets (baseline − maxRegression, minFitness). See `restoringSet` for why it is exact.
 */
import type { Plan, PlanFinding, PlanStep, RestorePlan } from '../../statemachine/state.ts';
import { BUILT_IN_CATALOG, type Catalog } from '../checks/catalog.ts';
import { FIXES } from '../checks/registry.ts';
import { type CheckResult, SEVERITIES } from '../checks/types.ts';
import type { GatePolicy } from '../shared/config.ts';
import { fitList } from '../shared/fit-list.ts';
import { fitnessOf, isScored, qualityOfTally, round, type Tally, tallyOf } from './quality.ts';

/** The plan travels in the report, inside the 256 KiB state: steps are cut past this, and counted. */
export const PLAN_BUDGET_BYTES = 16 * 1024;
export const MAX_PLAN_STEPS = 25;
/** The restoring set's findings listed in the report, within PLAN_BUDGET_BYTES (its size is always complete). */
export const RESTORE_LIST_BUDGET_BYTES = 4 * 1024;

export interface PlanInput {
  /** Every result of the run, waivers applied. */
  readonly results: readonly CheckResult[];
  readonly policy: GatePolicy;
  readonly penalty: number;
  /** The report's fitness. */
  readonly fitness: number | null;
  /** The baseline's fitness, when the run has one. */
  readonly baseline?: number | null;
  /** The report's decision: the restoring set is computed only for a failed gate. */
  readonly failed: boolean;
  /** The run's checks (user-defined functions included), for their fixes and remediation. */
  readonly catalog?: Catalog;
}

/** A finding as the plan handles it: the result, and what fixing it does to its check's tally. */
interface Finding {
  readonly result: CheckResult & { readonly status: 'FAIL' | 'ERROR' };
  readonly key: string;
  /** An ERROR the policy does not score: fixing it adds a scored pass. */
  readonly unscoredError: boolean;
  readonly required: boolean;
}

function cloneTally(tally: Tally): Tally {
  return new Map([...tally].map(([checkId, entry]) => [checkId, { ...entry }]));
}

/** The tally with the findings passing: one more pass each, and one more scored result for an unscored ERROR. */
function withFixed(tally: Tally, findings: Iterable<Finding>): Tally {
  const fixed = cloneTally(tally);
  for (const finding of findings) {
    const entry = fixed.get(finding.result.checkId);
    if (!entry) continue;
    entry.pass += 1;
    if (finding.unscoredError) entry.scored += 1;
  }
  return fixed;
}

const fitnessWith = (tally: Tally, penalty: number) => fitnessOf(qualityOfTally(tally), penalty);

function gainOf(fitness: number | null, current: number | null): number | null {
  return fitness === null || current === null ? null : round(fitness - current);
}

const SEVERITY_RANK = new Map(SEVERITIES.map((severity, index) => [severity, index]));

function remediationOf(fix: string, checkIds: readonly string[], catalog: Catalog): string {
  const single = checkIds.length === 1 ? catalog.find(checkIds[0] as string) : undefined;
  if (single) return single.remediation;
  return FIXES[fix as keyof typeof FIXES]?.remediation ?? catalog.find(checkIds[0] ?? '')?.remediation ?? '';
}

/** The thresholds of the policy a fitness must meet; null (nothing scored) skips them, as score() does. */
function thresholdsOf(policy: GatePolicy, baseline: number | null | undefined) {
  const floors = [
    ...(baseline !== null && baseline !== undefined ? [round(baseline - policy.maxRegression)] : []),
    ...(policy.minFitness !== null ? [policy.minFitness] : []),
  ];
  const target = floors.length > 0 ? Math.max(...floors) : null;
  return {
    target,
    meets: (fitness: number | null) => fitness === null || target === null || fitness >= target,
  };
}

/**
 * The fewest findings, beyond `required`, whose fixes make fitness meet the thresholds; exact, in
 * O(n log n + n·k). Why no search is needed: a FAIL (or a scored ERROR) fixed adds w(c)/scored(c) to
 * Σ w·passRate and changes no denominator, so those fixes add up, and the best k of them are the k
 * largest. An unscored ERROR fixed in a check that has scored results adds less than a FAIL of the
 * same check would, and nothing once its FAILs are fixed: never needed. The only other move is the
 * first fix in a check whose results are all unscored ERRORs: it adds the check at pass rate 1, w(c)
 * to both sums, and (x + a)/(y + a) grows with a while quality is below 100, so the best j of those
 * are the j heaviest checks. For each size k the best set is then the best split of k into the top
 * k − j fixes and the top j additions; fitness (rounded) never falls as k grows. Each chosen set is
 * scored again with the report's own scoring before it is returned.
 */
function restoringSet(
  tally: Tally,
  findings: readonly Finding[],
  required: readonly Finding[],
  penalty: number,
  meets: (fitness: number | null) => boolean,
): { set: Finding[]; fitness: number | null; reachable: boolean } {
  const base = withFixed(tally, required);
  const baseFitness = fitnessWith(base, penalty);
  if (meets(baseFitness)) return { set: [...required], fitness: baseFitness, reachable: true };

  const chosen = new Set(required);
  const additive: { finding: Finding; value: number }[] = [];
  const additions = new Map<string, { finding: Finding; weight: number }>();
  for (const finding of findings) {
    if (chosen.has(finding)) continue;
    const entry = base.get(finding.result.checkId);
    if (!entry) continue;
    if (entry.scored > 0) {
      if (!finding.unscoredError) additive.push({ finding, value: entry.weight / entry.scored });
    } else if (!additions.has(finding.result.checkId)) {
      additions.set(finding.result.checkId, { finding, weight: entry.weight });
    }
  }
  additive.sort((a, b) => b.value - a.value);
  const added = [...additions.values()].sort((a, b) => b.weight - a.weight);
  let numerator = 0;
  let denominator = 0;
  for (const { pass, scored, weight } of base.values()) {
    if (scored === 0) continue;
    numerator += (weight * pass) / scored;
    denominator += weight;
  }
  const prefixValue = [0];
  for (const { value } of additive) prefixValue.push((prefixValue.at(-1) ?? 0) + value);
  const prefixWeight = [0];
  for (const { weight } of added) prefixWeight.push((prefixWeight.at(-1) ?? 0) + weight);

  const fitnessOfSplit = (fixes: number, adds: number) => {
    const weight = denominator + (prefixWeight[adds] ?? 0);
    if (weight === 0) return null;
    const quality = (100 * (numerator + (prefixValue[fixes] ?? 0) + (prefixWeight[adds] ?? 0))) / weight;
    return fitnessOf(round(quality), penalty);
  };
  for (let size = 1; size <= additive.length + added.length; size++) {
    let best: { fixes: number; adds: number; fitness: number | null } | undefined;
    for (let adds = Math.max(0, size - additive.length); adds <= Math.min(size, added.length); adds++) {
      const fitness = fitnessOfSplit(size - adds, adds);
      if (!best || (fitness ?? -Infinity) > (best.fitness ?? -Infinity))
        best = { fixes: size - adds, adds, fitness };
    }
    if (!best || !meets(best.fitness)) continue;
    const set = [
      ...required,
      ...additive.slice(0, best.fixes).map((entry) => entry.finding),
      ...added.slice(0, best.adds).map((entry) => entry.finding),
    ];
    // The report's own arithmetic decides; a sum in another order may differ in the last bit.
    const fitness = fitnessWith(withFixed(tally, set), penalty);
    if (meets(fitness)) return { set, fitness, reachable: true };
  }
  return { set: [...required], fitness: fitnessWith(withFixed(tally, findings), penalty), reachable: false };
}

function findingsOf(results: readonly CheckResult[], policy: GatePolicy): Finding[] {
  return results.flatMap((result): Finding[] =>
    result.status === 'FAIL' || result.status === 'ERROR'
      ? [
          {
            result: result as Finding['result'],
            key: `${result.checkId}@${result.logicalId}`,
            unscoredError: !isScored(result.status, policy.errorsCountAsFailures),
            required: policy.failOnCritical && result.severity === 'critical',
          },
        ]
      : [],
  );
}

function byRank(a: PlanStep, b: PlanStep): number {
  const severity = (step: PlanStep) =>
    Math.min(...step.findings.map((f) => SEVERITY_RANK.get(f.severity) ?? SEVERITIES.length));
  return (
    Number(b.required) - Number(a.required) ||
    (b.gain ?? -Infinity) - (a.gain ?? -Infinity) ||
    severity(a) - severity(b) ||
    a.fix.localeCompare(b.fix) ||
    a.logicalId.localeCompare(b.logicalId)
  );
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

export function improvementPlan(input: PlanInput): Plan {
  const { policy, penalty } = input;
  const catalog = input.catalog ?? BUILT_IN_CATALOG;
  const tally = tallyOf(input.results, policy.errorsCountAsFailures);
  const findings = findingsOf(input.results, policy);

  const planFinding = (finding: Finding): PlanFinding => {
    const fitness = fitnessWith(withFixed(tally, [finding]), penalty);
    return {
      checkId: finding.result.checkId,
      logicalId: finding.result.logicalId,
      severity: finding.result.severity,
      status: finding.result.status,
      fitness,
      gain: gainOf(fitness, input.fitness),
    };
  };
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const fix = catalog.find(finding.result.checkId)?.fix ?? finding.result.checkId;
    const key = `${fix}\u0000${finding.result.logicalId}`;
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  const steps = [...groups].map(([key, members]): PlanStep => {
    const [fix = '', logicalId = ''] = key.split('\u0000');
    const fitness = fitnessWith(withFixed(tally, members), penalty);
    return {
      fix,
      logicalId,
      remediation: remediationOf(fix, [...new Set(members.map((m) => m.result.checkId))], catalog),
      required: members.some((m) => m.required),
      fitness,
      gain: gainOf(fitness, input.fitness),
      findings: members
        .map(planFinding)
        .sort((a, b) => (b.gain ?? -Infinity) - (a.gain ?? -Infinity) || a.checkId.localeCompare(b.checkId)),
    };
  });
  steps.sort(byRank);

  let restore: RestorePlan | undefined;
  if (input.failed) {
    const { target, meets } = thresholdsOf(policy, input.baseline);
    const required = findings.filter((f) => f.required);
    const { set, fitness, reachable } = restoringSet(tally, findings, required, penalty, meets);
    restore = {
      target,
      fitness,
      reachable,
      size: set.length,
      findings: fitList(
        set.map((f) => f.key),
        RESTORE_LIST_BUDGET_BYTES,
      ).kept,
    };
  }

  let used = bytes(restore ?? {}) + 64;
  const kept: PlanStep[] = [];
  for (const step of steps) {
    const size = bytes(step) + 1;
    if (kept.length >= MAX_PLAN_STEPS || used + size > PLAN_BUDGET_BYTES) break;
    kept.push(step);
    used += size;
  }
  const omitted = steps.slice(kept.length);
  return {
    steps: kept,
    ...(omitted.length > 0
      ? {
          stepsOmitted: omitted.length,
          findingsOmitted: omitted.reduce((sum, step) => sum + step.findings.length, 0),
        }
      : {}),
    ...(restore ? { restore } : {}),
  };
}
