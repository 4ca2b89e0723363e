import { describe, expect, it } from 'vitest';
import { hookOwedFailure } from '../../functions/safety-net/core.ts';
import { makeHandler } from '../../functions/safety-net/handler.ts';

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

  it('asks DescribeExecution for the error a FAILED event did not carry, and fails closed when it cannot', async () => {
    const claim = {
      status: 'FAILED',
      input,
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:gate:x',
    };
    const reported: string[] = [];
    const codeDeploy = { send: async () => reported.push('Failed') } as never;
    const sfnAnswering = (error: string) => ({ send: async () => ({ status: 'FAILED', error }) }) as never;
    const sfnDown = { send: async () => Promise.reject(new Error('unreachable')) } as never;

    const audit = await makeHandler({ codeDeploy, sfn: sfnAnswering('FitnessAuditFailed') })({
      detail: claim,
    });
    const gate = await makeHandler({ codeDeploy, sfn: sfnAnswering('FitnessGateFailed') })({ detail: claim });
    const unknown = await makeHandler({ codeDeploy, sfn: sfnDown })({ detail: claim });

    expect(audit).toEqual({ reported: 'nothing owed' });
    expect(gate.reported).not.toBe('nothing owed');
    expect(unknown.reported).not.toBe('nothing owed');
    expect(reported).toEqual(['Failed', 'Failed']);
  });
});
