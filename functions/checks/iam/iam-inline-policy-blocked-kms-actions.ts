import { listParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import { blockedKmsActionsOutcome } from './blocked-kms-actions.ts';
import type { IamClients } from './clients.ts';
import { inlinePolicies } from './role-policies.ts';

/** PASS when no inline policy allows `blockedActionsPatterns` on Resource "*". */
export const iamInlinePolicyBlockedKmsActions: CheckRule<IamClients> = async (context) =>
  blockedKmsActionsOutcome(
    await inlinePolicies(context),
    listParam(context.params.blockedActionsPatterns),
    'inline policies',
  );
