/**
 * Self-contained HTML: one file, inline CSS and SVG, no external assets, readable without
 * JavaScript. `reportHtml` renders one report; `evolutionHtml` renders a series of releases (the
 * demo): fitness over releases as an SVG chart and a per-check matrix, one column per release.
 *
 * A small inline script records what the browser laid out (chart size, matrix cells) on <body>, so
 * a headless browser's DOM dump shows that the page rendered.
 */
import { SEVERITIES, type Severity, type Status } from '../../functions/checks/types.ts';
import type { Coverage, Report } from '../../statemachine/state.ts';
import {
  coverageSummary,
  moreOf,
  noRiskEntries,
  notJudgedEntries,
  omittedSteps,
  restoreSummary,
  throughEntries,
} from './plan.ts';
import { formatDelta, formatScore, omittedResults, resourceLabel } from './table.ts';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
  :root { --pass: #1a7f37; --fail: #cf222e; --error: #bc4c00; --na: #8c959f; --suppressed: #0969da; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
  h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
  .muted { color: #59636e; } .decision-Succeeded { color: var(--pass); } .decision-Failed { color: var(--fail); }
  table { border-collapse: collapse; margin: .5rem 0; } th, td { border: 1px solid #d1d9e0; padding: .25rem .5rem; text-align: left; vertical-align: top; }
  th { background: #f6f8fa; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .status-PASS { color: var(--pass); } .status-FAIL { color: var(--fail); font-weight: 600; } .status-ERROR { color: var(--error); font-weight: 600; }
  .status-NOT_APPLICABLE { color: var(--na); } .status-SUPPRESSED { color: var(--suppressed); }
  td.cell { text-align: center; font-variant-numeric: tabular-nums; min-width: 4.5rem; }
  td.cell.status-PASS { background: #dafbe1; } td.cell.status-FAIL { background: #ffebe9; } td.cell.status-ERROR { background: #fff1e5; }
  td.cell.status-NOT_APPLICABLE { background: #f6f8fa; } td.cell.status-SUPPRESSED { background: #ddf4ff; }
  td.cell.changed { outline: 2px solid #1f2328; outline-offset: -3px; }
  .chart text { font: 12px system-ui, sans-serif; fill: #1f2328; } .chart .grid { stroke: #d1d9e0; } .chart .axis { stroke: #59636e; }
  .chart .fitness { fill: none; stroke: #0969da; stroke-width: 2.5; } .chart .baseline { stroke: #59636e; stroke-dasharray: 5 4; stroke-width: 1.5; }
  .chart .accepted { fill: var(--pass); } .chart .rejected { fill: var(--fail); }
  ul.reasons { margin: .2rem 0 .6rem; padding-left: 1.2rem; }
`;

const RENDER_PROBE = `
  addEventListener('DOMContentLoaded', () => {
    const chart = document.querySelector('[data-testid="fitness-chart"]');
    const matrix = document.querySelector('[data-testid="check-matrix"]');
    if (chart) {
      const box = chart.getBoundingClientRect();
      document.body.dataset.chartRendered = Math.round(box.width) + 'x' + Math.round(box.height);
      document.body.dataset.chartPoints = String(chart.querySelectorAll('circle[data-release]').length);
    }
    if (matrix) {
      document.body.dataset.matrixRendered = String(Math.round(matrix.getBoundingClientRect().height));
      document.body.dataset.matrixCells = String(matrix.querySelectorAll('td[data-status]').length);
    }
  });
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<script>${RENDER_PROBE}</script>
</body>
</html>
`;
}

function reasonsList(reasons: readonly string[]): string {
  if (reasons.length === 0) return '<p class="muted">no reasons</p>';
  return `<ul class="reasons">${reasons.map((reason) => `<li>${escapeHtml(reason)}</li>`).join('')}</ul>`;
}

function headline(report: Report): string {
  const rows: [string, string][] = [
    ['decision', `<strong class="decision-${report.decision}">${report.decision}</strong>`],
    ['fitness', escapeHtml(formatScore(report.fitness))],
    ['quality', escapeHtml(formatScore(report.quality))],
    [
      'complexity · penalty',
      `${escapeHtml(formatScore(report.complexity))} · ${escapeHtml(formatScore(report.penalty))}`,
    ],
    [
      'baseline',
      report.baseline === null
        ? 'none'
        : `${escapeHtml(formatScore(report.baseline))} (${escapeHtml(formatDelta(report.fitness, report.baseline))})`,
    ],
    ['coverage', escapeHtml(coverageSummary(report.coverage))],
  ];
  return `<table>${rows.map(([label, value]) => `<tr><th>${label}</th><td>${value}</td></tr>`).join('')}</table>`;
}

/** The improvement plan: what to fix to pass, then every step with its gain and remediation. */
export function planHtml(report: Report): string {
  const { plan } = report;
  if (plan.steps.length === 0) return '';
  const restore = restoreSummary(report);
  const rows = plan.steps
    .map(
      (step, index) =>
        `<tr${step.required ? ' class="status-FAIL"' : ''}><td class="num">${index + 1}</td>` +
        `<td class="num">${escapeHtml(formatDelta(step.gain, 0))}</td><td class="num">${escapeHtml(formatScore(step.fitness))}</td>` +
        `<td>${step.required ? 'required' : ''}</td><td>${escapeHtml(step.logicalId)}</td>` +
        `<td>${step.findings.map((f) => `${escapeHtml(f.checkId)} <span class="muted">(${escapeHtml(formatDelta(f.gain, 0))})</span>`).join('<br>')}</td>` +
        `<td>${escapeHtml(step.remediation)}</td></tr>`,
    )
    .join('\n');
  const omitted = omittedSteps(plan);
  return `<h2>Improvement plan</h2>
${restore ? `<p data-testid="restore"><strong>${escapeHtml(restore)}</strong></p>` : ''}
<table data-testid="plan">
<tr><th>#</th><th>gain</th><th>fitness</th><th></th><th>resource</th><th>fixes (each alone)</th><th>remediation</th></tr>
${rows}
</table>${omitted ? `<p class="muted">${escapeHtml(omitted)}</p>` : ''}`;
}

/** Coverage in three sets, and the no-risk types left out of the percentage. */
export function coverageHtml(coverage: Coverage): string {
  const list = (title: string, entries: readonly string[], more: string) =>
    entries.length === 0
      ? ''
      : `<h3>${escapeHtml(title)}${escapeHtml(more)}</h3><ul>${entries.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul>`;
  const direct = coverage.sets.direct.map((entry) => `${entry.type} ×${entry.count}`);
  return `<h2>Coverage</h2>
<p data-testid="coverage">${escapeHtml(coverageSummary(coverage))}</p>
${list('Judged directly', direct, '')}
${list('Judged through a parent', throughEntries(coverage), moreOf(coverage, 'throughParent'))}
${list('Not judged', notJudgedEntries(coverage), moreOf(coverage, 'notJudged'))}
${list('No risk, left out of the percentage', noRiskEntries(coverage), '')}`;
}

/** One report as a page: headline, reasons, changes, every result. */
export function reportHtml(report: Report): string {
  const results = report.results
    .map(
      (result) =>
        `<tr><td class="status-${result.status}">${result.status}</td><td>${escapeHtml(result.severity)}</td>` +
        `<td>${escapeHtml(result.checkId)}</td><td>${escapeHtml(resourceLabel(result))}</td>` +
        `<td>${escapeHtml(result.resourceType)}</td><td>${escapeHtml(result.message)}</td></tr>`,
    )
    .join('\n');
  const changes =
    report.diff.since === null
      ? ''
      : `<h2>Since ${escapeHtml(report.diff.since)}</h2><p>new: ${escapeHtml(report.diff.new.join(', ') || 'none')}<br>fixed: ${escapeHtml(report.diff.fixed.join(', ') || 'none')}</p>`;
  const omitted = omittedResults(report);
  const allNotes = [
    ...report.notes,
    ...(omitted ? [`${omitted} results left out of the report to fit the state limit`] : []),
  ];
  const notes = allNotes.length > 0 ? `<h2>Notes</h2>${reasonsList(allNotes)}` : '';
  return page(
    `fitgate: ${report.stack} ${report.decision}`,
    `<h1>fitgate audit of ${escapeHtml(report.stack)}</h1>
<p class="muted">trigger ${escapeHtml(report.trigger)}${report.deploymentId ? ` · deployment ${escapeHtml(report.deploymentId)}` : ''}</p>
${headline(report)}
<h2>Reasons</h2>
${reasonsList(report.reasons)}
${changes}
${planHtml(report)}
${coverageHtml(report.coverage)}
${notes}
<h2>Results</h2>
<table data-testid="results">
<tr><th>status</th><th>severity</th><th>check</th><th>resource</th><th>type</th><th>message</th></tr>
${results}
</table>`,
  );
}

// ---------------------------------------------------------------------------------------------
// Evolution over releases (the demo)
// ---------------------------------------------------------------------------------------------

export interface ReleaseOutcome {
  /** Short label, e.g. "v2". */
  readonly label: string;
  /** What the release changed, one line. */
  readonly change: string;
  readonly report: Report;
  /** What CodeDeploy did with the verdict, e.g. "traffic shifted" or "rolled back". */
  readonly outcome: string;
}

export interface EvolutionInput {
  readonly title: string;
  readonly subtitle?: string;
  readonly generatedAt: string;
  readonly releases: readonly ReleaseOutcome[];
  readonly notes?: readonly string[];
}

const CHART = { width: 760, height: 320, left: 56, right: 72, top: 24, bottom: 48 };

function chartRange(values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 100];
  const low = Math.max(0, Math.floor((Math.min(...values) - 5) / 10) * 10);
  const high = Math.min(100, Math.ceil((Math.max(...values) + 5) / 10) * 10);
  return high > low ? [low, high] : [0, 100];
}

/** Fitness of each release as a line, accepted points green, rejected red, the baseline dashed. */
export function fitnessChart(releases: readonly ReleaseOutcome[]): string {
  const values = releases
    .flatMap((r) => [r.report.fitness, r.report.baseline])
    .filter((v): v is number => v !== null);
  const [low, high] = chartRange(values);
  const plotWidth = CHART.width - CHART.left - CHART.right;
  const plotHeight = CHART.height - CHART.top - CHART.bottom;
  const x = (index: number) =>
    CHART.left + (releases.length <= 1 ? plotWidth / 2 : (plotWidth * index) / (releases.length - 1));
  const y = (value: number) => CHART.top + plotHeight - ((value - low) / (high - low)) * plotHeight;
  const round = (value: number) => Math.round(value * 10) / 10;

  const grid: string[] = [];
  for (let tick = low; tick <= high; tick += 10) {
    grid.push(
      `<line class="grid" x1="${CHART.left}" x2="${CHART.width - CHART.right}" y1="${round(y(tick))}" y2="${round(y(tick))}"/>`,
      `<text x="${CHART.left - 8}" y="${round(y(tick) + 4)}" text-anchor="end">${tick}</text>`,
    );
  }
  const scored = releases
    .map((release, index) => ({ release, index, fitness: release.report.fitness }))
    .filter(
      (point): point is { release: ReleaseOutcome; index: number; fitness: number } => point.fitness !== null,
    );
  const line = scored.map((point) => `${round(x(point.index))},${round(y(point.fitness))}`).join(' ');
  const baselines = releases.flatMap((release, index) =>
    release.report.baseline === null
      ? []
      : [
          `<line class="baseline" data-baseline="${release.report.baseline}" x1="${round(x(index) - 28)}" x2="${round(x(index) + 28)}" y1="${round(y(release.report.baseline))}" y2="${round(y(release.report.baseline))}"><title>${escapeHtml(`${release.label} baseline ${formatScore(release.report.baseline)}`)}</title></line>`,
        ],
  );
  const points = scored.map(({ release, index, fitness }) => {
    const accepted = release.report.decision === 'Succeeded';
    return [
      `<circle class="${accepted ? 'accepted' : 'rejected'}" data-release="${escapeHtml(release.label)}" data-fitness="${fitness}" data-decision="${release.report.decision}" cx="${round(x(index))}" cy="${round(y(fitness))}" r="7">`,
      `<title>${escapeHtml(`${release.label}: fitness ${formatScore(fitness)}, ${release.report.decision}`)}</title></circle>`,
      `<text x="${round(x(index))}" y="${round(y(fitness) - 14)}" text-anchor="middle">${escapeHtml(formatScore(fitness))}</text>`,
    ].join('');
  });
  const labels = releases.map(
    (release, index) =>
      `<text x="${round(x(index))}" y="${CHART.height - CHART.bottom + 22}" text-anchor="middle">${escapeHtml(release.label)} · ${release.report.decision === 'Succeeded' ? 'accepted' : 'rejected'}</text>`,
  );
  return `<svg class="chart" data-testid="fitness-chart" role="img" aria-label="fitness over releases" viewBox="0 0 ${CHART.width} ${CHART.height}" width="${CHART.width}" height="${CHART.height}" xmlns="http://www.w3.org/2000/svg">
<title>Fitness over releases</title>
${grid.join('\n')}
<line class="axis" x1="${CHART.left}" x2="${CHART.left}" y1="${CHART.top}" y2="${CHART.top + plotHeight}"/>
<line class="axis" x1="${CHART.left}" x2="${CHART.width - CHART.right}" y1="${CHART.top + plotHeight}" y2="${CHART.top + plotHeight}"/>
<polyline class="fitness" points="${line}"/>
${baselines.join('\n')}
${points.join('\n')}
${labels.join('\n')}
<text x="${CHART.left}" y="${CHART.height - 6}" class="muted">fitness (solid) · baseline each release was compared with (dashed)</text>
</svg>`;
}

const CELL_PRIORITY: readonly Status[] = ['ERROR', 'FAIL', 'SUPPRESSED', 'PASS', 'NOT_APPLICABLE'];

interface MatrixCell {
  readonly status: Status | 'ABSENT';
  readonly text: string;
  readonly detail: string;
}

function matrixCell(report: Report, checkId: string): MatrixCell {
  const results = report.results.filter((result) => result.checkId === checkId);
  if (results.length === 0) return { status: 'ABSENT', text: '', detail: 'not run' };
  const status =
    CELL_PRIORITY.find((candidate) => results.some((r) => r.status === candidate)) ?? 'NOT_APPLICABLE';
  const scored = results.filter((r) => r.status === 'PASS' || r.status === 'FAIL' || r.status === 'ERROR');
  const passed = scored.filter((r) => r.status === 'PASS').length;
  const symbol = { PASS: '✓', FAIL: '✗', ERROR: '!', SUPPRESSED: 'S', NOT_APPLICABLE: '–' }[status];
  const text = scored.length > 0 ? `${symbol} ${passed}/${scored.length}` : symbol;
  const detail = results.map((r) => `${r.logicalId}: ${r.status} — ${r.message}`).join('\n');
  return { status, text, detail };
}

const severityRank = (severity: Severity) => SEVERITIES.indexOf(severity);

/** One row per check that ran in any release, one column per release. */
export function checkMatrix(releases: readonly ReleaseOutcome[]): string {
  const checks = new Map<string, Severity>();
  for (const release of releases) {
    for (const result of release.report.results) checks.set(result.checkId, result.severity);
  }
  const ordered = [...checks].sort(
    ([a, severityA], [b, severityB]) =>
      severityRank(severityA) - severityRank(severityB) || a.localeCompare(b),
  );
  const header = `<tr><th>check</th><th>severity</th>${releases.map((r) => `<th>${escapeHtml(r.label)}</th>`).join('')}</tr>`;
  const rows = ordered.map(([checkId, severity]) => {
    let previous: MatrixCell | undefined;
    const cells = releases.map((release) => {
      const cell = matrixCell(release.report, checkId);
      const changed = previous !== undefined && previous.status !== cell.status && cell.status !== 'ABSENT';
      previous = cell;
      if (cell.status === 'ABSENT') return '<td class="cell muted" title="not run">·</td>';
      return `<td class="cell status-${cell.status}${changed ? ' changed' : ''}" data-status="${cell.status}" title="${escapeHtml(cell.detail)}">${escapeHtml(cell.text)}</td>`;
    });
    return `<tr data-check="${escapeHtml(checkId)}"><td>${escapeHtml(checkId)}</td><td>${escapeHtml(severity)}</td>${cells.join('')}</tr>`;
  });
  return `<table data-testid="check-matrix">\n${header}\n${rows.join('\n')}\n</table>`;
}

function releaseSummary(releases: readonly ReleaseOutcome[]): string {
  const rows = releases.map(({ label, change, report, outcome }) => {
    const cells = [
      escapeHtml(label),
      escapeHtml(change),
      `<span class="decision-${report.decision}">${report.decision}</span>`,
      escapeHtml(outcome),
    ];
    const numbers = [
      formatScore(report.fitness),
      formatScore(report.baseline),
      formatDelta(report.fitness, report.baseline),
      formatScore(report.quality),
      formatScore(report.complexity),
    ];
    return `<tr data-release="${escapeHtml(label)}"><td>${cells[0]}</td><td>${cells[1]}</td>${numbers.map((n) => `<td class="num">${escapeHtml(n)}</td>`).join('')}<td>${cells[2]}</td><td>${cells[3]}</td></tr>`;
  });
  return `<table data-testid="releases">
<tr><th>release</th><th>change</th><th>fitness</th><th>baseline</th><th>Δ</th><th>quality</th><th>complexity</th><th>decision</th><th>CodeDeploy</th></tr>
${rows.join('\n')}
</table>`;
}

function releaseDetails(releases: readonly ReleaseOutcome[]): string {
  return releases
    .map(({ label, report }) => {
      const changes =
        report.diff.since === null
          ? ''
          : `<p class="muted">since ${escapeHtml(report.diff.since)} — new: ${escapeHtml(report.diff.new.join(', ') || 'none')}; fixed: ${escapeHtml(report.diff.fixed.join(', ') || 'none')}</p>`;
      const restore = restoreSummary(report);
      const plan = restore
        ? `<p data-testid="restore-${escapeHtml(label)}"><strong>${escapeHtml(restore)}</strong></p>`
        : '';
      return `<h3>${escapeHtml(label)}: <span class="decision-${report.decision}">${report.decision}</span></h3>${reasonsList(report.reasons)}${changes}${plan}`;
    })
    .join('\n');
}

/** The demo's report: the releases, the chart, the matrix, and why each release went as it did. */
export function evolutionHtml(input: EvolutionInput): string {
  const notes = (input.notes ?? []).map((note) => `<li>${escapeHtml(note)}</li>`).join('');
  return page(
    input.title,
    `<h1>${escapeHtml(input.title)}</h1>
${input.subtitle ? `<p class="muted">${escapeHtml(input.subtitle)}</p>` : ''}
<p class="muted">generated ${escapeHtml(input.generatedAt)}</p>
<h2>Releases</h2>
${releaseSummary(input.releases)}
<h2>Fitness over releases</h2>
${fitnessChart(input.releases)}
<h2>Checks per release</h2>
<p class="muted">✓ all pass · ✗ a finding fails (passed/scored) · ! could not be evaluated · – not applicable · S waived; a framed cell changed since the previous release. Hover a cell for the resources.</p>
${checkMatrix(input.releases)}
<h2>Why</h2>
${releaseDetails(input.releases)}
${notes ? `<h2>How this was run</h2><ul>${notes}</ul>` : ''}`,
  );
}
