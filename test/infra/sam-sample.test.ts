/**
 * The SAM path: samples/sam/template.yaml, the sample service as a SAM user writes it, gated by a
 * shared gate. cfn-lint validates it through its SAM transform; the transformed template is what
 * CloudFormation deploys, and it must point both aliases' traffic hooks at the names the
 * FitnessGate gives its hooks, which SAM's default CodeDeploy role may invoke.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchesStackPattern } from '../../functions/hook/core.ts';
import { FitnessGate } from '../../infra/lib/fitness-gate.ts';
import { gateExportName } from '../../infra/lib/gate-outputs.ts';
import { cfnLint, PROJECT_ROOT, type Resources, samTransform } from './synth.ts';

const TEMPLATE = path.join(PROJECT_ROOT, 'samples', 'sam', 'template.yaml');
const GATE_NAME = 'fitgate';

/** Warnings accepted on purpose, each with its reason. */
const ACCEPTED_WARNINGS: Readonly<Record<string, string>> = {
  W6001:
    'the stack outputs the shared gate’s exports on purpose: `fitgate audit --stack <this stack>` finds the gate in its outputs',
};

/** `{ "Fn::Sub": "…${FitgateGateName}…" }` with the template's default gate name. */
function withGateName(value: unknown): unknown {
  const sub = (value as { 'Fn::Sub'?: unknown } | undefined)?.['Fn::Sub'];
  return typeof sub === 'string' ? sub.replaceAll('${FitgateGateName}', GATE_NAME) : value;
}

function ofType(resources: Resources, type: string): Resources {
  return Object.fromEntries(Object.entries(resources).filter(([, resource]) => resource.Type === type));
}

describe('the SAM sample (samples/sam/template.yaml)', () => {
  const { Resources: resources, Outputs: outputs = {} } = samTransform(TEMPLATE);

  it('passes cfn-lint with its SAM transform: no error, no warning beyond the accepted one', () => {
    // Act
    const matches = cfnLint([TEMPLATE]);
    // Assess
    const unexpected = matches.filter(
      (match) => match.Level === 'Error' || !(match.Rule.Id in ACCEPTED_WARNINGS),
    );
    expect(
      unexpected.map((match) => `${match.Rule.Id} ${match.Location.Path.join('/')}: ${match.Message}`),
    ).toEqual([]);
  });

  it('is the sample service: two buckets, two tables, two functions on live aliases behind one API', () => {
    expect(Object.keys(ofType(resources, 'AWS::S3::Bucket'))).toHaveLength(2);
    expect(Object.keys(ofType(resources, 'AWS::DynamoDB::Table'))).toHaveLength(2);
    expect(Object.keys(ofType(resources, 'AWS::Lambda::Function')).sort()).toEqual([
      'myFirstFunction',
      'mySecondFunction',
    ]);
    expect(
      Object.values(ofType(resources, 'AWS::Lambda::Alias')).map((alias) => alias.Properties?.Name),
    ).toEqual(['live', 'live']);
    expect(Object.keys(ofType(resources, 'AWS::ApiGateway::RestApi'))).toEqual(['SampleApi']);
    const runtimes = Object.values(ofType(resources, 'AWS::Lambda::Function')).map(
      (fn) => fn.Properties?.Runtime,
    );
    expect(runtimes).toEqual(['nodejs22.x', 'nodejs22.x']);
  });

  it('shifts traffic linearly for the first function and by canary for the second, rolling back on errors', () => {
    const groups = ofType(resources, 'AWS::CodeDeploy::DeploymentGroup');
    const config = (id: string) => {
      const name = groups[id]?.Properties?.DeploymentConfigName as
        | { 'Fn::Sub': [string, { ConfigName: string }] }
        | undefined;
      return name?.['Fn::Sub'][1].ConfigName;
    };
    expect(config('myFirstFunctionDeploymentGroup')).toBe('Linear10PercentEvery1Minute');
    expect(config('mySecondFunctionDeploymentGroup')).toBe('Canary10Percent5Minutes');
    for (const group of Object.values(groups)) {
      expect(group.Properties?.AlarmConfiguration).toMatchObject({ Enabled: true });
    }
  });

  it('points both aliases at the shared gate’s hooks, by the names the FitnessGate gives them', () => {
    for (const fn of ['myFirstFunction', 'mySecondFunction']) {
      const policy = resources[`${fn}Aliaslive`]?.UpdatePolicy as
        | { CodeDeployLambdaAliasUpdate: Record<string, unknown> }
        | undefined;
      const update = policy?.CodeDeployLambdaAliasUpdate ?? {};
      expect(withGateName(update.BeforeAllowTrafficHook), fn).toBe(
        FitnessGate.hookFunctionName(GATE_NAME, 'PreTrafficHook'),
      );
      expect(withGateName(update.AfterAllowTrafficHook), fn).toBe(
        FitnessGate.hookFunctionName(GATE_NAME, 'PostTrafficHook'),
      );
      expect(update.ApplicationName).toEqual({ Ref: 'ServerlessDeploymentApplication' });
    }
  });

  it('leaves CodeDeploy on SAM’s default role, which may invoke exactly CodeDeployHook_* functions', () => {
    // Prepare: the managed policy as AWS publishes it (moto ships a copy of the AWS managed policies).
    const probe = spawnSync(
      'python3',
      [
        '-c',
        'import json; from moto.iam.aws_managed_policies import aws_managed_policies_data as d; print(json.dumps(json.loads(d)["AWSCodeDeployRoleForLambda"]["Document"]))',
      ],
      { encoding: 'utf8' },
    );
    expect(probe.status, probe.stderr).toBe(0);
    const document = JSON.parse(probe.stdout) as { Statement: { Action: string[]; Resource: string }[] };
    const invokable = document.Statement.filter((statement) =>
      statement.Action.includes('lambda:InvokeFunction'),
    );
    // Act / Assess
    expect(resources.CodeDeployServiceRole?.Properties?.ManagedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda',
    ]);
    expect(invokable.map((statement) => statement.Resource)).toEqual([
      'arn:aws:lambda:*:*:function:CodeDeployHook_*',
    ]);
    for (const hook of ['PreTrafficHook', 'PostTrafficHook'] as const) {
      const arn = `arn:aws:lambda:eu-west-1:123456789012:function:${FitnessGate.hookFunctionName(GATE_NAME, hook)}`;
      expect(matchesStackPattern(arn, invokable[0]?.Resource ?? ''), arn).toBe(true);
    }
  });

  it('outputs the shared gate’s state machine and history table, for fitgate audit and history', () => {
    expect(outputs).toMatchObject({
      FitnessStateMachineArn: {
        Value: { 'Fn::ImportValue': { 'Fn::Sub': '${FitgateGateName}-StateMachineArn' } },
      },
      FitnessHistoryTable: { Value: { 'Fn::ImportValue': { 'Fn::Sub': '${FitgateGateName}-HistoryTable' } } },
    });
    const exported = (outputs.FitnessStateMachineArn as { Value: { 'Fn::ImportValue': unknown } }).Value[
      'Fn::ImportValue'
    ];
    expect(withGateName(exported)).toBe(gateExportName(GATE_NAME, 'StateMachineArn'));
  });
});
