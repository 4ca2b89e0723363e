import { describe, expect, it } from 'vitest';
import { iamActionsFor, registry } from '../../functions/checks/registry.ts';
import { FAMILIES } from '../../functions/checks/types.ts';
import { METRIC_EVALUATOR_ACTIONS } from '../../functions/checks/user-defined.ts';
import { FAMILY_NAMES } from '../../infra/lib/fitness-gate.ts';
import { USER_DEFINED_FAMILIES } from '../../statemachine/definition.ts';
import {
  actionsOf,
  logicalIdOf,
  policiesOfRole,
  resourcesOf,
  sampleStack,
  statementsOf,
  statementsOfRole,
} from './synth.ts';

/** What every fitgate function needs to run at all: write its own log group, send X-Ray segments. */
const RUNTIME_ACTIONS = new Set([
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
]);

describe('check Lambda roles are generated from the registry', () => {
  const { stack, template } = sampleStack();

  const builtInFamilies = FAMILIES.filter((family) => !USER_DEFINED_FAMILIES.includes(family));
  it.each(builtInFamilies)("the %s checks' role holds exactly the actions its checks declare", (family) => {
    // Prepare
    const name = `${FAMILY_NAMES[family]}Checks`;
    const declared = new Set(
      registry.filter((check) => check.family === family).flatMap((check) => check.iamActions),
    );
    // Act
    const attached = policiesOfRole(template, logicalIdOf(stack, `FitnessGate/${name}/Role`));
    const auditorId = logicalIdOf(stack, `FitnessGate/${name}/AuditorPolicy`);
    const auditorActions = statementsOf(attached[auditorId]).flatMap(actionsOf);
    const otherActions = Object.entries(attached)
      .filter(([policyId]) => policyId !== auditorId)
      .flatMap(([, policy]) => statementsOf(policy).flatMap(actionsOf));
    // Assess: the auditor policy is the registry's list, the rest only the runtime plumbing.
    expect(declared.size).toBeGreaterThan(0);
    expect(new Set(auditorActions)).toEqual(declared);
    expect(auditorActions).toHaveLength(declared.size);
    expect(new Set(auditorActions)).toEqual(new Set(iamActionsFor(family)));
    for (const action of otherActions) expect(RUNTIME_ACTIONS.has(action), `${name}: ${action}`).toBe(true);
    for (const statement of Object.values(attached).flatMap(statementsOf))
      expect(statement.Effect).toBe('Allow');
  });

  it("gives the user-defined families only their own: the metric evaluator's reads, the custom family no auditor policy", () => {
    const metrics = policiesOfRole(template, logicalIdOf(stack, 'FitnessGate/MetricsChecks/Role'));
    const auditorActions = statementsOf(
      metrics[logicalIdOf(stack, 'FitnessGate/MetricsChecks/AuditorPolicy')],
    ).flatMap(actionsOf);
    expect(new Set(auditorActions)).toEqual(new Set(METRIC_EVALUATOR_ACTIONS));

    const custom = policiesOfRole(template, logicalIdOf(stack, 'FitnessGate/CustomChecks/Role'));
    for (const action of Object.values(custom).flatMap((policy) => statementsOf(policy).flatMap(actionsOf))) {
      expect(RUNTIME_ACTIONS.has(action), action).toBe(true);
    }
  });

  it('scopes apigateway:GET to REST paths in this region', () => {
    const statements = statementsOfRole(template, logicalIdOf(stack, 'FitnessGate/ApiGatewayChecks/Role'));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'apigateway:GET',
        Resource: {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, '::/*'],
          ],
        },
      }),
    );
  });

  it('lets the stack checks smoke-invoke only functions of the guarded stack and read only that stack', () => {
    const statements = statementsOfRole(template, logicalIdOf(stack, 'FitnessGate/StackChecks/Role'));
    const invoke = statements.find((statement) => statement.Action === 'lambda:InvokeFunction');
    expect(invoke?.Condition).toEqual({
      StringLike: { 'aws:ResourceTag/aws:cloudformation:stack-name': ['FitgateSample', 'FitgateSample-*'] },
    });
    expect(JSON.stringify(invoke?.Resource)).toContain(':function:*');
    const describeStacks = statements.find(
      (statement) => statement.Action === 'cloudformation:DescribeStacks',
    );
    expect(JSON.stringify(describeStacks?.Resource)).toContain(':stack/FitgateSample/*');
    expect(JSON.stringify(describeStacks?.Resource)).toContain(':stack/FitgateSample-*/*');
  });

  it('lets ListResources read the guarded stack (and its nested stacks) only', () => {
    const statements = statementsOfRole(template, logicalIdOf(stack, 'FitnessGate/ListResources/Role'));
    const read = statements.find((statement) =>
      actionsOf(statement).includes('cloudformation:ListStackResources'),
    );
    expect(read && actionsOf(read).sort()).toEqual([
      'cloudformation:DescribeStacks',
      'cloudformation:GetTemplate',
      'cloudformation:ListStackResources',
    ]);
    expect(JSON.stringify(read?.Resource)).toContain(':stack/FitgateSample/*');
    expect(JSON.stringify(read?.Resource)).not.toMatch(/"\*"/);
  });

  it('grants no wildcard action anywhere in the gate', () => {
    const gatePolicies = Object.entries(resourcesOf(template, 'AWS::IAM::Policy')).filter(([policyId]) =>
      policyId.startsWith('FitnessGate'),
    );
    expect(gatePolicies.length).toBeGreaterThan(FAMILIES.length);
    for (const [policyId, policy] of gatePolicies) {
      for (const action of statementsOf(policy).flatMap(actionsOf))
        expect(action, policyId).not.toContain('*');
    }
  });
});
