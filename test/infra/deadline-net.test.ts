/**
 * The second safety net's infrastructure, and the history key's grants: what the synthesized
 * template gives each role, read as IAM would.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { DEADLINE_ENV } from '../../functions/deadline/core.ts';
import { FitnessGate, type FitnessGateProps } from '../../infra/lib/fitness-gate.ts';
import {
  actionsOf,
  gateStack,
  logicalIdOf,
  newApp,
  type Resources,
  resourcesOf,
  type StatementJson,
  statementsOf,
  variablesOf,
} from './synth.ts';

/** The gate guarding one deployment group. */
function guardedGate(props: FitnessGateProps = {}) {
  const { stack, gate, group } = gateStack(props);
  gate.guard(group);
  return { stack, gate, template: Template.fromStack(stack) };
}

/** Every statement of every policy attached to the role (alone or with other roles). */
function grantsOf(template: Template, roleId: string): StatementJson[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties?.Roles).includes(JSON.stringify({ Ref: roleId })))
    .flatMap(statementsOf);
}

function statementsWith(statements: StatementJson[], action: string): StatementJson[] {
  return statements.filter((statement) => actionsOf(statement).includes(action));
}

const roleOf = (stack: Stack, path: string) => logicalIdOf(stack, `FitnessGate/${path}/Role`);

describe('DeadlineNet', () => {
  const { stack, template } = guardedGate({ executionTimeout: Duration.minutes(20) });
  const functions = resourcesOf(template, 'AWS::Lambda::Function');
  const deadlineFunctionId = logicalIdOf(stack, 'FitnessGate/DeadlineNet/Deadline/Function');
  const schedulerRoleId = logicalIdOf(stack, 'FitnessGate/DeadlineNet/SchedulerRole');
  const groupId = logicalIdOf(stack, 'FitnessGate/DeadlineNet/Schedules');
  const groupName = resourcesOf(template, 'AWS::Scheduler::ScheduleGroup')[groupId]?.Properties?.Name;

  it('creates one schedule group and tells each hook where to arm the net, with the construct’s timeout', () => {
    expect(Object.keys(resourcesOf(template, 'AWS::Scheduler::ScheduleGroup'))).toEqual([groupId]);
    expect(groupName).toEqual(expect.any(String));
    const stateMachine = Object.values(resourcesOf(template, 'AWS::StepFunctions::StateMachine'))[0];
    const definition = JSON.stringify(stateMachine?.Properties?.DefinitionString);
    expect(definition).toContain('\\"TimeoutSeconds\\":1200');
    for (const hook of ['PreTrafficHook', 'PostTrafficHook']) {
      const variables = variablesOf(functions[logicalIdOf(stack, `FitnessGate/${hook}/Function`)]);
      expect(variables, hook).toMatchObject({
        [DEADLINE_ENV.scheduleGroupName]: groupName,
        [DEADLINE_ENV.targetArn]: { 'Fn::GetAtt': [deadlineFunctionId, 'Arn'] },
        [DEADLINE_ENV.roleArn]: { 'Fn::GetAtt': [schedulerRoleId, 'Arn'] },
        [DEADLINE_ENV.executionTimeoutSeconds]: '1200',
        [DEADLINE_ENV.deadLetterArn]: {
          'Fn::GetAtt': [logicalIdOf(stack, 'FitnessGate/SafetyNetDeadLetters'), 'Arn'],
        },
      });
    }
  });

  it('lets the hooks create schedules only in its group and pass only its scheduler role, to the scheduler only', () => {
    for (const hook of ['PreTrafficHook', 'PostTrafficHook']) {
      const statements = grantsOf(template, roleOf(stack, hook));
      const create = statementsWith(statements, 'scheduler:CreateSchedule');
      expect(create, hook).toHaveLength(1);
      expect(JSON.stringify(create[0]?.Resource)).toContain(`:schedule/${String(groupName)}/*"`);
      expect(statements.some((s) => actionsOf(s).some((a) => /^scheduler:(\*|Delete|Update)/.test(a)))).toBe(
        false,
      );
      const passRole = statementsWith(statements, 'iam:PassRole');
      expect(passRole, hook).toEqual([
        expect.objectContaining({
          Resource: { 'Fn::GetAtt': [schedulerRoleId, 'Arn'] },
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      ]);
    }
  });

  it('gives the scheduler role invoke on the deadline function and the dead letters, nothing else', () => {
    const role = resourcesOf(template, 'AWS::IAM::Role')[schedulerRoleId];
    expect(role?.Properties?.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [groupId, 'Arn'] } },
          },
        },
      ],
    });
    const statements = grantsOf(template, schedulerRoleId);
    expect(statements.flatMap(actionsOf).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    expect(statementsWith(statements, 'lambda:InvokeFunction')[0]?.Resource).toEqual({
      'Fn::GetAtt': [deadlineFunctionId, 'Arn'],
    });
  });

  it('lets the deadline function describe and stop only the gate’s executions, and report on guarded groups', () => {
    const statements = grantsOf(template, roleOf(stack, 'DeadlineNet/Deadline'));
    const observe = statementsWith(statements, 'states:StopExecution');
    expect(observe).toHaveLength(1);
    expect(actionsOf(observe[0] as StatementJson).sort()).toEqual([
      'states:DescribeExecution',
      'states:StopExecution',
    ]);
    const resource = JSON.stringify(observe[0]?.Resource);
    expect(resource).toContain(':execution:');
    expect(resource).toContain(logicalIdOf(stack, 'FitnessGate/StateMachine'));
    expect(statementsWith(statements, 'codedeploy:PutLifecycleEventHookExecutionStatus')).toHaveLength(1);
    expect(functions[deadlineFunctionId]?.Properties?.Timeout).toBe(60);
  });

  it('sends what the deadline function cannot handle to the safety net’s dead letters', () => {
    const configs = Object.values(resourcesOf(template, 'AWS::Lambda::EventInvokeConfig')).filter(
      (config) =>
        JSON.stringify(config.Properties?.FunctionName) === JSON.stringify({ Ref: deadlineFunctionId }),
    );
    expect(configs).toHaveLength(1);
    expect(configs[0]?.Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [logicalIdOf(stack, 'FitnessGate/SafetyNetDeadLetters'), 'Arn'] },
        },
      },
    });
  });

  it('keeps the longest timeout inside CodeDeploy’s hour, deadline included', () => {
    expect(() => guardedGate({ executionTimeout: Duration.minutes(55) })).not.toThrow();
  });
});

describe('FitnessGate history key grants', () => {
  const app = newApp();
  const stack = new Stack(app, 'Keyed');
  const key = new kms.Key(stack, 'HistoryKey', { enableKeyRotation: true });
  const gate = new FitnessGate(stack, 'FitnessGate', { historyEncryptionKey: key });
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
  gate.grantReadHistory(reader);
  const template = Template.fromStack(stack);
  const keyArn = { 'Fn::GetAtt': [logicalIdOf(stack, 'HistoryKey'), 'Arn'] };

  function keyActions(roleId: string): string[] {
    return grantsOf(template, roleId)
      .filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(keyArn))
      .flatMap(actionsOf)
      .sort();
  }

  it('lets ListResources, which only describes the table, decrypt with the key and nothing more', () => {
    expect(keyActions(roleOf(stack, 'ListResources'))).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
  });

  it('lets Aggregate and the outcome tracker, which query and update history items, encrypt too', () => {
    const readWrite = [
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'kms:GenerateDataKeyWithoutPlaintext',
    ];
    expect(keyActions(roleOf(stack, 'Aggregate'))).toEqual(readWrite);
    expect(keyActions(roleOf(stack, 'OutcomeTracker/Function'))).toEqual(readWrite);
  });

  it('lets the state machine, which puts history items, encrypt and generate data keys too', () => {
    expect(keyActions(logicalIdOf(stack, 'FitnessGate/StateMachine/Role'))).toEqual([
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'kms:GenerateDataKeyWithoutPlaintext',
    ]);
  });

  it('gives grantReadHistory the key’s read actions with the table’s', () => {
    expect(keyActions(logicalIdOf(stack, 'Reader'))).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
  });

  it('grants no key to a gate whose history uses an AWS managed key', () => {
    const { template: plain } = guardedGate();
    const kmsStatements = Object.values(resourcesOf(plain, 'AWS::IAM::Policy') as Resources)
      .flatMap(statementsOf)
      .filter((statement) => actionsOf(statement).some((action) => action === 'kms:Decrypt'));
    expect(kmsStatements).toEqual([]);
  });
});
