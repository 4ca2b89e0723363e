/**
 * A second opinion on Step Functions semantics: the generated definition run by moto's own ASL
 * interpreter (LocalStack's, `execute_state_machine`) and by the local runner, on the same input and
 * with the same function answers (what the real handlers returned in the local run, queued as
 * moto's Lambda results: moto runs no Lambda code). moto must accept the definition and take the
 * same path, and `historyEventsOf` must count the events moto records: on the happy path, through
 * a Catch to a Fail state, through retries, and in the Distributed Map (items and results in S3).
 *
 * Where moto departs from AWS's documentation the documentation wins and is tested elsewhere
 * (test/workflow/state-limit.test.ts): moto lets a Catch on States.ALL take States.DataLimitExceeded
 * and States.Runtime, which "States.ALL ... can't catch"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 */

import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  type HistoryEvent,
  paginateGetExecutionHistory,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../cli/emulation/codedeploy-standin.ts';
import { deployStack } from '../../cli/emulation/deploy/index.ts';
import type { EventLog } from '../../cli/emulation/execution-monitor.ts';
import {
  historyEventsOf,
  type LocalRunOptions,
  localDefinition,
  localFunctionName,
  runGateLocally,
} from '../../cli/emulation/runner.ts';
import { createStackClients } from '../../functions/checks/stack/clients.ts';
import { makeHandler as makeStackChecks } from '../../functions/checks/stack/handler.ts';
import { FAMILIES } from '../../functions/checks/types.ts';
import {
  createDynamoDbClient,
  createLambdaClient,
  createS3Client,
  createSfnClient,
} from '../../functions/shared/clients.ts';
import { type AslDefinition, buildDefinition } from '../../statemachine/definition.ts';
import { invokeAnswer } from '../support/deployments.ts';
import {
  createHistoryTable,
  HISTORY_TABLE,
  registerDeployment,
  serviceTemplate,
} from '../support/gate-fixtures.ts';
import { createTestFunction } from '../support/lambda-fixtures.ts';

const endpoint = inject('motoEndpoint');
const STACK = 'conformance-svc';
const WORK_BUCKET = 'fitgate-conformance-work';
const sfn = createSfnClient();
const options = { historyTableName: HISTORY_TABLE, workBucketName: WORK_BUCKET };
const smokeLambda = new LambdaClient({});
// SDK mock: the smoke invocation of the deployment's target version (moto runs no Lambda code).
const smokeLambdaMock = mockClient(smokeLambda);
let standIn: CodeDeployStandIn;
let targetFunction: string;

async function motoApi(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${endpoint}${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`moto ${path} answered HTTP ${response.status}`);
}

const FUNCTION_IDS = ['ListResources', 'Aggregate', ...FAMILIES];

/** Runs the definition locally and records every function's answers, in the order they came. */
async function localRun(input: Record<string, unknown>, extra: Partial<LocalRunOptions> = {}) {
  const answers: unknown[] = [];
  const events: EventLog[] = [];
  const { functionOverrides = {}, ...rest } = extra;
  const recorded = Object.fromEntries(
    FUNCTION_IDS.map((id) => [
      id,
      async (payload: unknown, real: (event: unknown) => Promise<unknown>) => {
        const override = functionOverrides[id];
        const answer = await (override ? override(payload, real) : real(payload));
        answers.push(answer);
        return answer;
      },
    ]),
  );
  const run = await runGateLocally(input, {
    ...options,
    fastRetries: true,
    familyHandlers: { stack: makeStackChecks({ ...createStackClients(), lambda: smokeLambda }) },
    functionOverrides: recorded,
    onEvent: (event) => events.push(event),
    ...rest,
  });
  return { run, answers, events };
}

/** Empties moto's queue of Lambda answers: an invocation answers its own payload once it is empty. */
async function drainLambdaAnswers(): Promise<void> {
  const lambda = createLambdaClient();
  const sentinel = JSON.stringify({ drained: true });
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const { Payload } = await lambda.send(
      new InvokeCommand({ FunctionName: localFunctionName('AggregateFunctionArn'), Payload: sentinel }),
    );
    if (new TextDecoder().decode(Payload) === sentinel) return;
  }
}

/** Runs the same definition in moto's interpreter, its Lambda functions answering `answers` in turn. */
async function motoRun(
  definition: AslDefinition,
  input: Record<string, unknown>,
  answers: readonly unknown[],
  mode: { withDocker?: boolean } = {},
) {
  await drainLambdaAnswers();
  await motoApi('/moto-api/static/lambda-simple/response', {
    results: answers.map((answer) => JSON.stringify(answer)),
    region: 'us-east-1',
  });
  // moto's Lambda without Docker answers for any name; with Docker (none here), a missing function fails.
  if (mode.withDocker) await motoApi('/moto-api/config', { lambda: { use_docker: true } });
  try {
    return await startAndRead(definition, input);
  } finally {
    if (mode.withDocker) await motoApi('/moto-api/config', { lambda: { use_docker: false } });
  }
}

async function startAndRead(definition: AslDefinition, input: Record<string, unknown>) {
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({
      name: `conformance-${Math.random().toString(36).slice(2, 10)}`,
      definition: JSON.stringify(definition),
      roleArn: 'arn:aws:iam::123456789012:role/fitgate-state-machine',
    }),
  );
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
  );
  let status = 'RUNNING';
  for (let waited = 0; status === 'RUNNING' && waited < 120_000; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status ?? 'RUNNING';
  }
  const events: HistoryEvent[] = [];
  for await (const page of paginateGetExecutionHistory({ client: sfn }, { executionArn, maxResults: 1000 })) {
    events.push(...(page.events ?? []));
  }
  // moto 5.2.1 deep-copies its whole backend into each new execution, and fails once it holds a
  // finished one: the state machine (and its executions) goes once it is read.
  await sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
  return { status, events };
}

const enteredStates = (events: readonly HistoryEvent[]) =>
  events.flatMap((event) =>
    event.stateEnteredEventDetails?.name ? [event.stateEnteredEventDetails.name] : [],
  );
const localEnteredStates = (events: readonly EventLog[]) =>
  events.flatMap((event) => (event.type === 'StateEntered' ? [event.state.name] : []));

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  process.env.AWS_ENDPOINT_URL_CODEDEPLOY = standIn.endpoint;
  smokeLambdaMock.on(InvokeCommand).resolves(invokeAnswer({ statusCode: 200 }));
  await createHistoryTable(createDynamoDbClient());
  await createS3Client().send(new CreateBucketCommand({ Bucket: WORK_BUCKET }));
  const deployed = await deployStack({ stackName: STACK, template: serviceTemplate() });
  targetFunction = deployed.resources.find((r) => r.logicalId === 'Fn')?.physicalId ?? '';
  await motoApi('/moto-api/config', {
    stepfunctions: { execute_state_machine: true },
    lambda: { use_docker: false },
  });
  const keys = JSON.stringify(localDefinition()).match(/function:fitgate-local-[A-Za-z0-9]+/g) ?? [];
  for (const name of new Set(keys.map((key) => key.slice('function:'.length)))) {
    await createTestFunction(createLambdaClient(), name);
  }
});

afterAll(async () => {
  await standIn.stop();
  await motoApi('/moto-api/config', {
    stepfunctions: { execute_state_machine: false },
    lambda: { use_docker: true },
  });
  smokeLambdaMock.restore();
});

describe('the generated definition in moto’s interpreter', () => {
  it('is accepted, takes the same path on an audit, and records the events historyEventsOf counts', async () => {
    const input = { stackName: STACK };
    const local = await localRun(input);
    expect(local.run.status).toBe('SUCCEEDED');

    const moto = await motoRun(localDefinition(options), input, local.answers);

    expect(moto.status).toBe('SUCCEEDED');
    expect(enteredStates(moto.events)).toEqual(localEnteredStates(local.events));
    expect(moto.events).toHaveLength(historyEventsOf(local.events));
    expect(moto.events).toHaveLength(local.run.stats.historyEvents);
  });

  it('counts a failed task caught on its way to a Fail state as moto records it', async () => {
    const input = { stackName: STACK };
    const failing = await localRun(input, {
      functionOverrides: { ListResources: async () => Promise.reject(new Error('injected')) },
    });

    const moto = await motoRun(localDefinition(options), input, [], { withDocker: true });

    expect(failing.run.error?.Error).toBe('FitnessAuditFailed');
    expect(moto.status).toBe('FAILED');
    expect(enteredStates(moto.events)).toEqual(localEnteredStates(failing.events));
    expect(moto.events).toHaveLength(failing.run.stats.historyEvents);
  });

  it('counts retries as moto records them', async () => {
    const fast = buildDefinition({
      retryPolicy: {
        IntervalSeconds: 1,
        MaxAttempts: 2,
        BackoffRate: 1,
        MaxDelaySeconds: 1,
        JitterStrategy: 'NONE',
      },
    });
    // A hook run CodeDeploy confirms (the stand-in), so the run reports, and the report keeps failing.
    const input = {
      stackName: STACK,
      trigger: 'BeforeAllowTraffic',
      ...registerDeployment(standIn, targetFunction),
    };
    const failing = await localRun(input, {
      definition: fast,
      overrides: {
        ReportToCodeDeploy: async () => {
          throw Object.assign(new Error('HTTP 500'), { name: 'CodeDeploy.CodeDeployException' });
        },
      },
    });

    // moto has no PutLifecycleEventHookExecutionStatus: every attempt fails, as locally.
    const moto = await motoRun(localDefinition(options, fast), input, failing.answers);

    expect(failing.run.error?.Error).toBe('ReportToCodeDeployFailed');
    expect(moto.status).toBe('FAILED');
    expect(enteredStates(moto.events)).toEqual(localEnteredStates(failing.events));
    expect(moto.events).toHaveLength(failing.run.stats.historyEvents);
  });

  it('counts a Distributed Map run (items and results in S3) as moto records it', async () => {
    const input = { stackName: STACK };
    const local = await localRun(input, { inlineStateBudgetBytes: 0 });
    expect(local.run.stats.childExecutions).toBeGreaterThan(0);

    const moto = await motoRun(localDefinition(options), input, local.answers);

    expect(moto.status).toBe('SUCCEEDED');
    expect(enteredStates(moto.events)).toEqual(localEnteredStates(local.events));
    expect(moto.events.filter((e) => e.type?.startsWith('MapRun')).map((e) => e.type)).toEqual([
      'MapRunStarted',
      'MapRunSucceeded',
    ]);
    expect(moto.events).toHaveLength(local.run.stats.historyEvents);
  });
});
