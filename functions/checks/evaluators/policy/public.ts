/**
 * "Is this resource policy public?" — AWS's published definition, one implementation for every
 * resource policy fitgate reads (S3, SQS, SNS, KMS, Lambda, Secrets Manager, EventBridge).
 *
 * S3, "The meaning of public"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status):
 * "Amazon S3 begins by assuming that the policy is public … To be considered non-public, a bucket
 * policy must grant access only to fixed values (values that don't contain a wildcard or an AWS
 * Identity and Access Management Policy Variable) for one or more of the following: a set of CIDRs
 * using aws:SourceIp; an AWS principal, user, role, or service principal (e.g. aws:PrincipalOrgID);
 * aws:SourceArn; aws:SourceVpc; aws:SourceVpce; aws:SourceOwner; aws:SourceAccount;
 * s3:x-amz-server-side-encryption-aws-kms-key-id; aws:userid, outside the pattern "AROLEID:*";
 * s3:DataAccessPointArn (… can contain a wildcard for the access point name … as long as the
 * account id is fixed); s3:DataAccessPointAccount". Its examples: `{"Federated":"graph.facebook.com"}`
 * is public, `"Principal":"*"` is public, `StringLike aws:SourceVpc vpc-*` is public,
 * `StringEquals aws:SourceVpc vpc-91237329` is not.
 *
 * AWS Config applies the same rule to other resource policies: "To be considered non-public, a Lambda
 * resource-based policy must grant access only to fixed values … values that don't contain a wildcard
 * or … Variables", and for Lambda a service principal is public unless a condition limits the caller:
 * "The rule is also NON_COMPLIANT if a Lambda function is invoked from Amazon S3, and the policy
 * doesn't include a condition to limit public access, such as AWS:SourceAccount"
 * (https://docs.aws.amazon.com/config/latest/developerguide/lambda-function-public-access-prohibited.html;
 * AddPermission: "If you grant permission to a service principal without specifying the source, other
 * accounts could potentially configure resources in their account to invoke your Lambda function").
 *
 * How the pieces follow from that definition:
 * - an Allow with NotPrincipal grants everyone but the listed principals: public;
 * - a principal value with a wildcard (`*`, `arn:aws:iam::*:root`) is not fixed: public;
 * - a condition restricts only when it must hold with a fixed value: no `…IfExists`, no
 *   `ForAllValues:` (both are true when the key is absent), no negated operator, no `Null`;
 * - a set of CIDRs is fixed unless together they cover every IPv4 or every IPv6 address;
 * - an ARN value is fixed when it has no wildcard, or when its account is a fixed account id (the
 *   DataAccessPointArn rule above: a wildcard inside one account's ARNs does not open it to others);
 * - the whole policy is judged: a Deny that applies to everyone else (a negated fixed condition such
 *   as `StringNotEquals aws:SourceVpce vpce-1`, or NotPrincipal naming fixed principals) over the
 *   same actions and resources restricts an Allow just as a condition on the Allow would.
 */
import { coversEveryAddress, parseCidr } from './cidr.ts';
import { isNegated } from './conditions.ts';
import {
  type ConditionClause,
  type Policy,
  type PrincipalSpec,
  parseOperator,
  type Statement,
} from './document.ts';
import { hasPolicyVariable, hasWildcard, patternCovers, patternsOverlap } from './match.ts';

export interface PublicDefinition {
  /** Condition keys of this service that pin the caller besides the global ones. */
  readonly extraPinningKeys?: readonly string[];
  /** Lambda (Config): a service principal is public unless a source condition limits the caller. */
  readonly servicePrincipalsNeedSourceCondition?: boolean;
}

/** One statement that opens some actions to the public, with the actions still open after every Deny. */
export interface PublicGrant {
  readonly statement: string;
  readonly index: number;
  /** Whom it opens the resource to, in words. */
  readonly who: string;
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
}

/** Global condition keys whose fixed values pin the caller (the S3 list, and their org/principal kin). */
const PINNING_KEYS = [
  'aws:sourceip',
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceowner',
  'aws:sourceaccount',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:userid',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalorgpaths',
];

/** What limits a service principal to one caller's resources (Lambda AddPermission's SourceArn/SourceAccount). */
const SOURCE_KEYS = [
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  // Alexa Smart Home skills invoke with a token only the skill holds.
  'lambda:eventsourcetoken',
];

const ARN_KEYS = new Set(['aws:sourcearn', 'aws:principalarn', 's3:dataaccesspointarn']);
const ORG_PATH_KEYS = new Set(['aws:principalorgpaths', 'aws:sourceorgpaths']);
const POSITIVE_MATCHERS = new Set([
  'StringEquals',
  'StringEqualsIgnoreCase',
  'StringLike',
  'ArnEquals',
  'ArnLike',
]);
const NEGATED_MATCHERS = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'ArnNotEquals',
  'ArnNotLike',
]);

/** A value that names fixed callers (see the rules in the header). */
export function isFixedValue(key: string, value: string): boolean {
  const name = key.toLowerCase();
  if (value.trim() === '' || hasPolicyVariable(value)) return false;
  if (!hasWildcard(value)) return true;
  if (ARN_KEYS.has(name)) return /^\d{12}$/.test(value.split(':')[4] ?? '');
  // "aws:userid, outside the pattern AROLEID:*": the sessions of one role (its unique id) are fixed.
  if (name === 'aws:userid') return /^[A-Z0-9]{16,}:\*$/.test(value);
  // An organization path starts with its fixed organization id (o-…/r-…/ou-…/*).
  if (ORG_PATH_KEYS.has(name)) return /^o-[a-z0-9]+\//.test(value) && !hasWildcard(value.split('/')[0] ?? '');
  return false;
}

/** A set of CIDRs that leaves someone out: every value parses, and neither family is covered whole. */
export function isBoundedCidrSet(values: readonly string[]): boolean {
  const blocks = values.map(parseCidr);
  if (blocks.length === 0 || blocks.some((block) => block === undefined)) return false;
  const parsed = blocks as NonNullable<(typeof blocks)[number]>[];
  return !coversEveryAddress(parsed, 4) && !coversEveryAddress(parsed, 6);
}

function keySet(definition: PublicDefinition, base: readonly string[]): Set<string> {
  return new Set([...base, ...(definition.extraPinningKeys ?? []).map((key) => key.toLowerCase())]);
}

/** The clause must hold, with fixed values, for the statement to apply: it restricts the caller. */
export function clausePinsCaller(clause: ConditionClause, keys: ReadonlySet<string>): boolean {
  const operator = parseOperator(clause.operator);
  if (!operator || operator.ifExists || operator.set === 'ForAllValues') return false;
  const key = clause.key.toLowerCase();
  if (!keys.has(key) || clause.values.length === 0) return false;
  if (operator.base === 'IpAddress') return key === 'aws:sourceip' && isBoundedCidrSet(clause.values);
  if (!POSITIVE_MATCHERS.has(operator.base) || key === 'aws:sourceip') return false;
  return clause.values.every((value) => isFixedValue(key, value));
}

/** The clause holds for every caller except fixed ones: as a Deny condition it restricts the caller. */
function clauseExcludesAllButFixed(clause: ConditionClause, keys: ReadonlySet<string>): boolean {
  const operator = parseOperator(clause.operator);
  // ForAnyValue: and IfExists are false when the key is absent, so such a Deny lets keyless requests through.
  if (!operator || operator.ifExists || operator.set === 'ForAnyValue') return false;
  const key = clause.key.toLowerCase();
  if (!keys.has(key) || clause.values.length === 0 || !isNegated(operator.base)) return false;
  if (operator.base === 'NotIpAddress') return key === 'aws:sourceip' && isBoundedCidrSet(clause.values);
  if (!NEGATED_MATCHERS.has(operator.base) || key === 'aws:sourceip') return false;
  return clause.values.every((value) => isFixedValue(key, value));
}

/** Principal values that are fixed: no wildcard, not empty, and not a web identity provider. */
function principalsAreFixed(spec: PrincipalSpec): boolean {
  if (spec === '*') return false;
  const fixed = (value: string) => value.trim() !== '' && !hasWildcard(value) && !hasPolicyVariable(value);
  return (
    (spec.AWS ?? []).every(fixed) &&
    (spec.Service ?? []).every(fixed) &&
    (spec.CanonicalUser ?? []).every(fixed) &&
    (spec.Federated ?? []).every((value) => fixed(value) && value.startsWith('arn:'))
  );
}

interface Openness {
  readonly who: string;
  /** Only a source condition closes it (a service principal under Lambda's rule). */
  readonly needsSource: boolean;
}

/** Whom an Allow statement's principal opens the resource to, if that is more than fixed principals. */
function openness(statement: Statement, definition: PublicDefinition): Openness | undefined {
  if (statement.notPrincipal) return { who: 'everyone except the NotPrincipal list', needsSource: false };
  const spec = statement.principal;
  if (spec === undefined) return undefined;
  if (spec === '*') return { who: 'Principal "*"', needsSource: false };
  const open = (spec.AWS ?? []).find(
    (value) => value.trim() === '' || hasWildcard(value) || hasPolicyVariable(value),
  );
  if (open !== undefined) return { who: `AWS principal ${JSON.stringify(open)}`, needsSource: false };
  // Federated web identities (graph.facebook.com, accounts.google.com, cognito-identity…) are anyone
  // with a login there; a SAML/OIDC provider ARN is one account's provider.
  const federated = (spec.Federated ?? []).find((value) => !value.startsWith('arn:') || hasWildcard(value));
  if (federated !== undefined) return { who: `federated principal ${federated}`, needsSource: false };
  const wildService = (spec.Service ?? []).find((value) => hasWildcard(value) || value.trim() === '');
  if (wildService !== undefined)
    return { who: `service principal ${JSON.stringify(wildService)}`, needsSource: false };
  const service = spec.Service?.[0];
  if (service !== undefined && definition.servicePrincipalsNeedSourceCondition) {
    return { who: `service principal ${service} without a source condition`, needsSource: true };
  }
  return undefined;
}

/** Whether the Deny covers action `action` (a pattern of the Allow). */
function denyCoversAction(deny: Statement, action: string): boolean {
  if (deny.actions) return deny.actions.some((pattern) => patternCovers(pattern, action, 'action'));
  return !(deny.notActions ?? []).some((excluded) => patternsOverlap(excluded, action, 'action'));
}

function denyCoversResources(deny: Statement, allow: Statement): boolean {
  const covers = (resource: string) =>
    deny.resources
      ? deny.resources.some((pattern) => patternCovers(pattern, resource, 'arn'))
      : !(deny.notResources ?? []).some((excluded) => patternsOverlap(excluded, resource, 'arn'));
  if (allow.notResources) return covers('*');
  return (allow.resources ?? ['*']).every(covers);
}

/** A Deny that leaves only fixed callers (or nobody) able to use what it covers. */
function restrictsEveryoneElse(deny: Statement, keys: ReadonlySet<string>): boolean {
  if (deny.effect !== 'Deny') return false;
  if (deny.notPrincipal) {
    // Denies all but the listed principals: what remains is fixed when they are.
    return (
      principalsAreFixed(deny.notPrincipal) &&
      deny.conditions.every((c) => clauseExcludesAllButFixed(c, keys))
    );
  }
  const everyone =
    deny.principal === undefined || deny.principal === '*' || (deny.principal.AWS ?? []).includes('*');
  return everyone && deny.conditions.every((clause) => clauseExcludesAllButFixed(clause, keys));
}

/** The actions of a public Allow that no restricting Deny takes back. */
function openActions(
  allow: Statement,
  denies: readonly Statement[],
): { actions?: readonly string[]; notActions?: readonly string[] } | undefined {
  const relevant = denies.filter((deny) => denyCoversResources(deny, allow));
  if (allow.notActions) {
    return relevant.some((deny) => denyCoversAction(deny, '*'))
      ? undefined
      : { notActions: allow.notActions };
  }
  const actions = (allow.actions ?? []).filter(
    (action) => !relevant.some((deny) => denyCoversAction(deny, action)),
  );
  return actions.length === 0 ? undefined : { actions };
}

/** The statements of `policy` that open it to the public, by AWS's definition (header). */
export function publicGrants(policy: Policy, definition: PublicDefinition = {}): PublicGrant[] {
  const pinning = keySet(definition, PINNING_KEYS);
  const sources = keySet({}, SOURCE_KEYS);
  const restrictingDenies = policy.statements.filter((statement) =>
    restrictsEveryoneElse(statement, pinning),
  );
  return policy.statements.flatMap((statement): PublicGrant[] => {
    if (statement.effect !== 'Allow') return [];
    const open = openness(statement, definition);
    if (!open) return [];
    const pinned = statement.conditions.some((clause) =>
      clausePinsCaller(clause, open.needsSource ? sources : pinning),
    );
    if (pinned) return [];
    const remaining = openActions(statement, restrictingDenies);
    if (!remaining) return [];
    return [{ statement: statement.label, index: statement.index, who: open.who, ...remaining }];
  });
}

/** Whether a grant reaches some action matching one of `patterns` (`s3:Get*`, `sqs:*`, …). */
export function grantReaches(
  grant: { readonly actions?: readonly string[]; readonly notActions?: readonly string[] },
  patterns: readonly string[],
): boolean {
  if (grant.notActions) {
    return patterns.some(
      (pattern) => !grant.notActions?.some((excluded) => patternCovers(excluded, pattern, 'action')),
    );
  }
  return (grant.actions ?? []).some((action) =>
    patterns.some((pattern) => patternsOverlap(action, pattern, 'action')),
  );
}

/** The verdict of a "resource policy is not public" check; no policy passes. */
export function resourcePolicyPublicity(
  policy: Policy | undefined,
  owner: string,
  definition: PublicDefinition = {},
): {
  status: 'PASS' | 'FAIL';
  message: string;
  evidence?: { publicStatements: string[]; grants: PublicGrant[] };
} {
  if (!policy) return { status: 'PASS', message: `the ${owner} has no resource policy` };
  const grants = publicGrants(policy, definition);
  if (grants.length === 0) {
    return { status: 'PASS', message: `no statement of the ${owner} policy is public` };
  }
  return {
    status: 'FAIL',
    message: `the ${owner} policy is public: ${grants.map((g) => `${g.statement} (${g.who})`).join(', ')} without a condition that limits the caller to fixed values`,
    evidence: { publicStatements: grants.map((grant) => grant.statement), grants },
  };
}
