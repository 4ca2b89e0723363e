import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { FitnessGate } from '../../infra/lib/fitness-gate.ts';
import { newApp, sampleStack } from './synth.ts';

interface Violation {
  readonly ruleName: string;
  readonly severity?: string;
  readonly violatingResources: readonly { readonly constructPath?: string }[];
}

/** `rule @ construct path` for every violation cdk-nag reports on a scope. */
function findings(
  scope: IConstruct,
  options: { ignoreAcknowledgments?: boolean } = {},
): { rule: string; path: string; severity: string }[] {
  const pack = new AwsSolutionsChecks();
  if (options.ignoreAcknowledgments) {
    // The raw findings, as if nothing had been acknowledged: to show every acknowledgment is still needed.
    (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  }
  const report = pack.validateScope(scope) as unknown as { violations: readonly Violation[] };
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      rule: violation.ruleName,
      path: String(resource.constructPath),
      severity: String(violation.severity),
    })),
  );
}

/** Every acknowledgment recorded on the construct or below it: [construct path, rule id, reason]. */
function acknowledgments(scope: IConstruct): [string, string, string][] {
  return scope.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, string>).map(
            ([id, reason]): [string, string, string] => [
              construct.node.path,
              id.replace(/^annotation::/i, ''),
              reason,
            ],
          ),
        ),
    );
}

describe('cdk-nag AwsSolutions on the gate', () => {
  const { stack } = sampleStack();
  const gatePath = `${stack.node.path}/FitnessGate/`;
  const hookLogicalIds = ['PreTrafficHook', 'PostTrafficHook'].map((id) =>
    stack.getLogicalId(
      stack.node.findChild('FitnessGate').node.findChild(id).node.findChild('Function').node
        .defaultChild as never,
    ),
  );

  it('reports nothing unacknowledged on the gate’s resources, nor on what guard() adds to the service', () => {
    // Act
    const reported = findings(stack);
    // Assess
    const onGate = reported.filter(
      (finding) =>
        finding.path.startsWith(gatePath) || hookLogicalIds.some((id) => finding.rule.includes(id)),
    );
    expect(onGate).toEqual([]);
  });

  it('does run: the sample service’s own shortcuts are reported', () => {
    const reported = findings(stack).map((finding) => finding.rule);
    expect(reported).toEqual(expect.arrayContaining(['AwsSolutions-APIG2', 'AwsSolutions-S1']));
  });

  it('has a specific reason for every acknowledgment, and each one is still needed', () => {
    // Prepare
    const raw = findings(stack, { ignoreAcknowledgments: true });
    const acknowledged = acknowledgments(stack).filter(
      ([path, id]) => path.startsWith(gatePath) || hookLogicalIds.some((hook) => id.includes(hook)),
    );
    // Assess: wildcard acknowledgments name the finding, reasons say why, no acknowledgment is stale.
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [path, id, reason] of acknowledged) {
      expect(id, path).toMatch(/^AwsSolutions-[A-Z0-9]+(\[.+\])?$/);
      if (id.startsWith('AwsSolutions-IAM5')) expect(id, path).toMatch(/^AwsSolutions-IAM5\[Resource::.+\]$/);
      expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(40);
      const stillFound = raw.some(
        (finding) => finding.rule === id && (finding.path === path || finding.path.startsWith(`${path}/`)),
      );
      expect(stillFound, `stale acknowledgment ${id} on ${path}`).toBe(true);
    }
    // And without them the gate would not pass: the acknowledgments are what keeps it clean.
    expect(raw.some((finding) => finding.path.startsWith(gatePath))).toBe(true);
  });

  it('lets a stand-alone gate synthesize with the AwsSolutions plugin registered (violations would stop synthesis)', () => {
    // Prepare
    const app = newApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const standalone = new Stack(app, 'FitgateStandalone');
    new FitnessGate(standalone, 'FitnessGate', { guardedStackName: 'SomeService' });
    // Act / Assess
    expect(() => app.synth()).not.toThrow();
    expect(findings(standalone)).toEqual([]);
  });
});
