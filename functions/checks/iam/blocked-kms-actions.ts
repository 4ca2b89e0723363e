import { asList, statementGrantsAnyOf } from '../evaluators/policy.ts';
import type { CheckOutcome } from '../types.ts';
import { allowStatements, type RolePolicy } from './role-policies.ts';

/**
 * The shared test of the two KMS rows: no Allow statement with Resource "*" grants an action matching
 * the blocked patterns (`kms:*`, `kms:ReEncrypt*` and `*` match too; so does a NotAction that spares them).
 */
export function blockedKmsActionsOutcome(
  policies: readonly RolePolicy[],
  patterns: readonly string[],
  policyKind: string,
): CheckOutcome {
  const offending = allowStatements(policies)
    .filter(
      ({ statement }) =>
        asList(statement.Resource).includes('*') && statementGrantsAnyOf(statement, patterns),
    )
    .map(({ where }) => where);
  if (offending.length > 0) {
    return {
      status: 'FAIL',
      message: `${policyKind} ${offending.join(', ')} allow ${patterns.join(' or ')} on every key (Resource "*")`,
      evidence: { statements: offending, blockedActions: patterns },
    };
  }
  return {
    status: 'PASS',
    message: `none of the ${policies.length} ${policyKind} allows ${patterns.join(' or ')} on every key`,
  };
}
