/**
 * The bench's worst cases (issues #11 and #13): stacks chosen for the state size and the number of
 * work items rather than for realism, each run as a gated deployment. What Step Functions would
 * record and bill in the cloud comes from the runner's accounting (execution-monitor.ts); the
 * Distributed Map runs locally as distributed-map.ts emulates it, with the same handlers.
 */

import {
  CreateStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { CodeDeployStandIn } from '../cli/emulation/codedeploy-standin.ts';
import { type DeployResult, deployStack } from '../cli/emulation/deploy/index.ts';
import type { CfnTemplate } from '../cli/emulation/template.ts';
import { inlineOutcomeBytes } from '../functions/list-resources/plan.ts';
import { createCloudFormationClient, createS3Client } from '../functions/shared/clients.ts';
import type { WorkItem } from '../statemachine/state.ts';
import type { ApiCallCounter } from './api-calls.ts';
import type { CostBreakdown, CostInput } from './cost.ts';
import { gatedRun } from './measure.ts';
import { publicBucketsTemplate, syntheticTemplate } from './synthetic-stack.ts';

export interface ScaleRow {
  readonly scenario: string;
  readonly workItems: number;
  readonly map: 'inline' | 'distributed';
  readonly status: string;
  readonly decision: string;
  readonly maxPayloadBytes: number;
  readonly maxPayloadState: string;
  readonly historyEvents: number;
  readonly maxChildHistoryEvents: number;
  readonly transitions: number;
  readonly costUsd: number;
  readonly wallMs: number;
  /** What the inline Map would have needed for the same items (the Distributed Map's reason to be). */
  readonly inlineEstimate?: { readonly mapOutputBytes: number; readonly historyEvents: number };
}

interface Context {
  readonly standIn: CodeDeployStandIn;
  readonly counter: ApiCallCounter;
  readonly modelCost: (input: CostInput) => CostBreakdown;
}

export const WORK_BUCKET = 'fitgate-bench-work';
const TEMPLATES_BUCKET = 'fitgate-bench-templates';

async function rowOf(
  scenario: string,
  stackName: string,
  functionName: string | undefined,
  context: Context,
  options: Parameters<typeof gatedRun>[3] = {},
): Promise<ScaleRow> {
  const { run, cost } = await gatedRun(stackName, functionName, context, options);
  const distributed = run.stats.childExecutions > 0;
  return {
    scenario,
    workItems: run.stats.workItems,
    map: distributed ? 'distributed' : 'inline',
    status: run.status === 'SUCCEEDED' ? run.status : `${run.status} ${run.error?.Error ?? ''}`,
    decision: run.report?.decision ?? '-',
    maxPayloadBytes: run.stats.maxPayloadBytes,
    maxPayloadState: run.stats.maxPayloadState,
    historyEvents: run.stats.historyEvents,
    maxChildHistoryEvents: run.stats.maxChildHistoryEvents,
    transitions: run.stats.transitions,
    costUsd: Number(cost.total.toFixed(6)),
    wallMs: run.stats.wallMs,
    ...(distributed ? { inlineEstimate: await inlineEstimateOf(run.executionName) } : {}),
  };
}

/** The inline Map's output and history for the items the Distributed Map read (its items file). */
async function inlineEstimateOf(executionName: string): Promise<ScaleRow['inlineEstimate']> {
  const object = await createS3Client().send(
    new GetObjectCommand({ Bucket: WORK_BUCKET, Key: `work-items/${executionName}.json` }),
  );
  const items = JSON.parse((await object.Body?.transformToString('utf8')) ?? '[]') as WorkItem[];
  // Seven events per inline item (two for the iteration, five for its task), four for the Map, ~30 around it.
  return {
    mapOutputBytes: inlineOutcomeBytes(items, 'BeforeAllowTraffic', new Set()),
    historyEvents: 34 + 7 * items.length,
  };
}

/** Issue #11: 300 public buckets with 60-character logical ids, every check failing on a long id. */
export async function publicBuckets(context: Context): Promise<ScaleRow> {
  const stackName = 'worst-public-300';
  const deployed = await deployStack({
    stackName,
    template: publicBucketsTemplate(300, 60),
    timeoutMs: 600_000,
  });
  return rowOf('300 public buckets, 60-char ids', stackName, serviceFunction(deployed), context);
}

/** The function the worst-case stacks' deployment shifts (a hook claim names a function of the stack). */
function serviceFunction(deployed: DeployResult): string | undefined {
  return deployed.resources.find((r) => r.logicalId === 'ServiceFunction')?.physicalId;
}

/** Issue #11: 150 work items whose function fails, each throwing a 64 KiB message and its stack trace. */
export async function failingItems(context: Context): Promise<ScaleRow> {
  const stackName = 'worst-failing-150';
  const deployed = await deployStack({
    stackName,
    template: publicBucketsTemplate(150, 60, 'failing'),
    timeoutMs: 600_000,
  });
  const crash = () => {
    const error = new Error(`the check crashed: ${'x'.repeat(64 * 1024)}`);
    error.name = 'CheckCrashedError';
    throw error;
  };
  return rowOf('150 failing work items', stackName, serviceFunction(deployed), context, {
    functionOverrides: { s3: async () => crash() },
  });
}

/** A parent stack of nested stacks, `children` of `resourcesPerChild` resources each (moto CreateStack). */
async function deployNestedTree(
  stackName: string,
  children: number,
  resourcesPerChild: number,
): Promise<void> {
  const s3 = createS3Client();
  const cloudFormation = createCloudFormationClient();
  await s3.send(new CreateBucketCommand({ Bucket: TEMPLATES_BUCKET })).catch(() => undefined);
  const resources: CfnTemplate['Resources'] = {};
  for (let child = 0; child < children; child++) {
    const key = `${stackName}/child-${child}.json`;
    await s3.send(
      new PutObjectCommand({
        Bucket: TEMPLATES_BUCKET,
        Key: key,
        Body: JSON.stringify(syntheticTemplate(resourcesPerChild)),
      }),
    );
    resources[`${stackName.replace(/[^A-Za-z0-9]/g, '')}Child${child}`] = {
      Type: 'AWS::CloudFormation::Stack',
      Properties: { TemplateURL: `https://s3.amazonaws.com/${TEMPLATES_BUCKET}/${key}` },
    };
  }
  await cloudFormation.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }),
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
    }),
  );
  for (let waited = 0; waited < 600_000; waited += 500) {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const status = Stacks?.[0]?.StackStatus ?? '';
    if (status.endsWith('_COMPLETE')) return;
    if (status.endsWith('_FAILED')) throw new Error(`nested tree ${stackName}: ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Issue #13: a nested-stack tree of at least 2,000 work items, past every inline budget. */
export async function nestedTree(context: Context, workItems = 2_000): Promise<ScaleRow> {
  const stackName = 'scale-nested';
  // The synthetic mix plans about 1.3 work items per resource; four children keep each under 500.
  const children = 4;
  const resourcesPerChild = Math.ceil(workItems / 1.25 / children);
  await deployNestedTree(stackName, children, resourcesPerChild);
  await createS3Client()
    .send(new CreateBucketCommand({ Bucket: WORK_BUCKET }))
    .catch(() => undefined);
  const firstChild = (
    await createCloudFormationClient().send(new ListStackResourcesCommand({ StackName: stackName }))
  ).StackResourceSummaries?.[0]?.PhysicalResourceId;
  const functions = firstChild
    ? (
        await createCloudFormationClient().send(new ListStackResourcesCommand({ StackName: firstChild }))
      ).StackResourceSummaries?.find((r) => r.ResourceType === 'AWS::Lambda::Function')?.PhysicalResourceId
    : undefined;
  const row = await rowOf(
    `nested tree, ${children} × ${resourcesPerChild} resources`,
    stackName,
    functions,
    context,
    {
      workBucketName: WORK_BUCKET,
    },
  );
  if (row.workItems < workItems)
    throw new Error(`the nested tree planned ${row.workItems} work items, not ${workItems}`);
  return row;
}
