/**
 * JUnit XML, the format every CI system shows as test results: one test suite for the gate's
 * decision, then one suite per check with a test case per resource. FAIL is a failure, ERROR an
 * error, NOT_APPLICABLE and SUPPRESSED are skipped (with the reason).
 */
import type { CheckResult } from '../../functions/checks/types.ts';
import type { Report } from '../../statemachine/state.ts';
import { omittedResults } from './table.ts';

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

function testCase(result: CheckResult): string {
  const open = `    <testcase${attributes({
    classname: `fitgate.${result.checkId}`,
    name: `${result.logicalId} (${result.resourceType})`,
  })}`;
  switch (result.status) {
    case 'FAIL':
      return `${open}>\n      <failure${attributes({ message: result.message, type: result.severity })}>${escapeXml(
        `${result.severity} ${result.checkId} failed on ${result.logicalId} (${result.physicalId}): ${result.message}`,
      )}</failure>\n    </testcase>`;
    case 'ERROR':
      return `${open}>\n      <error${attributes({ message: result.message, type: result.severity })}>${escapeXml(
        `${result.checkId} could not be evaluated on ${result.logicalId}: ${result.message}`,
      )}</error>\n    </testcase>`;
    case 'NOT_APPLICABLE':
    case 'SUPPRESSED':
      return `${open}>\n      <skipped${attributes({ message: `${result.status}: ${result.message}` })}/>\n    </testcase>`;
    default:
      return `${open}/>`;
  }
}

function counts(results: readonly CheckResult[]) {
  return {
    tests: results.length,
    failures: results.filter((r) => r.status === 'FAIL').length,
    errors: results.filter((r) => r.status === 'ERROR').length,
    skipped: results.filter((r) => r.status === 'NOT_APPLICABLE' || r.status === 'SUPPRESSED').length,
  };
}

export function reportJunit(report: Report): string {
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
    ...(omittedResults(report) ? { resultsOmitted: omittedResults(report) ?? '' } : {}),
  };
  const decisionSuite = [
    `  <testsuite${attributes({ name: `fitgate decision for ${report.stack}`, tests: 1, failures: decisionFailed ? 1 : 0, errors: 0, skipped: 0 })}>`,
    '    <properties>',
    ...Object.entries(properties).map(([name, value]) => `      <property${attributes({ name, value })}/>`),
    '    </properties>',
    decisionFailed
      ? `    <testcase${attributes({ classname: 'fitgate.decision', name: `${report.stack} is fit to deploy` })}>\n      <failure${attributes({ message: report.reasons[0] ?? 'Failed', type: 'Failed' })}>${escapeXml(report.reasons.join('\n'))}</failure>\n    </testcase>`
      : `    <testcase${attributes({ classname: 'fitgate.decision', name: `${report.stack} is fit to deploy` })}/>`,
    '  </testsuite>',
  ];
  const checkSuites = [...byCheck].flatMap(([checkId, results]) => [
    `  <testsuite${attributes({ name: checkId, ...counts(results) })}>`,
    ...results.map(testCase),
    '  </testsuite>',
  ]);
  const total = counts(report.results);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({
      name: `fitgate ${report.stack}`,
      tests: total.tests + 1,
      failures: total.failures + (decisionFailed ? 1 : 0),
      errors: total.errors,
      skipped: total.skipped,
    })}>`,
    ...decisionSuite,
    ...checkSuites,
    '</testsuites>',
    '',
  ].join('\n');
}
