/**
 * Markdown: the check catalog and the README section it is generated into (between two markers,
 * which `npm run docs:checks` rewrites), and a report as a pull-request summary.
 */
import { type CheckDefinition, configRuleUrl } from '../../functions/checks/registry.ts';
import type { CheckResult } from '../../functions/checks/types.ts';
import type { Coverage, Report } from '../../statemachine/state.ts';
import {
  coverageSummary,
  moreOf,
  noRiskEntries,
  notJudgedEntries,
  restoreSummary,
  throughEntries,
} from './plan.ts';
import { formatDelta } from './table.ts';

export const CATALOG_START = '<!-- checks:start -->';
export const CATALOG_END = '<!-- checks:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function catalogMarkdown(checks: readonly CheckDefinition[]): string {
  const rows = checks.map((check) =>
    [
      `\`${check.id}\``,
      check.origin === 'aws-config' ? `[AWS Config](${configRuleUrl(check)})` : 'fitgate',
      cell(check.title),
      check.severity,
      check.pillar,
      check.resourceTypes.map((type) => `\`${type}\``).join(', '),
      check.scope,
      check.emulator,
      cell(check.anchors ?? ''),
    ].join(' | '),
  );
  const configRules = checks.filter((check) => check.origin === 'aws-config').length;
  const departures = checks.flatMap((check) =>
    (check.departures ?? []).map(
      (d) =>
        `| \`${check.id}\` | ${cell(d.param ?? 'scope')} | ${cell(d.config)} | ${cell(d.fitgate)} | ${cell(d.reason)} |`,
    ),
  );
  return [
    `${checks.length} checks: ${configRules} implement the AWS Config managed rule whose identifier they carry, ${checks.length - configRules} are fitgate's own. Generated from \`functions/checks/registry.ts\` by \`npm run docs:checks\`; do not edit by hand. Anchors: SH = Security Hub control, AwsSolutions-/Serverless = cdk-nag rule, Prowler = Prowler check.`,
    '',
    '| Check | Source | What it verifies | Severity | Pillar | Resource types | Scope | moto | Anchors |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
    '',
    '**Deliberate departures from the AWS Config rules** (default or scope):',
    '',
    '| Check | Parameter | AWS Config | fitgate | Why |',
    '|---|---|---|---|---|',
    ...departures,
  ].join('\n');
}

/** The text between the markers, or undefined when the document has none. */
export function catalogSection(document: string): string | undefined {
  const start = document.indexOf(CATALOG_START);
  const end = document.indexOf(CATALOG_END);
  if (start < 0 || end < start) return undefined;
  return document.slice(start + CATALOG_START.length, end).trim();
}

/**
 * The document with `body` between the markers; without markers, a "## Check catalog" section is
 * appended at the end, so the rest of the document is never touched.
 */
export function withCatalogSection(document: string, body: string): string {
  const block = `${CATALOG_START}\n${body}\n${CATALOG_END}`;
  const start = document.indexOf(CATALOG_START);
  const end = document.indexOf(CATALOG_END);
  if (start >= 0 && end > start) {
    return document.slice(0, start) + block + document.slice(end + CATALOG_END.length);
  }
  const separator =
    document === '' ? '' : document.endsWith('\n\n') ? '' : document.endsWith('\n') ? '\n' : '\n\n';
  return `${document}${separator}## Check catalog\n\n${block}\n`;
}

// ---------------------------------------------------------------------------------------------
// The report as a pull-request summary
// ---------------------------------------------------------------------------------------------

/** GitHub caps a comment at 65,536 characters; the summary stays below, whatever the stack. */
export const SUMMARY_MAX_CHARS = 60_000;
const LIST_LIMIT = 25;

const score = (value: number | null) => (value === null ? '—' : value.toFixed(1));

function delta(report: Report): string {
  if (report.fitness === null || report.baseline === null) return '—';
  const change = Math.round((report.fitness - report.baseline) * 10) / 10;
  return change === 0 ? '±0' : change > 0 ? `+${change}` : String(change);
}

function findingRows(keys: readonly string[], results: readonly CheckResult[]): string[] {
  const rows = keys.slice(0, LIST_LIMIT).map((key) => {
    const [checkId = '', logicalId = ''] = key.split('@');
    const result = results.find((r) => r.checkId === checkId && r.logicalId === logicalId);
    return `| \`${cell(checkId)}\` | \`${cell(logicalId)}\` | ${result?.severity ?? ''} | ${cell(result?.message ?? '')} |`;
  });
  if (keys.length > LIST_LIMIT) rows.push(`| … | ${keys.length - LIST_LIMIT} more | | |`);
  return rows.length > 0 ? ['| Check | Resource | Severity | Message |', '|---|---|---|---|', ...rows] : [];
}

function stackSummary(report: Report): string[] {
  const predicted = report.prediction !== undefined;
  const passed = report.decision === 'Succeeded';
  const heading = predicted
    ? `${passed ? '✅' : '❌'} ${report.stack} would ${passed ? 'pass' : 'fail'} the gate`
    : `${passed ? '✅' : '❌'} ${report.stack}: ${report.decision}`;
  const lines = [`### ${heading}`, ''];
  if (report.prediction) lines.push(`> ${cell(report.prediction.verdict)}`, '');
  lines.push(
    '| Fitness | Baseline | Δ | Quality | Penalty (complexity) | PASS | FAIL | ERROR | N/A | Waived |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| **${score(report.fitness)}** | ${score(report.baseline)} | ${delta(report)} | ${score(report.quality)} | ${score(report.penalty)} (${report.complexity}) | ${report.summary.PASS} | ${report.summary.FAIL} | ${report.summary.ERROR} | ${report.summary.NOT_APPLICABLE} | ${report.summary.SUPPRESSED} |`,
    '',
  );
  if (report.prediction) lines.push(`Baseline: ${cell(report.prediction.baseline.detail)}`, '');
  else if (report.diff.since) lines.push(`Baseline: the accepted run ${report.diff.since}`, '');
  if (report.decision === 'Failed') {
    lines.push('**Why it fails**', '', ...report.reasons.slice(0, LIST_LIMIT).map((r) => `- ${cell(r)}`), '');
  }
  if (report.diff.since !== null || report.prediction?.baseline.source !== 'none') {
    lines.push(`**New findings (${report.diff.new.length})**`, '');
    lines.push(...(report.diff.new.length > 0 ? findingRows(report.diff.new, report.results) : ['none']), '');
    lines.push(`**Fixed findings (${report.diff.fixed.length})**`, '');
    lines.push(
      report.diff.fixed.length > 0
        ? report.diff.fixed
            .slice(0, LIST_LIMIT)
            .map((key) => `\`${cell(key)}\``)
            .join(', ') +
            (report.diff.fixed.length > LIST_LIMIT ? `, … ${report.diff.fixed.length - LIST_LIMIT} more` : '')
        : 'none',
      '',
    );
  }
  const waived = report.results.filter((r) => r.status === 'SUPPRESSED');
  const { waivers } = report;
  if (waived.length + waivers.unmatched.length + waivers.expired.length + waivers.refused.length > 0) {
    lines.push(`**Waivers** (${waivers.applied} applied)`, '');
    for (const result of waived.slice(0, LIST_LIMIT)) {
      lines.push(`- \`${result.checkId}@${result.logicalId}\`: ${cell(result.message)}`);
    }
    for (const [label, items] of [
      ['match nothing', waivers.unmatched],
      ['expired', waivers.expired],
      ['refused', waivers.refused],
    ] as const) {
      if (items.length > 0) lines.push(`- ${label}: ${items.slice(0, LIST_LIMIT).map(cell).join(', ')}`);
    }
    lines.push('');
  }
  lines.push(...planSection(report), ...coverageSection(report.coverage));
  const failing = report.results.filter((r) => r.status === 'FAIL' || r.status === 'ERROR');
  if (failing.length > 0) {
    lines.push(
      `<details><summary>All failing findings (${failing.length})</summary>`,
      '',
      ...findingRows(
        failing.map((r) => `${r.checkId}@${r.logicalId}`),
        failing,
      ),
      '',
      '</details>',
      '',
    );
  }
  if (report.prediction && report.prediction.limits.length > 0) {
    const limits = report.prediction.limits;
    lines.push(
      `<details><summary>Not predicted (${limits.length}): NOT_APPLICABLE, never a guessed pass</summary>`,
      '',
      '| Kind | Subject | Why |',
      '|---|---|---|',
      ...limits.slice(0, 60).map((l) => `| ${l.kind} | ${cell(l.subject)} | ${cell(l.reason)} |`),
      ...(limits.length > 60 ? [`| … | ${limits.length - 60} more | |`] : []),
      '',
      '</details>',
      '',
    );
  }
  return lines;
}

const PLAN_STEPS_SHOWN = 10;

/** What to fix next: the restoring set of a failed gate, then the steps with the most gain. */
function planSection(report: Report): string[] {
  const { plan } = report;
  if (plan.steps.length === 0) return [];
  const restore = restoreSummary(report);
  const shown = plan.steps.slice(0, PLAN_STEPS_SHOWN);
  const more = plan.steps.length - shown.length + (plan.stepsOmitted ?? 0);
  return [
    `**Improvement plan** (gain: the fitness with the step fixed, minus ${score(report.fitness)})`,
    '',
    ...(restore ? [`**To pass:** ${cell(restore)}`, ''] : []),
    '| # | Gain | Fitness | Resource | Fixes | Remediation |',
    '|---:|---:|---:|---|---|---|',
    ...shown.map(
      (step, index) =>
        `| ${index + 1}${step.required ? ' (required)' : ''} | ${formatDelta(step.gain, 0)} | ${step.fitness ?? '—'} | \`${cell(step.logicalId)}\` | ${step.findings.map((f) => `\`${cell(f.checkId)}\``).join(' + ')} | ${cell(step.remediation)} |`,
    ),
    ...(more > 0 ? [`| … | | | ${more} more steps | | |`] : []),
    '',
  ];
}

function coverageSection(coverage: Coverage): string[] {
  const lists: [string, string[], string][] = [
    ['Judged through a parent', throughEntries(coverage), moreOf(coverage, 'throughParent')],
    ['Not judged', notJudgedEntries(coverage), moreOf(coverage, 'notJudged')],
    ['No risk, left out of the percentage', noRiskEntries(coverage), ''],
  ];
  const details = lists
    .filter(([, entries]) => entries.length > 0)
    .flatMap(([title, entries, more]) => [
      `${title}${more}:`,
      '',
      ...entries.slice(0, LIST_LIMIT).map((entry) => `- ${cell(entry)}`),
      '',
    ]);
  return [
    `**Coverage:** ${cell(coverageSummary(coverage))}`,
    '',
    ...(details.length > 0
      ? ['<details><summary>Which resources, and how</summary>', '', ...details, '</details>', '']
      : []),
  ];
}

/** A Markdown summary of one or more reports, for a GitHub step summary or a pull-request comment. */
export function reportMarkdown(reports: readonly Report[]): string {
  const passed = reports.every((report) => report.decision === 'Succeeded');
  const predicted = reports.some((report) => report.prediction);
  const title = predicted
    ? `## fitgate predict: ${passed ? 'the release would pass the gate' : 'the release would fail the gate'}`
    : `## fitgate audit: ${passed ? 'Succeeded' : 'Failed'}`;
  let text = [title, '', ...reports.flatMap(stackSummary)].join('\n');
  if (text.length > SUMMARY_MAX_CHARS) {
    text = `${text.slice(0, SUMMARY_MAX_CHARS - 80)}\n\n… (summary cut to fit a comment; --format json has everything)\n`;
  }
  return `${text.trimEnd()}\n`;
}
