/**
 * Runs `statemachine/fitness.asl.json` in-process with aws-local-stepfunctions: the same
 * definition as in the cloud, its Lambda tasks bound to the real handlers (by function: the check
 * task invokes whichever function the work item names), its aws-sdk tasks to real SDK calls, against
 * whatever the SDK points at (AWS, or moto via AWS_ENDPOINT_URL). Step Functions' own rules are kept:
 * the 256 KiB state limit and its error, Lambda's error shapes and timeout, the Distributed Map's
 * child executions and S3 results (distributed-map.ts), and the history events and transitions a
 * Standard execution would record and bill (execution-monitor.ts).
 * Used by `fitgate audit --local`, the demo, the bench and the workflow tests.
 */

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ExecutionAbortedError, ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import { type AggregateDeps, makeHandler as makeAggregate } from '../../functions/aggregate/handler.ts';
import { makeHandler as makeCustomChecks } from '../../functions/checks/custom/handler.ts';
import { FAMILIES, type Family } from '../../functions/checks/types.ts';
import { withGateResources } from '../../functions/list-resources/gate-resources.ts';
import { makeHandler as makeListResources } from '../../functions/list-resources/handler.ts';
import {
  createCloudFormationClient,
  createCodeDeployClient,
  createDynamoDbClient,
  createS3Client,
} from '../../functions/shared/clients.ts';
import type { GateConfigInput, GateResources } from '../../functions/shared/config.ts';
import {
  type AslDefinition,
  type AslState,
  DEFAULT_EXECUTION_TIMEOUT_SECONDS,
  LAMBDA_TIMEOUT_SECONDS,
  STATE_NAMES,
} from '../../statemachine/definition.ts';
import type { CheckFunctionRef, ExecutionInput, Report } from '../../statemachine/state.ts';
import { type LocalCheckFunction, localInvoker } from './check-functions.ts';
import {
  type ChildOutcome,
  LOCAL_MAP_RUN_RESOURCE,
  type LocalDistributedMap,
  type MapRunInput,
  runMapRun,
  withLocalMapRuns,
} from './distributed-map.ts';
import { type EventLog, ExecutionMonitor, historyEventsOf, transitionsOf } from './execution-monitor.ts';
import { type LambdaHandler, LocalLambdas } from './lambda-emulation.ts';
import { isSdkIntegration, sdkIntegration } from './sdk-integrations.ts';
import { withStackResourceOverlay } from './stack-resource-overlay.ts';

export { type EventLog, historyEventsOf } from './execution-monitor.ts';

export const DEFINITION_PATH = fileURLToPath(new URL('../../statemachine/fitness.asl.json', import.meta.url));
export const LOCAL_ACCOUNT = '123456789012';

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type TaskHandler = (input: JsonValue) => Promise<JsonValue>;

export interface LocalRunOptions {
  /** The gate's configuration (what FITGATE_CONFIG holds in the cloud). */
  readonly config?: GateConfigInput;
  /** The gate's own resources, as the FitnessGate construct writes them into the definition. */
  readonly gateResources?: GateResources;
  /** The history table; without it baseline and history are skipped, with a note. */
  readonly historyTableName?: string;
  /** The Aggregate's baseline from elsewhere than the history table (see AggregateDeps.baseline). */
  readonly baseline?: AggregateDeps['baseline'];
  /** The work bucket (an existing bucket): a plan too large for the state goes there, run by the Distributed Map. */
  readonly workBucketName?: string;
  /** ListResources' inline state budget (plan.ts); a test lowers it to run a small plan in the Distributed Map. */
  readonly inlineStateBudgetBytes?: number;
  readonly metricNamespace?: string;
  readonly executionName?: string;
  /** Replace a task state by name (fault injection): receives its input and the real binding. */
  readonly overrides?: Readonly<Record<string, (input: JsonValue, real: TaskHandler) => Promise<JsonValue>>>;
  /**
   * Replace a function by id (a check function's id, `ListResources` or `Aggregate`): receives the
   * payload and the real handler; what it throws fails the invocation as a thrown error would in
   * Lambda (a `Lambda.*` or `States.*` name stands for the service and passes as it is).
   */
  readonly functionOverrides?: Readonly<
    Record<string, (payload: unknown, real: LambdaHandler) => Promise<unknown>>
  >;
  /** Replace a check function's handler by id (e.g. one built with `makeHandler(clients)` around a named SDK mock). */
  readonly familyHandlers?: Partial<Record<Family | string, LambdaHandler>>;
  /**
   * The user-defined check functions' local handlers by check id (`--check-handler`): the custom
   * family's real handler invokes them as it invokes their Lambdas in the cloud.
   */
  readonly checkHandlers?: Readonly<Record<string, LocalCheckFunction>>;
  /** How long a local check function may take to answer. @default 80 s, as in the cloud */
  readonly checkFunctionTimeoutMs?: number;
  /** The functions' timeout, past which an invocation fails as Lambda's does. @default LAMBDA_TIMEOUT_SECONDS */
  readonly lambdaTimeoutSeconds?: number;
  /** Skip Retry back-off waits (tests). */
  readonly fastRetries?: boolean;
  /** Another definition than statemachine/fitness.asl.json (a conformance test's variant of the builder's). */
  readonly definition?: AslDefinition;
  /** The execution's TimeoutSeconds, as the construct sets it (the checked-in definition's otherwise). */
  readonly timeoutSeconds?: number;
  /** Aborting it stops the execution, as StopExecution does (status ABORTED). */
  readonly signal?: AbortSignal;
  /** Every event of the execution; a Distributed Map’s child execution ends as a MapIterationSucceeded or Failed. */
  readonly onEvent?: (event: EventLog) => void;
}

export interface ExecutionStats {
  readonly wallMs: number;
  /** States entered and retries, child executions started and their states: what Step Functions Standard bills. */
  readonly transitions: number;
  /** The execution's history events, as Step Functions Standard records them (see historyEventsOf). */
  readonly historyEvents: number;
  /** Largest state input or output (or task payload), in bytes of JSON, child executions included. */
  readonly maxPayloadBytes: number;
  readonly maxPayloadState: string;
  readonly lambdaInvocations: number;
  /** Milliseconds spent in each function's handler (by state or function id), summed (billed-duration model). */
  readonly lambdaMs: Readonly<Record<string, number>>;
  readonly workItems: number;
  /** Child executions the Distributed Map started (0 for an inline run), and the largest one's history. */
  readonly childExecutions: number;
  readonly maxChildHistoryEvents: number;
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

interface AslTask extends AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Retry?: unknown[];
  readonly Parameters?: { readonly functions?: readonly CheckFunctionRef[] };
  readonly ItemProcessor?: { readonly States: Record<string, AslTask> };
}

/** Every Task state, the inline Map processors' included. */
function taskStates(states: Readonly<Record<string, AslState>>): [string, AslTask][] {
  return Object.entries(states as Record<string, AslTask>).flatMap(([name, state]): [string, AslTask][] => [
    ...(state.Type === 'Task' ? ([[name, state]] as [string, AslTask][]) : []),
    ...(state.ItemProcessor ? taskStates(state.ItemProcessor.States) : []),
  ]);
}

const PLACEHOLDER = /\$\{([A-Za-z0-9]+)\}/g;
const FITNESS_FUNCTION_PLACEHOLDERS = new Set(['stackName', 'deploymentId', 'version', 'functionName']);
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:/;
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

/** The local name of the function a `${<key>}` substitution stands for (e.g. fitgate-local-S3ChecksFunctionArn). */
export const localFunctionName = (key: string) => `fitgate-local-${key}`;

/** The definition with its substitutions filled the way a local run fills them. */
export function localDefinition(
  options: Pick<LocalRunOptions, 'metricNamespace' | 'historyTableName' | 'workBucketName'> = {},
  definition: AslDefinition = loadDefinition(),
): AslDefinition {
  const values: Record<string, string> = {
    MetricNamespace: options.metricNamespace ?? 'Fitgate',
    HistoryTableName: options.historyTableName ?? 'fitgate-local-no-history-table',
    WorkBucketName: options.workBucketName ?? 'fitgate-local-no-work-bucket',
  };
  const text = JSON.stringify(definition).replace(PLACEHOLDER, (match, key: string) => {
    // A fitness function's own placeholder (`${version}`) is resolved per run, never substituted.
    if (FITNESS_FUNCTION_PLACEHOLDERS.has(key)) return match;
    return values[key] ?? `arn:aws:lambda:us-east-1:${LOCAL_ACCOUNT}:function:${localFunctionName(key)}`;
  });
  return JSON.parse(text) as AslDefinition;
}

/**
 * aws-local-stepfunctions validates a definition (asl-validator's schema, compiled by ajv) each time
 * it builds a state machine: about half a second, once per distinct definition is enough.
 */
const machines = new Map<string, StateMachine>();
function stateMachineOf(definition: unknown): StateMachine {
  const key = JSON.stringify(definition);
  let machine = machines.get(key);
  if (!machine) {
    machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    machines.set(key, machine);
  }
  return machine;
}

/**
 * A family's handler as its Lambda builds it (`makeHandler(create…Clients())`); a family that reads
 * the stack (ListStackResources) gets the same overlay as ListResources, so a lookup sees what the
 * deploy helper created (stack-resource-overlay.ts).
 */
async function builtInHandler(family: Family): Promise<LambdaHandler> {
  const module = (await import(`../../functions/checks/${family}/handler.ts`)) as {
    handler: LambdaHandler;
    makeHandler?: (clients: Record<string, unknown>) => LambdaHandler;
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

/** The failure of a run as Step Functions reports it: the error's name and its cause. */
function failureOf(thrown: unknown): { Error: string; Cause: string } {
  const failure = thrown as { cause?: { name?: string; message?: string }; message?: string; name?: string };
  return {
    Error: failure.cause?.name ?? failure.name ?? 'Error',
    Cause: failure.cause?.message ?? failure.message ?? '',
  };
}

export async function runGateLocally(
  input: ExecutionInput | Record<string, unknown>,
  options: LocalRunOptions = {},
): Promise<LocalExecution> {
  const executionName = options.executionName ?? `local-${randomUUID()}`;
  const loaded = options.definition ?? loadDefinition();
  const source = options.gateResources ? withGateResources(loaded, options.gateResources) : loaded;
  const substituted = localDefinition(
    options,
    options.timeoutSeconds ? { ...source, TimeoutSeconds: options.timeoutSeconds } : source,
  );
  const { definition, maps } = withLocalMapRuns(
    substituted,
    substituted.TimeoutSeconds ?? DEFAULT_EXECUTION_TIMEOUT_SECONDS,
  );
  const stateMachineArn = `arn:aws:states:us-east-1:${LOCAL_ACCOUNT}:stateMachine:fitgate-local`;
  const executionArn = `arn:aws:states:us-east-1:${LOCAL_ACCOUNT}:execution:fitgate-local:${executionName}`;
  const s3 = createS3Client();

  // The functions: ListResources and Aggregate by their task's ARN, the check functions by the
  // definition's routing table (ListResources' `functions`).
  const lambdas = new LocalLambdas(options.lambdaTimeoutSeconds ?? LAMBDA_TIMEOUT_SECONDS);
  const register = (arn: string, key: string, handler: LambdaHandler) => {
    const override = options.functionOverrides?.[key];
    lambdas.register(arn, key, override ? (payload) => override(payload, handler) : handler);
  };
  // The tasks of the local definition, the Distributed Maps' processors (their child executions') included.
  const tasks = [
    ...taskStates(definition.States),
    ...[...maps.values()].flatMap((map) => taskStates(map.processor.States)),
  ];
  const gateFunctions: Record<string, LambdaHandler> = {
    [STATE_NAMES.listResources]: makeListResources({
      // Locally, ListStackResources also lists what the deploy helper created (stack-resource-overlay.ts).
      cloudFormation: withStackResourceOverlay(createCloudFormationClient()),
      codeDeploy: createCodeDeployClient(),
      gateConfig: options.config,
      ...(options.historyTableName
        ? { history: { dynamoDb: createDynamoDbClient(), tableName: options.historyTableName } }
        : {}),
      workBucketName: options.workBucketName,
      s3,
      inlineStateBudgetBytes: options.inlineStateBudgetBytes,
    }) as LambdaHandler,
    [STATE_NAMES.aggregate]: makeAggregate({
      dynamoDb: createDynamoDbClient(),
      codeDeploy: createCodeDeployClient(),
      historyTableName: options.historyTableName,
      s3,
      ...(options.baseline ? { baseline: options.baseline } : {}),
    }) as LambdaHandler,
  };
  for (const [name, state] of tasks) {
    const handler = gateFunctions[name];
    if (handler && state.Resource && LAMBDA_ARN.test(state.Resource)) register(state.Resource, name, handler);
  }
  const checkFunctions = definition.States[STATE_NAMES.listResources] as AslTask | undefined;
  const localCustom = makeCustomChecks(
    localInvoker(options.checkHandlers ?? {}, options.checkFunctionTimeoutMs),
  );
  for (const { id, arn } of checkFunctions?.Parameters?.functions ?? []) {
    const handler =
      options.familyHandlers?.[id] ??
      (id === 'custom' ? (localCustom as LambdaHandler) : undefined) ??
      (FAMILIES.includes(id as Family) ? await builtInHandler(id as Family) : undefined);
    if (!handler) throw new Error(`no local handler for the check function ${id}`);
    register(arn, id, handler);
  }
  for (const name of Object.keys(options.overrides ?? {})) {
    if (!tasks.some(([task]) => task === name)) throw new Error(`override for unknown task state ${name}`);
  }

  const retryIntervalOverrides: Record<string, number> = {};
  for (const [name, state] of tasks) if (options.fastRetries && state.Retry) retryIntervalOverrides[name] = 0;

  let childExecutions = 0;
  let childTransitions = 0;
  let maxChildHistoryEvents = 0;
  const childMonitors: ExecutionMonitor[] = [];

  // Each task's binding, made once: the Lambda emulation, the Map Run, or the SDK call.
  const bindings: Record<string, TaskHandler> = {};
  for (const [name, state] of tasks) {
    const resource = state.Resource ?? '';
    if (resource === LAMBDA_INVOKE) {
      bindings[name] = (parameters) => lambdas.invokeIntegration(parameters) as Promise<JsonValue>;
    } else if (LAMBDA_ARN.test(resource)) {
      bindings[name] = (payload) => lambdas.invoke(resource, payload) as Promise<JsonValue>;
    } else if (resource === LOCAL_MAP_RUN_RESOURCE) {
      const map = maps.get(name);
      if (!map) throw new Error(`no Distributed Map ${name}`);
      bindings[name] = async (mapInput) =>
        (await runMapRun(map, mapInput as unknown as MapRunInput, {
          s3,
          executionArn,
          stateMachineArn,
          runChild: (childInput, childName) => runChild(map, childInput, childName),
        })) as JsonValue;
    } else if (name === STATE_NAMES.recordHistory && !options.historyTableName) {
      bindings[name] = async () => ({ skipped: 'no history table' });
    } else if (isSdkIntegration(resource)) {
      bindings[name] = sdkIntegration(resource) as TaskHandler;
    } else {
      throw new Error(`state ${name} has no local binding (${resource})`);
    }
  }

  /** The task handlers of one execution: each checks the state limit on what it takes and returns. */
  const bindTasks = (monitor: ExecutionMonitor): Record<string, TaskHandler> =>
    Object.fromEntries(
      Object.entries(bindings).map(([name, real]) => {
        const override = options.overrides?.[name];
        const handler: TaskHandler = async (taskInput) => {
          await monitor.guard();
          monitor.checkPayload(name, taskInput, 'task input');
          const result = await (override ? override(taskInput, real) : real(taskInput));
          monitor.checkPayload(name, result, 'task result');
          return result;
        };
        return [name, handler];
      }),
    );

  const childMachines = new Map([...maps.values()].map((map) => [map, stateMachineOf(map.processor)]));
  /** One Distributed Map iteration: a child execution with its own history and its own state limit. */
  async function runChild(
    map: LocalDistributedMap,
    childInput: unknown,
    name: string,
  ): Promise<ChildOutcome> {
    const machine = childMachines.get(map);
    if (!machine) throw new Error(`no child state machine for ${map.name}`);
    const monitor = new ExecutionMonitor(', child execution', (event) => {
      if (event.type === 'ExecutionSucceeded' || event.type === 'ExecutionFailed') {
        const type = event.type === 'ExecutionSucceeded' ? 'MapIterationSucceeded' : 'MapIterationFailed';
        options.onEvent?.({ ...event, type, index: childExecutions } as EventLog);
      }
    });
    childMonitors.push(monitor);
    childExecutions += 1;
    const execution = machine.run(childInput as never, {
      overrides: { taskResourceLocalHandlers: bindTasks(monitor) as never, retryIntervalOverrides },
      context: { Execution: { Id: `${executionArn}/${name}`, Name: name } } as never,
    });
    const consumed = monitor.consume(execution);
    let outcome: ChildOutcome;
    try {
      outcome = { status: 'SUCCEEDED', output: await execution.result };
    } catch (thrown) {
      outcome = {
        status: 'FAILED',
        error: monitor.limitExceeded ? failureOf(monitor.limitExceeded) : failureOf(thrown),
      };
    }
    await consumed;
    if (outcome.status === 'SUCCEEDED' && monitor.limitExceeded) {
      outcome = { status: 'FAILED', error: failureOf(monitor.limitExceeded) };
    }
    // Starting a child execution is a transition of its own, then its states are billed as any execution's.
    childTransitions += 1 + transitionsOf(monitor.events);
    maxChildHistoryEvents = Math.max(maxChildHistoryEvents, historyEventsOf(monitor.events));
    return outcome;
  }

  const monitor = new ExecutionMonitor('', options.onEvent);
  const machine = stateMachineOf(definition);
  const started = performance.now();
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: bindTasks(monitor) as never,
      retryIntervalOverrides,
    },
    context: {
      Execution: {
        Id: executionArn,
        Name: executionName,
        Input: input,
        StartTime: new Date().toISOString(),
        RoleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/fitgate-local`,
      },
      StateMachine: { Id: stateMachineArn, Name: 'fitgate-local' },
    } as never,
  });
  options.signal?.addEventListener('abort', () => execution.abort(), { once: true });
  if (options.signal?.aborted) execution.abort();
  const consumed = monitor.consume(execution);

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
    // A timed-out execution fails with States.Timeout, as in the cloud; an aborted one has no error.
    error =
      status === 'TIMED_OUT'
        ? {
            Error: 'States.Timeout',
            Cause: `the execution ran past its ${definition.TimeoutSeconds} s timeout`,
          }
        : status === 'ABORTED'
          ? undefined
          : failureOf(failure);
  }
  await consumed;
  // An oversized state fails the execution, whatever the engine went on to do (the runner aborted it).
  if (monitor.limitExceeded) {
    status = 'FAILED';
    report = undefined;
    error = failureOf(monitor.limitExceeded);
  }
  const wallMs = Math.round(performance.now() - started);
  const largest = [monitor, ...childMonitors].reduce((a, b) =>
    b.maxPayloadBytes > a.maxPayloadBytes ? b : a,
  );
  const inlineItems = monitor.events.filter((e) => e.type === 'MapIterationStarted').length;
  return {
    executionName,
    status,
    ...(report ? { report } : {}),
    ...(error ? { error } : {}),
    stats: {
      wallMs,
      transitions: transitionsOf(monitor.events) + childTransitions,
      historyEvents: historyEventsOf(monitor.events, { distributedMaps: new Set(maps.keys()) }),
      maxPayloadBytes: largest.maxPayloadBytes,
      maxPayloadState: largest.maxPayloadState,
      lambdaInvocations: lambdas.invocations,
      lambdaMs: { ...lambdas.billedMs },
      workItems: inlineItems + childExecutions,
      childExecutions,
      maxChildHistoryEvents,
    },
  };
}
