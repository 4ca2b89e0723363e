/**
 * The hook's half of the deadline net: one CreateSchedule per execution. The name is fixed by the
 * execution name, so a hook invoked again for the same hook execution meets its own schedule
 * (ConflictException) and leaves it as it is.
 */
import { CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { isAwsError } from '../shared/errors.ts';
import { type DeadlineNetConfig, scheduleRequest } from './core.ts';

/** What the hook needs to arm the deadline net: where, and the client that does it. */
export interface DeadlineNetDeps extends DeadlineNetConfig {
  readonly scheduler: SchedulerClient;
}

export interface ArmedDeadline {
  readonly scheduleName: string;
  /** The schedule expression, `at(…)` in UTC. */
  readonly due: string;
  readonly outcome: 'armed' | 'already-armed';
}

export async function armDeadline(
  deps: DeadlineNetDeps,
  execution: { readonly name: string; readonly arn: string; readonly startDate: Date },
  hook: { readonly deploymentId: string; readonly hookExecutionId: string },
): Promise<ArmedDeadline> {
  const request = scheduleRequest(deps, execution, hook);
  const armed = { scheduleName: request.Name, due: request.ScheduleExpression };
  try {
    await deps.scheduler.send(new CreateScheduleCommand(request));
    return { ...armed, outcome: 'armed' };
  } catch (error) {
    if (isAwsError(error, 'ConflictException')) return { ...armed, outcome: 'already-armed' };
    throw error;
  }
}
