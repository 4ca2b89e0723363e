/**
 * ListResources' pure core: trim ListStackResources rows to what checks need, measure coverage and
 * complexity, read waivers from the template, and expand resources into work items (one per
 * resource and check family; stack-wide checks run on the stack itself).
 */

import type { Inventory, ResourceRef, StackInfo, Trigger, WorkItem } from '../../statemachine/state.ts';
import { checksFor, familiesFor, registry } from '../checks/registry.ts';
import { FAMILIES, type Family, STACK_RESOURCE_TYPE } from '../checks/types.ts';
import type { GateConfig, Suppression } from '../shared/config.ts';
import { InvalidInputError } from '../shared/errors.ts';

/** A ListStackResources summary row, as the SDK returns it. */
export interface StackResourceRow {
  readonly LogicalResourceId?: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceType?: string;
  readonly ResourceStatus?: string;
}

const GONE_STATUSES = /^DELETE_(COMPLETE|IN_PROGRESS)$/;

/** A resource the stack holds that no check can audit: listed without a physical id, or without a type. */
export interface UnauditableResource {
  readonly logicalId: string;
  readonly type: string;
}

export type TrimmedRow =
  | { kind: 'resource'; resource: ResourceRef }
  | { kind: 'unidentified'; resource: UnauditableResource }
  | { kind: 'blank' }
  | { kind: 'gone' };

export function trimRow(row: StackResourceRow): TrimmedRow {
  if (!row.ResourceType || !row.LogicalResourceId) return { kind: 'blank' };
  if (row.ResourceStatus && GONE_STATUSES.test(row.ResourceStatus)) return { kind: 'gone' };
  // moto lists some types it does model (ApiGateway::Method, Events::EventBus, …) with an empty id.
  if (!row.PhysicalResourceId) {
    return { kind: 'unidentified', resource: { logicalId: row.LogicalResourceId, type: row.ResourceType } };
  }
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

export function inventoryOf(
  rows: readonly TrimmedRow[],
  items: readonly WorkItem[],
  blankRows?: BlankRows,
): Inventory {
  const resources = rows.flatMap((row) => (row.kind === 'resource' ? [row.resource] : []));
  const unauditable = [
    ...rows.flatMap((row) => (row.kind === 'unidentified' ? [row.resource] : [])),
    ...(blankRows?.unlisted ?? []),
  ];
  const audited = new Set(
    items.filter((i) => i.resource.type !== STACK_RESOURCE_TYPE).map((i) => i.resource.logicalId),
  );
  const covered = new Set(registry.flatMap((check) => check.resourceTypes));
  const unsupportedTypes = new Set([
    ...resources.map((r) => r.type).filter((type) => !covered.has(type)),
    ...unauditable.map((r) => r.type),
  ]);
  return {
    resources: rows.length - (blankRows?.notCreated ?? 0),
    audited: audited.size,
    skipped: {
      blank: rows.filter((row) => row.kind === 'blank').length,
      gone: rows.filter((row) => row.kind === 'gone').length,
      unidentified: rows.filter((row) => row.kind === 'unidentified').length,
    },
    unsupportedTypes: [...unsupportedTypes].sort(),
    complexity: complexityOf([...resources, ...unauditable].map((r) => r.type)),
  };
}

/**
 * What the blank rows of ListStackResources stand for. An emulator (moto) lists every resource of
 * the template, and leaves type and ids empty both for resources whose Condition is false and for
 * types it does not model; only the template tells them apart (AWS itself lists neither kind).
 */
export interface BlankRows {
  /** Resources whose Condition is false: CloudFormation does not create them, so they are not counted. */
  readonly notCreated: number;
  /** Resources that exist but are listed without a type: reported as not covered. */
  readonly unlisted: readonly UnauditableResource[];
  /** Blank rows the template could not explain (a condition this evaluator cannot decide). */
  readonly unexplained: number;
}

interface TemplateForBlankRows {
  readonly Parameters?: Readonly<Record<string, { readonly Default?: unknown; readonly NoEcho?: unknown }>>;
  readonly Conditions?: Readonly<Record<string, unknown>>;
  readonly Resources?: Readonly<Record<string, { readonly Type?: unknown; readonly Condition?: unknown }>>;
}

/**
 * Matches blank rows to the template resources the stack did not list with a type. Returns
 * undefined when their numbers differ (the template does not describe these rows).
 */
export function explainBlankRows(
  template: TemplateForBlankRows,
  rows: readonly StackResourceRow[],
  parameters: Readonly<Record<string, string>>,
  stack: StackInfo,
): BlankRows | undefined {
  const blank = rows.filter((row) => !row.ResourceType || !row.LogicalResourceId).length;
  const listed = new Set(rows.map((row) => row.LogicalResourceId).filter(Boolean));
  const missing = Object.entries(template.Resources ?? {}).filter(([logicalId]) => !listed.has(logicalId));
  if (blank === 0 || missing.length !== blank) return undefined;
  const conditions = new ConditionEvaluator(template, parameters, stack);
  let notCreated = 0;
  let unexplained = 0;
  const unlisted: UnauditableResource[] = [];
  for (const [logicalId, resource] of missing) {
    const enabled =
      resource.Condition === undefined
        ? true
        : typeof resource.Condition === 'string'
          ? conditions.condition(resource.Condition)
          : undefined;
    if (enabled === false) notCreated += 1;
    else if (enabled === true && typeof resource.Type === 'string')
      unlisted.push({ logicalId, type: resource.Type });
    else unexplained += 1;
  }
  return { notCreated, unlisted, unexplained };
}

/**
 * Conditions as CloudFormation evaluates them, for what conditions are made of in practice
 * (Fn::Equals/And/Or/Not, Condition, Ref to parameters and pseudo parameters). Anything else is
 * undecided (undefined), never guessed. Deliberately small: the Lambda does not carry the local
 * emulation's full intrinsic resolver.
 */
class ConditionEvaluator {
  private readonly cache = new Map<string, boolean | undefined>();
  private readonly template: TemplateForBlankRows;
  private readonly parameters: Readonly<Record<string, string>>;
  private readonly stack: StackInfo;

  constructor(
    template: TemplateForBlankRows,
    parameters: Readonly<Record<string, string>>,
    stack: StackInfo,
  ) {
    this.template = template;
    this.parameters = parameters;
    this.stack = stack;
  }

  condition(name: string): boolean | undefined {
    if (this.cache.has(name)) return this.cache.get(name);
    this.cache.set(name, undefined); // a cycle stays undecided
    const value = this.truth(this.template.Conditions?.[name]);
    this.cache.set(name, value);
    return value;
  }

  private truth(expression: unknown): boolean | undefined {
    if (typeof expression === 'boolean') return expression;
    if (!isPlainObject(expression)) return undefined;
    const [fn, argument] = Object.entries(expression)[0] ?? [];
    const args = Array.isArray(argument) ? argument : [];
    switch (fn) {
      case 'Condition':
        return typeof argument === 'string' ? this.condition(argument) : undefined;
      case 'Fn::Not': {
        const inner = this.truth(args[0]);
        return inner === undefined ? undefined : !inner;
      }
      case 'Fn::And': {
        const values = args.map((item) => this.truth(item));
        if (values.includes(false)) return false;
        return values.length > 0 && values.every((value) => value === true) ? true : undefined;
      }
      case 'Fn::Or': {
        const values = args.map((item) => this.truth(item));
        if (values.includes(true)) return true;
        return values.length > 0 && values.every((value) => value === false) ? false : undefined;
      }
      case 'Fn::Equals': {
        const [left, right] = [this.scalar(args[0]), this.scalar(args[1])];
        return args.length === 2 && left !== undefined && right !== undefined ? left === right : undefined;
      }
      default:
        return undefined;
    }
  }

  private scalar(value: unknown): string | undefined {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      return String(value);
    if (!isPlainObject(value) || Object.keys(value).length !== 1 || typeof value.Ref !== 'string')
      return undefined;
    const name = value.Ref;
    const partition = this.stack.stackId.split(':')[1];
    const pseudo: Record<string, string | undefined> = {
      'AWS::Region': this.stack.region,
      'AWS::AccountId': this.stack.accountId,
      'AWS::StackName': this.stack.stackName,
      'AWS::StackId': this.stack.stackId,
      'AWS::Partition': partition,
    };
    if (name in pseudo) return pseudo[name];
    const parameter = this.template.Parameters?.[name];
    // A NoEcho value comes back masked, so it decides nothing.
    if (!parameter || parameter.NoEcho === true || String(parameter.NoEcho) === 'true') return undefined;
    const given = this.parameters[name];
    if (given !== undefined) return given;
    const fallback = parameter.Default;
    return typeof fallback === 'string' || typeof fallback === 'number' || typeof fallback === 'boolean'
      ? String(fallback)
      : undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

/**
 * The failure messages all work items together may carry through the Map (bytes). Each item gets an
 * equal share, so the Map's output stays inside the state limit on a 500-resource stack; a message
 * that does not fit stays readable in its check task's own output.
 */
export const MESSAGE_BUDGET_BYTES = 64 * 1024;
const MAX_ITEM_MESSAGE_BUDGET = 4096;

export function messageBudgetPerItem(workItems: number): number {
  return Math.min(MAX_ITEM_MESSAGE_BUDGET, Math.floor(MESSAGE_BUDGET_BYTES / Math.max(1, workItems)));
}

/**
 * The FitnessGate construct marks its own resources (`Metadata.fitgate.component: "gate"`). When
 * the gate lives in the stack it guards, they are the auditor, not the service: leaving them in
 * would let the gate's own functions and roles move the service's fitness.
 */
export const GATE_COMPONENT = 'gate';

export function gateResourceIds(template: { Resources?: Record<string, unknown> } | undefined): Set<string> {
  const ids = new Set<string>();
  for (const [logicalId, resource] of Object.entries(template?.Resources ?? {})) {
    const metadata = (resource as { Metadata?: { fitgate?: { component?: unknown } } } | null)?.Metadata;
    if (metadata?.fitgate?.component === GATE_COMPONENT) ids.add(logicalId);
  }
  return ids;
}

/** Rows and template without the gate's own resources. */
export function withoutGateResources<T extends { Resources?: Record<string, unknown> }>(
  rows: readonly TrimmedRow[],
  template: T | undefined,
): { rows: TrimmedRow[]; template: T | undefined; excluded: number; gateIds: ReadonlySet<string> } {
  const gateIds = gateResourceIds(template);
  if (gateIds.size === 0) return { rows: [...rows], template, excluded: 0, gateIds };
  const kept = rows.filter((row) => !('resource' in row) || !gateIds.has(row.resource.logicalId));
  const resources = Object.fromEntries(
    Object.entries(template?.Resources ?? {}).filter(([id]) => !gateIds.has(id)),
  );
  return {
    rows: kept,
    template: template && { ...template, Resources: resources },
    excluded: rows.length - kept.length,
    gateIds,
  };
}
