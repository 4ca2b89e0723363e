import { booleanParam, listParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import { blockedKmsActionsOutcome } from './blocked-kms-actions.ts';
import { boundaryExclusion } from './boundary.ts';
import type { IamClients } from './clients.ts';
import { grantingPolicies, isAwsManaged } from './identity-policies.ts';

/**
 * PASS when no customer managed policy allows `blockedActionsPatterns` on every KMS key: the policy
 * itself (AWS::IAM::ManagedPolicy, attached or not) or those attached to a role, user or group.
 */
export const iamCustomerPolicyBlockedKmsActions: CheckRule<IamClients> = async (context) => {
  const excluded = await boundaryExclusion(
    context,
    booleanParam(context.params.excludePermissionBoundaryPolicy, 'excludePermissionBoundaryPolicy', false),
  );
  if (excluded) return excluded;
  return blockedKmsActionsOutcome(
    context,
    await grantingPolicies(context, (arn) => !isAwsManaged(arn)),
    listParam(context.params.blockedActionsPatterns),
    'customer managed policies',
  );
};
