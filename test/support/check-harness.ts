/**
 * Runs one check rule the way its family Lambda does (same memo, same error mapping), so check
 * tests read: prepare the resource in moto, run the check, assess the outcome.
 */
import { findCheck } from '../../functions/checks/registry.ts';
import { type FamilyRules, runWorkItem } from '../../functions/checks/run.ts';
import type { CheckParams, ItemResult } from '../../functions/checks/types.ts';
import type { Deployment, ResourceRef, StackInfo, Trigger } from '../../statemachine/state.ts';

export const TEST_STACK = {
  stackName: 'fitgate-test',
  stackId:
    'arn:aws:cloudformation:us-east-1:123456789012:stack/fitgate-test/00000000-0000-0000-0000-000000000000',
  accountId: '123456789012',
  region: 'us-east-1',
};

export interface RunCheckOptions {
  readonly params?: CheckParams;
  readonly trigger?: Trigger;
  readonly deployment?: Deployment;
  /** The audited stack (default TEST_STACK), e.g. one in another account. */
  readonly stack?: StackInfo;
}

export async function runCheck<Clients>(
  checkId: string,
  rules: FamilyRules<Clients>,
  clients: Clients,
  resource: ResourceRef,
  options: RunCheckOptions = {},
): Promise<ItemResult> {
  const check = findCheck(checkId);
  if (!check) throw new Error(`${checkId} is not in the registry`);
  const onlyThisCheck = Object.fromEntries(Object.entries(rules).filter(([id]) => id === checkId));
  const outcome = await runWorkItem(check.family, onlyThisCheck, clients, {
    workItem: { family: check.family, resource },
    stack: options.stack ?? TEST_STACK,
    trigger: options.trigger ?? 'adhoc',
    deployment: options.deployment,
    checks: {
      disabled: Object.keys(rules).filter((id) => id !== checkId),
      params: options.params ? { [checkId]: options.params } : {},
    },
  });
  const result = outcome.results.find((r) => r.checkId === checkId);
  if (!result)
    throw new Error(`${checkId} did not run on ${resource.type} (trigger ${options.trigger ?? 'adhoc'})`);
  return result;
}
