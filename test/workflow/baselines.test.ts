/**
 * Baselines that mean "the last release CodeDeploy kept" (docs/baselines.md), end to end: the real
 * ASL run in-process against moto and the CodeDeploy stand-in, CodeDeploy's outcomes delivered to
 * the real outcome tracker as EventBridge would deliver them (or learned by GetDeployment when an
 * event is lost), and the history table written and read by the real states.
 *
 * moto's CloudFormation replays no stack update and reports no LastUpdatedTime, so a new release
 * of a stack is a new stack of the same name (a new stack id). moto runs no Lambda code: the smoke
 * invocation goes to a named aws-sdk-client-mock of the Lambda client.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  type AttributeValue,
  CreateTableCommand,
  DeleteTableCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../cli/emulation/codedeploy-standin.ts';
import { deployStack } from '../../cli/emulation/deploy/index.ts';
import { type LocalRunOptions, runGateLocally } from '../../cli/emulation/runner.ts';
import { fromItem, itemSize, toItem } from '../../functions/aggregate/history.ts';
import { createStackClients } from '../../functions/checks/stack/clients.ts';
import { makeHandler as makeStackChecks } from '../../functions/checks/stack/handler.ts';
import { makeHandler as makeOutcomeTracker } from '../../functions/outcome/handler.ts';
import { createDynamoDbClient } from '../../functions/shared/clients.ts';
import type { HistoryRecord, Trigger } from '../../statemachine/state.ts';
import { makeRecord } from '../cli/report-fixtures.ts';
import { invokeAnswer, putLambdaMetric, versionDimensions } from '../support/deployments.ts';
import {
  createHistoryTable,
  eventBridgeToOutcomeTracker,
  functionOf,
  HISTORY_TABLE,
  registerDeployment,
  releaseService,
  type serviceTemplate,
} from '../support/gate-fixtures.ts';

const dynamoDb = createDynamoDbClient();
let standIn: CodeDeployStandIn;
let deliverEvents: ReturnType<typeof eventBridgeToOutcomeTracker>;

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

const release = (stackName: string, options: Parameters<typeof serviceTemplate>[0] = {}) =>
  releaseService(stackName, dynamoDb, options);

type Hook = ReturnType<typeof registerDeployment>;

async function gate(stackName: string, trigger: Trigger, hook: Hook, extra: Partial<LocalRunOptions> = {}) {
  const hookExecutionId = trigger === 'AfterAllowTraffic' ? hook.postHookExecutionId : hook.hookExecutionId;
  const run = await runGateLocally(
    { stackName, trigger, deploymentId: hook.deploymentId, hookExecutionId },
    runOptions(extra),
  );
  expect(run.status, JSON.stringify(run.error)).toBe('SUCCEEDED');
  if (!run.report) throw new Error('no report');
  return run.report;
}

/** A hook run's execution, and the failure its catch-all path (DescribeFailure) received. */
async function hookRunFailing(stackName: string, historyTableName: string) {
  const deployed = await release(stackName);
  const hook = registerDeployment(standIn, functionOf(deployed));
  let failure: unknown;
  const run = await runGateLocally(
    { stackName, trigger: 'BeforeAllowTraffic', ...hook },
    runOptions({
      historyTableName,
      onEvent: (event) => {
        if (event.type === 'StateEntered' && event.state.name === 'DescribeFailure') {
          failure = (event.state.input as { failure?: unknown }).failure;
        }
      },
    }),
  );
  return { run, hook, failure };
}

function statusesOf(deploymentId: string): string[] {
  return standIn
    .statuses()
    .filter((s) => s.deploymentId === deploymentId)
    .map((s) => s.status);
}

async function historyOf(stackName: string, tableName = HISTORY_TABLE): Promise<HistoryRecord[]> {
  const { Items = [] } = await dynamoDb.send(new ScanCommand({ TableName: tableName }));
  return Items.map(fromItem)
    .filter((record) => record.stackName === stackName)
    .sort((a, b) => a.runId.localeCompare(b.runId));
}

/** Traffic reached the target version without errors: the post-traffic metric checks pass. */
async function healthyTraffic(functionName: string) {
  const cloudWatch = new CloudWatchClient({});
  await putLambdaMetric(cloudWatch, 'Invocations', versionDimensions(functionName, '2'), 100);
  await putLambdaMetric(cloudWatch, 'Errors', versionDimensions(functionName, '2'), 0);
}

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  process.env.AWS_ENDPOINT_URL_CODEDEPLOY = standIn.endpoint;
  deliverEvents = eventBridgeToOutcomeTracker(standIn, dynamoDb);
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

describe('baselines per trigger', () => {
  it('passes an unchanged release whose last release scored higher after traffic than before it', async () => {
    // Prepare: release 1, gated before and after traffic; its post-traffic checks pass too.
    const first = await release('prepost-svc');
    const d1 = registerDeployment(standIn, functionOf(first), { postTraffic: true });
    const pre1 = await gate('prepost-svc', 'BeforeAllowTraffic', d1);
    await healthyTraffic(functionOf(first));
    const post1 = await gate('prepost-svc', 'AfterAllowTraffic', d1);
    await deliverEvents();
    expect(pre1.decision).toBe('Succeeded');
    expect(post1.decision).toBe('Succeeded');
    expect(post1.fitness ?? 0).toBeGreaterThan(pre1.fitness ?? 0);
    // Release 2 changes nothing.
    const second = await release('prepost-svc');
    const d2 = registerDeployment(standIn, functionOf(second), { postTraffic: true });

    // Act
    const pre2 = await gate('prepost-svc', 'BeforeAllowTraffic', d2);
    await healthyTraffic(functionOf(second));
    const post2 = await gate('prepost-svc', 'AfterAllowTraffic', d2);

    // Assess: each run is compared with the run of its own trigger.
    expect(pre2).toMatchObject({ decision: 'Succeeded', baseline: pre1.fitness, fitness: pre1.fitness });
    expect(pre2.diff.since).toBe(d1.deploymentId);
    expect(post2).toMatchObject({ decision: 'Succeeded', baseline: post1.fitness });
    expect(statusesOf(d2.deploymentId)).toEqual(['Succeeded', 'Succeeded']);
  });

  it('compares an ad-hoc audit with the kept pre-traffic run over the checks an audit performs', async () => {
    const deployed = await release('audit-svc');
    const hook = registerDeployment(standIn, functionOf(deployed));
    const pre = await gate('audit-svc', 'BeforeAllowTraffic', hook);
    await deliverEvents();

    const run = await runGateLocally({ stackName: 'audit-svc' }, runOptions());

    expect(run.report?.decision).toBe('Succeeded');
    const [recorded] = await historyOf('audit-svc');
    expect(recorded?.auditFitness).toBeDefined();
    expect(run.report?.baseline).toBe(recorded?.auditFitness);
    expect(run.report?.fitness).toBe(recorded?.auditFitness);
    expect(run.report?.diff.since).toBe(hook.deploymentId);
    expect(pre.results.some((r) => r.checkId === 'deployment-target-smoke-invoke')).toBe(true);
    expect(run.report?.notes).toContain(
      "compared with the kept release's BeforeAllowTraffic run over the checks a adhoc run performs",
    );
  });
});

describe('only releases CodeDeploy kept are baselines', () => {
  it('passes a release identical to the last kept one after an improved release an alarm rolled back', async () => {
    // Prepare: release 1 (no TLS-only policy) is kept.
    const first = await release('rollback-svc', { tlsOnly: false });
    const d1 = registerDeployment(standIn, functionOf(first));
    const kept = await gate('rollback-svc', 'BeforeAllowTraffic', d1);
    // Release 2 improves fitness and passes pre-traffic; then an alarm stops it (CodeDeploy rolls back).
    const second = await release('rollback-svc');
    const d2 = registerDeployment(standIn, functionOf(second), { postTraffic: true });
    const improved = await gate('rollback-svc', 'BeforeAllowTraffic', d2);
    expect(improved).toMatchObject({ decision: 'Succeeded', baseline: kept.fitness });
    expect(improved.fitness ?? 0).toBeGreaterThan(kept.fitness ?? 0);
    standIn.endDeployment(d2.deploymentId, 'Stopped');
    await deliverEvents();
    // CloudFormation rolls the stack back to release 1; the next release is release 1 again.
    const third = await release('rollback-svc', { tlsOnly: false });
    const d3 = registerDeployment(standIn, functionOf(third));

    // Act
    const again = await gate('rollback-svc', 'BeforeAllowTraffic', d3);

    // Assess
    expect(again).toMatchObject({ decision: 'Succeeded', baseline: kept.fitness, fitness: kept.fitness });
    expect(again.diff.since).toBe(d1.deploymentId);
    expect(again.notes.join('\n')).toContain(`${d2.deploymentId} STOPPED`);
    const history = await historyOf('rollback-svc');
    expect(history.map((r) => [r.deploymentId, r.decision, r.outcome, r.accepted])).toEqual([
      [d1.deploymentId, 'Succeeded', 'SUCCEEDED', true],
      [d2.deploymentId, 'Succeeded', 'STOPPED', false],
      [d3.deploymentId, 'Succeeded', 'PENDING', false],
    ]);
  });

  it('never takes a release that passed pre-traffic and failed post-traffic, even when its event is lost', async () => {
    const first = await release('postfail-svc', { tlsOnly: false });
    const d1 = registerDeployment(standIn, functionOf(first));
    const kept = await gate('postfail-svc', 'BeforeAllowTraffic', d1);
    const second = await release('postfail-svc');
    const d2 = registerDeployment(standIn, functionOf(second), { postTraffic: true });
    expect((await gate('postfail-svc', 'BeforeAllowTraffic', d2)).decision).toBe('Succeeded');
    // After traffic the new version fails its smoke invocation: Failed, CodeDeploy fails the deployment.
    smokeLambdaMock
      .on(InvokeCommand)
      .resolves(invokeAnswer({ errorMessage: 'boom' }, { FunctionError: 'Unhandled' }));
    expect((await gate('postfail-svc', 'AfterAllowTraffic', d2)).decision).toBe('Failed');
    smokeLambdaMock.on(InvokeCommand).resolves(invokeAnswer({ statusCode: 200 }));
    // EventBridge delivers CodeDeploy events on a best-effort basis: here none arrives.
    const third = await release('postfail-svc', { tlsOnly: false });
    const d3 = registerDeployment(standIn, functionOf(third));

    const again = await gate('postfail-svc', 'BeforeAllowTraffic', d3);

    expect(again).toMatchObject({ decision: 'Succeeded', baseline: kept.fitness });
    expect(again.diff.since).toBe(d1.deploymentId);
    // Both outcomes were asked of CodeDeploy (GetDeployment) and recorded for the next lookup.
    const history = await historyOf('postfail-svc');
    expect(history.map((r) => [r.deploymentId, r.trigger, r.outcome, r.outcomeSource, r.accepted])).toEqual([
      [d1.deploymentId, 'BeforeAllowTraffic', 'SUCCEEDED', 'GetDeployment', true],
      [d2.deploymentId, 'BeforeAllowTraffic', 'FAILED', 'GetDeployment', false],
      [d2.deploymentId, 'AfterAllowTraffic', 'FAILED', 'GetDeployment', false],
      [d3.deploymentId, 'BeforeAllowTraffic', 'PENDING', undefined, false],
    ]);
  });

  it('skips a candidate whose deployment is still running, and says why', async () => {
    const first = await release('running-svc');
    const d1 = registerDeployment(standIn, functionOf(first), { postTraffic: true });
    await gate('running-svc', 'BeforeAllowTraffic', d1);
    const second = await release('running-svc');
    const d2 = registerDeployment(standIn, functionOf(second));

    const run = await gate('running-svc', 'BeforeAllowTraffic', d2);

    expect(run.baseline).toBeNull();
    expect(run.notes.join('\n')).toContain(`${d1.deploymentId} outcome unknown (CodeDeploy says InProgress)`);
  });
});

describe('one stack update, several deployment groups', () => {
  it('treats the runs of one stack update as one release, never each other’s baseline', async () => {
    // Prepare: release 1 updates two aliases, each its own CodeDeploy deployment gated before traffic.
    const first = await release('groups-svc');
    const r1a = registerDeployment(standIn, functionOf(first), { deploymentGroupName: 'first-group' });
    const r1b = registerDeployment(standIn, functionOf(first), { deploymentGroupName: 'second-group' });
    await gate('groups-svc', 'BeforeAllowTraffic', r1a);
    const r1bReport = await gate('groups-svc', 'BeforeAllowTraffic', r1b);
    expect(r1bReport.baseline).toBeNull();
    expect(r1bReport.notes).toContain(
      '1 earlier run of this same release (stack update) not used as baseline',
    );
    await deliverEvents();

    // Act: release 2 does the same; its second group's deployment is stopped after its run.
    const second = await release('groups-svc');
    const r2a = registerDeployment(standIn, functionOf(second), { deploymentGroupName: 'first-group' });
    const r2b = registerDeployment(standIn, functionOf(second), {
      deploymentGroupName: 'second-group',
      postTraffic: true,
    });
    const r2aReport = await gate('groups-svc', 'BeforeAllowTraffic', r2a);
    const r2bReport = await gate('groups-svc', 'BeforeAllowTraffic', r2b);
    standIn.endDeployment(r2b.deploymentId, 'Stopped');
    await deliverEvents();
    // Release 3: release 2 was not kept as a whole (one of its deployments was stopped).
    const third = await release('groups-svc');
    const r3 = registerDeployment(standIn, functionOf(third), { deploymentGroupName: 'first-group' });
    const r3Report = await gate('groups-svc', 'BeforeAllowTraffic', r3);

    // Assess
    expect(r2aReport.diff.since).toBe(r1b.deploymentId);
    expect(r2bReport.diff.since).toBe(r1b.deploymentId);
    expect(r3Report.diff.since).toBe(r1b.deploymentId);
    expect(r3Report.notes.join('\n')).toContain(`${r2b.deploymentId} STOPPED`);
    const history = await historyOf('groups-svc');
    expect(new Set(history.slice(0, 2).map((r) => r.releaseId)).size).toBe(1);
    expect(new Set(history.map((r) => r.releaseId)).size).toBe(3);
  });
});

describe('corrupt and inconsistent history items', () => {
  it('skips each one with a note and compares with the last sound kept run', async () => {
    // Prepare: a kept release, then items written by hand (or by a broken tool) after it.
    const first = await release('corrupt-svc');
    const d1 = registerDeployment(standIn, functionOf(first));
    const kept = await gate('corrupt-svc', 'BeforeAllowTraffic', d1);
    await deliverEvents();
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();
    const perfect = (startedAt: string, overrides: Partial<HistoryRecord> = {}) =>
      toItem(
        makeRecord({
          stackName: 'corrupt-svc',
          startedAt,
          runId: `${startedAt}#hand-${startedAt.slice(17, 23)}`,
          executionName: `hand-${startedAt.slice(17, 23)}`,
          deploymentId: 'd-HANDMADE01',
          releaseId: `hand-written@${startedAt}`,
          outcome: 'SUCCEEDED',
          accepted: true,
          fitness: 100,
          ...overrides,
        }),
      );
    const items: Record<string, AttributeValue>[] = [
      { ...perfect(at(1)), fitness: { S: '100' } },
      { ...perfect(at(2)), runId: { S: 'yesterday#hand' } },
      perfect(at(3), { trigger: 'adhoc' }),
      perfect(at(4), { decision: 'Failed' }),
      perfect(at(5), { outcome: 'FAILED' }),
      { ...perfect(at(6)), findings: { S: 'not a list' } },
    ];
    for (const item of items)
      await dynamoDb.send(new PutItemCommand({ TableName: HISTORY_TABLE, Item: item }));
    const second = await release('corrupt-svc');
    const d2 = registerDeployment(standIn, functionOf(second));

    // Act
    const run = await gate('corrupt-svc', 'BeforeAllowTraffic', d2);

    // Assess
    expect(run).toMatchObject({ decision: 'Succeeded', baseline: kept.fitness });
    expect(run.diff.since).toBe(d1.deploymentId);
    const note = run.notes.find((n) => n.includes('skipped as unreadable or inconsistent')) ?? '';
    expect(note).toMatch(/^6 history items skipped as unreadable or inconsistent, never a baseline: /);
    expect(note).toContain('fitness is not a number or null');
    expect(note).toContain('runId "yesterday#hand" is not <ISO time>#<execution name>');
    expect(note).toContain('accepted, but a adhoc run gates no deployment');
    expect(note).toContain('and 1 more');
    expect(statusesOf(d2.deploymentId)).toEqual(['Succeeded']);
  });
});

describe('the history table', () => {
  it('fails a hook run through the catch-all path when the table is keyed otherwise, and writes nothing', async () => {
    await dynamoDb.send(
      new CreateTableCommand({
        TableName: 'miskeyed-history',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    const { run, hook, failure } = await hookRunFailing('miskeyed-svc', 'miskeyed-history');

    expect(run.status).toBe('FAILED');
    expect(run.error?.Error).toBe('FitnessGateFailed');
    expect(statusesOf(hook.deploymentId)).toEqual(['Failed']);
    expect(failure).toMatchObject({ Error: 'HistoryTableError' });
    expect(JSON.stringify(failure)).toContain(
      'history table miskeyed-history is keyed id (S) HASH, none (?) RANGE; the gate needs stackName (S) HASH, runId (S) RANGE',
    );
    expect((await dynamoDb.send(new ScanCommand({ TableName: 'miskeyed-history' }))).Items).toEqual([]);
    // An ad-hoc audit refuses the table too: it reports to nobody.
    const before = standIn.calls().length;
    const audit = await runGateLocally(
      { stackName: 'miskeyed-svc' },
      runOptions({ historyTableName: 'miskeyed-history' }),
    );
    expect(audit.status).toBe('FAILED');
    expect(standIn.calls().slice(before)).toEqual([]);
    await dynamoDb.send(new DeleteTableCommand({ TableName: 'miskeyed-history' }));
  });

  it('fails closed for a hook run when the table does not exist, and notes it for an ad-hoc audit', async () => {
    const { run, hook, failure } = await hookRunFailing('tableless-svc', 'no-such-history');
    const audit = await runGateLocally(
      { stackName: 'tableless-svc' },
      runOptions({ historyTableName: 'no-such-history' }),
    );

    expect(run.status).toBe('FAILED');
    expect(statusesOf(hook.deploymentId)).toEqual(['Failed']);
    expect(failure).toMatchObject({ Error: 'HistoryTableNotFoundError' });
    expect(audit.status).toBe('SUCCEEDED');
    expect(audit.report?.baseline).toBeNull();
    expect(audit.report?.notes).toContain(
      'history table no-such-history does not exist: no baseline, and this run is not recorded',
    );
  });
});

describe('the outcome tracker', () => {
  it('marks every run of a deployment with the outcome CodeDeploy sends, accepting only runs the gate let through', async () => {
    const deployed = await release('tracked-svc');
    const failedHook = registerDeployment(standIn, functionOf(deployed));
    smokeLambdaMock
      .on(InvokeCommand)
      .resolves(invokeAnswer({ errorMessage: 'boom' }, { FunctionError: 'Unhandled' }));
    expect((await gate('tracked-svc', 'BeforeAllowTraffic', failedHook)).decision).toBe('Failed');
    smokeLambdaMock.on(InvokeCommand).resolves(invokeAnswer({ statusCode: 200 }));
    const stopped = registerDeployment(standIn, functionOf(deployed), { postTraffic: true });
    expect((await gate('tracked-svc', 'BeforeAllowTraffic', stopped)).decision).toBe('Succeeded');
    standIn.endDeployment(stopped.deploymentId, 'Stopped');
    const events = standIn
      .stateChangeEvents()
      .filter((e) => [failedHook.deploymentId, stopped.deploymentId].includes(e.detail.deploymentId));

    const answers = [];
    for (const event of events) {
      answers.push(await makeOutcomeTracker({ dynamoDb, historyTableName: HISTORY_TABLE })(event));
    }

    expect(events.map((e) => [e['detail-type'], e.source, e.detail.state])).toEqual([
      ['CodeDeploy Deployment State-change Notification', 'aws.codedeploy', 'START'],
      ['CodeDeploy Deployment State-change Notification', 'aws.codedeploy', 'FAILURE'],
      ['CodeDeploy Deployment State-change Notification', 'aws.codedeploy', 'START'],
      ['CodeDeploy Deployment State-change Notification', 'aws.codedeploy', 'STOP'],
    ]);
    expect(answers).toEqual([
      { deploymentId: failedHook.deploymentId, marked: 0 },
      { deploymentId: failedHook.deploymentId, outcome: 'FAILED', marked: 1 },
      { deploymentId: stopped.deploymentId, marked: 0 },
      { deploymentId: stopped.deploymentId, outcome: 'STOPPED', marked: 1 },
    ]);
    const history = await historyOf('tracked-svc');
    expect(history.map((r) => [r.decision, r.outcome, r.outcomeSource, r.accepted])).toEqual([
      ['Failed', 'FAILED', 'event', false],
      ['Succeeded', 'STOPPED', 'event', false],
    ]);
    // A deployment the gate never saw, and an event of another kind.
    const track = makeOutcomeTracker({ dynamoDb, historyTableName: HISTORY_TABLE });
    const [anyEvent] = events;
    expect(
      await track({
        ...anyEvent,
        detail: { ...anyEvent?.detail, deploymentId: 'd-UNKNOWN00', state: 'SUCCESS' },
      }),
    ).toEqual({
      deploymentId: 'd-UNKNOWN00',
      outcome: 'SUCCEEDED',
      marked: 0,
    });
    await expect(
      track({ source: 'aws.states', 'detail-type': 'Step Functions Execution Status Change' }),
    ).rejects.toThrow(
      'the outcome tracker takes CodeDeploy Deployment State-change Notification events only',
    );
  });
});

describe('the history item on the worst stacks', () => {
  it('stays under 400 KB with 300 failing buckets of 60-character logical ids, counting what it cut', {
    timeout: 240_000,
  }, async () => {
    // Prepare: 300 buckets, every check of each failing (a fake S3 family: moto cannot make them fail).
    const logicalId = (i: number) =>
      `VeryLongLogicalIdForABucketThatCdkGeneratedFromAPath${String(i).padStart(4, '0')}AB12`;
    const resources = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [
        logicalId(i),
        { Type: 'AWS::S3::Bucket', Properties: { BucketName: `worst-svc-bucket-${i}` } },
      ]),
    );
    expect(logicalId(0)).toHaveLength(60);
    await deployStack({
      stackName: 'worst-svc',
      template: { AWSTemplateFormatVersion: '2010-09-09', Resources: resources },
      timeoutMs: 200_000,
    });
    const { checkIdsFor } = await import('../../functions/checks/run.ts');
    const { digestResults } = await import('../../functions/checks/digest.ts');
    const failingS3 = async (event: unknown) => {
      const { workItem, trigger, messageBudget } = event as {
        workItem: { family: 's3'; resource: { type: string } };
        trigger: Trigger;
        messageBudget?: number;
      };
      const checkIds = checkIdsFor('s3', workItem.resource.type, trigger, new Set());
      const results = checkIds.map((checkId) => ({
        checkId,
        status: 'FAIL' as const,
        message: `the bucket fails ${checkId}: public, unencrypted, unversioned and unlogged by design of this test`,
      }));
      return {
        family: 's3',
        resource: workItem.resource,
        results,
        digest: digestResults(checkIds, results, messageBudget),
      };
    };

    // Act
    const run = await runGateLocally(
      { stackName: 'worst-svc' },
      runOptions({ familyHandlers: { s3: failingS3 } }),
    );

    // Assess: the item was written (moto refuses items over 400 KB) and says what it left out.
    expect(run.status, JSON.stringify(run.error)).toBe('SUCCEEDED');
    const { Items = [] } = await dynamoDb.send(new ScanCommand({ TableName: HISTORY_TABLE }));
    const item = Items.find((candidate) => candidate.stackName?.S === 'worst-svc');
    if (!item) throw new Error('the run was not recorded');
    const record = fromItem(item);
    const failing = (run.report?.summary.FAIL ?? 0) + (run.report?.summary.ERROR ?? 0);
    expect(failing).toBeGreaterThanOrEqual(3000);
    expect(itemSize(item)).toBeLessThanOrEqual(64 * 1024);
    expect(record.findings.length).toBeGreaterThan(0);
    expect(record.findings.length + (record.findingsOmitted ?? 0)).toBe(failing);
    expect(record.reasons.length + (record.reasonsOmitted ?? 0)).toBe(run.report?.reasons.length);
    expect(record.reasons[0]).toBe(run.report?.reasons[0]?.slice(0, record.reasons[0]?.length));
  });
});
