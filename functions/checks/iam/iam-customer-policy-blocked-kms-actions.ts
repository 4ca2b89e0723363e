import { listParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import { blockedKmsActionsOutcome } from './blocked-kms-actions.ts';
import type { IamClients } from './clients.ts';
import { isAwsManaged, managedPolicies } from './role-policies.ts';

/** PASS when no attached customer managed policy allows `blockedActionsPatterns` on Resource "*". */
export const iamCustomerPolicyBlockedKmsActions: CheckRule<IamClients> = async (context) =>
  blockedKmsActionsOutcome(
    await managedPolicies(context, (arn) => !isAwsManaged(arn)),
    listParam(context.params.blockedActionsPatterns),
    'customer managed policies',
  );
