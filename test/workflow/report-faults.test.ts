/**
 * Issue #11 fault injection on the real ASL: every run ends with exactly one CodeDeploy status and
 * what it recorded is never silently lost. CodeDeploy faults come from the stand-in (through the
 * real SDK client and the local aws-sdk integration, so the error names are the ones Step Functions
 * gives them), a check function's timeout from the runner's Lambda emulation, a history write
 * failure from a history table that goes while the run scores.
 */
import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { historyWarning } from '../../cli/commands/audit.ts';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../cli/emulation/codedeploy-standin.ts';
import { deployStack } from '../../cli/emulation/deploy/index.ts';
import { type LocalRunOptions, runGateLocally } from '../../cli/emulation/runner.ts';
import { fromItem } from '../../functions/aggregate/history.ts';
import { createStackClients } from '../../functions/checks/stack/clients.ts';
import { makeHandler as makeStackChecks } from '../../functions/checks/stack/handler.ts';
import { createCloudWatchClient, createDynamoDbClient } from '../../functions/shared/clients.ts';
import { invokeAnswer } from '../support/deployments.ts';
import {
  createHistoryTable,
  HISTORY_TABLE,
  registerDeployment,
  serviceTemplate,
} from '../support/gate-fixtures.ts';

const dynamoDb = createDynamoDbClient();
const VANISHING_TABLE = 'fitgate-history-vanishing';
const smokeLambda = new LambdaClient({});
// SDK mock: moto has no Lambda runtime, so Invoke of the target version is answered here.
const smokeLambdaMock = mockClient(smokeLambda);
let standIn: CodeDeployStandIn;
let targetFunction: string;

function runOptions(extra: Partial<LocalRunOptions> = {}): LocalRunOptions {
  return {
    historyTableName: HISTORY_TABLE,
    fastRetries: true,
    familyHandlers: { stack: makeStackChecks({ ...createStackClients(), lambda: smokeLambda }) },
    ...extra,
  };
}

async function hookRun(extra: Partial<LocalRunOptions> = {}) {
  const hook = registerDeployment(standIn, targetFunction);
  const run = await runGateLocally(
    { stackName: 'faults-svc', trigger: 'BeforeAllowTraffic', ...hook },
    runOptions(extra),
  );
  const statuses = standIn
    .statuses()
    .filter((s) => s.deploymentId === hook.deploymentId)
    .map((s) => s.status);
  const reports = standIn
    .calls()
    .filter(
      (c) =>
        c.operation === 'PutLifecycleEventHookExecutionStatus' && c.body.deploymentId === hook.deploymentId,
    );
  return { run, statuses, reports, hook };
}

async function historyOf(tableName: string, executionName: string) {
  const { Items = [] } = await dynamoDb.send(new ScanCommand({ TableName: tableName }));
  return Items.map(fromItem).filter((record) => record.executionName === executionName);
}

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  process.env.AWS_ENDPOINT_URL_CODEDEPLOY = standIn.endpoint;
  await createHistoryTable(dynamoDb);
  const deployed = await deployStack({ stackName: 'faults-svc', template: serviceTemplate() });
  targetFunction = deployed.resources.find((r) => r.logicalId === 'Fn')?.physicalId ?? '';
});

afterAll(async () => {
  await standIn.stop();
  smokeLambdaMock.restore();
});

beforeEach(() => {
  standIn.reset();
  smokeLambdaMock.reset();
  smokeLambdaMock.on(InvokeCommand).resolves(invokeAnswer({ statusCode: 200 }));
});

describe('the report to CodeDeploy after a Succeeded decision', () => {
  // The SDK's own retries (3 attempts) are exhausted first; the definition's Retry then takes over.
  it('is retried through CodeDeploy throttling and still delivers exactly one Succeeded', async () => {
    standIn.failNext('PutLifecycleEventHookExecutionStatus', 'ThrottlingException', 7);

    const { run, statuses, reports } = await hookRun();

    expect(run.status).toBe('SUCCEEDED');
    expect(run.report?.decision).toBe('Succeeded');
    expect(statuses).toEqual(['Succeeded']);
    expect(reports.length).toBeGreaterThan(7);
  });

  it('is retried through a CodeDeploy 5xx (the SDK’s generic exception) and still delivers exactly one Succeeded', async () => {
    standIn.failNext('PutLifecycleEventHookExecutionStatus', 'InternalFailure', 7);

    const { run, statuses } = await hookRun();

    expect(run.status).toBe('SUCCEEDED');
    expect(statuses).toEqual(['Succeeded']);
  });

  it('stops at a terminal answer without retrying it, the execution failing for the safety net', async () => {
    standIn.failNext('PutLifecycleEventHookExecutionStatus', 'DeploymentDoesNotExistException', 100);

    const { run, statuses, reports } = await hookRun();

    expect(run.error?.Error).toBe('ReportToCodeDeployFailed');
    expect(statuses).toEqual([]);
    // Only the SDK's own attempts: the definition's retrier stops a terminal answer (MaxAttempts 0).
    expect(reports.length).toBeLessThanOrEqual(3);
  });
});

describe('a check function that times out', () => {
  it('turns its work items into ERROR results naming the timeout, and the gate reports Failed once', async () => {
    const { run, statuses } = await hookRun({
      lambdaTimeoutSeconds: 0.2,
      functionOverrides: { s3: () => new Promise((resolve) => setTimeout(resolve, 5_000)) },
    });

    expect(run.status).toBe('SUCCEEDED');
    const s3Results = run.report?.results.filter((r) => r.checkId.startsWith('s3-')) ?? [];
    expect(s3Results.length).toBeGreaterThan(0);
    for (const result of s3Results) {
      expect(result).toMatchObject({
        status: 'ERROR',
        message: 'the s3 check Lambda failed: Lambda.Unknown',
      });
    }
    // A critical s3 check could not be evaluated: fail closed.
    expect(statuses).toEqual(['Failed']);
  });
});

describe('a failed history write', () => {
  it('never blocks the report to CodeDeploy, and shows in the report and as a metric', async () => {
    // The table goes while the run scores (after ListResources checked it): PutItem finds no table.
    await createHistoryTable(dynamoDb, VANISHING_TABLE);
    const { run, statuses } = await hookRun({
      historyTableName: VANISHING_TABLE,
      functionOverrides: {
        Aggregate: async (payload, real) => {
          const output = await real(payload);
          await dynamoDb.send(new DeleteTableCommand({ TableName: VANISHING_TABLE }));
          return output;
        },
      },
    });

    expect(run.status).toBe('SUCCEEDED');
    expect(statuses).toEqual([run.report?.decision]);
    // The local dynamodb:putItem integration names it as Step Functions does (not retried: terminal).
    expect(run.report?.historyError).toMatchObject({ Error: 'DynamoDB.ResourceNotFoundException' });
    const { Metrics = [] } = await createCloudWatchClient().send(
      new ListMetricsCommand({ Namespace: 'Fitgate', MetricName: 'HistoryWriteFailures' }),
    );
    expect(Metrics.map((m) => m.Dimensions)).toContainEqual([{ Name: 'StackName', Value: 'faults-svc' }]);
  });

  it('is a warning on the CLI’s stderr', () => {
    expect(historyWarning({ historyError: { Error: 'DynamoDB.ResourceNotFoundException' } })).toBe(
      'warning: this run was not recorded in the history (DynamoDB.ResourceNotFoundException): it will not be a baseline nor listed by fitgate history',
    );
    expect(historyWarning({})).toBeUndefined();
  });

  it('is not reported when the history is written', async () => {
    const { run } = await hookRun();

    expect(run.report?.historyError).toBeUndefined();
    expect(await historyOf(HISTORY_TABLE, run.executionName)).toHaveLength(1);
  });
});
