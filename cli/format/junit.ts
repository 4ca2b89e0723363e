/**
 * JUnit XML, the format every CI system shows as test results. The gate's decision is its own test
 * case, which fails when the gate Failed. Findings are one test case per check and resource, in one
 * suite per check; how a finding that FAILs (or ERRORs) is shown is the team's choice, so that a gate
 * that Succeeded is not a red build unless they want it to be:
 *
 * - skipped (default): a skipped test case whose message is the finding;
 * - failure: a failure (an error for ERROR), the gate's findings as a red build;
 * - property: a passing test case carrying status, severity and message as properties.
 *
 * NOT_APPLICABLE and SUPPRESSED are always skipped, with the reason. The decision suite carries the
 * coverage and the plan: as properties, and in words in the decision's system-out.
 */
import type { CheckResult } from '../../functions/checks/types.ts';
import type { Report } from '../../statemachine/state.ts';
import { coverageSummary, omittedSteps, restoreSummary, stepChecks } from './plan.ts';
import { formatDelta, omittedResults } from './table.ts';

/** Plan steps written into the decision's system-out; the JSON report has them all. */
const PLAN_STEPS_SHOWN = 10;

export const JUNIT_FINDINGS = ['skipped', 'failure', 'property'] as const;
export type JunitFindings = (typeof JUNIT_FINDINGS)[number];

// XML 1.0 allows tab, newline and carriage return, but no other control characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to remove them
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const attributes = (values: Record<string, string | number>) =>
  Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');

const isFinding = (result: CheckResult) => result.status === 'FAIL' || result.status === 'ERROR';

function findingText(result: CheckResult): string {
  return result.status === 'FAIL'
    ? `${result.severity} ${result.checkId} failed on ${result.logicalId} (${result.physicalId}): ${result.message}`
    : `${result.checkId} could not be evaluated on ${result.logicalId}: ${result.message}`;
}

function testCase(result: CheckResult, mode: JunitFindings): string {
  const open = `    <testcase${attributes({
    classname: `fitgate.${result.checkId}`,
    name: `${result.logicalId} (${result.resourceType})`,
  })}`;
  if (isFinding(result)) {
    if (mode === 'failure') {
      const element = result.status === 'FAIL' ? 'failure' : 'error';
      return `${open}>\n      <${element}${attributes({ message: result.message, type: result.severity })}>${escapeXml(findingText(result))}</${element}>\n    </testcase>`;
    }
    if (mode === 'skipped') {
      return `${open}>\n      <skipped${attributes({ message: `${result.status} (${result.severity}): ${result.message}` })}/>\n    </testcase>`;
    }
    const properties = { status: result.status, severity: result.severity, message: result.message };
    return [
      `${open}>`,
      '      <properties>',
      ...Object.entries(properties).map(
        ([name, value]) => `        <property${attributes({ name, value })}/>`,
      ),
      '      </properties>',
      `      <system-out>${escapeXml(findingText(result))}</system-out>`,
      '    </testcase>',
    ].join('\n');
  }
  if (result.status === 'NOT_APPLICABLE' || result.status === 'SUPPRESSED') {
    return `${open}>\n      <skipped${attributes({ message: `${result.status}: ${result.message}` })}/>\n    </testcase>`;
  }
  return `${open}/>`;
}

function counts(results: readonly CheckResult[], mode: JunitFindings) {
  const skippedFindings = mode === 'skipped' ? results.filter(isFinding).length : 0;
  return {
    tests: results.length,
    failures: mode === 'failure' ? results.filter((r) => r.status === 'FAIL').length : 0,
    errors: mode === 'failure' ? results.filter((r) => r.status === 'ERROR').length : 0,
    skipped:
      results.filter((r) => r.status === 'NOT_APPLICABLE' || r.status === 'SUPPRESSED').length +
      skippedFindings,
  };
}

function suitesOf(report: Report, mode: JunitFindings) {
  const byCheck = new Map<string, CheckResult[]>();
  for (const result of report.results) {
    const list = byCheck.get(result.checkId) ?? [];
    list.push(result);
    byCheck.set(result.checkId, list);
  }
  const decisionFailed = report.decision === 'Failed';
  const properties = {
    fitness: report.fitness ?? 'none',
    quality: report.quality ?? 'none',
    complexity: report.complexity,
    penalty: report.penalty,
    baseline: report.baseline ?? 'none',
    trigger: report.trigger,
    findings: report.results.filter(isFinding).length,
    ...(report.prediction ? { prediction: report.prediction.verdict } : {}),
    ...(omittedResults(report) ? { resultsOmitted: omittedResults(report) ?? '' } : {}),
    coverage: report.coverage.percent ?? 'none',
    judgedDirectly: report.coverage.audited,
    judgedThroughParent: report.coverage.throughParent,
    notJudged: report.coverage.notJudged,
    noRisk: report.coverage.noRisk,
    ...(report.plan.restore ? { findingsToPass: report.plan.restore.size } : {}),
  };
  const restore = restoreSummary(report);
  const planText = [
    coverageSummary(report.coverage),
    ...(restore ? [restore] : []),
    ...report.plan.steps
      .slice(0, PLAN_STEPS_SHOWN)
      .map(
        (step) =>
          `${formatDelta(step.gain, 0)}${step.required ? ' (required)' : ''} ${step.logicalId}: ${stepChecks(step)} — ${step.remediation}`,
      ),
    ...(omittedSteps(report.plan) ? [omittedSteps(report.plan) ?? ''] : []),
  ].join('\n');
  const systemOut = `      <system-out>${escapeXml(planText)}</system-out>`;
  const decisionCase = `    <testcase${attributes({ classname: 'fitgate.decision', name: `${report.stack} is fit to deploy` })}`;
  const lines = [
    `  <testsuite${attributes({ name: `fitgate decision for ${report.stack}`, tests: 1, failures: decisionFailed ? 1 : 0, errors: 0, skipped: 0 })}>`,
    '    <properties>',
    ...Object.entries(properties).map(([name, value]) => `      <property${attributes({ name, value })}/>`),
    '    </properties>',
    decisionFailed
      ? `${decisionCase}>\n      <failure${attributes({ message: report.reasons[0] ?? 'Failed', type: 'Failed' })}>${escapeXml(report.reasons.join('\n'))}</failure>\n${systemOut}\n    </testcase>`
      : `${decisionCase}>\n${systemOut}\n    </testcase>`,
    '  </testsuite>',
    ...[...byCheck].flatMap(([checkId, results]) => [
      `  <testsuite${attributes({ name: checkId, ...counts(results, mode) })}>`,
      ...results.map((result) => testCase(result, mode)),
      '  </testsuite>',
    ]),
  ];
  const total = counts(report.results, mode);
  return {
    lines,
    tests: total.tests + 1,
    failures: total.failures + (decisionFailed ? 1 : 0),
    errors: total.errors,
    skipped: total.skipped,
  };
}

/** One document for one or several stacks (a multi-stack prediction). */
export function reportJunit(reports: Report | readonly Report[], mode: JunitFindings = 'skipped'): string {
  const list: readonly Report[] = Array.isArray(reports) ? reports : [reports as Report];
  const suites = list.map((report) => suitesOf(report, mode));
  const sum = (key: 'tests' | 'failures' | 'errors' | 'skipped') => suites.reduce((n, s) => n + s[key], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({
      name: `fitgate ${list.map((report) => report.stack).join(', ')}`,
      tests: sum('tests'),
      failures: sum('failures'),
      errors: sum('errors'),
      skipped: sum('skipped'),
    })}>`,
    ...suites.flatMap((suite) => suite.lines),
    '</testsuites>',
    '',
  ].join('\n');
}
