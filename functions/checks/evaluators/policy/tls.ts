/**
 * "Denies requests without TLS" judged on the whole policy: no request over plain HTTP may be
 * allowed, whatever the rest of the policy says. A resource policy cannot stop what identity
 * policies of the owner's account allow, except with an explicit Deny
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html), so
 * every required resource must be covered, for every principal and every action of the service, by
 * Deny statements that apply to every request with `aws:SecureTransport` false, whatever else the
 * request carries (AWS Config s3-bucket-ssl-requests-only: "NON_COMPLIANT if any S3 bucket has
 * policies allowing HTTP requests",
 * https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-ssl-requests-only.html). A Deny that also needs another condition (a VPC endpoint, an IP range), that spares
 * principals with NotPrincipal, or that leaves actions out with NotAction lets some HTTP request through.
 */
import { evaluateConditions, requestContext } from './conditions.ts';
import type { Policy, Statement } from './document.ts';
import { patternCovers, patternsOverlap } from './match.ts';

/** A request over HTTP; every other key is unknown (any value, or absent). */
const OVER_HTTP = requestContext({ 'aws:SecureTransport': 'false' }, 'unknown');

function appliesToEveryone(statement: Statement): boolean {
  if (statement.notPrincipal) return false;
  const principal = statement.principal;
  return principal === undefined || principal === '*' || (principal.AWS ?? []).includes('*');
}

function coversActions(statement: Statement, serviceActions: readonly string[]): boolean {
  return serviceActions.every((action) =>
    statement.actions
      ? statement.actions.some((pattern) => patternCovers(pattern, action, 'action'))
      : !(statement.notActions ?? []).some((excluded) => patternsOverlap(excluded, action, 'action')),
  );
}

function coversResource(statement: Statement, resource: string): boolean {
  if (statement.resources)
    return statement.resources.some((pattern) => patternCovers(pattern, resource, 'arn'));
  return !(statement.notResources ?? []).some((excluded) => patternsOverlap(excluded, resource, 'arn'));
}

/** Deny statements that stop every HTTP request to the service's actions, whoever sends it. */
export function httpDenyingStatements(policy: Policy, serviceActions: readonly string[]): Statement[] {
  return policy.statements.filter(
    (statement) =>
      statement.effect === 'Deny' &&
      appliesToEveryone(statement) &&
      coversActions(statement, serviceActions) &&
      evaluateConditions(statement.conditions, OVER_HTTP) === true,
  );
}

export interface TlsVerdict {
  /** The required resources no HTTP-denying statement covers (empty: TLS is enforced). */
  readonly uncovered: readonly string[];
  /** The statements that deny HTTP requests, by label. */
  readonly denyingStatements: readonly string[];
}

/**
 * Whether the policy denies every request over HTTP to `resources` (ARNs or ARN patterns such as
 * `arn:aws:s3:::b/*`) for every action matching `serviceActions` (e.g. `s3:*`, `sns:Publish`).
 */
export function tlsEnforcement(
  policy: Policy | undefined,
  serviceActions: readonly string[],
  resources: readonly string[],
): TlsVerdict {
  if (!policy) return { uncovered: resources, denyingStatements: [] };
  // Only the statements about these resources: a TLS Deny written for another bucket does not count.
  const denying = httpDenyingStatements(policy, serviceActions).filter((statement) =>
    resources.some((resource) => coversResource(statement, resource)),
  );
  return {
    uncovered: resources.filter(
      (resource) => !denying.some((statement) => coversResource(statement, resource)),
    ),
    denyingStatements: denying.map((statement) => statement.label),
  };
}
