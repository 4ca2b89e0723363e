/**
 * The real ASL, run in-process by aws-local-stepfunctions: Lambda states bound to the real
 * handlers, aws-sdk states to real SDK calls, against moto and the CodeDeploy stand-in.
 *
 * moto runs no Lambda code, so the smoke invocation of the deployment's target version goes to a
 * named aws-sdk-client-mock of the Lambda client (only Invoke is mocked; everything else is moto).
 */
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateStateMachineCommand, ListExecutionsCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../cli/emulation/codedeploy-standin.ts';
import { type DeployResult, deployStack } from '../../cli/emulation/deploy/index.ts';
import { type LocalRunOptions, loadDefinition, runGateLocally } from '../../cli/emulation/runner.ts';
import { fromItem } from '../../functions/aggregate/history.ts';
import { createStackClients } from '../../functions/checks/stack/clients.ts';
import { makeHandler as makeStackChecks } from '../../functions/checks/stack/handler.ts';
import { hookClients, makeHandler as makeHook } from '../../functions/hook/handler.ts';
import { createDynamoDbClient, createSfnClient } from '../../functions/shared/clients.ts';
import { invokeAnswer } from '../support/deployments.ts';
import {
  createHistoryTable,
  eventBridgeToOutcomeTracker,
  functionOf,
  HISTORY_TABLE,
  registerDeployment,
  releaseService,
  serviceTemplate,
} from '../support/gate-fixtures.ts';

const dynamoDb = createDynamoDbClient();
let standIn: CodeDeployStandIn;

// SDK mock: moto has no Lambda runtime, so Invoke of the target version is answered here.
const smokeLambda = new LambdaClient({});
const smokeLambdaMock = mockClient(smokeLambda);
function stackChecksWithSmokeMock() {
  return makeStackChecks({ ...createStackClients(), lambda: smokeLambda });
}

function runOptions(extra: Partial<LocalRunOptions> = {}): LocalRunOptions {
  return {
    historyTableName: HISTORY_TABLE,
    fastRetries: true,
    familyHandlers: { stack: stackChecksWithSmokeMock() },
    ...extra,
  };
}

async function deployService(
  stackName: string,
  options: { publicBucket?: boolean } = {},
): Promise<DeployResult> {
  return deployStack({ stackName, template: serviceTemplate(options) });
}

/** The statuses the stand-in accepted for one deployment, oldest first. */
function statusesOf(deploymentId: string): string[] {
  return standIn
    .statuses()
    .filter((s) => s.deploymentId === deploymentId)
    .map((s) => s.status);
}

async function historyOf(stackName: string) {
  const { Items = [] } = await dynamoDb.send(new ScanCommand({ TableName: HISTORY_TABLE }));
  return Items.map(fromItem).filter((record) => record.stackName === stackName);
}

let deliverEvents: ReturnType<typeof eventBridgeToOutcomeTracker>;

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  deliverEvents = eventBridgeToOutcomeTracker(standIn, dynamoDb);
  process.env.AWS_ENDPOINT_URL_CODEDEPLOY = standIn.endpoint;
  await createHistoryTable(dynamoDb);
});

afterAll(async () => {
  await standIn.stop();
  smokeLambdaMock.restore();
});

beforeEach(() => {
  smokeLambdaMock.reset();
  smokeLambdaMock.on(InvokeCommand).resolves(invokeAnswer({ statusCode: 200 }));
});

describe('the fitness workflow', () => {
  it('reports Succeeded for a clean stack, once, and records the run', async () => {
    const deployed = await deployService('clean-svc');
    const hook = registerDeployment(standIn, functionOf(deployed));

    const run = await runGateLocally(
      { stackName: 'clean-svc', trigger: 'BeforeAllowTraffic', ...hook },
      runOptions(),
    );

    expect(run.status).toBe('SUCCEEDED');
    expect(run.report?.decision).toBe('Succeeded');
    expect(run.report?.results.find((r) => r.checkId === 'deployment-target-smoke-invoke')?.status).toBe(
      'PASS',
    );
    expect(statusesOf(hook.deploymentId)).toEqual(['Succeeded']);
    const [recorded] = await historyOf('clean-svc');
    // CodeDeploy has not finished the deployment when the gate records its run.
    expect(recorded).toMatchObject({
      decision: 'Succeeded',
      outcome: 'PENDING',
      accepted: false,
      deploymentId: hook.deploymentId,
      fitness: run.report?.fitness,
    });
    // The deployment's SUCCESS event reaches the outcome tracker: the run is accepted.
    expect(await deliverEvents()).toContainEqual({
      deploymentId: hook.deploymentId,
      outcome: 'SUCCEEDED',
      marked: 1,
    });
    const [kept] = await historyOf('clean-svc');
    expect(kept).toMatchObject({
      decision: 'Succeeded',
      outcome: 'SUCCEEDED',
      outcomeSource: 'event',
      accepted: true,
    });
  });

  it('reports Failed for a public bucket, naming the critical check', async () => {
    const deployed = await deployService('public-svc', { publicBucket: true });
    const hook = registerDeployment(standIn, functionOf(deployed));

    const run = await runGateLocally(
      { stackName: 'public-svc', trigger: 'BeforeAllowTraffic', ...hook },
      runOptions(),
    );

    expect(run.report?.decision).toBe('Failed');
    expect(run.report?.reasons[0]).toMatch(/^critical s3-bucket-public-read-prohibited failed on DataBucket/);
    expect(statusesOf(hook.deploymentId)).toEqual(['Failed']);
  });

  it('fails a deployment whose fitness regressed against the last accepted one', async () => {
    const deployed = await deployService('evolving-svc');
    const first = registerDeployment(standIn, functionOf(deployed));
    const accepted = await runGateLocally(
      { stackName: 'evolving-svc', trigger: 'BeforeAllowTraffic', ...first },
      runOptions(),
    );
    expect(accepted.report?.decision).toBe('Succeeded');
    // The next release (a new stack update) drops the TLS-only bucket policy.
    const next = await releaseService('evolving-svc', dynamoDb, { tlsOnly: false });
    const second = registerDeployment(standIn, functionOf(next));

    const run = await runGateLocally(
      { stackName: 'evolving-svc', trigger: 'BeforeAllowTraffic', ...second },
      runOptions(),
    );

    expect(run.report?.baseline).toBe(accepted.report?.fitness);
    expect(run.report?.decision).toBe('Failed');
    expect(run.report?.reasons[0]).toMatch(
      /^fitness regressed from [\d.]+ to [\d.]+ \(allowed drop 0\); new findings: s3-bucket-ssl-requests-only@DataBucket/,
    );
    expect(run.report?.diff).toMatchObject({
      new: ['s3-bucket-ssl-requests-only@DataBucket'],
      since: first.deploymentId,
    });
    expect(statusesOf(second.deploymentId)).toEqual(['Failed']);
    // The first run's outcome was learned at lookup time (GetDeployment) and recorded.
    expect((await historyOf('evolving-svc')).map((r) => [r.outcome, r.accepted])).toEqual([
      ['SUCCEEDED', true],
      ['PENDING', false],
    ]);
  });

  it('reports nothing to CodeDeploy for an ad-hoc audit, which never becomes a baseline', async () => {
    await deployService('adhoc-svc');
    const before = standIn.calls().length;

    const run = await runGateLocally({ stackName: 'adhoc-svc' }, runOptions());

    expect(run.status).toBe('SUCCEEDED');
    expect(run.report?.trigger).toBe('adhoc');
    expect(run.report?.results.find((r) => r.checkId === 'deployment-target-smoke-invoke')).toBeUndefined();
    expect(
      standIn
        .calls()
        .slice(before)
        .filter((c) => c.operation === 'PutLifecycleEventHookExecutionStatus'),
    ).toEqual([]);
    const [record] = await historyOf('adhoc-svc');
    expect(record).toMatchObject({ trigger: 'adhoc', accepted: false });
  });
});

describe('fault injection: the gate always reports exactly once, and the execution ends', () => {
  async function hookRun(stackName: string, extra: Partial<LocalRunOptions> = {}) {
    const deployed = await deployService(stackName);
    const hook = registerDeployment(standIn, functionOf(deployed));
    const run = await runGateLocally(
      { stackName, trigger: 'BeforeAllowTraffic', ...hook },
      runOptions(extra),
    );
    const statuses = statusesOf(hook.deploymentId);
    return { run, statuses, hook };
  }

  const lambdaError = (name: string, message = 'injected') => Object.assign(new Error(message), { name });

  it('turns a check Lambda that throws into ERROR results without aborting the Map', async () => {
    const { run, statuses } = await hookRun('throwing-svc', {
      functionOverrides: {
        s3: async () => Promise.reject(lambdaError('TypeError', 'cannot read properties of undefined')),
      },
    });

    expect(run.status).toBe('SUCCEEDED');
    const s3Results = run.report?.results.filter((r) => r.checkId.startsWith('s3-')) ?? [];
    expect(s3Results.length).toBeGreaterThan(0);
    expect(s3Results.every((r) => r.status === 'ERROR' && r.message.includes('TypeError'))).toBe(true);
    expect(run.report?.results.some((r) => r.checkId.startsWith('lambda-') && r.status !== 'ERROR')).toBe(
      true,
    );
    // s3-bucket-public-read-prohibited is critical: an ERROR there fails the gate (fail closed).
    expect(statuses).toEqual(['Failed']);
  });

  it('retries a throttled check Lambda and succeeds on the third attempt', async () => {
    let calls = 0;
    const { run, statuses } = await hookRun('throttled-svc', {
      functionOverrides: {
        lambda: async (payload, real) => {
          calls += 1;
          if (calls <= 2) throw lambdaError('Lambda.TooManyRequestsException', 'Rate exceeded');
          return real(payload);
        },
      },
    });

    expect(calls).toBe(3);
    expect(
      run.report?.results.filter((r) => r.checkId.startsWith('lambda-')).every((r) => r.status !== 'ERROR'),
    ).toBe(true);
    expect(statuses).toEqual(['Succeeded']);
  });

  it('reports Failed when ListStackResources fails', async () => {
    const { run, statuses } = await hookRun('unlistable-svc', {
      overrides: {
        ListResources: async () =>
          Promise.reject(lambdaError('ValidationError', 'ListStackResources: Rate exceeded')),
      },
    });

    expect(run.status).toBe('FAILED');
    expect(run.error?.Error).toBe('FitnessGateFailed');
    expect(statuses).toEqual(['Failed']);
  });

  it('reports Failed when the stack does not exist', async () => {
    const hook = registerDeployment(standIn, 'no-such-function');

    const run = await runGateLocally(
      { stackName: 'no-such-stack', trigger: 'BeforeAllowTraffic', ...hook },
      runOptions(),
    );

    expect(run.status).toBe('FAILED');
    expect(statusesOf(hook.deploymentId)).toEqual(['Failed']);
  });

  it('still reports the decision when PutMetricData fails, and still records the run', async () => {
    const { run, statuses } = await hookRun('unmetered-svc', {
      overrides: {
        PublishMetrics: async () => Promise.reject(lambdaError('CloudWatch.InternalServiceFault')),
      },
    });

    expect(run.status).toBe('SUCCEEDED');
    expect(statuses).toEqual(['Succeeded']);
    expect(await historyOf('unmetered-svc')).toHaveLength(1);
  });

  it('still reports the decision when the history write fails', async () => {
    const { run, statuses } = await hookRun('unrecorded-svc', {
      overrides: {
        RecordHistory: async () =>
          Promise.reject(lambdaError('DynamoDB.ProvisionedThroughputExceededException')),
      },
    });

    expect(run.status).toBe('SUCCEEDED');
    expect(statuses).toEqual(['Succeeded']);
    expect(await historyOf('unrecorded-svc')).toEqual([]);
  });

  it('treats an already completed lifecycle event as reported', async () => {
    const deployed = await deployService('reported-svc');
    const hook = registerDeployment(standIn, functionOf(deployed));
    // The status arrives while the audit runs (the safety net, or a second execution of the hook).
    const reportMeanwhile = async (input: unknown, real: (input: never) => Promise<unknown>) => {
      await new CodeDeployClient({}).send(
        new PutLifecycleEventHookExecutionStatusCommand({
          deploymentId: hook.deploymentId,
          lifecycleEventHookExecutionId: hook.hookExecutionId,
          status: 'Failed',
        }),
      );
      return real(input as never);
    };

    const run = await runGateLocally(
      { stackName: 'reported-svc', trigger: 'BeforeAllowTraffic', ...hook },
      runOptions({ overrides: { Aggregate: reportMeanwhile as never } }),
    );

    expect(run.status).toBe('SUCCEEDED');
    expect(statusesOf(hook.deploymentId)).toEqual(['Failed']);
    expect(
      standIn
        .calls()
        .filter(
          (c) =>
            c.operation === 'PutLifecycleEventHookExecutionStatus' &&
            c.body.deploymentId === hook.deploymentId,
        ),
    ).toHaveLength(2);
  });

  it('starts one execution for a hook invoked three times, which reports once', async () => {
    const deployed = await deployService('retried-hook-svc');
    const hook = registerDeployment(standIn, functionOf(deployed));
    const { stateMachineArn } = await createSfnClient().send(
      new CreateStateMachineCommand({
        name: 'fitgate-gate',
        definition: JSON.stringify(loadDefinition()),
        roleArn: 'arn:aws:iam::123456789012:role/fitgate-state-machine',
      }),
    );
    const invokeHook = makeHook({
      ...hookClients(),
      stateMachineArn,
      guardedStacks: JSON.stringify(['retried-hook-svc']),
      trigger: 'BeforeAllowTraffic',
    });
    const event = { DeploymentId: hook.deploymentId, LifecycleEventHookExecutionId: hook.hookExecutionId };

    const results = [await invokeHook(event), await invokeHook(event), await invokeHook(event)];

    // Step Functions is idempotent for a running execution of the same name and input.
    expect(new Set(results.map((r) => r.executionName)).size).toBe(1);
    const { executions = [] } = await createSfnClient().send(new ListExecutionsCommand({ stateMachineArn }));
    expect(executions.map((e) => e.name)).toEqual([results[0]?.executionName]);
    // Once closed, the same name is refused with ExecutionAlreadyExists, which the hook treats as done.
    await createSfnClient().send(new StopExecutionCommand({ executionArn: executions[0]?.executionArn }));
    const late = await invokeHook(event);
    expect(late).toMatchObject({ started: false, note: 'execution already started' });
    expect(statusesOf(hook.deploymentId)).toEqual([]);
    // The one execution Step Functions runs for that name:
    const run = await runGateLocally(
      { stackName: 'retried-hook-svc', trigger: 'BeforeAllowTraffic', ...hook },
      runOptions({ executionName: results[0]?.executionName }),
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(statusesOf(hook.deploymentId)).toEqual(['Succeeded']);
  });

  it('reports Failed from the hook itself when the execution cannot be started', async () => {
    const deployed = await deployService('unstartable-svc');
    const hook = registerDeployment(standIn, functionOf(deployed));
    const invokeHook = makeHook({
      ...hookClients(),
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:does-not-exist',
      guardedStacks: JSON.stringify(['unstartable-svc']),
      trigger: 'BeforeAllowTraffic',
    });

    const result = await invokeHook({
      DeploymentId: hook.deploymentId,
      LifecycleEventHookExecutionId: hook.hookExecutionId,
    });

    expect(result).toMatchObject({ started: false, stackName: 'unstartable-svc' });
    expect(result.note).toMatch(/^StateMachineDoesNotExist/);
    expect(statusesOf(hook.deploymentId)).toEqual(['Failed']);
  });

  it('keeps the history table untouched when no table exists, with a note (a local audit with no gate)', async () => {
    await deployService('no-gate-svc');

    const run = await runGateLocally(
      { stackName: 'no-gate-svc' },
      runOptions({ historyTableName: undefined }),
    );

    expect(run.status).toBe('SUCCEEDED');
    expect(run.report?.notes).toContain('no history table: baseline and history skipped');
    expect(run.report?.baseline).toBeNull();
    expect(await historyOf('no-gate-svc')).toEqual([]);
  });
});
