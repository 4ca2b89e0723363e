import { listParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import { blockedKmsActionsOutcome } from './blocked-kms-actions.ts';
import type { IamClients } from './clients.ts';
import { inlinePolicies } from './identity-policies.ts';

/** PASS when no inline policy of the role, user or group allows `blockedActionsPatterns` on every KMS key. */
export const iamInlinePolicyBlockedKmsActions: CheckRule<IamClients> = async (context) =>
  blockedKmsActionsOutcome(
    context,
    await inlinePolicies(context),
    listParam(context.params.blockedActionsPatterns),
    'inline policies',
  );
