/**
 * Watches one execution run by aws-local-stepfunctions the way Step Functions accounts for it: the
 * 256 KiB limit on every state's input and output (enforced, with the error Step Functions raises),
 * the history events a Standard execution records, and the state transitions it bills.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { StateMachine } from 'aws-local-stepfunctions';

/** An execution event of aws-local-stepfunctions (its type is not exported). */
export type EventLog = Awaited<ReturnType<ReturnType<StateMachine['run']>['eventLogs']['next']>>['value'] & {
  type: string;
};

/**
 * "Maximum input or output size for a task, activity, or execution: 256 KiB of data as a UTF-8
 * encoded string", checked on a task's input after Parameters, a task's result and every state's
 * output (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-task-executions).
 */
export const STATE_LIMIT_BYTES = 256 * 1024;

export const byteLength = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');

/** An error whose name is the error name Step Functions reports for a failed task, its message the cause. */
export class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * States.DataLimitExceeded: "a terminal error that can't be caught by the States.ALL error type"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html), so no Retry
 * or Catch of the definition sees it and the execution fails. aws-local-stepfunctions honours
 * `isRetryable` / `isCatchable`.
 */
export class DataLimitExceededError extends Error {
  constructor(stateName: string) {
    super(
      `The state/task '${stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    );
    this.name = 'States.DataLimitExceeded';
  }
  get isRetryable() {
    return false;
  }
  get isCatchable() {
    return false;
  }
}

export interface HistoryOptions {
  /**
   * Distributed Map states, which the local run executes as a task (see distributed-map.ts): their
   * iterations are child executions with histories of their own, so the parent records only
   * MapStateEntered, MapStateStarted, MapRunStarted, MapRunSucceeded|Failed, MapStateSucceeded|Failed
   * and MapStateExited.
   */
  readonly distributedMaps?: ReadonlySet<string>;
}

/**
 * History events of a Standard execution, as Step Functions records them (the event types of
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html; checked
 * against moto's interpreter in test/workflow/conformance.test.ts):
 *
 * - the execution: ExecutionStarted and ExecutionSucceeded | Failed | Aborted | TimedOut;
 * - a Task: TaskStateEntered, then per attempt TaskScheduled, TaskStarted and TaskSucceeded |
 *   TaskFailed | TaskTimedOut, then TaskStateExited unless the failure ends the execution;
 * - a Pass, Choice or Succeed state: Entered and Exited; a Fail state: FailStateEntered only;
 * - an inline Map: MapStateEntered, MapStateStarted, MapIterationStarted and MapIterationSucceeded |
 *   Failed per item (its states' events included), MapStateSucceeded | Failed, MapStateExited;
 * - a Distributed Map: six events, whatever the number of items (HistoryOptions).
 *
 * A retry adds the next attempt's TaskScheduled and TaskStarted; a Catch adds no event of its own.
 */
export function historyEventsOf(events: readonly EventLog[], options: HistoryOptions = {}): number {
  const distributed = options.distributedMaps ?? new Set<string>();
  // Whether each state's last attempt failed, by iteration and name (iterations run concurrently).
  const failedLast = new Map<string, boolean>();
  let count = 0;
  for (const event of events) {
    const state = 'state' in event ? (event.state as { name: string; type: string }) : undefined;
    const key = state ? `${String((event as { index?: number }).index ?? '')}/${state.name}` : '';
    const kind = state && distributed.has(state.name) ? 'DistributedMap' : state?.type;
    switch (event.type) {
      case 'ExecutionStarted':
      case 'ExecutionSucceeded':
      case 'ExecutionFailed':
      case 'ExecutionAborted':
      case 'ExecutionTimeout':
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        count += 1;
        break;
      case 'StateEntered':
        failedLast.set(key, false);
        // Task: Entered + the first attempt's Scheduled and Started; Map: Entered + Started.
        count += kind === 'Task' ? 3 : kind === 'Map' ? 2 : kind === 'DistributedMap' ? 3 : 1;
        break;
      case 'StateFailed':
        failedLast.set(key, true);
        // TaskFailed; MapStateFailed; MapRunFailed + MapStateFailed; a Fail state records nothing more.
        count += kind === 'Task' || kind === 'Map' ? 1 : kind === 'DistributedMap' ? 2 : 0;
        break;
      case 'StateRetried':
        failedLast.set(key, false);
        count += 2;
        break;
      case 'StateExited': {
        const failed = failedLast.get(key) ?? false;
        // The Succeeded event(s) unless the last attempt failed and was caught, then Exited.
        const succeeded = kind === 'Task' || kind === 'Map' ? 1 : kind === 'DistributedMap' ? 2 : 0;
        count += (failed ? 0 : succeeded) + 1;
        break;
      }
      default:
        break;
    }
  }
  return count;
}

/** State transitions as Step Functions Standard bills them: every state entered, and every retry. */
export function transitionsOf(events: readonly EventLog[]): number {
  return events.filter((e) => e.type === 'StateEntered' || e.type === 'StateRetried').length;
}

/**
 * One execution's events and its largest state, with the state limit enforced. A task handler calls
 * `checkPayload` on what it receives and returns (synchronously, so nothing oversized reaches a
 * service), and `guard` before it acts: a state output found oversized in the event stream fails the
 * execution before any later state can have an effect.
 */
export class ExecutionMonitor {
  readonly events: EventLog[] = [];
  maxPayloadBytes = 0;
  maxPayloadState = '';
  private exceeded: DataLimitExceededError | undefined;
  private abort: (() => void) | undefined;
  private readonly label: string;
  private readonly onEvent: ((event: EventLog) => void) | undefined;

  /** `label` names the execution in maxPayloadState (e.g. ", child execution"). */
  constructor(label = '', onEvent?: (event: EventLog) => void) {
    this.label = label;
    this.onEvent = onEvent;
  }

  get limitExceeded(): DataLimitExceededError | undefined {
    return this.exceeded;
  }

  /** Records a payload's size; throws States.DataLimitExceeded past the limit. */
  checkPayload(stateName: string, payload: unknown, what: string): void {
    const size = byteLength(payload);
    if (size > this.maxPayloadBytes) {
      this.maxPayloadBytes = size;
      this.maxPayloadState = `${stateName} (${what}${this.label})`;
    }
    if (size > STATE_LIMIT_BYTES) {
      this.exceeded ??= new DataLimitExceededError(stateName);
      throw this.exceeded;
    }
  }

  /** Lets the event stream catch up, then refuses to act after an oversized state. */
  async guard(): Promise<void> {
    await nextMacrotask();
    if (this.exceeded) throw this.exceeded;
  }

  async consume(execution: ReturnType<StateMachine['run']>): Promise<void> {
    this.abort = () => execution.abort();
    for await (const event of execution.eventLogs) {
      this.events.push(event);
      this.onEvent?.(event);
      if (event.type === 'StateEntered' || event.type === 'StateExited') {
        const payload = event.type === 'StateEntered' ? event.state.input : event.state.output;
        try {
          this.checkPayload(event.state.name, payload, event.type === 'StateEntered' ? 'input' : 'output');
        } catch {
          this.abort?.();
        }
      }
    }
  }
}
