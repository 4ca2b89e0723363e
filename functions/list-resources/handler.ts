/**
 * ListResources: the first state. Resolves the configuration, reads the stack (paginating
 * ListStackResources and descending into nested stacks), and returns the trimmed work plan that
 * the Map state fans out. The output is kept small: a 500-resource stack fits well inside 256 KiB.
 */
import {
  type CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { strictObject, string, unknown, enum as zodEnum } from 'zod';
import {
  type AuditPlan,
  type Inventory,
  isHookTrigger,
  type ListResourcesInput,
  type S3Location,
  type StackInfo,
  TRIGGERS,
  type Trigger,
  type WorkItem,
} from '../../statemachine/state.ts';
import { catalogOf } from '../checks/catalog.ts';
import {
  createCloudFormationClient,
  createCodeDeployClient,
  createDynamoDbClient,
  createS3Client,
} from '../shared/clients.ts';
import {
  configFromEnv,
  describeIssue,
  type GateConfig,
  type GateConfigInput,
  type GatePolicy,
  type GateResources,
  parseGateConfig,
  parsePolicyOverride,
  resolveConfig,
  tightenPolicy,
} from '../shared/config.ts';
import { errorMessage, InvalidInputError, isAwsError, StackNotFoundError } from '../shared/errors.ts';
import { HistoryTableNotFoundError, releaseIdOf, verifyHistoryTable } from '../shared/history-table.ts';
import { logger } from '../shared/logger.ts';
import { parseTemplate } from '../shared/template.ts';
import {
  AdHocAuditError,
  functionInStack,
  type HookVerdict,
  hookClaimOf,
  verifyHookClaim,
} from './deployment.ts';
import { isGateResource, type ListedRow, parseGateResources } from './gate-resources.ts';
import {
  fitsInline,
  messageBudgetPerItem,
  parseCheckFunctions,
  planWorkItems,
  routeWorkItems,
  stackInfoFromArn,
} from './plan.ts';
import { type BlankRows, explainBlankRows, inventoryOf, trimRow } from './rows.ts';
import { withSamResourceIds } from './sam-origins.ts';
import { readTemplateWaivers, type TemplateWaivers, withTemplateWaivers } from './waivers.ts';

export interface ListResourcesDeps {
  readonly cloudFormation: CloudFormationClient;
  /** Confirms that a run claiming a CodeDeploy hook gates a deployment that waits for it. */
  readonly codeDeploy: CodeDeployClient;
  /** The history table, verified before any work (HISTORY_TABLE_NAME in the cloud). */
  readonly history?: { readonly dynamoDb: DynamoDBClient; readonly tableName: string };
  /** The gate's configuration (FITGATE_CONFIG in the cloud, --policy locally). */
  readonly gateConfig?: GateConfigInput;
  /** Where a plan too large for the state goes (WORK_BUCKET_NAME); without it every plan runs inline. */
  readonly workBucketName?: string;
  readonly s3?: S3Client;
  /** The inline Map's state budget (plan.ts); tests lower it to send a small plan to the Distributed Map. */
  readonly inlineStateBudgetBytes?: number;
}

/** Writes the items file the Distributed Map reads (ItemReader, InputType JSON: one JSON array). */
async function writeItems(
  s3: S3Client,
  bucket: string,
  executionName: string,
  items: readonly WorkItem[],
): Promise<S3Location> {
  const location = { Bucket: bucket, Key: `work-items/${executionName}.json` };
  await s3.send(
    new PutObjectCommand({ ...location, Body: JSON.stringify(items), ContentType: 'application/json' }),
  );
  return location;
}

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$|^arn:aws[a-z-]*:cloudformation:/;
const MAX_NESTING = 5;
const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';

const executionInputSchema = strictObject({
  stackName: string().regex(STACK_NAME, {
    error: (issue) => `must be a stack name or stack ARN (got ${JSON.stringify(issue.input)})`,
  }),
  trigger: zodEnum(TRIGGERS, { error: `must be one of ${TRIGGERS.join(', ')}` }).optional(),
  deploymentId: string().optional(),
  hookExecutionId: string().optional(),
  policy: unknown().optional(),
});

interface ParsedInput {
  readonly stackName: string;
  readonly trigger: Trigger;
  /** The input's `policy`, validated when the run's kind is known (runConfig). */
  readonly policy: unknown;
}

/** The execution input, validated: one line naming the field for anything wrong. */
export function parseExecutionInput(input: unknown): ParsedInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new InvalidInputError('execution input must be a JSON object');
  const parsed = executionInputSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new InvalidInputError(
      `execution input: ${issue ? describeIssue(issue, executionInputSchema) : 'is not valid'}`,
    );
  }
  const { stackName, trigger = 'adhoc', policy } = parsed.data;
  return { stackName, trigger, policy };
}

async function describeStack(
  cloudFormation: CloudFormationClient,
  stackName: string,
): Promise<{ stack: StackInfo; parameters: Record<string, string> }> {
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    if (!stack?.StackId) throw new StackNotFoundError(stackName);
    const parameters = Object.fromEntries(
      (stack.Parameters ?? []).flatMap((p) =>
        p.ParameterKey ? [[p.ParameterKey, p.ResolvedValue ?? p.ParameterValue ?? '']] : [],
      ),
    );
    const releaseId = releaseIdOf(stack.StackId, stack.LastUpdatedTime, stack.CreationTime);
    const info = stackInfoFromArn(stack.StackName ?? stackName, stack.StackId);
    return { stack: releaseId ? { ...info, releaseId } : info, parameters };
  } catch (error) {
    if (isAwsError(error, 'ValidationError') && /does not exist/i.test(errorMessage(error))) {
      throw new StackNotFoundError(stackName);
    }
    throw error;
  }
}

/** A stack the audit reads: the root, or a nested stack with the key prefix of its resources. */
interface ListedStack {
  /** ARN (moto: name) to call CloudFormation with, and to match the gate's own stack. */
  readonly stackId: string;
  /** `''` for the root; `Child/` for the resources of the nested stack `Child`. */
  readonly prefix: string;
}

/** Every row of the stack and of its nested stacks, each with the stack that lists it. */
async function listStacks(
  cloudFormation: CloudFormationClient,
  root: StackInfo,
): Promise<{ rows: ListedRow[]; stacks: ListedStack[] }> {
  const rows: ListedRow[] = [];
  const stacks: ListedStack[] = [];
  const visit = async (stack: ListedStack, depth: number) => {
    stacks.push(stack);
    for await (const page of paginateListStackResources(
      { client: cloudFormation },
      { StackName: stack.stackId },
    )) {
      for (const summary of page.StackResourceSummaries ?? []) {
        const row = trimRow(summary, stack.prefix);
        rows.push({ row, summary, stackId: stack.stackId });
        if (row.kind === 'resource' && row.resource.type === NESTED_STACK_TYPE && depth < MAX_NESTING) {
          await visit({ stackId: row.resource.physicalId, prefix: `${row.resource.logicalId}/` }, depth + 1);
        }
      }
    }
  };
  await visit({ stackId: root.stackId, prefix: '' }, 0);
  return { rows, stacks };
}

/** A stack's template; one that cannot be read costs its waivers, not the audit (noted). */
async function readTemplate(
  cloudFormation: CloudFormationClient,
  stack: ListedStack,
  notes: string[],
): Promise<Record<string, unknown> | undefined> {
  const which = stack.prefix ? `nested stack ${stack.prefix.slice(0, -1)}` : 'the stack';
  try {
    const { TemplateBody } = await cloudFormation.send(
      new GetTemplateCommand({ StackName: stack.stackId, TemplateStage: 'Processed' }),
    );
    if (!TemplateBody) return undefined;
    return parseTemplate(TemplateBody, `template of ${which}`);
  } catch (error) {
    notes.push(`template waivers of ${which} not read: ${errorMessage(error).slice(0, 160)}`);
    return undefined;
  }
}

/** The template less the gate's own resources, when it is the gate's own stack's template. */
function withoutGate(
  template: Record<string, unknown> | undefined,
  stackId: string,
  gate: GateResources | undefined,
): Record<string, unknown> | undefined {
  if (!template || !gate || gate.stackId !== stackId) return template;
  const resources = (template.Resources ?? {}) as Record<string, unknown>;
  return {
    ...template,
    Resources: Object.fromEntries(Object.entries(resources).filter(([id]) => !gate.logicalIds.includes(id))),
  };
}

/** One note per kind of row no check could look at, so the report says what was not audited and why. */
function skippedRowNotes(inventory: Inventory, blankRows: BlankRows | undefined): string[] {
  const notes: string[] = [];
  const { blank, unidentified } = inventory.skipped;
  if (blank > 0) {
    const parts = blankRows
      ? [
          blankRows.notCreated > 0 ? `${blankRows.notCreated} with a false Condition (not created)` : '',
          blankRows.unlisted.length > 0
            ? `${blankRows.unlisted.length} of types the stack does not report (${[
                ...new Set(blankRows.unlisted.map((r) => r.type)),
              ]
                .sort()
                .join(', ')}), not audited`
            : '',
          blankRows.unexplained > 0 ? `${blankRows.unexplained} undecided` : '',
        ].filter(Boolean)
      : ['a type the emulator does not model or a false Condition; the template did not tell them apart'];
    notes.push(`${blank} ListStackResources rows without a type skipped: ${parts.join('; ')}`);
  }
  if (unidentified > 0) {
    notes.push(`${unidentified} ListStackResources rows without a physical id skipped, not audited`);
  }
  return notes;
}

/** The configuration of this run: the gate's, and what the input's `policy` may change. */
function runConfig(
  gateConfig: GateConfigInput | undefined,
  fitnessFunctions: unknown,
  rawOverride: unknown,
  hookRun: boolean,
  notes: string[],
): GateConfig {
  // The definition's fitness functions, validated like any configuration layer.
  const definitionLayer =
    fitnessFunctions === undefined
      ? undefined
      : parseGateConfig({ checks: fitnessFunctions }, 'the definition’s fitnessFunctions');
  if (!hookRun) {
    return resolveConfig(gateConfig, definitionLayer, {
      policy: rawOverride === undefined ? {} : parsePolicyOverride(rawOverride),
    });
  }
  const config = resolveConfig(gateConfig, definitionLayer);
  let override: Partial<GatePolicy> = {};
  try {
    override = rawOverride === undefined ? {} : parsePolicyOverride(rawOverride);
  } catch (error) {
    // A hook run must not fail on what a hand-started copy added; it runs on the gate's policy.
    notes.push(`execution input policy ignored for this hook-triggered run: ${errorMessage(error)}`);
  }
  const { policy, ignored } = tightenPolicy(config.policy, override);
  if (ignored.length > 0) {
    notes.push(
      `execution input policy ignored for this hook-triggered run, which it may only make stricter: ${ignored.join('; ')}`,
    );
  }
  return { ...config, policy };
}

export function makeHandler(deps: ListResourcesDeps) {
  return async (event: ListResourcesInput): Promise<AuditPlan> => {
    const claim = hookClaimOf(event?.input);
    // Asked first, before anything in the input can fail the run: a failure before the verdict
    // reports Failed for the claimed hook (fail closed); once the run is known to gate no waiting
    // hook, its failures are AdHocAuditError, which the state machine reports to nobody.
    const verdict: HookVerdict | undefined = claim
      ? await verifyHookClaim(deps.codeDeploy, claim)
      : undefined;
    let live = verdict?.live === true;
    try {
      const input = parseExecutionInput(event?.input);
      logger.appendKeys({ stackName: input.stackName, executionName: event.executionName });
      const notes: string[] = [];
      // A mis-keyed table fails every run; a missing one fails a run CodeDeploy waits on (the
      // Aggregate notes it for any other run).
      if (deps.history) {
        const table = await verifyHistoryTable(deps.history.dynamoDb, deps.history.tableName);
        if (table === 'missing' && live) throw new HistoryTableNotFoundError(deps.history.tableName);
      }
      const { stack, parameters } = await describeStack(deps.cloudFormation, input.stackName);
      const listing = await listStacks(deps.cloudFormation, stack);

      let reason = verdict && !verdict.live ? verdict.reason : undefined;
      if (verdict?.live) {
        const functions = listing.rows.flatMap(({ row }) =>
          row.kind === 'resource' && row.resource.type === 'AWS::Lambda::Function'
            ? [row.resource.physicalId]
            : [],
        );
        if (!functionInStack(verdict.functionName, functions)) {
          live = false;
          reason = `deployment ${verdict.deployment.deploymentId} shifts traffic of ${verdict.functionName}, which is not a function of stack ${stack.stackName}`;
        }
      }
      if (reason) {
        notes.push(
          `started as a ${claim?.trigger} hook run, but ${reason}: audited as an ad-hoc run (never accepted, never a baseline, nothing reported to CodeDeploy)`,
        );
        logger.warn('hook claim not confirmed by CodeDeploy; ad-hoc run', { reason });
      } else if (!claim && isHookTrigger(input.trigger)) {
        notes.push(
          `trigger ${input.trigger} without a deploymentId and hookExecutionId: audited as an ad-hoc run (never accepted, never a baseline, nothing reported to CodeDeploy)`,
        );
      }
      const trigger: Trigger = live ? input.trigger : isHookTrigger(input.trigger) ? 'adhoc' : input.trigger;
      const baseConfig = runConfig(deps.gateConfig, event.fitnessFunctions, input.policy, live, notes);

      const gate = parseGateResources(event.gateResources);
      const kept = listing.rows.filter((listed) => !isGateResource(listed, gate));
      const excluded = listing.rows.length - kept.length;
      if (excluded > 0) notes.push(`${excluded} resources of the fitness gate itself are not audited`);
      const templates: { stack: ListedStack; template: Record<string, unknown> | undefined }[] = [];
      for (const listed of listing.stacks) {
        const template = withoutGate(
          await readTemplate(deps.cloudFormation, listed, notes),
          listed.stackId,
          gate,
        );
        templates.push({ stack: listed, template });
      }
      const waivers: TemplateWaivers[] = templates.map(({ stack: listed, template }) =>
        readTemplateWaivers(template ?? {}, listed.prefix),
      );
      notes.push(...waivers.flatMap((read) => read.notes));
      const config = withTemplateWaivers(baseConfig, waivers);

      const rows = kept.map((listed) => listed.row);
      const resources = withSamResourceIds(
        rows.flatMap((row) => (row.kind === 'resource' ? [row.resource] : [])),
        templates.map(({ stack: listed, template }) => ({ prefix: listed.prefix, template })),
      );
      const disabled = new Set(config.checks.disabled);
      const catalog = catalogOf(config.checks);
      const functions = parseCheckFunctions(event.functions);
      const items = routeWorkItems(planWorkItems(resources, stack, trigger, disabled, catalog), functions);
      const rootTemplate = templates[0]?.template;
      const rootListed = kept
        .filter((listed) => listed.stackId === stack.stackId)
        .map((listed) => listed.summary);
      const blankRows: BlankRows | undefined = rootTemplate
        ? explainBlankRows(rootTemplate, rootListed, parameters, stack)
        : undefined;
      const inventory = inventoryOf(rows, items, {
        trigger,
        disabled,
        blankRows,
        templates: templates.map(({ stack: listed, template }) => ({ prefix: listed.prefix, template })),
        catalog,
      });
      notes.push(...skippedRowNotes(inventory, blankRows));
      logger.info('work planned', {
        resources: inventory.coverage.resources,
        workItems: items.length,
        trigger,
      });
      const plan: AuditPlan = {
        stack,
        trigger,
        deployment: live && verdict?.live ? verdict.deployment : null,
        execution: { name: event.executionName, startedAt: event.startedAt },
        config,
        items,
        itemCount: items.length,
        functions: functions.map((fn) => fn.arn),
        inventory,
        notes,
        messageBudget: messageBudgetPerItem(items.length),
      };
      const contextBytes = Buffer.byteLength(JSON.stringify({ ...plan, items: [] }), 'utf8');
      if (fitsInline(items, trigger, disabled, contextBytes, deps.inlineStateBudgetBytes, catalog))
        return plan;
      if (!deps.workBucketName) {
        notes.push(
          `${items.length} work items run inline without a work bucket: the state may pass Step Functions' 256 KiB limit`,
        );
        return plan;
      }
      const itemsLocation = await writeItems(
        deps.s3 ?? createS3Client(),
        deps.workBucketName,
        event.executionName,
        items,
      );
      return { ...plan, items: [], itemsLocation };
    } catch (error) {
      if (live) throw error;
      throw new AdHocAuditError(error);
    }
  };
}

export const handler = makeHandler({
  cloudFormation: createCloudFormationClient(),
  codeDeploy: createCodeDeployClient(),
  gateConfig: configFromEnv(),
  workBucketName: process.env.WORK_BUCKET_NAME,
  s3: createS3Client(),
  ...(process.env.HISTORY_TABLE_NAME
    ? { history: { dynamoDb: createDynamoDbClient(), tableName: process.env.HISTORY_TABLE_NAME } }
    : {}),
});
