import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { FitnessGate, type FitnessGateProps } from '../../infra/lib/fitness-gate.ts';
import {
  actionsOf,
  logicalIdOf,
  newApp,
  policiesOfRole,
  resourcesOf,
  type StatementJson,
  statementsOf,
} from './synth.ts';

function gateWithFunctions(props: (stack: Stack, checkFn: lambda.Function) => FitnessGateProps) {
  const app = newApp();
  const stack = new Stack(app, 'Service');
  const checkFn = new lambda.Function(stack, 'OwnerTagCheck', {
    runtime: lambda.Runtime.PYTHON_3_13,
    handler: 'index.handler',
    code: lambda.Code.fromInline(
      'def handler(event, context):\n    return {"status": "PASS", "message": "ok"}\n',
    ),
  });
  const gate = new FitnessGate(stack, 'FitnessGate', props(stack, checkFn));
  return { stack, gate, checkFn, template: Template.fromStack(stack) };
}

const OWNER_CHECK = {
  id: 'acme/bucket-owner-tag',
  title: 'Every bucket names its owner',
  severity: 'low',
  pillar: 'operational-excellence',
  resourceTypes: ['AWS::S3::Bucket'],
  iamActions: ['s3:GetBucketTagging', 'cloudformation:DescribeStacks'],
} as const;

const COVERAGE = {
  id: 'acme/coverage',
  title: 'Line coverage stays at 80% or more',
  severity: 'high',
  pillar: 'reliability',
  document: { bucket: 'acme-ci-measures', key: 'orders/${tag:release}.json', field: 'coverage.lines' },
  comparison: 'LessThanThreshold',
  threshold: 80,
} as const;

const allStatements = (template: Template, roleId: string): StatementJson[] =>
  Object.values(policiesOfRole(template, roleId)).flatMap(statementsOf);

describe('FitnessGate user-defined fitness functions', () => {
  const latency = new cloudwatch.Metric({ namespace: 'Acme/Orders', metricName: 'CheckoutLatency' });
  const { stack, template, checkFn } = gateWithFunctions((_, fn) => ({
    customChecks: [{ ...OWNER_CHECK, function: fn }],
    checks: { metrics: [COVERAGE] },
    businessMetrics: [latency],
  }));

  it('tells the custom-checks function where each check function is, and lets it invoke them (unqualified ARN)', () => {
    const custom = resourcesOf(template, 'AWS::Lambda::Function')[
      logicalIdOf(stack, 'FitnessGate/CustomChecks/Function')
    ];
    const variables =
      (custom?.Properties?.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ??
      {};
    expect(JSON.stringify(variables.FITGATE_CHECK_FUNCTIONS)).toContain(logicalIdOf(stack, 'OwnerTagCheck'));
    expect(JSON.stringify(variables.FITGATE_CHECK_FUNCTIONS)).toContain('acme/bucket-owner-tag');

    const invoke = allStatements(template, logicalIdOf(stack, 'FitnessGate/CustomChecks/Role')).find(
      (statement) => statement.Sid === 'InvokeCustomChecks',
    );
    expect(invoke).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Resource: { 'Fn::GetAtt': [logicalIdOf(stack, 'OwnerTagCheck'), 'Arn'] },
    });
  });

  it("grants the check function's own role exactly the actions it declares, narrowed like the built-ins'", () => {
    const statements = allStatements(template, logicalIdOf(stack, 'OwnerTagCheck/ServiceRole'));
    const actions = statements.flatMap(actionsOf).sort();

    expect(actions).toEqual(['cloudformation:DescribeStacks', 's3:GetBucketTagging']);
    const describeStacks = statements.find((statement) =>
      actionsOf(statement).includes('cloudformation:DescribeStacks'),
    );
    expect(JSON.stringify(describeStacks?.Resource)).toContain(':stack/Service/*');
  });

  it('lets the metrics function read metrics, the deployment, the stack and only the documents named', () => {
    const statements = allStatements(template, logicalIdOf(stack, 'FitnessGate/MetricsChecks/Role'));
    const actions = statements.flatMap(actionsOf);

    expect(actions).toEqual(
      expect.arrayContaining([
        'cloudwatch:GetMetricData',
        'codedeploy:GetDeployment',
        'cloudformation:DescribeStacks',
        's3:GetObject',
      ]),
    );
    const documents = statements.find((statement) => statement.Sid === 'ReadCiDocuments');
    expect(documents?.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-ci-measures/*']],
    });
  });

  it('writes the user-defined functions into the definition, placeholders escaped from the substitutions, not into FITGATE_CONFIG', () => {
    const machine = Object.values(resourcesOf(template, 'AWS::StepFunctions::StateMachine'))[0];
    const text = String(machine?.Properties?.DefinitionString);
    const parameters = (
      JSON.parse(text) as { States: Record<string, { Parameters?: Record<string, unknown> }> }
    ).States.ListResources?.Parameters;

    expect(parameters?.fitnessFunctions).toMatchObject({
      metrics: [{ id: 'acme/coverage', document: { key: 'orders/${tag:release}.json' } }],
      functions: [{ id: 'acme/bucket-owner-tag', iamActions: OWNER_CHECK.iamActions }],
    });
    // CloudFormation's DefinitionSubstitutions never see them: `{` is the JSON escape \u007b in the text.
    expect(text).not.toContain('${tag:release}');
    expect(text).toContain('$\\u007btag:release}');
    const config = Object.values(resourcesOf(template, 'AWS::Lambda::Function'))
      .map(
        (fn) =>
          (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables,
      )
      .find((variables) => variables?.FITGATE_CONFIG !== undefined)?.FITGATE_CONFIG;
    expect(String(config)).not.toContain('acme/');
  });

  it('holds many metric functions, past what Lambda environments could carry', () => {
    const many = Array.from({ length: 40 }, (_, index) => ({ ...COVERAGE, id: `acme/measure-${index}` }));

    expect(() => gateWithFunctions(() => ({ checks: { metrics: many } }))).not.toThrow();
  });

  it('shows fitness next to the business metrics on the dashboard', () => {
    const dashboard = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'))[0];
    const body = JSON.stringify(dashboard?.Properties?.DashboardBody);

    expect(body).toContain('Fitness next to the business metrics');
    expect(body).toContain('CheckoutLatency');
    expect(checkFn).toBeDefined();
  });

  it('refuses a bad declaration at synth, in one line', () => {
    expect(() =>
      gateWithFunctions((_, fn) => ({
        customChecks: [{ ...OWNER_CHECK, id: 's3-bucket-logging-enabled' as never, function: fn }],
      })),
    ).toThrow(/checks\.functions\[0\]\.id must be <namespace>\/<name>.*built-in ids have no namespace/);
    expect(() =>
      gateWithFunctions((_, fn) => ({
        customChecks: [{ ...OWNER_CHECK, function: fn }],
        checks: { metrics: [{ ...COVERAGE, id: OWNER_CHECK.id }] },
      })),
    ).toThrow('fitness function acme/bucket-owner-tag is declared twice');
    expect(() => gateWithFunctions(() => ({ checks: { functions: [OWNER_CHECK] } }))).toThrow(
      'FitnessGate checks.functions declares acme/bucket-owner-tag without its Lambda: register it in customChecks instead',
    );
  });
});
