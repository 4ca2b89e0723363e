/**
 * Runs `statemachine/fitness.asl.json` in-process with aws-local-stepfunctions: the same
 * definition as in the cloud, its Lambda states bound to the real handlers and its aws-sdk states
 * to real SDK calls, against whatever the SDK points at (AWS, or moto via AWS_ENDPOINT_URL).
 * Used by `fitgate audit --local`, the demo, the bench and the workflow tests.
 */

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ExecutionAbortedError, ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import { type AggregateDeps, makeHandler as makeAggregate } from '../../functions/aggregate/handler.ts';
import { FAMILIES, type Family } from '../../functions/checks/types.ts';
import { withGateResources } from '../../functions/list-resources/gate-resources.ts';
import { makeHandler as makeListResources } from '../../functions/list-resources/handler.ts';
import {
  createCloudFormationClient,
  createCodeDeployClient,
  createDynamoDbClient,
} from '../../functions/shared/clients.ts';
import type { GateConfigInput, GateResources } from '../../functions/shared/config.ts';
import type { ExecutionInput, Report } from '../../statemachine/state.ts';
import { isSdkIntegration, sdkIntegration } from './sdk-integrations.ts';
import { withStackResourceOverlay } from './stack-resource-overlay.ts';

export const DEFINITION_PATH = fileURLToPath(new URL('../../statemachine/fitness.asl.json', import.meta.url));
export const LOCAL_ACCOUNT = '123456789012';

/** An execution event of aws-local-stepfunctions (its type is not exported). */
export type EventLog = Awaited<ReturnType<ReturnType<StateMachine['run']>['eventLogs']['next']>>['value'] & {
  type: string;
};

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type TaskHandler = (input: JsonValue) => Promise<JsonValue>;

interface AslState {
  Type: string;
  Resource?: string;
  Choices?: { Variable?: string; StringEquals?: string; Next: string }[];
  ItemProcessor?: { States: Record<string, AslState> };
  Retry?: unknown[];
}

interface AslDefinition {
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
}

export interface LocalRunOptions {
  /** The gate's configuration (what FITGATE_CONFIG holds in the cloud). */
  readonly config?: GateConfigInput;
  /** The gate's own resources, as the FitnessGate construct writes them into the definition. */
  readonly gateResources?: GateResources;
  /** The history table; without it baseline and history are skipped, with a note. */
  readonly historyTableName?: string;
  /** The Aggregate's baseline from elsewhere than the history table (see AggregateDeps.baseline). */
  readonly baseline?: AggregateDeps['baseline'];
  readonly metricNamespace?: string;
  readonly executionName?: string;
  /** Replace a state's task by name (fault injection): receives the real handler. */
  readonly overrides?: Readonly<Record<string, (input: JsonValue, real: TaskHandler) => Promise<JsonValue>>>;
  /** Replace a family's handler (e.g. one built with `makeHandler(clients)` around a named SDK mock). */
  readonly familyHandlers?: Partial<Record<Family, (event: unknown) => Promise<unknown>>>;
  /** Skip Retry back-off waits (tests). */
  readonly fastRetries?: boolean;
  readonly onEvent?: (event: EventLog) => void;
  /** The execution's TimeoutSeconds, as the construct sets it (the checked-in definition's otherwise). */
  readonly timeoutSeconds?: number;
  /** Aborting it stops the execution, as StopExecution does (status ABORTED). */
  readonly signal?: AbortSignal;
}

export interface ExecutionStats {
  readonly wallMs: number;
  /** States entered, plus retries: what Step Functions Standard bills. */
  readonly transitions: number;
  /** Execution history events, counted as Step Functions Standard records them (see historyEventsOf). */
  readonly historyEvents: number;
  /** Largest state input or output, in bytes of JSON. */
  readonly maxPayloadBytes: number;
  readonly maxPayloadState: string;
  readonly lambdaInvocations: number;
  /** Milliseconds spent in each Lambda state's handler, summed over invocations (billed-duration model). */
  readonly lambdaMs: Readonly<Record<string, number>>;
  readonly workItems: number;
}

export interface LocalExecution {
  readonly executionName: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly report?: Report;
  readonly error?: { readonly Error: string; readonly Cause: string };
  readonly stats: ExecutionStats;
}

export function loadDefinition(): AslDefinition {
  return JSON.parse(readFileSync(DEFINITION_PATH, 'utf8')) as AslDefinition;
}

/** Every Task state, the Map's item processor included. */
function taskStates(states: Record<string, AslState>): [string, AslState][] {
  return Object.entries(states).flatMap(([name, state]): [string, AslState][] => [
    ...(state.Type === 'Task' ? ([[name, state]] as [string, AslState][]) : []),
    ...(state.ItemProcessor ? taskStates(state.ItemProcessor.States) : []),
  ]);
}

/** The family each check task serves, read from the definition's RouteByFamily choices. */
function familyOfState(states: Record<string, AslState>): Map<string, Family> {
  const map = new Map<string, Family>();
  const visit = (inner: Record<string, AslState>) => {
    for (const state of Object.values(inner)) {
      for (const choice of state.Choices ?? []) {
        if (choice.Variable === '$.workItem.family' && FAMILIES.includes(choice.StringEquals as Family)) {
          map.set(choice.Next, choice.StringEquals as Family);
        }
      }
      if (state.ItemProcessor) visit(state.ItemProcessor.States);
    }
  };
  visit(states);
  return map;
}

const PLACEHOLDER = /\$\{([A-Za-z0-9]+)\}/g;

function substitute(definition: AslDefinition, values: Record<string, string>): AslDefinition {
  const text = JSON.stringify(definition).replace(PLACEHOLDER, (_, key: string) => {
    return values[key] ?? `arn:aws:lambda:us-east-1:${LOCAL_ACCOUNT}:function:fitgate-local-${key}`;
  });
  return JSON.parse(text) as AslDefinition;
}

type FamilyHandler = (event: unknown) => Promise<unknown>;

/**
 * A family's handler as its Lambda builds it (`makeHandler(create…Clients())`); a family that reads
 * the stack (ListStackResources) gets the same overlay as ListResources, so a lookup sees what the
 * deploy helper created (stack-resource-overlay.ts).
 */
async function familyHandler(family: Family): Promise<FamilyHandler> {
  const module = (await import(`../../functions/checks/${family}/handler.ts`)) as {
    handler: FamilyHandler;
    makeHandler?: (clients: Record<string, unknown>) => FamilyHandler;
  };
  const clientsModule = (await import(`../../functions/checks/${family}/clients.ts`)) as Record<
    string,
    unknown
  >;
  const create = Object.entries(clientsModule).find(
    ([name, value]) => /^create\w*Clients$/.test(name) && typeof value === 'function',
  )?.[1] as (() => Record<string, unknown>) | undefined;
  if (!module.makeHandler || !create) return module.handler;
  const clients = create();
  if (!(clients.cloudFormation instanceof CloudFormationClient)) return module.handler;
  return module.makeHandler({ ...clients, cloudFormation: withStackResourceOverlay(clients.cloudFormation) });
}

const byteLength = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');

/**
 * History events of a Standard execution, modelled on what Step Functions records: 2 for the
 * execution; per Task state Entered + Scheduled + Started + Succeeded/Failed + Exited (5), and 3 more
 * per retry (Failed, Scheduled, Started); per Pass/Choice Entered + Exited (2); per Map Entered +
 * Started + Succeeded + Exited (4) plus IterationStarted + IterationSucceeded per item (2).
 */
export function historyEventsOf(events: readonly EventLog[]): number {
  let count = 0;
  for (const event of events) {
    switch (event.type) {
      case 'ExecutionStarted':
      case 'ExecutionSucceeded':
      case 'ExecutionFailed':
      case 'ExecutionTerminated':
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        count += 1;
        break;
      case 'StateEntered':
        count += event.state.type === 'Task' || event.state.type === 'Map' ? 3 : 1;
        break;
      case 'StateExited':
        count += event.state.type === 'Task' || event.state.type === 'Map' ? 2 : 1;
        break;
      case 'StateRetried':
        count += 3;
        break;
      case 'StateFailed':
        count += 1;
        break;
      default:
        break;
    }
  }
  return count;
}

export async function runGateLocally(
  input: ExecutionInput | Record<string, unknown>,
  options: LocalRunOptions = {},
): Promise<LocalExecution> {
  const executionName = options.executionName ?? `local-${randomUUID()}`;
  const loaded = loadDefinition();
  const raw = options.gateResources ? withGateResources(loaded, options.gateResources) : loaded;
  const families = familyOfState(raw.States);
  const definition = substitute(
    options.timeoutSeconds ? { ...raw, TimeoutSeconds: options.timeoutSeconds } : raw,
    {
      MetricNamespace: options.metricNamespace ?? 'Fitgate',
      HistoryTableName: options.historyTableName ?? 'fitgate-local-no-history-table',
    },
  );

  const lambdaHandlers: Record<string, TaskHandler> = {
    ListResources: makeListResources({
      // Locally, ListStackResources also lists what the deploy helper created (stack-resource-overlay.ts).
      cloudFormation: withStackResourceOverlay(createCloudFormationClient()),
      codeDeploy: createCodeDeployClient(),
      gateConfig: options.config,
      ...(options.historyTableName
        ? { history: { dynamoDb: createDynamoDbClient(), tableName: options.historyTableName } }
        : {}),
    }) as unknown as TaskHandler,
    Aggregate: makeAggregate({
      dynamoDb: createDynamoDbClient(),
      codeDeploy: createCodeDeployClient(),
      historyTableName: options.historyTableName,
      ...(options.baseline ? { baseline: options.baseline } : {}),
    }) as unknown as TaskHandler,
  };
  for (const [stateName, family] of families)
    lambdaHandlers[stateName] = (options.familyHandlers?.[family] ??
      (await familyHandler(family))) as TaskHandler;

  let lambdaInvocations = 0;
  const lambdaMs: Record<string, number> = {};
  const handlers: Record<string, TaskHandler> = {};
  const retryOverrides: Record<string, number> = {};
  for (const [name, state] of taskStates(definition.States)) {
    let real: TaskHandler;
    if (lambdaHandlers[name]) {
      const lambda = lambdaHandlers[name];
      real = async (taskInput) => {
        lambdaInvocations += 1;
        const began = performance.now();
        try {
          // Lambda hands the function a copy of its input and returns a copy of its output.
          return JSON.parse(JSON.stringify(await lambda(structuredClone(taskInput)))) as JsonValue;
        } finally {
          // Lambda bills each invocation in whole milliseconds, rounded up.
          lambdaMs[name] = (lambdaMs[name] ?? 0) + Math.ceil(performance.now() - began);
        }
      };
    } else if (name === 'RecordHistory' && !options.historyTableName) {
      real = async () => ({ skipped: 'no history table' });
    } else if (state.Resource && isSdkIntegration(state.Resource)) {
      real = sdkIntegration(state.Resource) as TaskHandler;
    } else {
      throw new Error(`state ${name} has no local binding (${state.Resource})`);
    }
    const override = options.overrides?.[name];
    handlers[name] = override ? (taskInput) => override(taskInput, real) : real;
    if (options.fastRetries && state.Retry) retryOverrides[name] = 0;
  }
  for (const name of Object.keys(options.overrides ?? {})) {
    if (!handlers[name]) throw new Error(`override for unknown task state ${name}`);
  }

  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const execution = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides: retryOverrides },
    context: {
      Execution: {
        Id: `arn:aws:states:us-east-1:${LOCAL_ACCOUNT}:execution:fitgate-local:${executionName}`,
        Name: executionName,
        Input: input,
        StartTime: startedAt,
        RoleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/fitgate-local`,
      },
      StateMachine: {
        Id: `arn:aws:states:us-east-1:${LOCAL_ACCOUNT}:stateMachine:fitgate-local`,
        Name: 'fitgate-local',
      },
    } as never,
  });

  options.signal?.addEventListener('abort', () => execution.abort(), { once: true });
  if (options.signal?.aborted) execution.abort();

  const events: EventLog[] = [];
  let maxPayloadBytes = 0;
  let maxPayloadState = '';
  const consume = (async () => {
    for await (const event of execution.eventLogs) {
      events.push(event);
      options.onEvent?.(event);
      if (event.type === 'StateEntered' || event.type === 'StateExited') {
        const payload = event.type === 'StateEntered' ? event.state.input : event.state.output;
        const size = byteLength(payload);
        if (size > maxPayloadBytes) {
          maxPayloadBytes = size;
          maxPayloadState = `${event.state.name} (${event.type === 'StateEntered' ? 'input' : 'output'})`;
        }
      }
    }
  })();

  let status: LocalExecution['status'] = 'SUCCEEDED';
  let report: Report | undefined;
  let error: LocalExecution['error'];
  try {
    report = (await execution.result) as unknown as Report;
  } catch (failure) {
    status =
      failure instanceof ExecutionTimeoutError
        ? 'TIMED_OUT'
        : failure instanceof ExecutionAbortedError
          ? 'ABORTED'
          : 'FAILED';
    const cause = failure as { cause?: { name?: string; message?: string }; message?: string; name?: string };
    // A timed-out execution fails with States.Timeout, as in the cloud; an aborted one has no error.
    error =
      status === 'TIMED_OUT'
        ? {
            Error: 'States.Timeout',
            Cause: `the execution ran past its ${definition.TimeoutSeconds} s timeout`,
          }
        : status === 'ABORTED'
          ? undefined
          : {
              Error: cause.cause?.name ?? cause.name ?? 'Error',
              Cause: cause.cause?.message ?? cause.message ?? '',
            };
  }
  await consume;
  const wallMs = Math.round(performance.now() - started);
  const entered = events.filter((e) => e.type === 'StateEntered').length;
  const retried = events.filter((e) => e.type === 'StateRetried').length;
  const workItems = events.filter((e) => e.type === 'MapIterationStarted').length;
  return {
    executionName,
    status,
    ...(report ? { report } : {}),
    ...(error ? { error } : {}),
    stats: {
      wallMs,
      transitions: entered + retried,
      historyEvents: historyEventsOf(events),
      maxPayloadBytes,
      maxPayloadState,
      lambdaInvocations,
      lambdaMs,
      workItems,
    },
  };
}
