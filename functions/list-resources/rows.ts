/**
 * ListStackResources rows as ListResources reads them: trimmed to what checks need, counted into
 * the inventory (coverage and complexity), and, where an emulator lists rows without a type, matched
 * to the template to tell a false Condition from a type the emulator does not model.
 */
import type { Inventory, ResourceRef, StackInfo, Trigger, WorkItem } from '../../statemachine/state.ts';
import { complexityOf } from '../aggregate/weights.ts';
import { BUILT_IN_CATALOG, type Catalog } from '../checks/catalog.ts';
import { type CoverageResource, coverageOf, judgeResources } from '../checks/coverage.ts';
import { STACK_RESOURCE_TYPE } from '../checks/types.ts';

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

/**
 * A row as checks see it. `prefix` is the key of the nested stack that lists the row (`Child/`):
 * a nested stack's resources are named `Child/Bucket`, so two `Bucket`s in two nested stacks are
 * two resources in results, waivers, coverage, diffs and history (docs/waivers.md).
 */
export function trimRow(row: StackResourceRow, prefix = ''): TrimmedRow {
  if (!row.ResourceType || !row.LogicalResourceId) return { kind: 'blank' };
  if (row.ResourceStatus && GONE_STATUSES.test(row.ResourceStatus)) return { kind: 'gone' };
  // moto lists some types it does model (ApiGateway::Method, Events::EventBus, …) with an empty id.
  if (!row.PhysicalResourceId) {
    return {
      kind: 'unidentified',
      resource: { logicalId: `${prefix}${row.LogicalResourceId}`, type: row.ResourceType },
    };
  }
  return {
    kind: 'resource',
    resource: {
      logicalId: `${prefix}${row.LogicalResourceId}`,
      physicalId: row.PhysicalResourceId,
      type: row.ResourceType,
    },
  };
}

/** A template as coverage reads it: the properties that link resources (a Ref to the parent). */
interface TemplateForCoverage {
  readonly Resources?: Readonly<Record<string, { readonly Properties?: unknown }>>;
}

export interface InventoryContext {
  readonly trigger: Trigger;
  readonly disabled: ReadonlySet<string>;
  readonly blankRows?: BlankRows | undefined;
  /** The templates of the stack and its nested stacks, with the key prefix of their resources. */
  readonly templates?: readonly { readonly prefix: string; readonly template?: TemplateForCoverage }[];
  /** The run's checks: the registry and the configuration's user-defined functions (catalog.ts). */
  readonly catalog?: Catalog;
}

const NO_PHYSICAL_ID = 'listed without a physical id, so no check can look it up';
const NOT_LISTED = 'listed without a type (a type the emulator does not model), so no check can look it up';

export function inventoryOf(
  rows: readonly TrimmedRow[],
  items: readonly Pick<WorkItem, 'family' | 'resource'>[],
  context: InventoryContext,
): Inventory {
  const { blankRows } = context;
  const catalog = context.catalog ?? BUILT_IN_CATALOG;
  const properties = new Map<string, Readonly<Record<string, unknown>>>();
  for (const { prefix, template } of context.templates ?? []) {
    for (const [logicalId, resource] of Object.entries(template?.Resources ?? {})) {
      const value = resource?.Properties;
      if (value && typeof value === 'object' && !Array.isArray(value))
        properties.set(`${prefix}${logicalId}`, value as Record<string, unknown>);
    }
  }
  const prefixOf = (key: string) => key.slice(0, key.lastIndexOf('/') + 1);
  const described = (logicalId: string, type: string | undefined) => ({
    logicalId,
    type,
    prefix: prefixOf(logicalId),
    ...(properties.has(logicalId) ? { properties: properties.get(logicalId) } : {}),
  });
  const resources = rows.flatMap((row) => (row.kind === 'resource' ? [row.resource] : []));
  const unauditable = [
    ...rows.flatMap((row) => (row.kind === 'unidentified' ? [row.resource] : [])),
    ...(blankRows?.unlisted ?? []),
  ];
  const blank = rows.filter((row) => row.kind === 'blank').length;
  const untyped = blankRows ? blankRows.unexplained : blank;
  const coverageResources: CoverageResource[] = [
    ...resources.map((r) => ({ ...described(r.logicalId, r.type), physicalId: r.physicalId })),
    ...rows.flatMap((row) =>
      row.kind === 'unidentified'
        ? [{ ...described(row.resource.logicalId, row.resource.type), unreachable: NO_PHYSICAL_ID }]
        : [],
    ),
    ...(blankRows?.unlisted ?? []).map((r) => ({
      ...described(r.logicalId, r.type),
      unreachable: NOT_LISTED,
    })),
    ...Array.from({ length: untyped }, () => ({ logicalId: UNNAMED_ROW, type: undefined })),
  ];
  const checksOn = new Map<string, Set<string>>();
  for (const item of items) {
    if (item.resource.type === STACK_RESOURCE_TYPE) continue;
    const ids = catalog
      .checksFor(item.family, item.resource.type, context.trigger)
      .map((check) => check.id)
      .filter((id) => !context.disabled.has(id));
    const set = checksOn.get(item.resource.logicalId) ?? new Set<string>();
    for (const id of ids) set.add(id);
    checksOn.set(item.resource.logicalId, set);
  }
  const judged = judgeResources(
    coverageResources,
    (resource) => (resource.physicalId ? [...(checksOn.get(resource.logicalId) ?? [])] : []),
    catalog.checks,
  );
  return {
    coverage: coverageOf(judged),
    skipped: {
      blank,
      gone: rows.filter((row) => row.kind === 'gone').length,
      unidentified: rows.filter((row) => row.kind === 'unidentified').length,
    },
    complexity: complexityOf([...resources, ...unauditable].map((r) => r.type)),
  };
}

/** The key coverage gives a ListStackResources row that has neither a logical id nor a type. */
export const UNNAMED_ROW = '(unnamed row)';

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
