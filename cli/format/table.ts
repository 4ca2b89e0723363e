/**
 * Plain-text output for a terminal: the report (headline, reasons, then the findings that matter),
 * the check catalog and the history. Pure functions of their input; no colours, so the text is the
 * same in a pipe, a CI log and a terminal.
 */
import type { ResourceVerdict } from '../../functions/checks/coverage.ts';
import { type CheckDefinition, sourceOf } from '../../functions/checks/registry.ts';
import { type CheckResult, STATUSES } from '../../functions/checks/types.ts';
import type { Coverage, HistoryRecord, Report } from '../../statemachine/state.ts';
import type { TemplateCoverage } from '../template-coverage.ts';
import {
  coverageSummary,
  moreOf,
  noRiskEntries,
  omittedSteps,
  restoreSummary,
  stepChecks,
  throughEntries,
  typeCounts,
} from './plan.ts';

export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
  /** Longer cells are cut with an ellipsis. */
  readonly maxWidth?: number;
}

// C0 and C1 controls (ESC starts every terminal escape sequence), line and paragraph separators,
// and the bidirectional overrides that reorder what a terminal shows ("Trojan Source").
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it neutralises
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a template or an AWS answer made safe for a terminal: every control character is shown
 * as its escape (`\u001b`), so no escape sequence reaches the screen and no line is split.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function cut(text: string, maxWidth: number | undefined): string {
  if (maxWidth === undefined || text.length <= maxWidth) return text;
  return `${text.slice(0, Math.max(1, maxWidth - 1))}…`;
}

/** A table with a header row and a rule under it; columns are separated by two spaces. */
/** A result's resource: its logical id, and the SAM resource it was generated from. */
export function resourceLabel(result: Pick<CheckResult, 'logicalId' | 'samResourceId'>): string {
  return result.samResourceId ? `${result.logicalId} (SAM ${result.samResourceId})` : result.logicalId;
}

export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const cells = rows.map((row) =>
    columns.map((column, index) => cut(printable(row[index] ?? ''), column.maxWidth)),
  );
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((row) => row[index]?.length ?? 0)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, index) => {
        const width = widths[index] ?? 0;
        return columns[index]?.align === 'right' ? value.padStart(width) : value.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((column) => column.header)),
    line(widths.map((width) => '-'.repeat(width))),
    ...cells.map(line),
  ].join('\n');
}

/** A number with at most two decimals, or an em dash for "none". */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return String(Math.round(value * 100) / 100);
}

/** A signed difference with two decimals: +10.9, −5.88, ±0. */
export function formatDelta(value: number | null, baseline: number | null): string {
  if (value === null || baseline === null) return '—';
  const delta = Math.round((value - baseline) * 100) / 100;
  if (delta === 0) return '±0';
  return delta > 0 ? `+${delta}` : `−${Math.abs(delta)}`;
}

/** "3 PASS, 1 NOT_APPLICABLE" for results the workflow cut from a large report, or undefined. */
export function omittedResults(report: Report): string | undefined {
  const counts = Object.entries(report.resultsOmitted ?? {}).filter(([, count]) => (count ?? 0) > 0);
  return counts.length > 0 ? counts.map(([status, count]) => `${count} ${status}`).join(', ') : undefined;
}

const LISTED_STATUSES = new Set(['FAIL', 'ERROR', 'SUPPRESSED']);

function labelled(label: string, lines: readonly string[]): string[] {
  const pad = ' '.repeat(11);
  return lines.map((line, index) => `${index === 0 ? label.padEnd(11) : pad}${printable(line)}`);
}

function listOrNone(items: readonly string[], limit = 8): string {
  if (items.length === 0) return 'none';
  const shown = items.slice(0, limit).join(', ');
  return items.length > limit ? `${shown}, … (${items.length - limit} more)` : shown;
}

/** The report for a terminal: what was decided and why first, then the findings. */
export function reportTable(report: Report, options: { consoleLink?: string } = {}): string {
  const lines: string[] = [];
  lines.push(
    printable(
      report.prediction
        ? `fitgate prediction for stack ${report.stack} (${report.prediction.template})`
        : `fitgate audit of stack ${report.stack} (${report.trigger})`,
    ),
    '',
  );
  lines.push(...labelled('decision', [report.decision]));
  lines.push(
    ...labelled('fitness', [
      `${formatScore(report.fitness)}  (quality ${formatScore(report.quality)} − penalty ${formatScore(report.penalty)} for complexity ${formatScore(report.complexity)})`,
    ]),
  );
  lines.push(
    ...labelled('baseline', [
      report.baseline === null
        ? 'none (no accepted run of this stack to compare with)'
        : `${formatScore(report.baseline)}  (${formatDelta(report.fitness, report.baseline)} since ${report.diff.since ?? 'the last accepted run'})`,
    ]),
  );
  lines.push(
    ...labelled('reasons', report.reasons.length > 0 ? report.reasons.map((r) => `· ${r}`) : ['none']),
  );
  lines.push(
    ...labelled('results', [
      STATUSES.map((status) => `${report.summary[status] ?? 0} ${status}`).join(' · '),
    ]),
  );
  lines.push(...labelled('coverage', coverageLines(report.coverage)));
  const pillars = Object.entries(report.pillars);
  if (pillars.length > 0) {
    lines.push(
      ...labelled('pillars', [
        pillars.map(([pillar, value]) => `${pillar} ${formatScore(value)}`).join(' · '),
      ]),
    );
  }
  if (report.diff.since !== null) {
    lines.push(
      ...labelled('changes', [
        `new: ${listOrNone(report.diff.new)}`,
        `fixed: ${listOrNone(report.diff.fixed)}`,
      ]),
    );
  }
  if (report.notes.length > 0)
    lines.push(
      ...labelled(
        'notes',
        report.notes.map((note) => `· ${note}`),
      ),
    );

  const listed = report.results.filter((result) => LISTED_STATUSES.has(result.status));
  lines.push('');
  if (listed.length > 0) {
    lines.push(
      renderTable(
        [
          { header: 'STATUS' },
          { header: 'SEVERITY' },
          { header: 'CHECK', maxWidth: 48 },
          { header: 'RESOURCE', maxWidth: 32 },
          { header: 'MESSAGE', maxWidth: 100 },
        ],
        listed.map((result) => [
          result.status,
          result.severity,
          result.checkId,
          resourceLabel(result),
          result.message,
        ]),
      ),
    );
  } else {
    lines.push('no failing, erroring or suppressed findings');
  }
  const unlisted = report.results.length - listed.length;
  if (unlisted > 0) {
    lines.push(`(${unlisted} PASS and NOT_APPLICABLE results not listed; --format json lists them)`);
  }
  const omitted = omittedResults(report);
  if (omitted)
    lines.push(
      `(${omitted} left out of the report to fit the state limit; the check tasks' outputs hold them)`,
    );
  lines.push(...planLines(report));
  if (options.consoleLink) lines.push('', `execution: ${printable(options.consoleLink)}`);
  return `${lines.join('\n')}\n`;
}

/** The coverage label's lines: the summary, then each set (a few entries each). */
function coverageLines(coverage: Coverage): string[] {
  const lines = [coverageSummary(coverage)];
  if (coverage.throughParent > 0)
    lines.push(
      `through a parent: ${listOrNone(throughEntries(coverage))}${moreOf(coverage, 'throughParent')}`,
    );
  if (coverage.notJudged > 0)
    lines.push(
      `not judged: ${listOrNone(typeCounts(coverage.sets.notJudged.map((entry) => entry.type)))}${moreOf(coverage, 'notJudged')}`,
    );
  if (coverage.noRisk > 0) lines.push(`no risk, left out: ${listOrNone(noRiskEntries(coverage), 4)}`);
  return lines;
}

/** The improvement plan under the findings: what to fix to pass, then the steps ranked by gain. */
function planLines(report: Report): string[] {
  const { plan } = report;
  if (plan.steps.length === 0) return [];
  const lines = [
    '',
    `improvement plan (fitness ${formatScore(report.fitness)} now; gain = fitness with the step fixed − now)`,
  ];
  const restore = restoreSummary(report);
  if (restore) lines.push(printable(`→ ${restore}`));
  lines.push(
    renderTable(
      [
        { header: '#', align: 'right' },
        { header: 'GAIN', align: 'right' },
        { header: 'FITNESS', align: 'right' },
        { header: 'NEEDED' },
        { header: 'RESOURCE', maxWidth: 32 },
        { header: 'FIXES', maxWidth: 60 },
        { header: 'REMEDIATION', maxWidth: 90 },
      ],
      plan.steps.map((step, index) => [
        String(index + 1),
        formatDelta(step.gain, 0),
        formatScore(step.fitness),
        step.required ? 'required' : '',
        step.logicalId,
        stepChecks(step),
        step.remediation,
      ]),
    ),
  );
  const omitted = omittedSteps(plan);
  if (omitted) lines.push(`(${omitted}; --format json lists the rest of the report)`);
  return lines;
}

const VERDICT_LABEL: Readonly<Record<ResourceVerdict['kind'], string>> = {
  direct: 'directly',
  through: 'through',
  'no-risk': 'no risk',
  'not-judged': 'not judged',
};

/** `fitgate checks --coverage`: one row per resource of the template, then the sums and notes. */
export function templateCoverageTable(
  template: string,
  { resources, coverage, notes }: Pick<TemplateCoverage, 'resources' | 'coverage' | 'notes'>,
): string {
  const rows = resources.map(({ resource, verdict }) => [
    resource.logicalId,
    resource.type ?? '(no type)',
    verdict.kind === 'through' ? `through ${verdict.parent}` : VERDICT_LABEL[verdict.kind],
    'checks' in verdict ? verdict.checks.join(', ') : verdict.reason,
  ]);
  const lines = [
    printable(`coverage of ${template}: what the gate would judge once it is deployed`),
    '',
    renderTable(
      [
        { header: 'RESOURCE', maxWidth: 48 },
        { header: 'TYPE', maxWidth: 48 },
        { header: 'JUDGED', maxWidth: 40 },
        { header: 'BY / WHY' },
      ],
      rows,
    ),
    '',
    printable(coverageSummary(coverage)),
    ...noRiskEntries(coverage).map((entry) => printable(`no risk: ${entry}`)),
    ...notes.map((note) => printable(`note: ${note}`)),
  ];
  return `${lines.join('\n')}\n`;
}

/** The catalog for a terminal, one row per check. */
export function catalogTable(checks: readonly CheckDefinition[]): string {
  return `${renderTable(
    [
      { header: 'CHECK' },
      { header: 'SOURCE' },
      { header: 'SEVERITY' },
      { header: 'PILLAR' },
      { header: 'FAMILY' },
      { header: 'RESOURCE TYPES', maxWidth: 60 },
      { header: 'MOTO' },
    ],
    checks.map((check) => [
      check.id,
      sourceOf(check),
      check.severity,
      check.pillar,
      check.family,
      check.resourceTypes.join(', '),
      check.emulator,
    ]),
  )}\n${checks.length} checks\n`;
}

/** Past executions, newest first. */
export function historyTable(stackName: string, records: readonly HistoryRecord[]): string {
  if (records.length === 0) return `no recorded executions of stack ${printable(stackName)}\n`;
  return `${renderTable(
    [
      { header: 'STARTED' },
      { header: 'TRIGGER' },
      { header: 'DEPLOYMENT' },
      { header: 'FITNESS', align: 'right' },
      { header: 'BASELINE', align: 'right' },
      { header: 'Δ', align: 'right' },
      { header: 'JUDGED', align: 'right' },
      { header: 'DECISION' },
      { header: 'OUTCOME' },
      { header: 'ACCEPTED' },
      { header: 'FIRST REASON', maxWidth: 90 },
    ],
    records.map((record) => [
      record.startedAt,
      record.trigger,
      record.deploymentId ?? '—',
      formatScore(record.fitness),
      formatScore(record.baseline),
      formatDelta(record.fitness, record.baseline),
      record.coverage?.percent === null || record.coverage === undefined
        ? '—'
        : `${record.coverage.percent} %`,
      record.decision,
      record.outcome ?? '—',
      record.accepted ? 'yes' : 'no',
      record.reasons[0] ?? '',
    ]),
  )}\n`;
}

/** A prediction for a terminal: the one-line verdict, the report, then what could not be predicted. */
export function predictionTable(report: Report): string {
  const prediction = report.prediction;
  if (!prediction) return reportTable(report);
  const lines = [printable(prediction.verdict), '', reportTable(report).trimEnd(), ''];
  lines.push(...labelled('baseline', [`${prediction.baseline.source}: ${prediction.baseline.detail}`]));
  const byKind = new Map<string, string[]>();
  for (const limit of prediction.limits) {
    const list = byKind.get(limit.kind) ?? [];
    list.push(`${limit.subject} — ${limit.reason}`);
    byKind.set(limit.kind, list);
  }
  lines.push(
    '',
    `not predicted (${prediction.limits.length}; their results are NOT_APPLICABLE, never a guessed PASS)`,
  );
  for (const [kind, items] of byKind) {
    lines.push(`  ${printable(kind)}:`, ...items.slice(0, 12).map((item) => `    · ${printable(item)}`));
    if (items.length > 12) lines.push(`    · … ${items.length - 12} more (--format json lists them)`);
  }
  return `${lines.join('\n')}\n`;
}
