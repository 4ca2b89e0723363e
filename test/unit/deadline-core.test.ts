import { describe, expect, it } from 'vitest';
import {
  atExpression,
  DEADLINE_ENV,
  DEADLINE_MARGIN_SECONDS,
  deadlineNetConfig,
  deadlineOf,
  executionArnOf,
  owedAction,
  parseDeadlineEvent,
  scheduleName,
  scheduleRequest,
} from '../../functions/deadline/core.ts';

const config = {
  scheduleGroupName: 'fitgate-deadlines',
  targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:deadline',
  roleArn: 'arn:aws:iam::123456789012:role/scheduler',
  executionTimeoutSeconds: 900,
  deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:dead-letters',
};
const hook = { deploymentId: 'd-ABCDEFGHI', hookExecutionId: 'hook-1' };

describe('the deadline', () => {
  it('is the start plus the construct’s execution timeout plus the margin', () => {
    const start = new Date('2026-03-01T10:00:00.000Z');
    expect(deadlineOf(start, 900).toISOString()).toBe(
      new Date(start.getTime() + (900 + DEADLINE_MARGIN_SECONDS) * 1000).toISOString(),
    );
  });

  it('is written as an at() expression rounded up to the minute, never earlier than the deadline', () => {
    expect(atExpression(new Date('2026-03-01T10:17:00.000Z'))).toBe('at(2026-03-01T10:17:00)');
    expect(atExpression(new Date('2026-03-01T10:17:00.001Z'))).toBe('at(2026-03-01T10:18:00)');
    expect(atExpression(new Date('2026-12-31T23:59:30.000Z'))).toBe('at(2027-01-01T00:00:00)');
  });
});

describe('scheduleName', () => {
  it('is the execution name when it fits Scheduler’s 64 characters', () => {
    expect(scheduleName('d-ABCDEFGHI-pre-0123456789abcdef')).toBe('d-ABCDEFGHI-pre-0123456789abcdef');
  });

  it('stays deterministic, within 64 characters of [0-9a-zA-Z-_.], for the longest execution names', () => {
    const long = `d-${'A'.repeat(22)}-post-${'f'.repeat(40)}`;
    const name = scheduleName(long);
    expect(name).toMatch(/^[0-9a-zA-Z-_.]{1,64}$/);
    expect(scheduleName(long)).toBe(name);
    expect(scheduleName(`${long.slice(0, -1)}e`)).not.toBe(name);
  });
});

describe('scheduleRequest', () => {
  it('creates a one-off, UTC, no-window schedule that deletes itself and invokes the deadline function', () => {
    const request = scheduleRequest(
      config,
      {
        name: 'exec-1',
        arn: 'arn:aws:states:us-east-1:123456789012:execution:gate:exec-1',
        startDate: new Date('2026-03-01T10:00:00.000Z'),
      },
      hook,
    );
    expect(request).toMatchObject({
      Name: 'exec-1',
      GroupName: 'fitgate-deadlines',
      ScheduleExpression: 'at(2026-03-01T10:17:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: config.targetArn,
        RoleArn: config.roleArn,
        DeadLetterConfig: { Arn: config.deadLetterArn },
      },
    });
    expect(JSON.parse(request.Target.Input)).toEqual({
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:gate:exec-1',
      ...hook,
      deadline: '2026-03-01T10:17:00.000Z',
    });
  });
});

describe('deadlineNetConfig', () => {
  it('reads what the construct sets on the hooks, and nothing when the net is not configured', () => {
    const env = {
      [DEADLINE_ENV.scheduleGroupName]: config.scheduleGroupName,
      [DEADLINE_ENV.targetArn]: config.targetArn,
      [DEADLINE_ENV.roleArn]: config.roleArn,
      [DEADLINE_ENV.executionTimeoutSeconds]: '900',
      [DEADLINE_ENV.deadLetterArn]: config.deadLetterArn,
    };
    expect(deadlineNetConfig(env)).toEqual(config);
    expect(deadlineNetConfig({})).toBeUndefined();
    expect(() => deadlineNetConfig({ ...env, [DEADLINE_ENV.executionTimeoutSeconds]: 'soon' })).toThrow(
      /EXECUTION_TIMEOUT_SECONDS must be a positive number of seconds/,
    );
  });
});

describe('parseDeadlineEvent', () => {
  it('accepts the schedule’s input and refuses anything else clearly', () => {
    const event = {
      executionArn: executionArnOf('arn:aws:states:us-east-1:123456789012:stateMachine:gate', 'exec-1'),
      ...hook,
      deadline: '2026-03-01T10:17:00.000Z',
    };
    expect(event.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:gate:exec-1');
    expect(parseDeadlineEvent(event)).toEqual(event);
    expect(() => parseDeadlineEvent({ ...hook })).toThrow(/no executionArn/);
    expect(() => parseDeadlineEvent({ executionArn: event.executionArn })).toThrow(/deploymentId/);
    expect(() => parseDeadlineEvent(null)).toThrow(/no executionArn/);
  });
});

describe('owedAction', () => {
  it('owes nothing for a succeeded execution (it reported), and Failed for every other end', () => {
    expect(owedAction('SUCCEEDED')).toEqual({ stop: false, report: false });
    for (const status of ['FAILED', 'TIMED_OUT', 'ABORTED', 'MISSING', 'UNKNOWN'] as const) {
      expect(owedAction(status), status).toEqual({ stop: false, report: true });
    }
  });

  it('stops an execution still running past its deadline before reporting', () => {
    expect(owedAction('RUNNING')).toEqual({ stop: true, report: true });
  });
});
