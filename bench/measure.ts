/** Measures one stack size: deploy into moto, run the gate workflow, run the one-process baseline. */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { CodeDeployStandIn } from '../cli/emulation/codedeploy-standin.ts';
import { deployStack } from '../cli/emulation/deploy/index.ts';
import { runGateLocally } from '../cli/emulation/runner.ts';
import type { CfnTemplate } from '../cli/emulation/template.ts';
import { score } from '../functions/aggregate/core.ts';
import { createStackClients } from '../functions/checks/stack/clients.ts';
import { makeHandler as makeStackChecks } from '../functions/checks/stack/handler.ts';
import { FAMILIES, type Family } from '../functions/checks/types.ts';
import { makeHandler as makeListResources } from '../functions/list-resources/handler.ts';
import {
  createCloudFormationClient,
  createCodeDeployClient,
  createDynamoDbClient,
} from '../functions/shared/clients.ts';
import type { WorkItemOutcome } from '../statemachine/state.ts';
import { invokeAnswer } from '../test/support/deployments.ts';
import { createHistoryTable, HISTORY_TABLE } from '../test/support/gate-fixtures.ts';
import type { ApiCallCounter } from './api-calls.ts';
import type { CostBreakdown, CostInput } from './cost.ts';
import type { BenchRow } from './run.ts';

// moto runs no Lambda code: the smoke invocation of the target version is answered in-process.
const smokeLambda = new LambdaClient({});
mockClient(smokeLambda)
  .on(InvokeCommand)
  .resolves(invokeAnswer({ statusCode: 200 }));
const stackChecks = makeStackChecks({ ...createStackClients(), lambda: smokeLambda });

async function familyHandlers(): Promise<Record<Family, (event: unknown) => Promise<WorkItemOutcome>>> {
  const families = FAMILIES.filter((family) => family !== 'stack');
  const entries = await Promise.all(
    families.map(
      async (family) => [family, (await import(`../functions/checks/${family}/handler.ts`)).handler] as const,
    ),
  );
  return { ...Object.fromEntries(entries), stack: stackChecks } as Record<
    Family,
    (event: unknown) => Promise<WorkItemOutcome>
  >;
}

/** The original sample's way: one process, every check on every resource under one Promise.all. */
async function baselineRun(stackName: string, deployment: { deploymentId: string; hookExecutionId: string }) {
  const handlers = await familyHandlers();
  const began = performance.now();
  const plan = await makeListResources({
    cloudFormation: createCloudFormationClient(),
    codeDeploy: createCodeDeployClient(),
  })({
    input: { stackName, trigger: 'BeforeAllowTraffic', ...deployment },
    executionName: 'baseline',
    startedAt: new Date().toISOString(),
  });
  const outcomes = await Promise.all(
    plan.items.map((workItem) =>
      handlers[workItem.family]({
        workItem,
        stack: plan.stack,
        trigger: plan.trigger,
        deployment: plan.deployment,
        checks: plan.config.checks,
      }),
    ),
  );
  score({
    stackName,
    trigger: plan.trigger,
    outcomes,
    config: plan.config,
    inventory: plan.inventory,
    now: new Date(),
  });
  // (the baseline scores the full outcomes; the digests the workflow carries are part of them)
  return Math.round(performance.now() - began);
}

export async function measureSize(
  size: number,
  template: CfnTemplate,
  standIn: CodeDeployStandIn,
  counter: ApiCallCounter,
  modelCost: (input: CostInput) => CostBreakdown,
): Promise<BenchRow> {
  const stackName = `bench-${size}`;
  const deployed = await deployStack({ stackName, template, timeoutMs: 600_000 });
  await createHistoryTable(createDynamoDbClient());
  const target = deployed.resources.find((r) => r.type === 'AWS::Lambda::Function');
  const deployment = {
    deploymentId: `d-BENCH${String(size).padStart(5, '0')}`,
    hookExecutionId: `bench-hook-${size}`,
  };
  standIn.addDeployment({
    ...deployment,
    applicationName: 'bench-app',
    deploymentGroupName: 'bench-group',
    appSpec: {
      functionName: target?.physicalId ?? 'none',
      alias: 'live',
      currentVersion: '1',
      targetVersion: '2',
    },
    hookExecutionIds: [deployment.hookExecutionId],
  });

  counter.start();
  const run = await runGateLocally(
    { stackName, trigger: 'BeforeAllowTraffic', ...deployment },
    { historyTableName: HISTORY_TABLE, familyHandlers: { stack: stackChecks } },
  );
  const apiCalls = counter.stop();
  if (run.status !== 'SUCCEEDED' || !run.report) {
    throw new Error(`the workflow failed on ${size} resources: ${run.error?.Error}: ${run.error?.Cause}`);
  }
  const baselineWallMs = await baselineRun(stackName, deployment);
  // Every check run, including results the report left out to stay inside the state limit.
  const checks = Object.values(run.report.summary).reduce((sum, count) => sum + count, 0);
  const cost = modelCost({
    transitions: run.stats.transitions,
    lambdaInvocations: run.stats.lambdaInvocations,
    lambdaMs: run.stats.lambdaMs,
    apiCalls,
  });
  return {
    resources: size,
    workItems: run.stats.workItems,
    wallMs: run.stats.wallMs,
    baselineWallMs,
    checkRuns: checks,
    checksPerSecond: Math.round((checks / run.stats.wallMs) * 1000),
    maxPayloadBytes: run.stats.maxPayloadBytes,
    maxPayloadState: run.stats.maxPayloadState,
    historyEvents: run.stats.historyEvents,
    transitions: run.stats.transitions,
    lambdaInvocations: run.stats.lambdaInvocations,
    apiCalls,
    costUsd: Number(cost.total.toFixed(6)),
    decision: run.report.decision,
  };
}
