import type { CheckContext, CheckOutcome } from '../types.ts';
import type { IamClients } from './clients.ts';
import { IAM_MANAGED_POLICY, managedPolicyInfo } from './identity-policies.ts';

/**
 * Config's `excludePermissionBoundaryPolicy`: "If set to 'true', the rule will not include permissions
 * boundaries in the evaluation" — a managed policy in use as a boundary is then NOT_APPLICABLE.
 */
export async function boundaryExclusion(
  context: Pick<CheckContext<IamClients>, 'resource' | 'clients' | 'memo'>,
  exclude: boolean,
): Promise<CheckOutcome | undefined> {
  if (!exclude || context.resource.type !== IAM_MANAGED_POLICY) return undefined;
  const info = await managedPolicyInfo(context, context.resource.physicalId);
  if ((info.PermissionsBoundaryUsageCount ?? 0) === 0) return undefined;
  return {
    status: 'NOT_APPLICABLE',
    message: `the policy is a permissions boundary of ${info.PermissionsBoundaryUsageCount} entities (excludePermissionBoundaryPolicy)`,
  };
}
