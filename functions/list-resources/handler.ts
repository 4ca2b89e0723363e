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
import { parse as parseYaml } from 'yaml';
import type { DeploymentInfo, StackInfo, Trigger, WorkItem } from '../checks/types.ts';
import { createClients } from '../shared/clients.ts';
import { configFromEnv, type GateConfig, type GateConfigInput, resolveConfig } from '../shared/config.ts';
import { errorMessage, InvalidInputError, isAwsError, StackNotFoundError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import {
  type Inventory,
  inventoryOf,
  planWorkItems,
  stackInfoFromArn,
  type TrimmedRow,
  templateSuppressions,
  trimRow,
  withTemplateSuppressions,
} from './core.ts';

export interface ListResourcesEvent {
  readonly input: unknown;
  readonly executionName: string;
  readonly startedAt: string;
}

/** The state after ListResources: everything later states read. */
export interface AuditPlan {
  readonly stack: StackInfo;
  readonly trigger: Trigger;
  readonly deployment: DeploymentInfo | null;
  readonly execution: { readonly name: string; readonly startedAt: string };
  readonly config: GateConfig;
  readonly items: readonly WorkItem[];
  readonly inventory: Inventory;
  readonly notes: readonly string[];
}

export interface ListResourcesDeps {
  readonly cloudFormation: CloudFormationClient;
  /** The gate's configuration (FITGATE_CONFIG in the cloud, --policy locally). */
  readonly gateConfig?: GateConfigInput;
}

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$|^arn:aws[a-z-]*:cloudformation:/;
const TRIGGERS: readonly Trigger[] = ['BeforeAllowTraffic', 'AfterAllowTraffic', 'adhoc'];
const MAX_NESTING = 5;

interface ParsedInput {
  stackName: string;
  trigger: Trigger;
  deployment: DeploymentInfo | null;
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
  if (!TRIGGERS.includes(trigger as Trigger))
    throw new InvalidInputError(`unknown trigger ${String(trigger)}`);
  if (deploymentId !== undefined && typeof deploymentId !== 'string')
    throw new InvalidInputError('deploymentId must be a string');
  if (hookExecutionId !== undefined && typeof hookExecutionId !== 'string') {
    throw new InvalidInputError('hookExecutionId must be a string');
  }
  if (policy !== undefined && (typeof policy !== 'object' || policy === null))
    throw new InvalidInputError('policy must be an object');
  const deployment: DeploymentInfo | null =
    typeof deploymentId === 'string'
      ? { deploymentId, ...(typeof hookExecutionId === 'string' ? { hookExecutionId } : {}) }
      : null;
  return { stackName, trigger: trigger as Trigger, deployment, policy: policy as GateConfigInput['policy'] };
}

async function describeStack(cloudFormation: CloudFormationClient, stackName: string): Promise<StackInfo> {
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    if (!stack?.StackId) throw new StackNotFoundError(stackName);
    return stackInfoFromArn(stack.StackName ?? stackName, stack.StackId);
  } catch (error) {
    if (isAwsError(error, 'ValidationError') && /does not exist/i.test(errorMessage(error))) {
      throw new StackNotFoundError(stackName);
    }
    throw error;
  }
}

async function listRows(
  cloudFormation: CloudFormationClient,
  stackName: string,
  depth = 0,
): Promise<TrimmedRow[]> {
  const rows: TrimmedRow[] = [];
  for await (const page of paginateListStackResources({ client: cloudFormation }, { StackName: stackName })) {
    for (const summary of page.StackResourceSummaries ?? []) {
      const row = trimRow(summary);
      rows.push(row);
      if (
        row.kind === 'resource' &&
        row.resource.type === 'AWS::CloudFormation::Stack' &&
        depth < MAX_NESTING
      ) {
        rows.push(...(await listRows(cloudFormation, row.resource.physicalId, depth + 1)));
      }
    }
  }
  return rows;
}

/** Template waivers; a template that cannot be read costs the waivers, not the audit (noted). */
async function readTemplateWaivers(cloudFormation: CloudFormationClient, stackName: string, notes: string[]) {
  try {
    const { TemplateBody } = await cloudFormation.send(new GetTemplateCommand({ StackName: stackName }));
    if (!TemplateBody) return [];
    const template = TemplateBody.trimStart().startsWith('{')
      ? JSON.parse(TemplateBody)
      : parseYaml(TemplateBody, { logLevel: 'silent', schema: 'core' });
    return templateSuppressions(template ?? {});
  } catch (error) {
    notes.push(`template waivers not read: ${errorMessage(error).slice(0, 160)}`);
    return [];
  }
}

export function makeHandler(deps: ListResourcesDeps) {
  return async (event: ListResourcesEvent): Promise<AuditPlan> => {
    const input = parseExecutionInput(event?.input);
    logger.appendKeys({ stackName: input.stackName, executionName: event.executionName });
    const baseConfig = resolveConfig(deps.gateConfig, input.policy ? { policy: input.policy } : undefined);
    const stack = await describeStack(deps.cloudFormation, input.stackName);
    const rows = await listRows(deps.cloudFormation, stack.stackName);
    const notes: string[] = [];
    const config = withTemplateSuppressions(
      baseConfig,
      await readTemplateWaivers(deps.cloudFormation, stack.stackName, notes),
    );
    const resources = rows.flatMap((row) => (row.kind === 'resource' ? [row.resource] : []));
    const items = planWorkItems(resources, stack, input.trigger, new Set(config.checks.disabled));
    const inventory = inventoryOf(rows, items);
    logger.info('work planned', { resources: inventory.resources, workItems: items.length });
    return {
      stack,
      trigger: input.trigger,
      deployment: input.deployment,
      execution: { name: event.executionName, startedAt: event.startedAt },
      config,
      items,
      inventory,
      notes,
    };
  };
}

export const handler = makeHandler({
  cloudFormation: createClients.cloudFormation(),
  gateConfig: configFromEnv(),
});
