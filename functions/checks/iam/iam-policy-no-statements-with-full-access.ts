import { asList } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { IamClients } from './clients.ts';
import { allowStatements, inlinePolicies, managedPolicies } from './role-policies.ts';

const SERVICE_WILDCARD = /^[a-z0-9-]+:\*$/i;

/** PASS when no Allow statement of the role's policies grants a whole service (`<service>:*`). */
export const iamPolicyNoStatementsWithFullAccess: CheckRule<IamClients> = async (context) => {
  const policies = [...(await inlinePolicies(context)), ...(await managedPolicies(context))];
  const grants = allowStatements(policies).flatMap(({ where, statement }) =>
    asList(statement.Action)
      .filter((action) => SERVICE_WILDCARD.test(action))
      .map((action) => `${action} (${where})`),
  );
  if (grants.length > 0) {
    return {
      status: 'FAIL',
      message: `the role is granted full service access: ${grants.join(', ')}`,
      evidence: { grants },
    };
  }
  return { status: 'PASS', message: `none of the role's ${policies.length} policies grants "<service>:*"` };
};
