/**
 * The work plan: resources expanded into work items (one per resource and check family; stack-wide
 * checks run on the stack itself), and the share of the message budget each item may carry.
 */
import type { ResourceRef, StackInfo, Trigger, WorkItem } from '../../statemachine/state.ts';
import { checksFor, familiesFor } from '../checks/registry.ts';
import { FAMILIES, type Family, STACK_RESOURCE_TYPE } from '../checks/types.ts';
import { InvalidInputError } from '../shared/errors.ts';

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
    // A nested stack is not audited as a stack of its own: the stack-wide checks (smoke invocation,
    // post-traffic metrics, account settings) run once per execution, on the root stack below.
    if (resource.type === STACK_RESOURCE_TYPE) continue;
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
