/**
 * SARIF 2.1.0, for code scanning (GitHub's upload-sarif, and any SARIF viewer): one rule per check of
 * the registry, with its title, remediation and severity; one result per finding that is not a pass
 * (FAIL, ERROR, and SUPPRESSED as a result with a suppression carrying the waiver's reason), at the
 * template file and the line of the resource, with its logical id and CDK construct path. One run
 * per stack. Built with node-sarif-builder; the test validates it against the SARIF 2.1.0 schema.
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 * https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type * as Sarif from 'sarif';
import { type CheckDefinition, registry } from '../../functions/checks/registry.ts';
import type { CheckResult, Severity } from '../../functions/checks/types.ts';
import type { Report } from '../../statemachine/state.ts';
import { type ResourceLocation, resourceLocations } from '../emulation/template.ts';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

const LEVELS: Readonly<Record<Severity, Sarif.ReportingConfiguration.level>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  informational: 'note',
};

/** GitHub's security-severity scale (0–10): critical ≥ 9, high ≥ 7, medium ≥ 4, low > 0. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  informational: '0.0',
};

function toolVersion(): string {
  try {
    const url = new URL('../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function rule(check: CheckDefinition): SarifRuleBuilder {
  const rule: Sarif.ReportingDescriptor = {
    id: check.id,
    name: check.id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, letter: string) => letter.toUpperCase()),
    shortDescription: { text: check.title },
    fullDescription: {
      text: `${check.title} (${check.severity}, ${check.pillar}; ${check.resourceTypes.join(', ')})`,
    },
    help: {
      text: `${check.title}. Remediation: ${check.remediation}`,
      markdown: `**${check.title}**\n\nSeverity: ${check.severity} · pillar: ${check.pillar} · resource types: ${check.resourceTypes.map((t) => `\`${t}\``).join(', ')}\n\n**Remediation:** ${check.remediation}${check.anchors ? `\n\nSee also: ${check.anchors}` : ''}`,
    },
    defaultConfiguration: { level: LEVELS[check.severity] },
    properties: {
      tags: [check.pillar, check.family, check.scope],
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[check.severity],
    },
  };
  return new SarifRuleBuilder(rule);
}

/** The reason of a waiver, from the message the Aggregate writes: `suppressed: <reason> — was …`. */
function waiverReason(message: string): string {
  return /^suppressed: (.*?)(?: — was [A-Z_]+: .*)?$/s.exec(message)?.[1] ?? message;
}

/** What the report's plan says of a finding: its fitness gain, and whether the gate needs it fixed to pass. */
function planFacts(report: Report, finding: CheckResult): Record<string, unknown> {
  const key = `${finding.checkId}@${finding.logicalId}`;
  const planned = report.plan.steps
    .flatMap((step) => step.findings)
    .find((f) => f.checkId === finding.checkId && f.logicalId === finding.logicalId);
  return {
    ...(planned ? { fitnessGain: planned.gain } : {}),
    ...(report.plan.restore?.findings.includes(key) ? { neededToPass: true } : {}),
  };
}

function resultOf(
  report: Report,
  finding: CheckResult,
  templateUri: string | undefined,
  location: ResourceLocation | undefined,
): SarifResultBuilder {
  const cdkPath = location?.cdkPath;
  const text =
    finding.status === 'ERROR'
      ? `${finding.checkId} could not be evaluated on ${finding.logicalId}: ${finding.message}`
      : `${finding.logicalId} (${finding.resourceType}): ${finding.message}`;
  const result: Sarif.Result = {
    ruleId: finding.checkId,
    kind: 'fail',
    level: LEVELS[finding.severity],
    message: { text },
    locations: [
      {
        ...(templateUri
          ? {
              physicalLocation: {
                artifactLocation: { uri: templateUri },
                ...(location ? { region: { startLine: location.line, startColumn: location.column } } : {}),
              },
            }
          : {}),
        logicalLocations: [
          {
            name: finding.logicalId,
            fullyQualifiedName: cdkPath ?? `${report.stack}/${finding.logicalId}`,
            kind: 'resource',
          },
        ],
      },
    ],
    partialFingerprints: { 'fitgateFinding/v1': `${report.stack}/${finding.checkId}/${finding.logicalId}` },
    properties: {
      stack: report.stack,
      logicalId: finding.logicalId,
      physicalId: finding.physicalId,
      resourceType: finding.resourceType,
      severity: finding.severity,
      status: finding.status,
      ...planFacts(report, finding),
      ...(cdkPath ? { 'aws:cdk:path': cdkPath } : {}),
    },
    ...(finding.status === 'SUPPRESSED'
      ? {
          suppressions: [
            { kind: 'external', status: 'accepted', justification: waiverReason(finding.message) },
          ],
        }
      : {}),
  };
  return new SarifResultBuilder(result);
}

export interface SarifSource {
  /** The template each report's stack was deployed from, to locate results in it. */
  readonly templateFile?: string;
}

/** One SARIF log, one run per report. URIs are relative to the working directory (the repository root in CI). */
export function reportSarif(
  reports: readonly Report[],
  sources: readonly SarifSource[] = [],
  checks: readonly CheckDefinition[] = registry,
): string {
  const builder = new SarifBuilder({ $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [] });
  const version = toolVersion();
  reports.forEach((report, index) => {
    const templateFile = sources[index]?.templateFile ?? report.prediction?.template;
    const templateUri = templateFile ? relative(process.cwd(), templateFile).split(sep).join('/') : undefined;
    const locations = templateFile ? resourceLocations(templateFile) : new Map<string, ResourceLocation>();
    const run = new SarifRunBuilder({
      tool: { driver: { name: 'fitgate', version, rules: [] } },
      results: [],
      automationDetails: { id: `fitgate/${report.trigger}/${report.stack}/` },
      properties: {
        stack: report.stack,
        trigger: report.trigger,
        decision: report.decision,
        fitness: report.fitness,
        baseline: report.baseline,
        coveragePercent: report.coverage.percent,
        reasons: [...report.reasons],
        ...(report.prediction ? { verdict: report.prediction.verdict } : {}),
      },
    });
    for (const check of checks) run.addRule(rule(check));
    for (const finding of report.results) {
      if (finding.status !== 'FAIL' && finding.status !== 'ERROR' && finding.status !== 'SUPPRESSED')
        continue;
      // A resource SAM generated is located at the SAM resource it came from, which the template holds.
      const location = locations.get(finding.logicalId) ?? locations.get(finding.samResourceId ?? '');
      run.addResult(resultOf(report, finding, templateUri, location));
    }
    builder.addRun(run);
  });
  return `${builder.buildSarifJsonString({ indent: true })}\n`;
}
