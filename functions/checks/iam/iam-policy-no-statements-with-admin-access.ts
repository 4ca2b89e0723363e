import { asList } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { IamClients } from './clients.ts';
import { allowStatements, inlinePolicies, managedPolicies } from './role-policies.ts';

/** PASS when no Allow statement of the role's policies has Action "*" together with Resource "*". */
export const iamPolicyNoStatementsWithAdminAccess: CheckRule<IamClients> = async (context) => {
  const policies = [...(await inlinePolicies(context)), ...(await managedPolicies(context))];
  const admin = allowStatements(policies)
    .filter(
      ({ statement }) =>
        asList(statement.Action).some((action) => action === '*' || action === '*:*') &&
        asList(statement.Resource).includes('*'),
    )
    .map(({ where }) => where);
  if (admin.length > 0) {
    return {
      status: 'FAIL',
      message: `the role is granted "*" on "*" by ${admin.join(', ')}`,
      evidence: { statements: admin },
    };
  }
  return {
    status: 'PASS',
    message: `none of the role's ${policies.length} policies grants "*" on "*"`,
    evidence: { policies: policies.map((policy) => policy.name) },
  };
};
