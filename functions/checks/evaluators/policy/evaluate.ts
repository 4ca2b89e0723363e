/**
 * Does a policy allow a request? The single-policy part of IAM's evaluation logic
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * an explicit Deny in any matching statement wins; otherwise a matching Allow allows; otherwise the
 * request is implicitly denied. A statement matches when its Principal/NotPrincipal, Action/NotAction,
 * Resource/NotResource and every Condition match.
 */
import { evaluateConditions, type RequestContext, requestContext, type Truth } from './conditions.ts';
import type { Policy, PrincipalSpec, PrincipalType, Statement } from './document.ts';
import { wildcardMatch } from './match.ts';

/** Who makes the request: an AWS principal (ARN), a service, a federated user, or nobody (anonymous). */
export interface RequestPrincipal {
  readonly type: PrincipalType | 'Anonymous';
  /** ARN for AWS principals, the service name, the provider, or the canonical user id. */
  readonly id: string;
}

export interface Request {
  /** Omitted for identity-based policies, which have no Principal element. */
  readonly principal?: RequestPrincipal;
  readonly action: string;
  readonly resource: string;
  readonly context?: RequestContext;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

const ACCOUNT_ID = /^\d{12}$/;

function accountOf(arn: string): string | undefined {
  return arn.split(':')[4];
}

/** Whether one Principal value names the requester: `*`, an account (id or root ARN), or an ARN. */
function awsValueMatches(value: string, principal: RequestPrincipal): boolean {
  if (value === '*') return true;
  if (principal.type !== 'AWS') return false;
  const account = ACCOUNT_ID.test(value) ? value : /^arn:[^:]+:iam::(\d{12}):root$/.exec(value)?.[1];
  if (account) return accountOf(principal.id) === account;
  // An assumed-role session is named by its role: arn:aws:sts::A:assumed-role/R/S ⇐ arn:aws:iam::A:role/R.
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(principal.id);
  if (session && value.endsWith(`:role/${session[3]}`) && accountOf(value) === session[2]) return true;
  return wildcardMatch(value, principal.id, 'arn');
}

export function principalMatches(spec: PrincipalSpec, principal: RequestPrincipal): boolean {
  if (spec === '*') return true;
  if ((spec.AWS ?? []).some((value) => awsValueMatches(value, principal))) return true;
  if (principal.type === 'Anonymous' || principal.type === 'AWS') return false;
  return (spec[principal.type] ?? []).some((value) => value === principal.id);
}

function listMatches(patterns: readonly string[], value: string, mode: 'action' | 'arn'): boolean {
  return patterns.some((pattern) => wildcardMatch(pattern, value, mode));
}

/** Whether the statement applies to the request: true, false, or unknown (a condition key unknown). */
export function statementMatches(statement: Statement, request: Request): Truth {
  if (request.principal) {
    if (statement.principal && !principalMatches(statement.principal, request.principal)) return false;
    if (statement.notPrincipal && principalMatches(statement.notPrincipal, request.principal)) return false;
  }
  if (statement.actions && !listMatches(statement.actions, request.action, 'action')) return false;
  if (statement.notActions && listMatches(statement.notActions, request.action, 'action')) return false;
  if (statement.resources && !listMatches(statement.resources, request.resource, 'arn')) return false;
  if (statement.notResources && listMatches(statement.notResources, request.resource, 'arn')) return false;
  // Policy variables work only in version 2012-10-17 documents.
  return evaluateConditions(statement.conditions, request.context ?? requestContext({}), true);
}

/** The decision of one policy for one request (conditions with unknown keys count as not matching). */
export function evaluatePolicy(policy: Policy, request: Request): Decision {
  const variables = policy.version === '2012-10-17';
  const matching = policy.statements.filter((statement) => {
    const context = request.context ?? requestContext({});
    const truth = variables
      ? statementMatches(statement, { ...request, context })
      : statementMatches({ ...statement, conditions: [] }, request) === true &&
        evaluateConditions(statement.conditions, context, false);
    return truth === true;
  });
  if (matching.some((statement) => statement.effect === 'Deny')) return 'ExplicitDeny';
  return matching.some((statement) => statement.effect === 'Allow') ? 'Allow' : 'ImplicitDeny';
}
