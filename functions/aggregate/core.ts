/**
 * The fitness score and the gate's decision (docs/scoring.md), as pure functions.
 *
 *   quality    = 100 · Σ w(c)·passRate(c) / Σ w(c), over checks with at least one scored result
 *   complexity = weighted count of the stack's resources (from ListResources)
 *   penalty    = λ · complexity
 *   fitness    = quality − penalty
 *
 * Failed when an unsuppressed critical check FAILs or ERRORs, when fitness < minFitness, or when
 * fitness < baseline − maxRegression (baseline = the fitness of the last kept release's run of the
 * same trigger; see baseline.ts and docs/baselines.md).
 */

import {
  type FailedOutcome,
  type Inventory,
  isHookTrigger,
  type MapOutcome,
  type Report,
  type Trigger,
  type WaiverReport,
} from '../../statemachine/state.ts';
import { BUILT_IN_CATALOG, type Catalog, catalogOf } from '../checks/catalog.ts';
import { expandDigest } from '../checks/digest.ts';
import { checkIdsFor } from '../checks/run.ts';
import {
  type CheckFamily,
  type CheckResult,
  PILLARS,
  type Pillar,
  SEVERITIES,
  STATUSES,
  type Status,
} from '../checks/types.ts';
import type { GateConfig, GatePolicy, Suppression } from '../shared/config.ts';
import { isExpired } from '../shared/expiry.ts';
import { fitList } from '../shared/fit-list.ts';
import { improvementPlan } from './plan.ts';
import { fitnessOf, qualityOf, round } from './quality.ts';

export { fitList } from '../shared/fit-list.ts';
export { qualityOf } from './quality.ts';

/** The run of the last kept release this run is compared with (see baseline.ts). */
export interface Baseline {
  readonly fitness: number;
  /** Failing findings of that run, as `checkId@logicalId`. */
  readonly findings: readonly string[];
  /** Deployment id (or execution name) of that run. */
  readonly since: string;
  /** Findings that run's history item had to leave out (its diff is then partial). */
  readonly findingsOmitted?: number;
}

/**
 * The report travels in the state (256 KiB for the whole state) and is the execution's output. A
 * large stack's results are cut, least important first (PASS, then NOT_APPLICABLE, …); what is cut
 * is counted in `resultsOmitted` and stays readable in each check task's output.
 */
export const REPORT_RESULTS_BUDGET_BYTES = 64 * 1024;

export function fitResults(results: readonly CheckResult[], budgetBytes = REPORT_RESULTS_BUDGET_BYTES) {
  const { kept, omitted } = fitList(results, budgetBytes);
  if (omitted === 0) return { results: kept };
  const resultsOmitted: Partial<Record<Status, number>> = {};
  for (const result of results.slice(kept.length)) {
    resultsOmitted[result.status] = (resultsOmitted[result.status] ?? 0) + 1;
  }
  return { results: kept, resultsOmitted };
}

/**
 * The lists of the report that grow with the stack: each one is kept within its byte budget, first
 * entries first (reasons lead with the critical failures, findings come in importance order), so the
 * Aggregate's output stays inside the state limit on the worst stacks. `omitted` counts the rest.
 */
export const REPORT_LIST_BUDGET_BYTES = { reasons: 8 * 1024, findings: 16 * 1024 } as const;

/** The reasons within their budget; what is cut is named in one last reason. */
function fitReasons(reasons: readonly string[]): string[] {
  const { kept, omitted } = fitList(reasons, REPORT_LIST_BUDGET_BYTES.reasons - 80);
  return omitted > 0 ? [...kept, `… and ${omitted} more reasons (see the results)`] : kept;
}

export interface ScoreInput {
  readonly stackName: string;
  readonly trigger: Trigger;
  readonly deploymentId?: string;
  readonly outcomes: readonly MapOutcome[];
  readonly config: GateConfig;
  readonly inventory: Pick<Inventory, 'coverage' | 'complexity'>;
  readonly baseline?: Baseline;
  readonly now: Date;
  readonly notes?: readonly string[];
}

function isFailed(outcome: MapOutcome): outcome is FailedOutcome {
  return 'error' in outcome && !('digest' in outcome);
}

/**
 * Expands the Map's digests into check results. A failed item becomes an ERROR for each check it
 * would have run; so does a digest made from another check catalog (a half-finished deployment).
 */
export function flattenOutcomes(
  outcomes: readonly MapOutcome[],
  trigger: Trigger,
  disabled: ReadonlySet<string>,
  catalog: Catalog = BUILT_IN_CATALOG,
): CheckResult[] {
  const findCheck = (checkId: string) => catalog.find(checkId);
  const passMessage = (checkId: string) => findCheck(checkId)?.title ?? 'passed';
  const omittedMessage = (checkId: string) =>
    `${findCheck(checkId)?.title ?? checkId}: no (the full message is in the check task's output)`;
  return outcomes.flatMap((outcome): CheckResult[] => {
    const { resource } = outcome;
    const base = {
      resourceType: resource.type,
      logicalId: resource.logicalId,
      physicalId: resource.physicalId,
      ...(resource.samResourceId ? { samResourceId: resource.samResourceId } : {}),
    };
    const checkIds = checkIdsFor(outcome.family as CheckFamily, resource.type, trigger, disabled, catalog);
    const asErrors = (message: string) =>
      checkIds.map((checkId) => ({
        ...base,
        checkId,
        severity: findCheck(checkId)?.severity ?? 'informational',
        status: 'ERROR' as const,
        message,
      }));
    if (isFailed(outcome)) {
      const cause =
        String(outcome.error.Cause ?? '')
          .split('\n')[0]
          ?.slice(0, 200) ?? '';
      return asErrors(
        `the ${outcome.family} check Lambda failed: ${outcome.error.Error ?? 'Error'}${cause ? `: ${cause}` : ''}`,
      );
    }
    const results = expandDigest(checkIds, outcome.digest, passMessage, omittedMessage);
    if (!results) {
      return asErrors(
        "the check Lambda ran another check catalog than the Aggregate; deploy the gate's functions together",
      );
    }
    return results.map((result) => ({
      ...base,
      ...result,
      severity: findCheck(result.checkId)?.severity ?? 'informational',
    }));
  });
}

/**
 * Applies waivers: one check on one resource key, with a reason, unexpired (a date-only expiry lasts
 * through that day in UTC, see shared/expiry.ts); critical only if allowed. `invalid` lists template
 * waivers ListResources refused, so the report says why they did not apply.
 */
export function applySuppressions(
  results: readonly CheckResult[],
  suppressions: readonly Suppression[],
  policy: GatePolicy,
  now: Date,
  invalid: readonly string[] = [],
): { results: CheckResult[]; waivers: WaiverReport } {
  const expired: string[] = [];
  const refused = new Set<string>();
  const used = new Set<Suppression>();
  const active = suppressions.filter((s) => {
    if (isExpired(s.expires, now)) {
      expired.push(`${s.checkId}@${s.logicalId} (expired ${s.expires})`);
      return false;
    }
    return true;
  });
  const applied = results.map((result) => {
    if (result.status === 'NOT_APPLICABLE') return result;
    const waiver = active.find((s) => s.checkId === result.checkId && s.logicalId === result.logicalId);
    if (!waiver) return result;
    used.add(waiver);
    if (result.severity === 'critical' && !policy.allowCriticalSuppressions) {
      refused.add(`${waiver.checkId}@${waiver.logicalId} (critical checks cannot be waived by this policy)`);
      return result;
    }
    const owner = waiver.owner ? ` (owner ${waiver.owner})` : '';
    return {
      ...result,
      status: 'SUPPRESSED' as const,
      message: `suppressed: ${waiver.reason}${owner} — was ${result.status}: ${result.message}`,
    };
  });
  const unmatched = active.filter((s) => !used.has(s)).map((s) => `${s.checkId}@${s.logicalId}`);
  return {
    results: applied,
    waivers: {
      applied: applied.filter((r) => r.status === 'SUPPRESSED').length,
      unmatched,
      expired,
      refused: [...refused],
      ...(invalid.length > 0 ? { invalid: [...invalid] } : {}),
    },
  };
}

export function findingKey(result: Pick<CheckResult, 'checkId' | 'logicalId'>): string {
  return `${result.checkId}@${result.logicalId}`;
}

/** FAIL and ERROR results: what a diff and a history record talk about. */
export function failingFindings(results: readonly CheckResult[]): string[] {
  return results.filter((r) => r.status === 'FAIL' || r.status === 'ERROR').map(findingKey);
}

function summarize(results: readonly CheckResult[]): Record<Status, number> {
  const summary = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<Status, number>;
  for (const result of results) summary[result.status] += 1;
  return summary;
}

const SEVERITY_ORDER = new Map(SEVERITIES.map((severity, index) => [severity, index]));
const STATUS_ORDER: Record<Status, number> = { ERROR: 0, FAIL: 1, SUPPRESSED: 2, PASS: 3, NOT_APPLICABLE: 4 };

function byImportance(a: CheckResult, b: CheckResult): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    (SEVERITY_ORDER.get(a.severity) ?? 0) - (SEVERITY_ORDER.get(b.severity) ?? 0) ||
    a.checkId.localeCompare(b.checkId) ||
    a.logicalId.localeCompare(b.logicalId)
  );
}

/** The report, and every result even when the report's own list is cut to fit the state. */
export interface Scored {
  readonly report: Report;
  readonly results: readonly CheckResult[];
  /** Fitness over the checks an ad-hoc audit runs: what ad-hoc and predict runs are compared with. */
  readonly auditFitness: number | null;
}

/** Checks an ad-hoc audit runs: those that every trigger runs (no deployment needed). */
export function isAuditCheck(checkId: string, catalog: Catalog = BUILT_IN_CATALOG): boolean {
  const triggers = catalog.find(checkId)?.triggers;
  return triggers === undefined || triggers.includes('adhoc');
}

export function score(input: ScoreInput): Scored {
  const { config, inventory, baseline } = input;
  const policy = config.policy;
  const catalog = catalogOf(config.checks);
  const flat = flattenOutcomes(input.outcomes, input.trigger, new Set(config.checks.disabled), catalog);
  const { results, waivers } = applySuppressions(
    flat,
    config.suppressions,
    policy,
    input.now,
    config.invalidSuppressions,
  );
  results.sort(byImportance);

  const quality = qualityOf(results, policy.errorsCountAsFailures);
  const penalty = round(policy.complexityWeight * inventory.complexity);
  const fitness = fitnessOf(quality, penalty);
  const auditQuality = qualityOf(
    results.filter((r) => isAuditCheck(r.checkId, catalog)),
    policy.errorsCountAsFailures,
  );
  const auditFitness = fitnessOf(auditQuality, penalty);
  const pillars: Partial<Record<Pillar, number>> = {};
  for (const pillar of PILLARS) {
    const pillarQuality = qualityOf(
      results.filter((r) => catalog.find(r.checkId)?.pillar === pillar),
      policy.errorsCountAsFailures,
    );
    if (pillarQuality !== null) pillars[pillar] = pillarQuality;
  }

  const current = failingFindings(results);
  const previous = new Set(baseline?.findings ?? []);
  const now = new Set(current);
  const newFindings = baseline ? current.filter((key) => !previous.has(key)) : [];
  const fixed = fitList(
    baseline ? [...previous].filter((key) => !now.has(key)) : [],
    REPORT_LIST_BUDGET_BYTES.findings,
  );
  const added = fitList(newFindings, REPORT_LIST_BUDGET_BYTES.findings);
  const diff = {
    new: added.kept,
    fixed: fixed.kept,
    since: baseline?.since ?? null,
    ...(added.omitted + fixed.omitted > 0 ? { omitted: { new: added.omitted, fixed: fixed.omitted } } : {}),
  };

  const failures: string[] = [];
  if (policy.failOnCritical) {
    for (const r of results) {
      if (r.severity === 'critical' && (r.status === 'FAIL' || r.status === 'ERROR')) {
        failures.push(
          `critical ${r.checkId} ${r.status === 'FAIL' ? 'failed' : 'could not be evaluated'} on ${r.logicalId}: ${r.message}`,
        );
      }
    }
  }
  if (fitness !== null && policy.minFitness !== null && fitness < policy.minFitness) {
    failures.push(`fitness ${fitness} is below the minimum ${policy.minFitness}`);
  }
  if (fitness !== null && baseline && fitness < round(baseline.fitness - policy.maxRegression)) {
    const cause =
      newFindings.length > 0
        ? `; new findings: ${newFindings.slice(0, 5).join(', ')}${newFindings.length > 5 ? ', …' : ''}`
        : '';
    failures.push(
      `fitness regressed from ${baseline.fitness} to ${fitness} (allowed drop ${policy.maxRegression})${cause}`,
    );
  }

  const context: string[] = [];
  if (fitness === null) context.push('no applicable checks: nothing in this stack was scored');
  else if (!baseline)
    context.push(
      isHookTrigger(input.trigger)
        ? `no accepted baseline yet: fitness ${fitness} becomes the first one if CodeDeploy keeps this release`
        : `no accepted baseline yet: no kept release of this stack to compare with`,
    );
  else if (failures.length === 0)
    context.push(
      `fitness ${fitness} against baseline ${baseline.fitness} (allowed drop ${policy.maxRegression})`,
    );
  if (waivers.unmatched.length > 0)
    context.push(`waivers that match nothing: ${waivers.unmatched.join(', ')}`);
  if (waivers.refused.length > 0) context.push(`waivers refused: ${waivers.refused.join(', ')}`);
  if (waivers.invalid?.length) context.push(`invalid waivers, not applied: ${waivers.invalid.join('; ')}`);

  const report: Report = {
    stack: input.stackName,
    trigger: input.trigger,
    ...(input.deploymentId ? { deploymentId: input.deploymentId } : {}),
    fitness,
    quality,
    complexity: inventory.complexity,
    penalty,
    baseline: baseline?.fitness ?? null,
    decision: failures.length > 0 ? 'Failed' : 'Succeeded',
    reasons: fitReasons([...failures, ...context]),
    summary: summarize(results),
    pillars,
    coverage: inventory.coverage,
    plan: improvementPlan({
      results,
      policy,
      penalty,
      fitness,
      baseline: baseline?.fitness ?? null,
      failed: failures.length > 0,
      catalog,
    }),
    diff,
    waivers,
    notes: input.notes ?? [],
    ...fitResults(results),
  };
  return { report, results, auditFitness };
}
