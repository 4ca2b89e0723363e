import { describe, expect, it } from 'vitest';
import {
  executionInput,
  executionName,
  functionArnOf,
  isGuardedStack,
  matchesStackPattern,
  parseGuardedStacks,
  parseHookEvent,
  parseHookTrigger,
  stackNameFromTags,
  stackNameOfArn,
} from '../../functions/hook/core.ts';

const event = { DeploymentId: 'd-ABCDEFGH1', LifecycleEventHookExecutionId: 'eyJlbmNyeXB0ZWREYXRhIjoi' };

describe('hook core', () => {
  it('reads the CodeDeploy hook event', () => {
    expect(parseHookEvent(event)).toEqual({
      deploymentId: 'd-ABCDEFGH1',
      hookExecutionId: 'eyJlbmNyeXB0ZWREYXRhIjoi',
    });
  });

  it.each([
    [null, /must be an object/],
    [{}, /no valid DeploymentId \(got nothing\)/],
    [{ DeploymentId: 'nope', LifecycleEventHookExecutionId: 'x' }, /no valid DeploymentId \(got "nope"\)/],
    [{ DeploymentId: 'd-ABCDEFGH1', LifecycleEventHookExecutionId: ' ' }, /no LifecycleEventHookExecutionId/],
  ])('refuses a malformed event %j with a clear error', (bad, message) => {
    expect(() => parseHookEvent(bad)).toThrow(message);
  });

  it('names executions deterministically, within 80 characters of [A-Za-z0-9-_]', () => {
    const hook = parseHookEvent(event);

    const pre = executionName(hook, 'BeforeAllowTraffic');

    expect(pre).toBe(executionName(hook, 'BeforeAllowTraffic'));
    expect(pre).toMatch(/^d-ABCDEFGH1-pre-[0-9a-f]{40}$/);
    expect(pre.length).toBeLessThanOrEqual(80);
    expect(executionName(hook, 'AfterAllowTraffic')).not.toBe(pre);
    expect(executionName({ ...hook, hookExecutionId: 'other' }, 'BeforeAllowTraffic')).not.toBe(pre);
  });

  it('keeps long deployment ids inside the name limit', () => {
    const name = executionName(
      { deploymentId: `d-${'X'.repeat(200)}`, hookExecutionId: 'h' },
      'AfterAllowTraffic',
    );

    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9-_]+$/);
  });

  it('builds the execution input of docs/state-contracts.md', () => {
    expect(executionInput('svc', 'AfterAllowTraffic', parseHookEvent(event))).toEqual({
      stackName: 'svc',
      trigger: 'AfterAllowTraffic',
      deploymentId: 'd-ABCDEFGH1',
      hookExecutionId: 'eyJlbmNyeXB0ZWREYXRhIjoi',
    });
  });

  it('accepts only the two traffic hooks as triggers', () => {
    expect(parseHookTrigger('AfterAllowTraffic')).toBe('AfterAllowTraffic');
    expect(() => parseHookTrigger(undefined)).toThrow(/HOOK_TRIGGER must be/);
  });
});

describe('which stack a deployment belongs to', () => {
  const stateMachineArn = 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:fitgate';

  it('reads the guarded stacks the construct hands the hook, and refuses anything else in one line', () => {
    expect(parseGuardedStacks('["orders","payments-*"]')).toEqual(['orders', 'payments-*']);
    for (const bad of [undefined, '', 'orders', '[]', '[""]', '[1]', '{"orders":true}']) {
      expect(() => parseGuardedStacks(bad), String(bad)).toThrow(
        /^GUARDED_STACKS must be a JSON array of stack names or patterns, got /,
      );
    }
  });

  it('matches stack names exactly, `*` as any run of characters, and nothing else as a wildcard', () => {
    expect(matchesStackPattern('orders', 'orders')).toBe(true);
    expect(matchesStackPattern('orders-eu', 'orders')).toBe(false);
    expect(matchesStackPattern('payments-eu', 'payments-*')).toBe(true);
    expect(matchesStackPattern('payments', 'payments-*')).toBe(false);
    expect(matchesStackPattern('team-a-svc', '*-svc')).toBe(true);
    expect(matchesStackPattern('ordersX', 'orders.')).toBe(false);
    expect(matchesStackPattern('anything', '*')).toBe(true);
    expect(isGuardedStack('reports', ['orders', 'payments-*'])).toBe(false);
    expect(isGuardedStack('payments-us', ['orders', 'payments-*'])).toBe(true);
  });

  it('names the function by an unqualified ARN in the account, region and partition of the gate', () => {
    expect(functionArnOf('orders-Fn-ABC', stateMachineArn)).toBe(
      'arn:aws-cn:lambda:cn-north-1:123456789012:function:orders-Fn-ABC',
    );
    expect(functionArnOf('orders-Fn-ABC:live', stateMachineArn)).toBe(
      'arn:aws-cn:lambda:cn-north-1:123456789012:function:orders-Fn-ABC',
    );
    expect(functionArnOf('arn:aws:lambda:eu-west-1:111122223333:function:fn:7', stateMachineArn)).toBe(
      'arn:aws:lambda:eu-west-1:111122223333:function:fn',
    );
  });

  it('reads the stack from the tag CloudFormation sets, and refuses a function it did not create', () => {
    expect(stackNameFromTags({ 'aws:cloudformation:stack-name': 'orders', team: 'a' }, 'fn')).toBe('orders');
    expect(() => stackNameFromTags({ team: 'a' }, 'arn:fn')).toThrow(
      'arn:fn carries no aws:cloudformation:stack-name tag: the gate audits stacks, and this function was not created by CloudFormation',
    );
    expect(() => stackNameFromTags(undefined, 'arn:fn')).toThrow(
      /carries no aws:cloudformation:stack-name tag/,
    );
  });

  it('reads a stack name from a stack ARN (a nested stack’s RootId)', () => {
    expect(stackNameOfArn('arn:aws:cloudformation:us-east-1:123456789012:stack/orders/1a2b-3c4d')).toBe(
      'orders',
    );
    expect(stackNameOfArn('not an arn')).toBeUndefined();
  });
});
