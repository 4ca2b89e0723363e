import { listParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { IamClients } from './clients.ts';
import { attachedPolicies } from './role-policies.ts';

/** PASS when none of `policyArns` is attached to the role; roles in `exceptionList` are N/A. */
export const iamPolicyBlacklistedCheck: CheckRule<IamClients> = async (context) => {
  const roleName = context.resource.physicalId;
  if (listParam(context.params.exceptionList).includes(roleName)) {
    return { status: 'NOT_APPLICABLE', message: `role ${roleName} is in the exception list` };
  }
  const blocked = new Set(listParam(context.params.policyArns));
  const attached = (await attachedPolicies(context)).map((policy) => String(policy.PolicyArn));
  const offending = attached.filter((arn) => blocked.has(arn));
  if (offending.length > 0) {
    return {
      status: 'FAIL',
      message: `blocked policy attached: ${offending.join(', ')}`,
      evidence: { blockedPolicies: offending },
    };
  }
  return {
    status: 'PASS',
    message: `none of the ${attached.length} attached policies is blocked`,
    evidence: { attachedPolicies: attached },
  };
};
