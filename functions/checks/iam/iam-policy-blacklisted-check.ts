import { listParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { IamClients } from './clients.ts';
import { attachedPolicies, type EntityKind, entityKind } from './identity-policies.ts';

/**
 * Config's `exceptionList`: "users:[user1;user2], groups:[group1;group2], roles:[role1;role2;role3]"
 * (https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-blacklisted-check.html); names
 * inside the brackets may also be comma-separated. A list without a type prefix names roles, as
 * fitgate's earlier form did.
 */
export function parseExceptionList(
  value: string | readonly string[] | undefined,
): Record<EntityKind, Set<string>> {
  const exceptions: Record<EntityKind, Set<string>> = { role: new Set(), user: new Set(), group: new Set() };
  const text = Array.isArray(value) ? value.join(',') : String(value ?? '');
  const typed = /(users|groups|roles)\s*:\s*\[([^\]]*)\]/gi;
  let matched = false;
  for (const [, type, names] of text.matchAll(typed)) {
    matched = true;
    const kind = (type as string).toLowerCase().slice(0, -1) as EntityKind;
    for (const name of (names as string).split(/[;,]/)) if (name.trim()) exceptions[kind].add(name.trim());
  }
  if (!matched) for (const name of listParam(text)) exceptions.role.add(name);
  return exceptions;
}

/** PASS when none of `policyArns` is attached to the role, user or group; those in `exceptionList` are N/A. */
export const iamPolicyBlacklistedCheck: CheckRule<IamClients> = async (context) => {
  const name = context.resource.physicalId;
  const kind = entityKind(context.resource.type) as EntityKind;
  const exceptionList = context.params.exceptionList;
  if (
    parseExceptionList(
      typeof exceptionList === 'boolean' || typeof exceptionList === 'number'
        ? String(exceptionList)
        : exceptionList,
    )[kind].has(name)
  ) {
    return { status: 'NOT_APPLICABLE', message: `${kind} ${name} is in the exception list` };
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
