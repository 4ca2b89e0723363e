/**
 * Shared policy evaluators (docs/adding-a-check.md). Resource policies arrive as JSON text,
 * IAM documents URL-encoded; Statement, Action, Resource and Principal may each be a string or a list;
 * condition keys are case-insensitive.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly PolicyStatement[];
}

/** Parses a policy document given as JSON text (URL-encoded or not) or as an object. */
export function parsePolicy(document: string | object): PolicyDocument {
  const parsed: unknown =
    typeof document === 'string'
      ? JSON.parse(document.trimStart().startsWith('%') ? decodeURIComponent(document) : document)
      : document;
  if (typeof parsed !== 'object' || parsed === null) throw new SyntaxError('policy is not a JSON object');
  const statement = (parsed as { Statement?: unknown }).Statement;
  const statements = statement === undefined ? [] : Array.isArray(statement) ? statement : [statement];
  return { ...(parsed as object), Statement: statements as PolicyStatement[] };
}

export function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}

/** IAM wildcard match (`*`, `?`), case-insensitive as IAM action names are. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i').test(value);
}

/** True when any of the statement's actions matches any of `patterns` (`kms:*` matches `kms:Decrypt`). */
export function actionsOverlap(statement: PolicyStatement, patterns: readonly string[]): boolean {
  return asList(statement.Action).some((action) =>
    patterns.some((pattern) => wildcardMatch(action, pattern) || wildcardMatch(pattern, action)),
  );
}

/**
 * True when the statement grants some action matching one of `patterns`: through `Action` (as
 * actionsOverlap), or through `NotAction`, which grants every action it does not exclude.
 */
export function statementGrantsAnyOf(statement: PolicyStatement, patterns: readonly string[]): boolean {
  if (statement.Action !== undefined) return actionsOverlap(statement, patterns);
  if (statement.NotAction === undefined) return false;
  const excluded = asList(statement.NotAction);
  return patterns.some((pattern) => !excluded.some((exclusion) => wildcardMatch(exclusion, pattern)));
}

const PINNING_KEYS = new Set([
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:principalorgid',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourceip',
  // KMS's own account pin, used with kms:ViaService by AWS managed key policies (Access Analyzer agrees).
  'kms:calleraccount',
]);

function isPinningValue(key: string, value: unknown): boolean {
  const values = asList(value);
  if (values.length === 0) return false;
  return values.every((v) => {
    if (/[*?]|\$\{/.test(v)) return false;
    if (key === 'aws:sourceip' && (v === '0.0.0.0/0' || v === '::/0')) return false;
    return true;
  });
}

/** A Condition pins the caller when some pinning key is fixed to concrete values. */
export function conditionPinsCaller(condition: PolicyStatement['Condition']): boolean {
  if (!condition) return false;
  return Object.entries(condition).some(([operator, clauses]) => {
    if (/IfExists$/i.test(operator) || /^Null$/i.test(operator) || /^Not|NotEquals|NotLike/i.test(operator)) {
      return false;
    }
    return Object.entries(clauses ?? {}).some(
      ([key, value]) => PINNING_KEYS.has(key.toLowerCase()) && isPinningValue(key.toLowerCase(), value),
    );
  });
}

/** True for `"*"`, `{"AWS":"*"}` or a list containing `"*"`; service principals are not public. */
export function principalIsEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const aws = (principal as { AWS?: unknown }).AWS;
  return asList(aws).includes('*');
}

/** Allow to everyone, with no condition pinning the caller. */
export function isPublicStatement(statement: PolicyStatement): boolean {
  return (
    statement.Effect === 'Allow' &&
    principalIsEveryone(statement.Principal) &&
    !conditionPinsCaller(statement.Condition)
  );
}

function secureTransportIsFalse(condition: PolicyStatement['Condition']): boolean {
  if (!condition) return false;
  return Object.entries(condition).some(
    ([operator, clauses]) =>
      /^Bool(IfExists)?$/i.test(operator) &&
      Object.entries(clauses ?? {}).some(
        ([key, value]) =>
          key.toLowerCase() === 'aws:securetransport' && asList(value).some((v) => v === 'false'),
      ),
  );
}

/**
 * Deny to everyone, on an action that covers the service (`serviceActions`, e.g. ['s3:*'] or
 * ['sns:Publish']; `*` always covers), when aws:SecureTransport is false.
 */
export function isTlsOnlyStatement(statement: PolicyStatement, serviceActions: readonly string[]): boolean {
  if (statement.Effect !== 'Deny' || !principalIsEveryone(statement.Principal)) return false;
  const actions = asList(statement.Action);
  const coversService = actions.some(
    (action) => action === '*' || serviceActions.some((s) => wildcardMatch(action, s)),
  );
  return coversService && secureTransportIsFalse(statement.Condition);
}

/** The public statements of a policy, by Sid (or `#index` when a statement has none). */
export function publicStatementNames(policy: PolicyDocument): string[] {
  return policy.Statement.flatMap((statement, index) =>
    isPublicStatement(statement) ? [statement.Sid ?? `#${index}`] : [],
  );
}

/**
 * The verdict of a "resource policy is not public" check (queues, topics): no policy, or no public
 * statement, passes.
 */
export function resourcePolicyPublicity(
  policy: PolicyDocument | undefined,
  owner: string,
): { status: 'PASS' | 'FAIL'; message: string; evidence?: { publicStatements: string[] } } {
  if (!policy) return { status: 'PASS', message: `the ${owner} has no resource policy` };
  const names = publicStatementNames(policy);
  if (names.length === 0) return { status: 'PASS', message: `no statement of the ${owner} policy is public` };
  return {
    status: 'FAIL',
    message: `the ${owner} policy allows anyone (${names.join(', ')}) without a condition that pins the caller`,
    evidence: { publicStatements: names },
  };
}
