/**
 * The local runner enforces Step Functions' 256 KiB limit on state input and output as the service
 * does: "States.DataLimitExceeded ... a terminal error that can't be caught by the States.ALL error
 * type" (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html), so a
 * run that would fail in AWS fails locally the same way: no Catch path runs, nothing later in the
 * workflow acts, and CodeDeploy hears Failed from the safety net only.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../cli/emulation/codedeploy-standin.ts';
import { deployStack } from '../../cli/emulation/deploy/index.ts';
import { STATE_LIMIT_BYTES } from '../../cli/emulation/execution-monitor.ts';
import { type LocalRunOptions, runGateLocally } from '../../cli/emulation/runner.ts';
import { createStackClients } from '../../functions/checks/stack/clients.ts';
import { makeHandler as makeStackChecks } from '../../functions/checks/stack/handler.ts';
import { FAMILIES } from '../../functions/checks/types.ts';
import { createDynamoDbClient } from '../../functions/shared/clients.ts';
import type { WorkItemOutcome } from '../../statemachine/state.ts';
import { invokeAnswer } from '../support/deployments.ts';
import {
  createHistoryTable,
  HISTORY_TABLE,
  registerDeployment,
  serviceTemplate,
} from '../support/gate-fixtures.ts';

const smokeLambda = new LambdaClient({});
// SDK mock: moto has no Lambda runtime, so Invoke of the target version is answered here.
const smokeLambdaMock = mockClient(smokeLambda);
let standIn: CodeDeployStandIn;
let targetFunction: string;

/** Runs the gate with every check function's answer passed through `answer`, counting Aggregate's calls. */
async function runWith(answer: (outcome: WorkItemOutcome) => unknown) {
  const hook = registerDeployment(standIn, targetFunction);
  let aggregated = 0;
  const functionOverrides: LocalRunOptions['functionOverrides'] = {
    ...Object.fromEntries(
      FAMILIES.map((id) => [
        id,
        async (payload: unknown, real: (event: unknown) => Promise<unknown>) =>
          answer((await real(payload)) as WorkItemOutcome),
      ]),
    ),
    Aggregate: async (payload, real) => {
      aggregated += 1;
      return real(payload);
    },
  };
  const run = await runGateLocally(
    { stackName: 'limit-svc', trigger: 'BeforeAllowTraffic', ...hook },
    {
      historyTableName: HISTORY_TABLE,
      fastRetries: true,
      familyHandlers: { stack: makeStackChecks({ ...createStackClients(), lambda: smokeLambda }) },
      functionOverrides,
    },
  );
  const { Items = [] } = await createDynamoDbClient().send(new ScanCommand({ TableName: HISTORY_TABLE }));
  return {
    run,
    aggregated,
    recorded: Items.filter((item) => item.executionName?.S === run.executionName).length,
    statuses: standIn.statuses().filter((s) => s.deploymentId === hook.deploymentId),
  };
}

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  process.env.AWS_ENDPOINT_URL_CODEDEPLOY = standIn.endpoint;
  smokeLambdaMock.on(InvokeCommand).resolves(invokeAnswer({ statusCode: 200 }));
  await createHistoryTable(createDynamoDbClient());
  const deployed = await deployStack({ stackName: 'limit-svc', template: serviceTemplate() });
  targetFunction = deployed.resources.find((r) => r.logicalId === 'Fn')?.physicalId ?? '';
});

afterAll(async () => {
  await standIn.stop();
  smokeLambdaMock.restore();
});

describe('the 256 KiB state limit, locally', () => {
  it('fails the execution when a task returns more, past the Map’s Catch', async () => {
    const { run, aggregated, recorded, statuses } = await runWith((outcome) =>
      outcome.family === 's3' ? { ...outcome, padding: 'x'.repeat(STATE_LIMIT_BYTES) } : outcome,
    );

    expect(run.status).toBe('FAILED');
    expect(run.error).toEqual({
      Error: 'States.DataLimitExceeded',
      Cause:
        "The state/task 'RunChecks' returned a result with a size exceeding the maximum number of bytes service limit.",
    });
    expect(aggregated).toBe(0);
    expect(recorded).toBe(0);
    // Not the gate's catch-all: the execution failed, and reporting is the safety net's job.
    expect(statuses).toEqual([]);
  });

  it('fails the execution when a state’s output is more, though every task returned less', async () => {
    // Each item's digest carries 48 KiB of messages: seven items make a Map output past 256 KiB.
    const { run, aggregated, recorded, statuses } = await runWith((outcome) => ({
      ...outcome,
      digest: { ...outcome.digest, messages: [...outcome.digest.messages, 'm'.repeat(48 * 1024)] },
    }));

    expect(run.stats.workItems).toBeGreaterThanOrEqual(6);
    expect(run.error).toEqual({
      Error: 'States.DataLimitExceeded',
      Cause:
        "The state/task 'CheckEachWorkItem' returned a result with a size exceeding the maximum number of bytes service limit.",
    });
    expect(run.stats.maxPayloadBytes).toBeGreaterThan(STATE_LIMIT_BYTES);
    expect(aggregated).toBe(0);
    expect(recorded).toBe(0);
    expect(statuses).toEqual([]);
  });
});
