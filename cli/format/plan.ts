/**
 * The plan and the coverage in words, shared by every text format (table, markdown, HTML, the demo),
 * so each says the same thing the same way. Plain text; each format escapes it for its medium.
 */
import type { Coverage, Plan, PlanStep, Report } from '../../statemachine/state.ts';

/** "judged 12 of 15 resources (80 %): 10 directly, 2 through a parent; 3 not judged; 1 of no risk left out". */
export function coverageSummary(coverage: Coverage): string {
  const counted = coverage.resources - coverage.noRisk;
  const judged = coverage.audited + coverage.throughParent;
  const percent = coverage.percent === null ? 'nothing to judge' : `${coverage.percent} %`;
  return (
    `judged ${judged} of ${counted} resources (${percent}): ${coverage.audited} directly, ${coverage.throughParent} through a parent; ` +
    `${coverage.notJudged} not judged` +
    (coverage.noRisk > 0 ? `; ${coverage.noRisk} of a no-risk type left out` : '')
  );
}

/** `Type ×n` entries, by count. */
export function typeCounts(types: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([type, count]) => (count > 1 ? `${type} ×${count}` : type));
}

/** `Policy → Bucket` for each resource judged through a parent. */
export function throughEntries(coverage: Coverage): string[] {
  return coverage.sets.throughParent.map((entry) => `${entry.logicalId} → ${entry.parent}`);
}

/** `App (AWS::CodeDeploy::Application): no check judges this type` for each resource not judged. */
export function notJudgedEntries(coverage: Coverage): string[] {
  return coverage.sets.notJudged.map((entry) => `${entry.logicalId} (${entry.type}): ${entry.reason}`);
}

export function noRiskEntries(coverage: Coverage): string[] {
  return coverage.sets.noRisk.map((entry) => `${entry.type} ×${entry.count}: ${entry.reason}`);
}

/** How many entries of a set the report left out, as "(and 12 more)", or ''. */
export function moreOf(coverage: Coverage, set: 'throughParent' | 'notJudged'): string {
  const more = coverage.omitted?.[set];
  return more ? ` (and ${more} more)` : '';
}

/** The one line a failed gate needs: which findings to fix to pass, or why no fix is enough. */
export function restoreSummary(report: Pick<Report, 'plan' | 'baseline'>): string | undefined {
  const restore = report.plan.restore;
  if (!restore) return undefined;
  const target =
    restore.target === null
      ? ''
      : ` (fitness ${restore.fitness ?? '—'} against the ${restore.target} needed)`;
  if (!restore.reachable) {
    return `no set of fixes passes: with every finding fixed fitness is ${restore.fitness ?? '—'}, below the ${restore.target} needed — the drop comes from complexity, not findings${restore.size > 0 ? `; the critical findings must still be fixed: ${restore.findings.join(', ')}` : ''}`;
  }
  const shown = restore.findings.join(', ');
  const more =
    restore.size > restore.findings.length ? ` and ${restore.size - restore.findings.length} more` : '';
  return `fix ${restore.size === 1 ? 'this finding' : `these ${restore.size} findings`} to pass${target}: ${shown}${more}`;
}

/** The check ids a step fixes, `check-a + check-b`. */
export function stepChecks(step: PlanStep): string {
  return step.findings.map((finding) => finding.checkId).join(' + ');
}

/** "(3 more steps, 5 findings, left out of the report)" or undefined. */
export function omittedSteps(plan: Plan): string | undefined {
  return plan.stepsOmitted
    ? `${plan.stepsOmitted} more steps (${plan.findingsOmitted ?? 0} findings) left out of the report to fit the state limit`
    : undefined;
}
