/**
 * The work plan: resources expanded into work items (one per resource and check family; stack-wide
 * checks run on the stack itself), each routed to its check function; the share of the message
 * budget each item may carry; and whether the plan fits in the state (inline Map) or goes to S3
 * (Distributed Map).
 */
import type {
  CheckFunctionRef,
  ResourceRef,
  StackInfo,
  Trigger,
  WorkItem,
} from '../../statemachine/state.ts';
import { BUILT_IN_CATALOG, type Catalog } from '../checks/catalog.ts';
import { type CheckFamily, FAMILIES, STACK_RESOURCE_TYPE } from '../checks/types.ts';
import { isUserCheckId } from '../checks/user-defined.ts';
import { InvalidInputError } from '../shared/errors.ts';

/** A work item before it is routed to a function. */
export type PlannedItem = Omit<WorkItem, 'fn'>;

export function planWorkItems(
  resources: readonly ResourceRef[],
  stack: StackInfo,
  trigger: Trigger,
  disabled: ReadonlySet<string>,
  catalog: Catalog = BUILT_IN_CATALOG,
): PlannedItem[] {
  const hasEnabledCheck = (family: CheckFamily, type: string) =>
    catalog.checksFor(family, type, trigger).some((check) => !disabled.has(check.id));
  const items: PlannedItem[] = [];
  for (const resource of resources) {
    // A nested stack is not audited as a stack of its own: the stack-wide checks (smoke invocation,
    // post-traffic metrics, account settings) run once per execution, on the root stack below.
    if (resource.type === STACK_RESOURCE_TYPE) continue;
    for (const family of catalog.familiesFor(resource.type)) {
      if (hasEnabledCheck(family, resource.type)) items.push({ family, resource });
    }
  }
  const stackResource: ResourceRef = {
    logicalId: stack.stackName,
    physicalId: stack.stackId,
    type: STACK_RESOURCE_TYPE,
  };
  for (const family of catalog.familiesFor(STACK_RESOURCE_TYPE)) {
    if (hasEnabledCheck(family, STACK_RESOURCE_TYPE)) items.push({ family, resource: stackResource });
  }
  return items;
}

/** The stack's account and region come from its ARN. */
export function stackInfoFromArn(stackName: string, stackId: string): StackInfo {
  const parts = stackId.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') throw new InvalidInputError(`not a stack ARN: ${stackId}`);
  return { stackName, stackId, region: parts[3] ?? '', accountId: parts[4] ?? '' };
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

/** Without a routing table (ListResources called outside the state machine), one function per family. */
const FAMILY_FUNCTIONS: readonly CheckFunctionRef[] = FAMILIES.map((id) => ({ id, arn: id }));

/** The check functions of ListResources' input (the definition lists them), validated. */
export function parseCheckFunctions(value: unknown): readonly CheckFunctionRef[] {
  if (value === undefined) return FAMILY_FUNCTIONS;
  if (
    !Array.isArray(value) ||
    !value.every(
      (entry) =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as CheckFunctionRef).id === 'string' &&
        typeof (entry as CheckFunctionRef).arn === 'string',
    )
  ) {
    throw new InvalidInputError('functions must be a list of { id, arn }');
  }
  return value as CheckFunctionRef[];
}

/**
 * Routes each item to the function that serves its family: `fn` is that function's index in the
 * list, so the Map picks the ARN with States.ArrayGetItem. A user-defined check function's items go
 * to a function listed under its own id if there is one, else to the `custom` family's function,
 * which invokes the user's Lambda and validates its answer. An item no function serves means the
 * definition and the functions were deployed apart: the gate fails closed, saying so.
 */
export function routeWorkItems(
  items: readonly PlannedItem[],
  functions: readonly CheckFunctionRef[],
): WorkItem[] {
  const indexOf = new Map(functions.map((fn, index) => [fn.id, index]));
  return items.map((item) => {
    const fn = indexOf.get(item.family) ?? (isUserCheckId(item.family) ? indexOf.get('custom') : undefined);
    if (fn === undefined) {
      throw new InvalidInputError(
        `no check function serves the ${item.family} family; deploy the gate's state machine and functions together`,
      );
    }
    return { ...item, fn };
  });
}

/**
 * Where the Map's items go. The inline Map keeps every item's outcome in the state (256 KiB for all
 * of it) and its iterations in the execution history (25,000 events); past either budget the plan
 * goes to S3 and the Distributed Map runs it, one child execution per item, its results in S3.
 */
export const INLINE_STATE_BUDGET_BYTES = 192 * 1024;
/** Seven history events per inline item (two for the iteration, five for its task), room for retries. */
export const MAX_INLINE_ITEMS = 2_000;
/** What a failed item's error name is assumed to take (Step Functions allows 256 characters; real names are short). */
const ERROR_NAME_ESTIMATE = 64;

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * An upper bound of the inline Map's output, the largest state of an inline run: per item its digest
 * with every check non-passing (or its failure), plus all the failure messages the budget allows.
 */
export function inlineOutcomeBytes(
  items: readonly WorkItem[],
  trigger: Trigger,
  disabled: ReadonlySet<string>,
  catalog: Catalog = BUILT_IN_CATALOG,
) {
  let bytes = MESSAGE_BUDGET_BYTES;
  for (const { family, resource } of items) {
    const checks = catalog
      .checksFor(family, resource.type, trigger)
      .filter((check) => !disabled.has(check.id)).length;
    const digested = jsonBytes({
      family,
      resource,
      digest: { catalog: '00000000', statuses: 'E'.repeat(checks), messages: new Array(checks).fill(null) },
    });
    const failed = jsonBytes({ family, resource, error: { Error: 'E'.repeat(ERROR_NAME_ESTIMATE) } });
    bytes += Math.max(digested, failed) + 1;
  }
  return bytes;
}

export function fitsInline(
  items: readonly WorkItem[],
  trigger: Trigger,
  disabled: ReadonlySet<string>,
  contextBytes: number,
  budgetBytes = INLINE_STATE_BUDGET_BYTES,
  catalog: Catalog = BUILT_IN_CATALOG,
) {
  return (
    items.length <= MAX_INLINE_ITEMS &&
    contextBytes + Math.max(jsonBytes(items), inlineOutcomeBytes(items, trigger, disabled, catalog)) <=
      budgetBytes
  );
}
