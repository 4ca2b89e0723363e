/**
 * A plan too large for the state goes to S3 and runs in the Distributed Map (run locally by the
 * runner's Map Run emulation, the same handlers): the same stack audited inline and distributed
 * gives the same results, the items and results live in S3, and the parent's state and history stay
 * small whatever the number of items.
 */

import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../cli/emulation/codedeploy-standin.ts';
import { deployStack } from '../../cli/emulation/deploy/index.ts';
import { type LocalRunOptions, runGateLocally } from '../../cli/emulation/runner.ts';
import { createStackClients } from '../../functions/checks/stack/clients.ts';
import { makeHandler as makeStackChecks } from '../../functions/checks/stack/handler.ts';
import { createDynamoDbClient, createS3Client } from '../../functions/shared/clients.ts';
import type { Report } from '../../statemachine/state.ts';
import { invokeAnswer } from '../support/deployments.ts';
import {
  createHistoryTable,
  HISTORY_TABLE,
  registerDeployment,
  serviceTemplate,
} from '../support/gate-fixtures.ts';

const WORK_BUCKET = 'fitgate-work';
const s3 = createS3Client();
const smokeLambda = new LambdaClient({});
// SDK mock: moto has no Lambda runtime, so Invoke of the target version is answered here.
const smokeLambdaMock = mockClient(smokeLambda);
let standIn: CodeDeployStandIn;

function options(extra: Partial<LocalRunOptions> = {}): LocalRunOptions {
  return {
    historyTableName: HISTORY_TABLE,
    workBucketName: WORK_BUCKET,
    fastRetries: true,
    familyHandlers: { stack: makeStackChecks({ ...createStackClients(), lambda: smokeLambda }) },
    ...extra,
  };
}

const byFinding = (report: Report | undefined) =>
  [...(report?.results ?? [])].sort((a, b) =>
    `${a.checkId}@${a.logicalId}`.localeCompare(`${b.checkId}@${b.logicalId}`),
  );

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  process.env.AWS_ENDPOINT_URL_CODEDEPLOY = standIn.endpoint;
  smokeLambdaMock.on(InvokeCommand).resolves(invokeAnswer({ statusCode: 200 }));
  await createHistoryTable(createDynamoDbClient());
  await s3.send(new CreateBucketCommand({ Bucket: WORK_BUCKET }));
});

afterAll(async () => {
  await standIn.stop();
  smokeLambdaMock.restore();
});

describe('a plan too large for the state', () => {
  it('runs in the Distributed Map with the same results as inline, its items and results in S3', async () => {
    const deployed = await deployStack({ stackName: 'wide-svc', template: serviceTemplate() });
    const fn = deployed.resources.find((r) => r.logicalId === 'Fn')?.physicalId ?? '';
    const inlineHook = registerDeployment(standIn, fn);
    const distributedHook = registerDeployment(standIn, fn);

    const inline = await runGateLocally(
      { stackName: 'wide-svc', trigger: 'BeforeAllowTraffic', ...inlineHook },
      options(),
    );
    const distributed = await runGateLocally(
      { stackName: 'wide-svc', trigger: 'BeforeAllowTraffic', ...distributedHook },
      options({ inlineStateBudgetBytes: 0 }),
    );

    expect(inline.stats.childExecutions).toBe(0);
    expect(distributed.status).toBe('SUCCEEDED');
    expect(distributed.stats.childExecutions).toBe(inline.stats.workItems);
    expect(byFinding(distributed.report)).toEqual(byFinding(inline.report));
    expect(distributed.report?.decision).toBe(inline.report?.decision);
    for (const hook of [inlineHook, distributedHook]) {
      const statuses = standIn.statuses().filter((s) => s.deploymentId === hook.deploymentId);
      expect(statuses.map((s) => s.status)).toEqual([inline.report?.decision]);
    }
    // The parent's history holds the Map Run, not its items: each item is a child execution.
    expect(distributed.stats.historyEvents).toBeLessThan(inline.stats.historyEvents);
    expect(distributed.stats.maxChildHistoryEvents).toBe(7);
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket: WORK_BUCKET }))).Contents?.map(
      (o) => o.Key,
    );
    expect(keys).toContain(`work-items/${distributed.executionName}.json`);
    expect(keys?.some((key) => /^map-results\/[0-9a-f-]+\/manifest\.json$/.test(key ?? ''))).toBe(true);
  });
});
