import { describe, expect, it } from 'vitest';
import { AdHocAuditError, functionInStack, hookClaimOf } from '../../functions/list-resources/deployment.ts';
import { parseExecutionInput } from '../../functions/list-resources/handler.ts';

describe('what an execution input claims', () => {
  it('claims a hook only with a hook trigger and both ids', () => {
    const ids = { deploymentId: 'd-ABCDEFGHI', hookExecutionId: 'h-1' };
    expect(hookClaimOf({ trigger: 'BeforeAllowTraffic', ...ids })).toEqual({
      trigger: 'BeforeAllowTraffic',
      ...ids,
    });
    expect(hookClaimOf({ trigger: 'adhoc', ...ids })).toBeUndefined();
    expect(hookClaimOf({ trigger: 'AfterAllowTraffic', deploymentId: ids.deploymentId })).toBeUndefined();
    expect(hookClaimOf({ trigger: 'AfterAllowTraffic', ...ids, hookExecutionId: ' ' })).toBeUndefined();
    expect(hookClaimOf('BeforeAllowTraffic')).toBeUndefined();
  });

  it('matches the AppSpec function by name or ARN, with or without a qualifier', () => {
    const stackFunctions = ['svc-Fn-ABC123', 'arn:aws:lambda:us-east-1:123456789012:function:svc-Other-XYZ'];
    expect(functionInStack('svc-Fn-ABC123', stackFunctions)).toBe(true);
    expect(
      functionInStack('arn:aws:lambda:us-east-1:123456789012:function:svc-Fn-ABC123:live', stackFunctions),
    ).toBe(true);
    expect(functionInStack('svc-Other-XYZ', stackFunctions)).toBe(true);
    expect(functionInStack('svc-Fn', stackFunctions)).toBe(false);
  });

  it('refuses a malformed input with one line naming the field', () => {
    expect(() => parseExecutionInput({})).toThrow('execution input: stackName is required');
    expect(() => parseExecutionInput({ stackName: 'svc', trigger: 'Deploy' })).toThrow(
      'execution input: trigger must be one of BeforeAllowTraffic, AfterAllowTraffic, adhoc, predict',
    );
    expect(() => parseExecutionInput({ stackName: 'svc', suppressions: [] })).toThrow(
      'execution input: unknown key suppressions (expected stackName, trigger, deploymentId, hookExecutionId, policy)',
    );
    expect(() => parseExecutionInput({ stackName: 'bad name!' })).toThrow(
      /stackName must be a stack name or stack ARN/,
    );
  });

  it('keeps the cause of an ad-hoc failure readable', () => {
    const error = new AdHocAuditError(
      Object.assign(new Error('stack x does not exist'), { name: 'StackNotFoundError' }),
    );
    expect(error.name).toBe('AdHocAuditError');
    expect(error.message).toBe('stack x does not exist (StackNotFoundError)');
  });
});
