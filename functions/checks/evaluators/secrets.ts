/**
 * The secret detector (docs/adding-a-check.md): finds credential-shaped values and literal values under
 * secret-like names. Findings name the key and the kind of secret, never the value.
 */

export interface SecretFinding {
  readonly key: string;
  readonly kind: string;
}

const VALUE_PATTERNS: readonly [kind: string, pattern: RegExp][] = [
  ['aws-access-key-id', /\b(AKIA|ASIA)[A-Z0-9]{16}\b/],
  ['private-key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['github-token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ['slack-token', /\bxox[abpors]-[A-Za-z0-9-]{10,}\b/],
  ['json-web-token', /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
];

const SECRET_NAME = /pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential/i;
// A key that names, locates or describes a secret (DB_SECRET_ARN, TOKEN_TTL) does not hold one.
const SECRET_POINTER =
  /[_-]?(arn|name|id|path|param(eter)?|ref(erence)?|field|length|ttl|rotation|version|region)$/i;
const REFERENCE = /^(arn:|\{\{resolve:|ssm:|secretsmanager:|\/|\$)/i;

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Long, dense, random-looking tokens (base64 or base64url alphabets, mixed case and digits). Not
 * secret: ARNs and URLs; hex digests (code hashes, ids); and generated resource names such as
 * CloudFormation's `<stack>-<LogicalId>-<SUFFIX>`, which are word segments joined by separators.
 */
function looksHighEntropy(value: string): boolean {
  if (value.length < 32 || !/^[A-Za-z0-9+/=_-]+$/.test(value)) return false;
  if (value.split(/[-_.]/).length >= 3) return false;
  if (/^[0-9a-f]+$/i.test(value)) return false;
  if (!(/[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value))) return false;
  return entropy(value) >= 4.3;
}

/** Classifies one value under a key; undefined when it does not look secret. */
export function classifySecret(key: string, value: string): string | undefined {
  for (const [kind, pattern] of VALUE_PATTERNS) if (pattern.test(value)) return kind;
  if (SECRET_NAME.test(key) && !SECRET_POINTER.test(key) && value !== '' && !REFERENCE.test(value)) {
    return 'secret-named-literal';
  }
  if (looksHighEntropy(value)) return 'high-entropy-string';
  return undefined;
}

/** Scans a flat record of name → value (env vars, stack outputs). */
export function findSecrets(values: Readonly<Record<string, string | undefined>>): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const kind = classifySecret(key, value);
    if (kind) findings.push({ key, kind });
  }
  return findings;
}

/** Scans every string in a JSON value (a state machine definition), keyed by its JSON path. */
export function findSecretsInJson(json: unknown, path = '$'): SecretFinding[] {
  if (typeof json === 'string') {
    const key = path.split('.').pop() ?? path;
    const kind = classifySecret(key, json);
    return kind ? [{ key: path, kind }] : [];
  }
  if (Array.isArray(json)) return json.flatMap((item, index) => findSecretsInJson(item, `${path}[${index}]`));
  if (typeof json === 'object' && json !== null) {
    return Object.entries(json).flatMap(([key, value]) => findSecretsInJson(value, `${path}.${key}`));
  }
  return [];
}

const PEM_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;
// SECRET_NAME's own groups are made non-capturing, so the name and the value are groups 1 and 2.
const SECRET_ASSIGNMENT = new RegExp(
  `((?:${SECRET_NAME.source.replace(/\((?!\?)/g, '(?:')})[\\w-]*["']?\\s*[:=]\\s*["']?)([^"'\\s,;}&]+)`,
  'gi',
);

/**
 * Masks what the detector would flag inside free text (an error message, a response body), so a
 * short excerpt of it can stand as evidence: credential-shaped values, PEM keys, values assigned to
 * secret-like names (`password=…`, `"token": "…"`) and long random-looking tokens.
 */
export function redactSecrets(text: string): string {
  let redacted = text.replace(PEM_BLOCK, '[redacted]');
  for (const [, pattern] of VALUE_PATTERNS) {
    redacted = redacted.replace(new RegExp(pattern.source, 'g'), '[redacted]');
  }
  redacted = redacted.replace(SECRET_ASSIGNMENT, (_match, name: string, value: string) =>
    REFERENCE.test(value) ? `${name}${value}` : `${name}[redacted]`,
  );
  return redacted.replace(/[A-Za-z0-9+=_-]{32,}/g, (token) =>
    looksHighEntropy(token) ? '[redacted]' : token,
  );
}
