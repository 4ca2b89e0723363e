import { describe, expect, it } from 'vitest';
import {
  executionInput,
  executionName,
  parseHookEvent,
  parseHookTrigger,
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
