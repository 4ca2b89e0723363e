/**
 * Fault injection into the real workflow: however a hook-triggered run ends (timed out, aborted,
 * a service that never answers) CodeDeploy hears exactly one status, an ad-hoc run none, and the
 * history holds what happened. The real ASL runs in-process (aws-local-stepfunctions); the hook
 * starts its execution in moto's Step Functions and arms the deadline net in moto's EventBridge
 * Scheduler; both safety nets' handlers run as their triggers would invoke them.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateScheduleGroupCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
} from '@aws-sdk/client-scheduler';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../cli/emulation/codedeploy-standin.ts';
import { deployStack } from '../../cli/emulation/deploy/index.ts';
import {
  LOCAL_ACCOUNT,
  type LocalRunOptions,
  loadDefinition,
  runGateLocally,
} from '../../cli/emulation/runner.ts';
import { fromItem } from '../../functions/aggregate/history.ts';
import { createS3Clients } from '../../functions/checks/s3/clients.ts';
import { makeHandler as makeS3Checks } from '../../functions/checks/s3/handler.ts';
import { createStackClients } from '../../functions/checks/stack/clients.ts';
import { makeHandler as makeStackChecks } from '../../functions/checks/stack/handler.ts';
import { atExpression, DEADLINE_MARGIN_SECONDS, type DeadlineEvent } from '../../functions/deadline/core.ts';
import { makeHandler as makeDeadline } from '../../functions/deadline/handler.ts';
import { hookClients, makeHandler as makeHook } from '../../functions/hook/handler.ts';
import { makeHandler as makeSafetyNet } from '../../functions/safety-net/handler.ts';
import {
  createCodeDeployClient,
  createDynamoDbClient,
  createS3Client,
  createSchedulerClient,
  createSfnClient,
} from '../../functions/shared/clients.ts';
import type { ExecutionInput } from '../../statemachine/state.ts';
import { runCli } from '../cli/run-cli.ts';
import { type BlackHole, silentEndpoint, unacceptingEndpoint } from '../support/black-hole.ts';
import { invokeAnswer } from '../support/deployments.ts';
import {
  createHistoryTable,
  HISTORY_TABLE,
  registerDeployment,
  serviceTemplate,
} from '../support/gate-fixtures.ts';

const SCHEDULE_GROUP = 'fitgate-deadlines';
const DEADLINE_FUNCTION = `arn:aws:lambda:us-east-1:${LOCAL_ACCOUNT}:function:fitgate-deadline`;
const SCHEDULER_ROLE = `arn:aws:iam::${LOCAL_ACCOUNT}:role/fitgate-deadline-scheduler`;
/** The execution timeout the construct would configure, short enough for a test. */
const TIMEOUT_SECONDS = 2;

const dynamoDb = createDynamoDbClient();
const sfn = createSfnClient();
const scheduler = createSchedulerClient();
let standIn: CodeDeployStandIn;
let stateMachineArn: string;

// SDK mock: moto has no Lambda runtime, so Invoke of the target version is answered here.
const smokeLambda = new LambdaClient({});
const smokeLambdaMock = mockClient(smokeLambda);

function runOptions(extra: Partial<LocalRunOptions> = {}): LocalRunOptions {
  return {
    historyTableName: HISTORY_TABLE,
    fastRetries: true,
    familyHandlers: { stack: makeStackChecks({ ...createStackClients(), lambda: smokeLambda }) },
    ...extra,
  };
}

function statusesOf(deploymentId: string): string[] {
  return standIn
    .statuses()
    .filter((status) => status.deploymentId === deploymentId)
    .map((status) => status.status);
}

async function historyOf(stackName: string) {
  const { Items = [] } = await dynamoDb.send(new ScanCommand({ TableName: HISTORY_TABLE }));
  return Items.map(fromItem).filter((record) => record.stackName === stackName);
}

/** A deployed service, its deployment in the stand-in, and the hook invoked for it. */
async function hookedDeployment(stackName: string) {
  const deployed = await deployStack({ stackName, template: serviceTemplate() });
  const fn = deployed.resources.find((resource) => resource.logicalId === 'Fn')?.physicalId ?? 'fn';
  const hook = registerDeployment(standIn, fn);
  const invoke = makeHook(hookDepsFor(stackName));
  const started = await invoke({
    DeploymentId: hook.deploymentId,
    LifecycleEventHookExecutionId: hook.hookExecutionId,
  });
  const input: ExecutionInput = { stackName, trigger: 'BeforeAllowTraffic', ...hook };
  return { hook, started, input, invoke };
}

/** The hook as deployed: the state machine in moto, the deadline net armed in moto's scheduler. */
function hookDepsFor(stackName: string) {
  return {
    ...hookClients(),
    sfn,
    codeDeploy: createCodeDeployClient(),
    stateMachineArn,
    guardedStacks: JSON.stringify([stackName]),
    trigger: 'BeforeAllowTraffic',
    deadlineNet: {
      scheduler,
      scheduleGroupName: SCHEDULE_GROUP,
      targetArn: DEADLINE_FUNCTION,
      roleArn: SCHEDULER_ROLE,
      executionTimeoutSeconds: TIMEOUT_SECONDS,
    },
  };
}

/** The schedule the hook created for an execution, read back from the scheduler. */
async function scheduleOf(executionName: string) {
  return scheduler.send(new GetScheduleCommand({ Name: executionName, GroupName: SCHEDULE_GROUP }));
}

/** "Step Functions Execution Status Change" as EventBridge delivers it (input is the JSON text). */
function statusChangeEvent(status: string, executionName: string, input: ExecutionInput) {
  return {
    version: '0',
    id: 'b0e1c3f2-5d4a-4f7e-9b1c-0a2d3e4f5a6b',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: LOCAL_ACCOUNT,
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [`${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`],
    detail: {
      executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`,
      stateMachineArn,
      name: executionName,
      status,
      startDate: Date.now() - 5_000,
      stopDate: Date.now(),
      input: JSON.stringify(input),
      output: null,
      inputDetails: { included: true },
      outputDetails: null,
    },
  };
}

const hang = () => new Promise<never>(() => undefined);

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  process.env.AWS_ENDPOINT_URL_CODEDEPLOY = standIn.endpoint;
  smokeLambdaMock.on(InvokeCommand).resolves(invokeAnswer({ statusCode: 200 }));
  await createHistoryTable(dynamoDb);
  await scheduler.send(new CreateScheduleGroupCommand({ Name: SCHEDULE_GROUP }));
  ({ stateMachineArn = '' } = await sfn.send(
    new CreateStateMachineCommand({
      name: 'fitgate-gate',
      definition: JSON.stringify(loadDefinition()),
      roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/fitgate-state-machine`,
    }),
  ));
});

afterAll(async () => {
  await standIn.stop();
  smokeLambdaMock.restore();
});

describe('the hook arms the deadline net', () => {
  it('creates a one-off schedule at the execution’s deadline that deletes itself, once per hook execution', async () => {
    const { started, invoke, hook } = await hookedDeployment('armed-svc');
    const { startDate } = await sfn.send(
      new DescribeExecutionCommand({
        executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${started.executionName}`,
      }),
    );

    const schedule = await scheduleOf(started.executionName);

    expect(started).toMatchObject({ started: true });
    expect(started.deadline).toMatch(/\(armed\)$/);
    const deadline = new Date(
      (startDate as Date).getTime() + (TIMEOUT_SECONDS + DEADLINE_MARGIN_SECONDS) * 1000,
    );
    expect(schedule).toMatchObject({
      ScheduleExpression: atExpression(deadline),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: { Arn: DEADLINE_FUNCTION, RoleArn: SCHEDULER_ROLE },
    });
    expect(JSON.parse(schedule.Target?.Input ?? '{}')).toMatchObject({
      deploymentId: hook.deploymentId,
      hookExecutionId: hook.hookExecutionId,
      deadline: deadline.toISOString(),
    });
    // CodeDeploy (or Lambda's async retry) invokes the hook again for the same hook execution.
    const again = await invoke({
      DeploymentId: hook.deploymentId,
      LifecycleEventHookExecutionId: hook.hookExecutionId,
    });
    expect(again.executionName).toBe(started.executionName);
    expect(again.deadline).toMatch(/\(already-armed\)$/);
    const { Schedules = [] } = await scheduler.send(new ListSchedulesCommand({ GroupName: SCHEDULE_GROUP }));
    expect(Schedules.filter((s) => s.Name === started.executionName)).toHaveLength(1);
    expect(statusesOf(hook.deploymentId)).toEqual([]);
  });
});

describe('both safety nets, end to end', () => {
  it('an execution that times out: the EventBridge net reports Failed, the deadline net stops it and finds it reported', async () => {
    // Prepare: the hook started the execution; the real ASL runs it and a check never returns.
    const { hook, started, input } = await hookedDeployment('timed-out-svc');
    const schedule = await scheduleOf(started.executionName);

    // Act 1: the execution runs into its TimeoutSeconds.
    const run = await runGateLocally(
      input,
      runOptions({
        executionName: started.executionName,
        timeoutSeconds: TIMEOUT_SECONDS,
        functionOverrides: { s3: hang },
      }),
    );
    // Assess 1: the state machine itself could not report.
    expect(run.status).toBe('TIMED_OUT');
    expect(run.error?.Error).toBe('States.Timeout');
    expect(statusesOf(hook.deploymentId)).toEqual([]);

    // Act 2: EventBridge delivers the TIMED_OUT event to the safety net.
    const eventBridgeNet = await makeSafetyNet({ codeDeploy: createCodeDeployClient() })(
      statusChangeEvent('TIMED_OUT', started.executionName, input),
    );
    // Act 3: the schedule fires at the deadline (moto still shows the execution it knows as RUNNING).
    const deadlineNet = await makeDeadline({ sfn, codeDeploy: createCodeDeployClient() })(
      JSON.parse(schedule.Target?.Input ?? '{}') as DeadlineEvent,
    );

    // Assess: one Failed; the deadline stopped the execution and found the hook completed.
    expect(eventBridgeNet).toEqual({ reported: 'reported' });
    expect(deadlineNet).toEqual({ status: 'RUNNING', stopped: true, reported: 'already-completed' });
    expect(statusesOf(hook.deploymentId)).toEqual(['Failed']);
    const { status } = await sfn.send(
      new DescribeExecutionCommand({ executionArn: JSON.parse(schedule.Target?.Input ?? '{}').executionArn }),
    );
    expect(status).toBe('ABORTED');
    // Nothing was scored, so nothing was recorded.
    expect(await historyOf('timed-out-svc')).toEqual([]);
  });

  it('an aborted execution whose status event never arrives: the deadline net alone reports Failed, once', async () => {
    const { hook, started, input } = await hookedDeployment('aborted-svc');
    const schedule = await scheduleOf(started.executionName);
    const event = JSON.parse(schedule.Target?.Input ?? '{}') as DeadlineEvent;
    const operator = new AbortController();

    // Act 1: an operator stops the execution while its checks run (StopExecution).
    const run = await runGateLocally(
      input,
      runOptions({
        executionName: started.executionName,
        signal: operator.signal,
        functionOverrides: {
          s3: async () => {
            operator.abort();
            return hang();
          },
        },
      }),
    );
    await sfn.send(new StopExecutionCommand({ executionArn: event.executionArn }));
    expect(run.status).toBe('ABORTED');
    expect(statusesOf(hook.deploymentId)).toEqual([]);

    // Act 2: EventBridge's best-effort delivery lost the ABORTED event; the deadline comes.
    const deadlineNet = await makeDeadline({ sfn, codeDeploy: createCodeDeployClient() })(event);

    // Assess
    expect(deadlineNet).toEqual({ status: 'ABORTED', stopped: false, reported: 'reported' });
    expect(statusesOf(hook.deploymentId)).toEqual(['Failed']);
    // A late duplicate of the event changes nothing.
    const late = await makeSafetyNet({ codeDeploy: createCodeDeployClient() })(
      statusChangeEvent('ABORTED', started.executionName, input),
    );
    expect(late).toEqual({ reported: 'already-completed' });
    expect(statusesOf(hook.deploymentId)).toEqual(['Failed']);
    expect(await historyOf('aborted-svc')).toEqual([]);
  });

  it('a deadline for an execution that succeeded and reported: nothing more is sent', async () => {
    const { hook, started, input } = await hookedDeployment('succeeded-svc');
    const schedule = await scheduleOf(started.executionName);
    const run = await runGateLocally(input, runOptions({ executionName: started.executionName }));
    expect(run.status).toBe('SUCCEEDED');
    const reported = statusesOf(hook.deploymentId);
    expect(reported).toHaveLength(1);
    // moto runs no ASL: tell it what the in-process run did, as Step Functions would know it.
    const deadline = makeDeadline({
      sfn: Object.assign(createSfnClient(), {
        send: async (command: unknown) =>
          command instanceof DescribeExecutionCommand ? { status: 'SUCCEEDED' } : sfn.send(command as never),
      }) as never,
      codeDeploy: createCodeDeployClient(),
    });

    const result = await deadline(JSON.parse(schedule.Target?.Input ?? '{}'));

    expect(result).toEqual({ status: 'SUCCEEDED', stopped: false, reported: 'nothing owed' });
    expect(statusesOf(hook.deploymentId)).toEqual(reported);
    expect(await historyOf('succeeded-svc')).toHaveLength(1);
  });
});

describe('a service that never answers', () => {
  let silent: BlackHole;
  let unaccepting: BlackHole;

  beforeAll(async () => {
    silent = await silentEndpoint();
    unaccepting = await unacceptingEndpoint();
    await deployStack({ stackName: 'hung-adhoc-svc', template: serviceTemplate() });
    await createHistoryTable(dynamoDb, 'fitgate-hung-history');
  });

  afterAll(async () => {
    await silent.close();
    await unaccepting.close();
  });

  it('turns a hung S3 into ERROR results naming it; the hook run reports Failed once and records the run', async () => {
    const { hook, started, input } = await hookedDeployment('hung-s3-svc');
    // The SDK reads AWS_ENDPOINT_URL_S3 when it sends: S3 is black-holed for this run only.
    const before = process.env.AWS_ENDPOINT_URL_S3;
    process.env.AWS_ENDPOINT_URL_S3 = silent.endpoint;
    let run: Awaited<ReturnType<typeof runGateLocally>>;
    try {
      const s3 = createS3Client(undefined, { connectionMs: 1_000, requestMs: 2_000, maxAttempts: 1 });
      run = await runGateLocally(
        input,
        runOptions({
          executionName: started.executionName,
          familyHandlers: {
            s3: makeS3Checks({ ...createS3Clients(), s3 }),
            stack: makeStackChecks({ ...createStackClients(), lambda: smokeLambda }),
          },
        }),
      );
    } finally {
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL_S3;
      else process.env.AWS_ENDPOINT_URL_S3 = before;
    }

    expect(run.status).toBe('SUCCEEDED');
    const s3Errors =
      run.report?.results.filter((r) => r.checkId.startsWith('s3-') && r.status === 'ERROR') ?? [];
    expect(s3Errors.length).toBeGreaterThan(0);
    for (const result of s3Errors) {
      expect(result.message).toMatch(/^TimeoutError: S3 \w+: no answer within 2000 ms from 127\.0\.0\.1:\d+/);
    }
    expect(run.report?.decision).toBe('Failed');
    expect(statusesOf(hook.deploymentId)).toEqual(['Failed']);
    const [record] = await historyOf('hung-s3-svc');
    expect(record).toMatchObject({ decision: 'Failed', deploymentId: hook.deploymentId, accepted: false });
  });

  for (const [kind, hole, budget] of [
    ['accepts and never answers', () => silent, /no answer within 10000 ms/],
    ['never accepts the connection', () => unaccepting, /no connection within 3000 ms/],
  ] as const) {
    it(`an ad-hoc \`fitgate audit --local\` with S3 that ${kind} ends in bounded time, reports nothing to CodeDeploy`, async () => {
      const callsBefore = standIn.calls().length;
      const started = performance.now();

      const run = await runCli(
        [
          'audit',
          '--stack',
          'hung-adhoc-svc',
          '--local',
          '--format',
          'json',
          '--table',
          'fitgate-hung-history',
        ],
        {
          env: { AWS_ENDPOINT_URL_S3: hole().endpoint, AWS_MAX_ATTEMPTS: '1' },
          timeoutMs: 55_000,
        },
      );

      const seconds = (performance.now() - started) / 1000;
      expect(run.code, run.stderr).toBe(1);
      expect(seconds).toBeLessThan(50);
      const report = JSON.parse(run.stdout) as {
        results: { checkId: string; status: string; message: string }[];
      };
      const s3Errors = report.results.filter((r) => r.checkId.startsWith('s3-') && r.status === 'ERROR');
      expect(s3Errors.length).toBeGreaterThan(0);
      for (const result of s3Errors) expect(result.message).toMatch(/TimeoutError: S3 \w+: /);
      expect(s3Errors.some((result) => budget.test(result.message))).toBe(true);
      expect(standIn.calls().slice(callsBefore)).toEqual([]);
      const { Items = [] } = await dynamoDb.send(new ScanCommand({ TableName: 'fitgate-hung-history' }));
      expect(
        Items.map(fromItem).every((item) => item.trigger === 'adhoc' && item.decision === 'Failed'),
      ).toBe(true);
    });
  }
});
