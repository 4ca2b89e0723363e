import { booleanParam } from '../evaluators/params.ts';
import { serviceWideGrants } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import { boundaryExclusion } from './boundary.ts';
import type { IamClients } from './clients.ts';
import { allowStatements, grantingPolicies, resourceLabel } from './identity-policies.ts';

/**
 * PASS when no Allow statement grants a whole service: `<service>:*`, `*`, or NotAction, which grants
 * every service it does not name
 * (https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-no-statements-with-full-access.html).
 */
export const iamPolicyNoStatementsWithFullAccess: CheckRule<IamClients> = async (context) => {
  const excluded = await boundaryExclusion(
    context,
    booleanParam(context.params.excludePermissionBoundaryPolicy, 'excludePermissionBoundaryPolicy', false),
  );
  if (excluded) return excluded;
  const policies = await grantingPolicies(context);
  const grants = allowStatements(policies).flatMap(({ where, statement }) =>
    serviceWideGrants(statement).map((grant) => `${grant} (${where})`),
  );
  const label = resourceLabel(context.resource.type, context.resource.physicalId);
  if (grants.length > 0) {
    return {
      status: 'FAIL',
      message: `the ${label} is granted full service access: ${grants.join(', ')}`,
      evidence: { grants },
    };
  }
  return {
    status: 'PASS',
    message: `none of the ${policies.length} policies of the ${label} grants a whole service`,
  };
};
