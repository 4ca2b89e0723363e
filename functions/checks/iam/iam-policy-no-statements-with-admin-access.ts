import { booleanParam } from '../evaluators/params.ts';
import { allowsEveryAction, everyResource, partitionOf, resourceReach } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import { boundaryExclusion } from './boundary.ts';
import type { IamClients } from './clients.ts';
import { allowStatements, grantingPolicies, resourceLabel } from './identity-policies.ts';

/**
 * PASS when no Allow statement grants every action on every resource: Action `*` (or `*:*`) over a
 * Resource that IAM matches to every ARN (`*`, `arn:*`, `arn:aws:*:*:*:*`), or over NotResource,
 * which grants everything it does not list
 * (https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-no-statements-with-admin-access.html).
 */
export const iamPolicyNoStatementsWithAdminAccess: CheckRule<IamClients> = async (context) => {
  const excluded = await boundaryExclusion(
    context,
    booleanParam(context.params.excludePermissionBoundaryPolicy, 'excludePermissionBoundaryPolicy', false),
  );
  if (excluded) return excluded;
  const policies = await grantingPolicies(context);
  const everything = everyResource(partitionOf(context.stack.stackId));
  const admin = allowStatements(policies)
    .filter(
      ({ statement }) =>
        allowsEveryAction(statement) && ['all', 'all-but'].includes(resourceReach(statement, everything)),
    )
    .map(({ where }) => where);
  const label = resourceLabel(context.resource.type, context.resource.physicalId);
  if (admin.length > 0) {
    return {
      status: 'FAIL',
      message: `the ${label} is granted "*" on every resource by ${admin.join(', ')}`,
      evidence: { statements: admin },
    };
  }
  return {
    status: 'PASS',
    message: `none of the ${policies.length} policies of the ${label} grants "*" on every resource`,
    evidence: { policies: policies.map((policy) => policy.name) },
  };
};
