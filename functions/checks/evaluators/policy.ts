/**
 * The one policy evaluator: every "is this policy public", "does it deny HTTP" and "does it allow X"
 * question of every check goes through these exports. The grammar, the matching, the condition
 * operators and AWS's definitions each live in `policy/` with the AWS page they implement.
 */
export {
  evaluateClause,
  evaluateConditions,
  type RequestContext,
  requestContext,
  UNKNOWN,
} from './policy/conditions.ts';
export {
  type ConditionClause,
  MalformedPolicyError,
  type Policy,
  type PrincipalSpec,
  parseOperator,
  parsePolicy,
  type Statement,
} from './policy/document.ts';
export {
  type Decision,
  evaluatePolicy,
  type Request,
  type RequestPrincipal,
  statementMatches,
} from './policy/evaluate.ts';
export {
  allowsEveryAction,
  everyResource,
  grantsAnyOf,
  type Reach,
  resourceReach,
  serviceWideGrants,
} from './policy/grants.ts';
export { hasWildcard, patternCovers, patternsOverlap, wildcardMatch } from './policy/match.ts';
export {
  clausePinsCaller,
  grantReaches,
  isBoundedCidrSet,
  isFixedValue,
  type PublicDefinition,
  type PublicGrant,
  publicGrants,
  resourcePolicyPublicity,
} from './policy/public.ts';
export { httpDenyingStatements, type TlsVerdict, tlsEnforcement } from './policy/tls.ts';

/** The partition (`aws`, `aws-cn`, `aws-us-gov`) of an ARN, e.g. the audited stack's id. */
export function partitionOf(arn: string): string {
  return arn.split(':')[1] || 'aws';
}
