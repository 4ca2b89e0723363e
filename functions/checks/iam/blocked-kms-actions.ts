import { grantsAnyOf, partitionOf, resourceReach } from '../evaluators/policy.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import type { IamClients } from './clients.ts';
import { allowStatements, type IdentityPolicy } from './identity-policies.ts';

/**
 * The shared test of the two KMS rows: no Allow statement grants an action matching the blocked
 * patterns (`kms:*`, `kms:ReEncrypt*`, `*` and NotAction match too) on all KMS keys — Resource `*`,
 * or any ARN pattern IAM matches to every key of the account (`arn:aws:kms:*:*:key/*`,
 * `arn:aws:kms:<region>:<account>:*`), or NotResource, which grants every key it does not list
 * (https://docs.aws.amazon.com/config/latest/developerguide/iam-inline-policy-blocked-kms-actions.html:
 * "NON_COMPLIANT if any blocked action is allowed on all AWS KMS keys").
 */
export function blockedKmsActionsOutcome(
  context: Pick<CheckContext<IamClients>, 'stack'>,
  policies: readonly IdentityPolicy[],
  patterns: readonly string[],
  policyKind: string,
): CheckOutcome {
  const { stack } = context;
  const everyKey = `arn:${partitionOf(stack.stackId)}:kms:${stack.region}:${stack.accountId}:key/*`;
  const offending = allowStatements(policies)
    .filter(
      ({ statement }) =>
        grantsAnyOf(statement, patterns) && ['all', 'all-but'].includes(resourceReach(statement, everyKey)),
    )
    .map(({ where }) => where);
  if (offending.length > 0) {
    return {
      status: 'FAIL',
      message: `${policyKind} ${offending.join(', ')} allow ${patterns.join(' or ')} on every KMS key`,
      evidence: { statements: offending, blockedActions: patterns },
    };
  }
  return {
    status: 'PASS',
    message: `none of the ${policies.length} ${policyKind} allows ${patterns.join(' or ')} on every KMS key`,
  };
}
