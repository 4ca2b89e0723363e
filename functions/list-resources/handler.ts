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
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  type AuditPlan,
  type Deployment,
  type Inventory,
  isTrigger,
  type ListResourcesInput,
  type S3Location,
  type StackInfo,
  type Trigger,
  type WorkItem,
} from '../../statemachine/state.ts';
import { createCloudFormationClient, createS3Client } from '../shared/clients.ts';
import { configFromEnv, type GateConfigInput, resolveConfig } from '../shared/config.ts';
import { errorMessage, InvalidInputError, isAwsError, StackNotFoundError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { parseTemplate } from '../shared/template.ts';
import { withoutGateResources } from './gate-resources.ts';
import {
  fitsInline,
  messageBudgetPerItem,
  parseCheckFunctions,
  planWorkItems,
  routeWorkItems,
  stackInfoFromArn,
} from './plan.ts';
import { type BlankRows, explainBlankRows, inventoryOf, type TrimmedRow, trimRow } from './rows.ts';
import { templateSuppressions, withTemplateSuppressions } from './waivers.ts';

export interface ListResourcesDeps {
  readonly cloudFormation: CloudFormationClient;
  /** The gate's configuration (FITGATE_CONFIG in the cloud, --policy locally). */
  readonly gateConfig?: GateConfigInput;
  /** Where a plan too large for the state goes (WORK_BUCKET_NAME); without it every plan runs inline. */
  readonly workBucketName?: string;
  readonly s3?: S3Client;
  /** The inline Map's state budget (plan.ts); tests lower it to send a small plan to the Distributed Map. */
  readonly inlineStateBudgetBytes?: number;
}

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$|^arn:aws[a-z-]*:cloudformation:/;
const MAX_NESTING = 5;

interface ParsedInput {
  stackName: string;
  trigger: Trigger;
  deployment: Deployment | null;
  policy?: GateConfigInput['policy'];
}

export function parseExecutionInput(input: unknown): ParsedInput {
  if (typeof input !== 'object' || input === null)
    throw new InvalidInputError('execution input must be a JSON object');
  const {
    stackName,
    trigger = 'adhoc',
    deploymentId,
    hookExecutionId,
    policy,
  } = input as Record<string, unknown>;
  if (typeof stackName !== 'string' || !STACK_NAME.test(stackName)) {
    throw new InvalidInputError(
      `execution input needs a valid stackName (got ${JSON.stringify(stackName) ?? 'nothing'})`,
    );
  }
  if (!isTrigger(trigger)) throw new InvalidInputError(`unknown trigger ${String(trigger)}`);
  if (deploymentId !== undefined && typeof deploymentId !== 'string')
    throw new InvalidInputError('deploymentId must be a string');
  if (hookExecutionId !== undefined && typeof hookExecutionId !== 'string') {
    throw new InvalidInputError('hookExecutionId must be a string');
  }
  if (policy !== undefined && (typeof policy !== 'object' || policy === null))
    throw new InvalidInputError('policy must be an object');
  const deployment: Deployment | null =
    typeof deploymentId === 'string'
      ? { deploymentId, ...(typeof hookExecutionId === 'string' ? { hookExecutionId } : {}) }
      : null;
  return { stackName, trigger: trigger as Trigger, deployment, policy: policy as GateConfigInput['policy'] };
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
    return { stack: stackInfoFromArn(stack.StackName ?? stackName, stack.StackId), parameters };
  } catch (error) {
    if (isAwsError(error, 'ValidationError') && /does not exist/i.test(errorMessage(error))) {
      throw new StackNotFoundError(stackName);
    }
    throw error;
  }
}

/** Every row (nested stacks included, trimmed) and the top-level stack's own rows as listed. */
async function listRows(
  cloudFormation: CloudFormationClient,
  stackName: string,
  depth = 0,
): Promise<{ rows: TrimmedRow[]; listed: StackResourceSummary[] }> {
  const rows: TrimmedRow[] = [];
  const listed: StackResourceSummary[] = [];
  for await (const page of paginateListStackResources({ client: cloudFormation }, { StackName: stackName })) {
    for (const summary of page.StackResourceSummaries ?? []) {
      const row = trimRow(summary);
      rows.push(row);
      listed.push(summary);
      if (
        row.kind === 'resource' &&
        row.resource.type === 'AWS::CloudFormation::Stack' &&
        depth < MAX_NESTING
      ) {
        rows.push(...(await listRows(cloudFormation, row.resource.physicalId, depth + 1)).rows);
      }
    }
  }
  return { rows, listed };
}

/** The stack's template; one that cannot be read costs its waivers, not the audit (noted). */
async function readTemplate(
  cloudFormation: CloudFormationClient,
  stackName: string,
  notes: string[],
): Promise<Record<string, unknown> | undefined> {
  try {
    const { TemplateBody } = await cloudFormation.send(new GetTemplateCommand({ StackName: stackName }));
    if (!TemplateBody) return undefined;
    return parseTemplate(TemplateBody, `template of ${stackName}`);
  } catch (error) {
    notes.push(`template waivers not read: ${errorMessage(error).slice(0, 160)}`);
    return undefined;
  }
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

export function makeHandler(deps: ListResourcesDeps) {
  return async (event: ListResourcesInput): Promise<AuditPlan> => {
    const input = parseExecutionInput(event?.input);
    logger.appendKeys({ stackName: input.stackName, executionName: event.executionName });
    const baseConfig = resolveConfig(deps.gateConfig, input.policy ? { policy: input.policy } : undefined);
    const { stack, parameters } = await describeStack(deps.cloudFormation, input.stackName);
    const listing = await listRows(deps.cloudFormation, stack.stackName);
    const notes: string[] = [];
    const fullTemplate = await readTemplate(deps.cloudFormation, stack.stackName, notes);
    const { rows, template, excluded, gateIds } = withoutGateResources(listing.rows, fullTemplate);
    const listed = listing.listed.filter((row) => !gateIds.has(row.LogicalResourceId ?? ''));
    if (excluded > 0) notes.push(`${excluded} resources of the fitness gate itself are not audited`);
    const config = withTemplateSuppressions(baseConfig, templateSuppressions(template ?? {}));
    const resources = rows.flatMap((row) => (row.kind === 'resource' ? [row.resource] : []));
    const disabled = new Set(config.checks.disabled);
    const planned = planWorkItems(resources, stack, input.trigger, disabled);
    const functions = parseCheckFunctions(event.functions);
    const items = routeWorkItems(planned, functions);
    const blankRows = template ? explainBlankRows(template, listed, parameters, stack) : undefined;
    const inventory = inventoryOf(rows, items, blankRows);
    notes.push(...skippedRowNotes(inventory, blankRows));
    const plan: AuditPlan = {
      stack,
      trigger: input.trigger,
      deployment: input.deployment,
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
    logger.info('work planned', { resources: inventory.resources, workItems: items.length });
    if (fitsInline(items, input.trigger, disabled, contextBytes, deps.inlineStateBudgetBytes)) return plan;
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
  };
}

export const handler = makeHandler({
  cloudFormation: createCloudFormationClient(),
  gateConfig: configFromEnv(),
  workBucketName: process.env.WORK_BUCKET_NAME,
  s3: createS3Client(),
});
