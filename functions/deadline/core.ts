/**
 * The deadline net's pure core. EventBridge delivers Step Functions status events on a best-effort
 * basis (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-states.html, "Delivery type:
 * Best effort"), so the EventBridge safety net alone cannot promise CodeDeploy an answer. The hook
 * therefore also creates a one-off EventBridge Scheduler schedule per execution, due when the
 * execution's own timeout has passed plus a margin; the deadline function it invokes reports Failed
 * unless the execution already succeeded (and so reported), and stops the execution if it still runs.
 */
import { createHash } from 'node:crypto';
import { InvalidInputError } from '../shared/errors.ts';

/**
 * After the execution's timeout, time for the state machine's own catch path and the EventBridge net
 * to report first. EventBridge Scheduler invokes with 60 s precision ("it will invoke the target API
 * between 1:00:00 and 1:00:59", https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html),
 * on top of this margin.
 */
export const DEADLINE_MARGIN_SECONDS = 120;
/** The scheduler's own precision, which `at()` rounds up to. */
export const SCHEDULER_PRECISION_SECONDS = 60;
/** How long the scheduler keeps trying to invoke the deadline function (its RetryPolicy). */
export const DEADLINE_RETRY = { maximumEventAgeSeconds: 900, maximumRetryAttempts: 10 } as const;

/** What the schedule hands the deadline function (the schedule target's Input). */
export interface DeadlineEvent {
  readonly executionArn: string;
  readonly deploymentId: string;
  readonly hookExecutionId: string;
  /** When the execution had to be over (start + timeout + margin), ISO 8601. */
  readonly deadline: string;
}

/** Where the hook creates the schedules; the construct sets these on the hook functions. */
export interface DeadlineNetConfig {
  readonly scheduleGroupName: string;
  /** The deadline function the schedule invokes (unqualified ARN). */
  readonly targetArn: string;
  /** The role EventBridge Scheduler assumes to invoke it. */
  readonly roleArn: string;
  /** The state machine's TimeoutSeconds, as the construct configured it. */
  readonly executionTimeoutSeconds: number;
  /** Where the scheduler puts an invocation it could not deliver. */
  readonly deadLetterArn?: string;
}

/** The environment variables that carry DeadlineNetConfig to the hook (set by the DeadlineNet construct). */
export const DEADLINE_ENV = {
  scheduleGroupName: 'DEADLINE_SCHEDULE_GROUP',
  targetArn: 'DEADLINE_FUNCTION_ARN',
  roleArn: 'DEADLINE_SCHEDULER_ROLE_ARN',
  executionTimeoutSeconds: 'EXECUTION_TIMEOUT_SECONDS',
  deadLetterArn: 'DEADLINE_DEAD_LETTER_ARN',
} as const;

/** The deadline net's configuration from the hook's environment; undefined when it is not configured. */
export function deadlineNetConfig(env: NodeJS.ProcessEnv): DeadlineNetConfig | undefined {
  const scheduleGroupName = env[DEADLINE_ENV.scheduleGroupName];
  const targetArn = env[DEADLINE_ENV.targetArn];
  const roleArn = env[DEADLINE_ENV.roleArn];
  const timeout = env[DEADLINE_ENV.executionTimeoutSeconds];
  if (!scheduleGroupName || !targetArn || !roleArn || !timeout) return undefined;
  const executionTimeoutSeconds = Number(timeout);
  if (!Number.isInteger(executionTimeoutSeconds) || executionTimeoutSeconds <= 0) {
    throw new InvalidInputError(
      `${DEADLINE_ENV.executionTimeoutSeconds} must be a positive number of seconds, got ${timeout}`,
    );
  }
  const deadLetterArn = env[DEADLINE_ENV.deadLetterArn];
  return {
    scheduleGroupName,
    targetArn,
    roleArn,
    executionTimeoutSeconds,
    ...(deadLetterArn ? { deadLetterArn } : {}),
  };
}

/** When an execution started at `startDate` must have reported by. */
export function deadlineOf(startDate: Date, executionTimeoutSeconds: number): Date {
  return new Date(startDate.getTime() + (executionTimeoutSeconds + DEADLINE_MARGIN_SECONDS) * 1000);
}

/**
 * `at(yyyy-mm-ddThh:mm:ss)` in UTC, rounded up to the whole minute so that the scheduler's 60 s
 * precision can only make it later, never earlier, than the deadline.
 */
export function atExpression(deadline: Date): string {
  const minute = 60_000;
  const due = new Date(Math.ceil(deadline.getTime() / minute) * minute);
  return `at(${due.toISOString().slice(0, 19)})`;
}

/**
 * A schedule name (1–64 of [0-9a-zA-Z-_.]) fixed by the execution name, so a hook invoked again for
 * the same hook execution meets its own schedule (ConflictException) instead of adding a second one.
 */
export function scheduleName(executionName: string): string {
  const safe = executionName.replace(/[^0-9A-Za-z-_.]/g, '-');
  if (safe.length <= 64) return safe;
  const digest = createHash('sha256').update(executionName).digest('hex').slice(0, 40);
  return `${safe.slice(0, 23)}-${digest}`;
}

/**
 * The CreateSchedule request (EventBridge Scheduler API, PascalCase members): a one-off `at()`
 * schedule, no flexible window, deleted after its one invocation
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-delete.html).
 */
export function scheduleRequest(
  config: DeadlineNetConfig,
  execution: { readonly name: string; readonly arn: string; readonly startDate: Date },
  hook: { readonly deploymentId: string; readonly hookExecutionId: string },
) {
  const deadline = deadlineOf(execution.startDate, config.executionTimeoutSeconds);
  const event: DeadlineEvent = {
    executionArn: execution.arn,
    deploymentId: hook.deploymentId,
    hookExecutionId: hook.hookExecutionId,
    deadline: deadline.toISOString(),
  };
  return {
    Name: scheduleName(execution.name),
    GroupName: config.scheduleGroupName,
    Description: `fitgate: reports Failed for ${hook.deploymentId} if ${execution.name} has not reported by ${event.deadline}`,
    ScheduleExpression: atExpression(deadline),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    ActionAfterCompletion: 'DELETE' as const,
    State: 'ENABLED' as const,
    Target: {
      Arn: config.targetArn,
      RoleArn: config.roleArn,
      Input: JSON.stringify(event),
      RetryPolicy: {
        MaximumEventAgeInSeconds: DEADLINE_RETRY.maximumEventAgeSeconds,
        MaximumRetryAttempts: DEADLINE_RETRY.maximumRetryAttempts,
      },
      ...(config.deadLetterArn ? { DeadLetterConfig: { Arn: config.deadLetterArn } } : {}),
    },
  };
}

/** `arn:aws:states:r:a:stateMachine:NAME` + execution name → `arn:aws:states:r:a:execution:NAME:EXEC`. */
export function executionArnOf(stateMachineArn: string, executionName: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** The schedule's input; anything else is refused clearly (and lands in the dead-letter queue). */
export function parseDeadlineEvent(event: unknown): DeadlineEvent {
  const record = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const { executionArn, deploymentId, hookExecutionId, deadline } = record;
  if (!nonEmpty(executionArn) || !executionArn.includes(':execution:')) {
    throw new InvalidInputError('deadline event has no executionArn');
  }
  if (!nonEmpty(deploymentId) || !nonEmpty(hookExecutionId)) {
    throw new InvalidInputError('deadline event needs deploymentId and hookExecutionId');
  }
  return {
    executionArn,
    deploymentId,
    hookExecutionId,
    deadline: nonEmpty(deadline) ? deadline : '',
  };
}

/** Execution statuses of DescribeExecution, plus what the deadline function could not learn. */
export type ObservedStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE'
  | 'MISSING'
  | 'UNKNOWN';

/**
 * What the deadline owes CodeDeploy. A SUCCEEDED execution passed its ReportToCodeDeploy state, so
 * nothing is owed. Anything else reports Failed: CodeDeploy keeps the first status of a hook
 * execution and refuses later ones (LifecycleEventAlreadyCompletedException), so a Failed sent after
 * the state machine or the EventBridge net already reported changes nothing, while one that is not
 * sent leaves the deployment waiting for its hour. An execution still running past its deadline (or
 * waiting for a redrive) is stopped first, so it cannot report after the verdict.
 */
export function owedAction(status: ObservedStatus): { readonly stop: boolean; readonly report: boolean } {
  if (status === 'SUCCEEDED') return { stop: false, report: false };
  return { stop: status === 'RUNNING' || status === 'PENDING_REDRIVE', report: true };
}
