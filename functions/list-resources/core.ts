/**
 * ListResources' pure core: trim ListStackResources rows to what checks need, measure coverage and
 * complexity, read waivers from the template, and expand resources into work items (one per
 * resource and check family; stack-wide checks run on the stack itself).
 */
import { checksFor, familiesFor, registry } from '../checks/registry.ts';
import {
  FAMILIES,
  type Family,
  type ResourceRef,
  STACK_RESOURCE_TYPE,
  type StackInfo,
  type Trigger,
  type WorkItem,
} from '../checks/types.ts';
import type { GateConfig, Suppression } from '../shared/config.ts';
import { InvalidInputError } from '../shared/errors.ts';

/** A ListStackResources summary row, as the SDK returns it. */
export interface StackResourceRow {
  readonly LogicalResourceId?: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceType?: string;
  readonly ResourceStatus?: string;
}

export interface Inventory {
  /** Rows ListStackResources returned (nested stacks included). */
  readonly resources: number;
  /** Resources at least one check looked at. */
  readonly audited: number;
  /** Rows skipped: blank (a type the emulator does not model, or a false Condition) or gone (deleted, no id). */
  readonly skipped: { readonly blank: number; readonly gone: number };
  /** Types in the stack that no check covers. */
  readonly unsupportedTypes: readonly string[];
  readonly complexity: number;
}

const GONE_STATUSES = /^DELETE_(COMPLETE|IN_PROGRESS)$/;

export type TrimmedRow = { kind: 'resource'; resource: ResourceRef } | { kind: 'blank' } | { kind: 'gone' };

export function trimRow(row: StackResourceRow): TrimmedRow {
  if (!row.ResourceType || !row.LogicalResourceId) return { kind: 'blank' };
  if (!row.PhysicalResourceId || (row.ResourceStatus && GONE_STATUSES.test(row.ResourceStatus)))
    return { kind: 'gone' };
  return {
    kind: 'resource',
    resource: {
      logicalId: row.LogicalResourceId,
      physicalId: row.PhysicalResourceId,
      type: row.ResourceType,
    },
  };
}

/**
 * Complexity is a weighted count of the stack's resources: moving parts (compute, integration,
 * data) weigh more than glue (permissions, policies, versions). It regularises the fitness score,
 * so adding resources has to buy quality.
 */
export const COMPLEXITY_WEIGHTS: Readonly<Record<string, number>> = {
  'AWS::Lambda::Function': 3,
  'AWS::StepFunctions::StateMachine': 3,
  'AWS::ECS::Service': 3,
  'AWS::ApiGateway::RestApi': 2,
  'AWS::ApiGatewayV2::Api': 2,
  'AWS::DynamoDB::Table': 2,
  'AWS::S3::Bucket': 2,
  'AWS::SQS::Queue': 2,
  'AWS::SNS::Topic': 2,
  'AWS::Events::Rule': 2,
  'AWS::Events::EventBus': 2,
  'AWS::KMS::Key': 1,
  'AWS::IAM::Role': 1,
  'AWS::Logs::LogGroup': 0.5,
  'AWS::CloudWatch::Alarm': 0.5,
  'AWS::Lambda::Permission': 0.25,
  'AWS::Lambda::Version': 0.25,
  'AWS::Lambda::Alias': 0.25,
  'AWS::IAM::Policy': 0.25,
  'AWS::IAM::RolePolicy': 0.25,
  'AWS::S3::BucketPolicy': 0.25,
  'AWS::SQS::QueuePolicy': 0.25,
  'AWS::SNS::TopicPolicy': 0.25,
  'AWS::CDK::Metadata': 0,
};
export const DEFAULT_COMPLEXITY_WEIGHT = 1;

export function complexityOf(types: readonly string[]): number {
  const total = types.reduce((sum, type) => sum + (COMPLEXITY_WEIGHTS[type] ?? DEFAULT_COMPLEXITY_WEIGHT), 0);
  return Math.round(total * 100) / 100;
}

export function planWorkItems(
  resources: readonly ResourceRef[],
  stack: StackInfo,
  trigger: Trigger,
  disabled: ReadonlySet<string>,
): WorkItem[] {
  const hasEnabledCheck = (family: Family, type: string) =>
    checksFor(family, type, trigger).some((check) => !disabled.has(check.id));
  const items: WorkItem[] = [];
  for (const resource of resources) {
    for (const family of familiesFor(resource.type)) {
      if (hasEnabledCheck(family, resource.type)) items.push({ family, resource });
    }
  }
  const stackResource: ResourceRef = {
    logicalId: stack.stackName,
    physicalId: stack.stackId,
    type: STACK_RESOURCE_TYPE,
  };
  for (const family of FAMILIES) {
    if (hasEnabledCheck(family, STACK_RESOURCE_TYPE)) items.push({ family, resource: stackResource });
  }
  return items;
}

export function inventoryOf(rows: readonly TrimmedRow[], items: readonly WorkItem[]): Inventory {
  const resources = rows.flatMap((row) => (row.kind === 'resource' ? [row.resource] : []));
  const audited = new Set(
    items.filter((i) => i.resource.type !== STACK_RESOURCE_TYPE).map((i) => i.resource.logicalId),
  );
  const covered = new Set(registry.flatMap((check) => check.resourceTypes));
  return {
    resources: rows.length,
    audited: audited.size,
    skipped: {
      blank: rows.filter((row) => row.kind === 'blank').length,
      gone: rows.filter((row) => row.kind === 'gone').length,
    },
    unsupportedTypes: [...new Set(resources.map((r) => r.type).filter((type) => !covered.has(type)))].sort(),
    complexity: complexityOf(resources.map((r) => r.type)),
  };
}

/** cdk-nag rule id → our check ids, read from the registry's anchors (e.g. "AwsSolutions-S1"). */
export function checksForCdkNagRule(ruleId: string): string[] {
  const pattern = new RegExp(`(^|[\\s·(])${ruleId.replace(/[-]/g, '\\-')}($|[\\s·)])`);
  return registry.filter((check) => check.anchors && pattern.test(check.anchors)).map((check) => check.id);
}

interface TemplateResource {
  readonly Metadata?: {
    readonly fitgate?: { readonly suppressions?: readonly Record<string, unknown>[] };
    readonly cdk_nag?: { readonly rules_to_suppress?: readonly Record<string, unknown>[] };
  };
  readonly Properties?: { readonly Tags?: unknown };
}

const TAG_PREFIX = 'fitgate:suppress:';

/**
 * Waivers written into the template: `Metadata.fitgate.suppressions` ([{checkId, reason, owner?,
 * expires?}]), cdk-nag acknowledgements (`Metadata.cdk_nag.rules_to_suppress`, mapped through the
 * registry's anchors) and tags `fitgate:suppress:<checkId>` = reason. Each names one resource.
 */
export function templateSuppressions(template: {
  Resources?: Record<string, TemplateResource>;
}): Suppression[] {
  const suppressions: Suppression[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    for (const entry of resource.Metadata?.fitgate?.suppressions ?? []) {
      suppressions.push({
        checkId: String(entry.checkId),
        logicalId,
        reason: String(entry.reason ?? ''),
        ...(entry.owner ? { owner: String(entry.owner) } : {}),
        ...(entry.expires ? { expires: String(entry.expires) } : {}),
        source: 'metadata',
      });
    }
    for (const rule of resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
      for (const checkId of checksForCdkNagRule(String(rule.id))) {
        suppressions.push({
          checkId,
          logicalId,
          reason: `cdk-nag ${String(rule.id)}: ${String(rule.reason ?? '')}`,
          source: 'cdk-nag',
        });
      }
    }
    const tags = Array.isArray(resource.Properties?.Tags)
      ? (resource.Properties.Tags as { Key?: unknown; Value?: unknown }[])
      : [];
    for (const tag of tags) {
      if (typeof tag.Key === 'string' && tag.Key.startsWith(TAG_PREFIX) && typeof tag.Value === 'string') {
        suppressions.push({
          checkId: tag.Key.slice(TAG_PREFIX.length),
          logicalId,
          reason: tag.Value,
          source: 'tag',
        });
      }
    }
  }
  return suppressions;
}

/** The stack's account and region come from its ARN. */
export function stackInfoFromArn(stackName: string, stackId: string): StackInfo {
  const parts = stackId.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') throw new InvalidInputError(`not a stack ARN: ${stackId}`);
  return { stackName, stackId, region: parts[3] ?? '', accountId: parts[4] ?? '' };
}

/** The configuration carried in the state: the gate's, plus the template's waivers. */
export function withTemplateSuppressions(
  config: GateConfig,
  fromTemplate: readonly Suppression[],
): GateConfig {
  return { ...config, suppressions: [...config.suppressions, ...fromTemplate] };
}
