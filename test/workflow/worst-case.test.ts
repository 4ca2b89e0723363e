/**
 * Issue #11's worst stacks for the state size, through the real ASL: 300 public buckets with
 * 60-character logical ids (every finding names a long id), and 150 work items whose function
 * throws a 64 KiB message with its stack trace. Every state stays under 200 KiB, the failures stay
 * short, and CodeDeploy hears exactly one status.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicBucketsTemplate } from '../../bench/synthetic-stack.ts';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../cli/emulation/codedeploy-standin.ts';
import { type DeployResult, deployStack } from '../../cli/emulation/deploy/index.ts';
import { type LocalRunOptions, runGateLocally } from '../../cli/emulation/runner.ts';
import { createStackClients } from '../../functions/checks/stack/clients.ts';
import { makeHandler as makeStackChecks } from '../../functions/checks/stack/handler.ts';
import { createDynamoDbClient } from '../../functions/shared/clients.ts';
import { invokeAnswer } from '../support/deployments.ts';
import { createHistoryTable, HISTORY_TABLE, registerDeployment } from '../support/gate-fixtures.ts';

const WORST_STATE_BYTES = 200 * 1024;
const smokeLambda = new LambdaClient({});
// SDK mock: moto has no Lambda runtime, so Invoke of the target version is answered here.
const smokeLambdaMock = mockClient(smokeLambda);
let standIn: CodeDeployStandIn;

async function gatedRun(stackName: string, functionName: string, extra: Partial<LocalRunOptions> = {}) {
  const hook = registerDeployment(standIn, functionName);
  const run = await runGateLocally(
    { stackName, trigger: 'BeforeAllowTraffic', ...hook },
    {
      historyTableName: HISTORY_TABLE,
      fastRetries: true,
      familyHandlers: { stack: makeStackChecks({ ...createStackClients(), lambda: smokeLambda }) },
      ...extra,
    },
  );
  const statuses = standIn
    .statuses()
    .filter((s) => s.deploymentId === hook.deploymentId)
    .map((s) => s.status);
  return { run, statuses };
}

function functionOf(deployed: DeployResult): string {
  const fn = deployed.resources.find((r) => r.logicalId === 'ServiceFunction');
  if (!fn) throw new Error('the worst-case stack has no function');
  return fn.physicalId;
}

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  process.env.AWS_ENDPOINT_URL_CODEDEPLOY = standIn.endpoint;
  smokeLambdaMock.on(InvokeCommand).resolves(invokeAnswer({ statusCode: 200 }));
  await createHistoryTable(createDynamoDbClient());
});

afterAll(async () => {
  await standIn.stop();
  smokeLambdaMock.restore();
});

describe('the worst stacks for the state size', () => {
  it('audits 300 public buckets with 60-character ids inside 200 KiB a state, twice (against its baseline)', {
    timeout: 300_000,
  }, async () => {
    const deployed = await deployStack({
      stackName: 'worst-public',
      template: publicBucketsTemplate(300, 60),
      timeoutMs: 240_000,
    });

    const first = await gatedRun('worst-public', functionOf(deployed));
    const second = await gatedRun('worst-public', functionOf(deployed));

    for (const { run, statuses } of [first, second]) {
      expect(run.status).toBe('SUCCEEDED');
      expect(run.stats.workItems).toBeGreaterThanOrEqual(300);
      expect(run.stats.maxPayloadBytes).toBeLessThan(WORST_STATE_BYTES);
      expect(statuses).toEqual([run.report?.decision]);
    }
    expect(Buffer.byteLength(JSON.stringify(second.run.report))).toBeLessThan(WORST_STATE_BYTES / 2);
  });

  it('keeps 150 failed work items to their error name, whatever their function threw', {
    timeout: 300_000,
  }, async () => {
    const deployed = await deployStack({
      stackName: 'worst-failing',
      template: publicBucketsTemplate(150, 60, 'failing'),
      timeoutMs: 240_000,
    });
    const crash = async () => {
      const error = new Error(`the check crashed: ${'x'.repeat(64 * 1024)}`);
      error.name = 'CheckCrashedError';
      throw error;
    };

    const { run, statuses } = await gatedRun('worst-failing', functionOf(deployed), {
      functionOverrides: { s3: crash },
    });

    expect(run.status).toBe('SUCCEEDED');
    expect(run.stats.maxPayloadBytes).toBeLessThan(WORST_STATE_BYTES);
    const s3Results = run.report?.results.filter((r) => r.checkId.startsWith('s3-')) ?? [];
    expect(s3Results.length).toBeGreaterThan(0);
    for (const result of s3Results) {
      expect(result).toMatchObject({
        status: 'ERROR',
        message: 'the s3 check Lambda failed: CheckCrashedError',
      });
    }
    expect(statuses).toEqual(['Failed']);
  });
});
