/**
 * One gate for many stacks: a shared gate in a stack of its own guards deployment groups of other
 * stacks (and of other apps, by name) without a cross-stack reference back to them, and every grant
 * it needs covers exactly the guarded stacks, by name pattern, never with a `*` action.
 */
import { type App, Stack, type StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { FitnessGate, type FitnessGateProps, MAX_GATE_NAME_LENGTH } from '../../infra/lib/fitness-gate.ts';
import {
  actionsOf,
  cfnLint,
  logicalIdOf,
  newApp,
  resourcesOf,
  type StatementJson,
  statementsOfRole,
  variablesOf,
} from './synth.ts';

/** A service stack: one function, its live alias and a deployment group. */
class ServiceStack extends Stack {
  readonly group: codedeploy.LambdaDeploymentGroup;
  constructor(scope: Construct, id: string, props: StackProps & { applicationName?: string } = {}) {
    super(scope, id, props);
    const fn = new lambda.Function(this, 'Api', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    });
    const alias = new lambda.Alias(this, 'Live', { aliasName: 'live', version: fn.currentVersion });
    const application = new codedeploy.LambdaApplication(this, 'Application', {
      ...(props.applicationName ? { applicationName: props.applicationName } : {}),
    });
    this.group = new codedeploy.LambdaDeploymentGroup(this, 'Deployment', { alias, application });
  }
}

function sharedGate(app: App, props: FitnessGateProps = {}) {
  const gateStack = new Stack(app, 'Fitgate');
  const gate = new FitnessGate(gateStack, 'FitnessGate', {
    gateName: 'fitgate',
    guardedStacks: ['orders', 'payments-*'],
    ...props,
  });
  return { gateStack, gate };
}

/** The platform-team layout: the gate's stack and two services of the same app. */
function platform() {
  const app = newApp();
  const { gateStack, gate } = sharedGate(app);
  const orders = new ServiceStack(app, 'orders');
  const payments = new ServiceStack(app, 'payments-eu');
  gate.guard(orders.group);
  gate.guard(payments.group);
  return { app, gateStack, gate, orders, payments };
}

function allStatements(template: Template): StatementJson[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap((policy) => {
    const document = policy.Properties?.PolicyDocument as { Statement?: StatementJson[] } | undefined;
    return document?.Statement ?? [];
  });
}

/** `arn:${Partition}:<service>:${Region}:${AccountId}:<rest>`, as CDK renders a formatted ARN. */
function arnOf(service: string, rest: string, regional = true) {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        `:${service}:`,
        ...(regional ? [{ Ref: 'AWS::Region' }] : []),
        ':',
        { Ref: 'AWS::AccountId' },
        `:${rest}`,
      ],
    ],
  };
}

describe('a shared gate guarding deployment groups of other stacks', () => {
  it('synthesizes without a cycle: the services depend on the gate, the gate on nothing', () => {
    // Prepare / Act
    const { app } = platform();
    const assembly = app.synth();
    // Assess
    const dependencies = (name: string) =>
      assembly
        .getStackByName(name)
        .dependencies.map((artifact) => artifact.id)
        .filter((id) => !id.endsWith('.assets'));
    expect(dependencies('orders')).toContain('Fitgate');
    expect(dependencies('payments-eu')).toContain('Fitgate');
    expect(dependencies('Fitgate')).toEqual([]);
    const gateTemplate = JSON.stringify(assembly.getStackByName('Fitgate').template);
    expect(gateTemplate).not.toContain('Fn::ImportValue');
  });

  it('points each alias at the hooks by their stable names, and outputs the gate for the CLI', () => {
    // Prepare
    const { orders } = platform();
    // Act
    const template = Template.fromStack(orders);
    // Assess
    const alias = resourcesOf(template, 'AWS::Lambda::Alias')[logicalIdOf(orders, 'Live')];
    expect(alias?.UpdatePolicy).toMatchObject({
      CodeDeployLambdaAliasUpdate: {
        BeforeAllowTrafficHook: 'CodeDeployHook_fitgate-PreTraffic',
        AfterAllowTrafficHook: 'CodeDeployHook_fitgate-PostTraffic',
      },
    });
    template.hasOutput('FitnessStateMachineArn', { Value: { 'Fn::ImportValue': 'fitgate-StateMachineArn' } });
    template.hasOutput('FitnessHistoryTable', { Value: { 'Fn::ImportValue': 'fitgate-HistoryTable' } });
    // CodeDeploy's role may invoke exactly the two hooks of this account and region.
    const invoked = statementsOfRole(template, logicalIdOf(orders, 'Deployment/ServiceRole'))
      .filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'))
      .flatMap((statement) => [statement.Resource].flat());
    expect(invoked).toEqual(
      ['PreTraffic', 'PostTraffic'].flatMap((hook) => [
        arnOf('lambda', `function:CodeDeployHook_fitgate-${hook}`),
        arnOf('lambda', `function:CodeDeployHook_fitgate-${hook}:*`),
      ]),
    );
  });

  it('names its hooks CodeDeployHook_<gateName>-…, tells them which stacks it guards, and exports itself', () => {
    // Prepare
    const { gateStack } = platform();
    // Act
    const template = Template.fromStack(gateStack);
    // Assess
    for (const [hook, name] of [
      ['PreTrafficHook', 'CodeDeployHook_fitgate-PreTraffic'],
      ['PostTrafficHook', 'CodeDeployHook_fitgate-PostTraffic'],
    ] as const) {
      const fn = resourcesOf(template, 'AWS::Lambda::Function')[
        logicalIdOf(gateStack, `FitnessGate/${hook}/Function`)
      ];
      expect(fn?.Properties?.FunctionName).toBe(name);
      expect(variablesOf(fn).GUARDED_STACKS).toBe('["orders","payments-*"]');
      expect(variablesOf(fn).GUARDED_STACK_NAME).toBeUndefined();
    }
    template.hasOutput('FitnessStateMachineArn', { Export: { Name: 'fitgate-StateMachineArn' } });
    template.hasOutput('FitnessHistoryTable', { Export: { Name: 'fitgate-HistoryTable' } });
    // A shared gate has no single stack to chart.
    expect(Object.keys(resourcesOf(template, 'AWS::CloudWatch::Dashboard'))).toEqual([]);
  });

  it('lets the hooks, the state machine and both safety nets report on any guarded stack’s groups, by name', () => {
    const { gateStack } = platform();
    const template = Template.fromStack(gateStack);
    const groups = [
      arnOf('codedeploy', 'deploymentgroup:orders-*/*'),
      arnOf('codedeploy', 'deploymentgroup:payments-*/*'),
    ];
    for (const rolePath of [
      'FitnessGate/PreTrafficHook/Role',
      'FitnessGate/PostTrafficHook/Role',
      'FitnessGate/StateMachine/Role',
      'FitnessGate/SafetyNet/Role',
      'FitnessGate/DeadlineNet/Deadline/Role',
    ]) {
      expect(statementsOfRole(template, logicalIdOf(gateStack, rolePath)), rolePath).toContainEqual(
        expect.objectContaining({
          Action: 'codedeploy:PutLifecycleEventHookExecutionStatus',
          Resource: groups,
        }),
      );
    }
    // The Aggregate asks CodeDeploy what became of a baseline candidate, of any guarded stack.
    expect(statementsOfRole(template, logicalIdOf(gateStack, 'FitnessGate/Aggregate/Role'))).toContainEqual(
      expect.objectContaining({ Action: 'codedeploy:GetDeployment', Resource: groups }),
    );
  });

  it('lets the hooks find a deployment’s stack: its revision, its function’s tags, the stack', () => {
    const { gateStack } = platform();
    const statements = statementsOfRole(
      Template.fromStack(gateStack),
      logicalIdOf(gateStack, 'FitnessGate/PreTrafficHook/Role'),
    );
    const resourcesFor = (action: string) =>
      statements
        .filter((statement) => actionsOf(statement).includes(action))
        .flatMap((s) => [s.Resource].flat());
    expect(resourcesFor('codedeploy:GetDeployment')).toEqual([
      arnOf('codedeploy', 'deploymentgroup:orders-*/*'),
      arnOf('codedeploy', 'deploymentgroup:payments-*/*'),
    ]);
    expect(resourcesFor('codedeploy:GetApplicationRevision')).toEqual([
      arnOf('codedeploy', 'application:orders-*'),
      arnOf('codedeploy', 'application:payments-*'),
    ]);
    expect(resourcesFor('lambda:ListTags')).toEqual([arnOf('lambda', 'function:*')]);
    expect(resourcesFor('cloudformation:DescribeStacks')).toEqual([
      arnOf('cloudformation', 'stack/orders/*'),
      arnOf('cloudformation', 'stack/orders-*/*'),
      arnOf('cloudformation', 'stack/payments-*/*'),
    ]);
  });

  it('lets the auditors read the guarded stacks only, and never grants a `*` action', () => {
    const { gateStack } = platform();
    const template = Template.fromStack(gateStack);
    const listResources = statementsOfRole(
      template,
      logicalIdOf(gateStack, 'FitnessGate/ListResources/Role'),
    );
    expect(listResources).toContainEqual(
      expect.objectContaining({
        Action: expect.arrayContaining(['cloudformation:ListStackResources', 'cloudformation:GetTemplate']),
        Resource: [
          arnOf('cloudformation', 'stack/orders/*'),
          arnOf('cloudformation', 'stack/orders-*/*'),
          arnOf('cloudformation', 'stack/payments-*/*'),
        ],
      }),
    );
    const smokeInvoke = allStatements(template).find(
      (statement) => actionsOf(statement).includes('lambda:InvokeFunction') && statement.Condition,
    );
    expect(smokeInvoke?.Condition).toEqual({
      StringLike: { 'aws:ResourceTag/aws:cloudformation:stack-name': ['orders', 'orders-*', 'payments-*'] },
    });
    const wildcardActions = allStatements(template)
      .flatMap(actionsOf)
      .filter((action) => action === '*' || action.endsWith(':*'));
    expect(wildcardActions).toEqual([]);
  });

  it('passes cfn-lint and cdk-nag: the gate stack and the guarded stacks alike', () => {
    // Prepare
    const { app, gateStack } = platform();
    // Act
    const assembly = app.synth();
    const errors = cfnLint(assembly.stacks.map((artifact) => artifact.templateFullPath)).filter(
      (match) => match.Level === 'Error',
    );
    const report = new AwsSolutionsChecks().validateScope(gateStack) as unknown as {
      violations: readonly { ruleName: string }[];
    };
    // Assess
    expect(errors.map((match) => `${match.Rule.Id}: ${match.Message}`)).toEqual([]);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('refuses a group of a stack it does not guard, of another region, or of an application named apart', () => {
    // Prepare
    const app = newApp();
    const { gate } = sharedGate(app, { guardedStacks: ['orders*'] });
    const stray = new ServiceStack(app, 'reports');
    const elsewhere = new ServiceStack(app, 'orders-us', { env: { region: 'us-west-2' } });
    const named = new ServiceStack(app, 'orders-named', { applicationName: 'checkout' });
    const gateInRegion = new FitnessGate(new Stack(app, 'GateEu', { env: { region: 'eu-west-1' } }), 'Gate', {
      guardedStacks: ['orders*'],
    });
    // Act / Assess
    expect(() => gate.guard(stray.group)).toThrow(
      /reports\/Deployment is in stack reports, which the gate fitgate does not guard \(guardedStacks: orders\*\)/,
    );
    expect(() => gateInRegion.guard(elsewhere.group)).toThrow(
      /is in region us-west-2, the gate fitgate-GateEu-[0-9a-f]{8} in eu-west-1: CodeDeploy calls hooks of its own account and region/,
    );
    expect(() => gate.guard(named.group)).toThrow(
      /the application checkout of orders-named\/Deployment is named apart from its stack/,
    );
  });

  it('guards a group of another app by the gate’s name alone', () => {
    // Prepare: a team's own app, which knows the platform gate only as `fitgate`.
    const app = newApp();
    const service = new ServiceStack(app, 'orders');
    // Act
    FitnessGate.guardByName(service.group, 'fitgate');
    // Assess
    const template = Template.fromStack(service);
    const alias = resourcesOf(template, 'AWS::Lambda::Alias')[logicalIdOf(service, 'Live')];
    expect(alias?.UpdatePolicy).toMatchObject({
      CodeDeployLambdaAliasUpdate: { BeforeAllowTrafficHook: 'CodeDeployHook_fitgate-PreTraffic' },
    });
    template.hasOutput('FitnessStateMachineArn', { Value: { 'Fn::ImportValue': 'fitgate-StateMachineArn' } });
    expect(() => FitnessGate.guardByName(service.group, 'not a name')).toThrow(/gateName must be/);
  });
});

describe('gate names', () => {
  it('fit a Lambda function name, and differ between stacks and between gates of one stack', () => {
    // Prepare
    const app = newApp();
    const long = new Stack(app, 'AVeryLongServiceStackNameThatGoesOnAndOnForSure');
    const gates = [
      new FitnessGate(long, 'First'),
      new FitnessGate(long, 'Second'),
      new FitnessGate(new Stack(app, 'Other'), 'First'),
    ];
    // Assess
    const names = gates.map((gate) => gate.gateName);
    expect(new Set(names).size).toBe(3);
    for (const name of names) {
      expect(name).toMatch(/^fitgate-[A-Za-z0-9-]{1,20}-[0-9a-f]{8}$/);
      expect(name.length).toBeLessThanOrEqual(MAX_GATE_NAME_LENGTH);
      const hook = FitnessGate.hookFunctionName(name, 'PostTrafficHook');
      expect(hook.startsWith('CodeDeployHook_')).toBe(true);
      expect(hook.length).toBeLessThanOrEqual(64);
    }
    expect(FitnessGate.hookFunctionName('a'.repeat(MAX_GATE_NAME_LENGTH), 'PostTrafficHook')).toHaveLength(
      64,
    );
  });

  it.each([['a'.repeat(MAX_GATE_NAME_LENGTH + 1)], ['with_underscore'], ['-leading'], ['']])(
    'refuses the gate name %j with the rule',
    (gateName) => {
      const stack = new Stack(newApp(), 'Gate');
      expect(() => new FitnessGate(stack, 'FitnessGate', { gateName })).toThrow(
        `FitnessGate gateName must be 1–${MAX_GATE_NAME_LENGTH} letters, digits and hyphens`,
      );
    },
  );

  it('refuses guardedStacks that name no stack, and guardedStacks given with guardedStackName', () => {
    const stack = () => new Stack(newApp(), 'Gate');
    expect(() => new FitnessGate(stack(), 'G', { guardedStacks: [] })).toThrow(/at least one stack/);
    expect(() => new FitnessGate(stack(), 'G', { guardedStacks: ['orders/*'] })).toThrow(
      /"orders\/\*" is neither a stack name nor a pattern/,
    );
    expect(() => new FitnessGate(stack(), 'G', { guardedStackName: 'a', guardedStacks: ['b'] })).toThrow(
      /guardedStackName or guardedStacks, not both/,
    );
  });
});

describe('what the CLI needs of a deployed gate', () => {
  it('lets grantStartAudit start, follow and read an execution, and find the gate from the stacks', () => {
    // Prepare
    const app = newApp();
    const { gateStack, gate } = sharedGate(app);
    const auditor = new iam.Role(gateStack, 'Auditor', { assumedBy: new iam.AccountRootPrincipal() });
    // Act
    gate.grantStartAudit(auditor);
    // Assess
    const template = Template.fromStack(gateStack);
    const statements = statementsOfRole(template, logicalIdOf(gateStack, 'Auditor'));
    const stateMachine = logicalIdOf(gateStack, 'FitnessGate/StateMachine');
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'states:StartExecution', Resource: { Ref: stateMachine } }),
    );
    const follow = statements.find((statement) => actionsOf(statement).includes('states:DescribeExecution'));
    expect(actionsOf(follow ?? ({ Action: [] } as never)).sort()).toEqual([
      'states:DescribeExecution',
      'states:GetExecutionHistory',
    ]);
    // The executions of this state machine: arn:…:execution:<state machine name>:*
    expect(JSON.stringify(follow?.Resource)).toContain(':execution:');
    expect(JSON.stringify(follow?.Resource)).toContain(stateMachine);
    const describe = statements.find((statement) =>
      actionsOf(statement).includes('cloudformation:DescribeStacks'),
    );
    expect(describe?.Resource).toEqual([
      arnOf('cloudformation', 'stack/orders/*'),
      arnOf('cloudformation', 'stack/orders-*/*'),
      arnOf('cloudformation', 'stack/payments-*/*'),
      { Ref: 'AWS::StackId' },
    ]);
  });
});
