import { describe, expect, it } from 'vitest';
import { hookOwedFailure } from '../../functions/safety-net/core.ts';

const input = JSON.stringify({
  stackName: 's',
  trigger: 'BeforeAllowTraffic',
  deploymentId: 'd-ABCDEFGH1',
  hookExecutionId: 'h1',
});

describe('safety net core', () => {
  it.each(['FAILED', 'TIMED_OUT', 'ABORTED'])(
    'owes CodeDeploy a Failed when a hook execution ends %s',
    (status) => {
      expect(hookOwedFailure({ detail: { status, input } })).toEqual({
        deploymentId: 'd-ABCDEFGH1',
        hookExecutionId: 'h1',
      });
    },
  );

  it('owes nothing for a success, an ad-hoc run or unreadable input', () => {
    expect(hookOwedFailure({ detail: { status: 'SUCCEEDED', input } })).toBeUndefined();
    expect(hookOwedFailure({ detail: { status: 'FAILED', input: '{"stackName":"s"}' } })).toBeUndefined();
    expect(hookOwedFailure({ detail: { status: 'FAILED', input: 'not json' } })).toBeUndefined();
    expect(hookOwedFailure({})).toBeUndefined();
  });

  it('owes nothing for a run the state machine found to gate no hook (a forged or stale claim)', () => {
    expect(
      hookOwedFailure({ detail: { status: 'FAILED', input, error: 'FitnessAuditFailed' } }),
    ).toBeUndefined();
    expect(hookOwedFailure({ detail: { status: 'FAILED', input, error: 'FitnessGateFailed' } })).toEqual({
      deploymentId: 'd-ABCDEFGH1',
      hookExecutionId: 'h1',
    });
  });
});
