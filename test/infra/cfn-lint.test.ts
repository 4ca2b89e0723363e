import { Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { FitnessGate } from '../../infra/lib/fitness-gate.ts';
import { SampleServiceStack } from '../../infra/lib/sample-service-stack.ts';
import { cfnLint, cfnLintCommand, newApp } from './synth.ts';

/**
 * Warnings accepted on purpose, each with its reason. Everything else cfn-lint reports, errors and
 * warnings alike (W3037 catches an IAM action the registry misspells), fails the test.
 */
const ACCEPTED_WARNINGS: Readonly<Record<string, string>> = {
  W3005:
    'CDK adds an explicit DependsOn on a function’s role next to the GetAtt; harmless and not ours to remove',
};

describe('cfn-lint on every synthesized template', () => {
  it('is installed (the infra tests do not skip it)', () => {
    expect(cfnLintCommand().length).toBeGreaterThan(0);
  });

  it('reports no error, and no warning beyond the accepted ones, for the sample, a stand-alone gate and a keyed gate', () => {
    // Prepare: every shape of template the project produces.
    const app = newApp();
    new SampleServiceStack(app, 'FitgateSample', { release: '2' });
    const standalone = new Stack(app, 'FitgateStandalone');
    new FitnessGate(standalone, 'FitnessGate', {
      guardedStackName: 'SomeService',
      metricNamespace: 'Acme/Fitness',
      policy: { minFitness: 70 },
      dashboard: true,
    });
    const keyed = new Stack(app, 'FitgateKeyed');
    new FitnessGate(keyed, 'FitnessGate', {
      historyEncryptionKey: new kms.Key(keyed, 'HistoryKey', { enableKeyRotation: true }),
      dashboard: false,
    });
    const templates = app.synth().stacks.map((artifact) => artifact.templateFullPath);
    expect(templates).toHaveLength(3);

    // Act
    const matches = cfnLint(templates);

    // Assess
    const errors = matches.filter((match) => match.Level === 'Error');
    expect(
      errors.map(
        (match) => `${match.Rule.Id} ${match.Location.Path.join('/')}: ${match.Message.slice(0, 300)}`,
      ),
    ).toEqual([]);
    const unexpected = matches.filter(
      (match) => match.Level !== 'Error' && !(match.Rule.Id in ACCEPTED_WARNINGS),
    );
    expect(
      unexpected.map(
        (match) => `${match.Rule.Id} ${match.Location.Path.join('/')}: ${match.Message.slice(0, 300)}`,
      ),
    ).toEqual([]);
  });

  it('does fail on a broken template (the lint is not a no-op)', () => {
    // Prepare: a gate whose history table refers to a resource that does not exist.
    const app = newApp();
    const stack = new Stack(app, 'Broken');
    const gate = new FitnessGate(stack, 'FitnessGate', { dashboard: false });
    const cfnTable = gate.historyTable.node.defaultChild as unknown as {
      addPropertyOverride(path: string, value: unknown): void;
    };
    cfnTable.addPropertyOverride('TableName', { Ref: 'NoSuchResource' });
    // CDK's own template validation sees it too; only cfn-lint's verdict is under test here.
    Validations.of(gate.historyTable).acknowledge({
      id: 'CloudFormation-Validate::F1020',
      reason: 'the broken reference is the point of this test',
    });
    const [artifact] = app.synth().stacks;
    // Act
    const matches = cfnLint([String(artifact?.templateFullPath)]);
    // Assess
    expect(
      matches.some((match) => match.Level === 'Error' && match.Location.Path.includes('TableName')),
    ).toBe(true);
  });
});
