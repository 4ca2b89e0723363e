/** Measures one stack size: deploy into moto, run the gate workflow, run the one-process baseline. */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { CodeDeployStandIn } from '../cli/emulation/codedeploy-standin.ts';
import { deployStack } from '../cli/emulation/deploy/index.ts';
import { type LocalExecution, type LocalRunOptions, runGateLocally } from '../cli/emulation/runner.ts';
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
      handlers[workItem.family as Family]({
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

let deployments = 0;

/** A new CodeDeploy deployment of the stack's first function, registered in the stand-in. */
function registerDeployment(
  standIn: CodeDeployStandIn,
  name: string,
  functionName: string | undefined,
): { deploymentId: string; hookExecutionId: string } {
  deployments += 1;
  const deployment = {
    deploymentId: `d-BENCH-${name}-${deployments}`,
    hookExecutionId: `bench-hook-${deployments}`,
  };
  standIn.addDeployment({
    ...deployment,
    applicationName: 'bench-app',
    deploymentGroupName: 'bench-group',
    appSpec: { functionName: functionName ?? 'none', alias: 'live', currentVersion: '1', targetVersion: '2' },
    hookExecutionIds: [deployment.hookExecutionId],
  });
  return deployment;
}

/** Runs of each path per size (the fastest is kept). */
const RUNS = 2;

export interface GatedRun {
  readonly run: LocalExecution;
  readonly apiCalls: Record<string, number>;
  readonly cost: CostBreakdown;
  readonly deployment: { deploymentId: string; hookExecutionId: string };
}

/** One gated deployment of a deployed stack, as a BeforeAllowTraffic hook starts it, with its cost. */
export async function gatedRun(
  stackName: string,
  functionName: string | undefined,
  context: {
    readonly standIn: CodeDeployStandIn;
    readonly counter: ApiCallCounter;
    readonly modelCost: (input: CostInput) => CostBreakdown;
  },
  options: Partial<LocalRunOptions> = {},
): Promise<GatedRun> {
  // One table per emulator reset; the runs of one size share it.
  await createHistoryTable(createDynamoDbClient()).catch((error: Error) => {
    if (error.name !== 'ResourceInUseException') throw error;
  });
  const deployment = registerDeployment(context.standIn, stackName, functionName);
  context.counter.start();
  const run = await runGateLocally(
    { stackName, trigger: 'BeforeAllowTraffic', ...deployment },
    { historyTableName: HISTORY_TABLE, familyHandlers: { stack: stackChecks }, ...options },
  );
  const apiCalls = context.counter.stop();
  const cost = context.modelCost({
    transitions: run.stats.transitions,
    lambdaInvocations: run.stats.lambdaInvocations,
    lambdaMs: run.stats.lambdaMs,
    apiCalls,
  });
  return { run, apiCalls, cost, deployment };
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
  const target = deployed.resources.find((r) => r.type === 'AWS::Lambda::Function');
  // The machine is shared and its load varies: both paths run RUNS times, interleaved; the fastest
  // of each is kept.
  let fastest: GatedRun | undefined;
  let baselineWallMs = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < RUNS; attempt++) {
    const gated = await gatedRun(stackName, target?.physicalId, { standIn, counter, modelCost });
    if (gated.run.status !== 'SUCCEEDED' || !gated.run.report) {
      throw new Error(
        `the workflow failed on ${size} resources: ${gated.run.error?.Error}: ${gated.run.error?.Cause}`,
      );
    }
    if (!fastest || gated.run.stats.wallMs < fastest.run.stats.wallMs) fastest = gated;
    baselineWallMs = Math.min(baselineWallMs, await baselineRun(stackName, gated.deployment));
  }
  if (!fastest?.run.report) throw new Error(`no run on ${size} resources`);
  const { run, apiCalls, cost } = fastest;
  const report = fastest.run.report;
  // Every check run, including results the report left out to stay inside the state limit.
  const checks = Object.values(report.summary).reduce((sum, count) => sum + count, 0);
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
    decision: report.decision,
  };
}
