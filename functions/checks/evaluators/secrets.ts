/**
 * The secret detector (docs/adding-a-check.md): finds credential-shaped values and literal values under
 * secret-like names. Findings name the key and the kind of secret, never the value.
 *
 * Well-known credential formats come from secretlint's recommended rule set
 * (@secretlint/secretlint-rule-preset-recommend: AWS, GitHub, GitLab, Slack, Stripe, SendGrid,
 * npm, OpenAI, Anthropic, database connection strings, basic-auth URLs, private keys, …), maintained
 * upstream and run here synchronously over each value. A few rules of our own cover what the preset
 * leaves out on purpose or does not model: AWS access key ids (the preset skips AWS's documentation
 * example and scans ids only on request), PEM headers of cut-off keys, JSON Web Tokens, a password in
 * any URL (the preset calls `user:pass` a placeholder; in a deployed environment it is a credential),
 * secret-like names holding literals (`DB_PWD`), and long random-looking tokens.
 *   https://github.com/secretlint/secretlint/tree/master/packages/%40secretlint/secretlint-rule-preset-recommend
 */
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import type {
  SecretLintRuleContext,
  SecretLintRuleCreator,
  SecretLintRuleReportDescriptor,
  SecretLintSourceCode,
} from '@secretlint/types';

export interface SecretFinding {
  readonly key: string;
  readonly kind: string;
}

// ── secretlint's rules, run synchronously ───────────────────────────────────────────────────────

/** A credential found in a text: its kind and where it is (the text itself is never kept). */
interface Match {
  readonly kind: string;
  readonly range: readonly [number, number];
}

const RULE_OPTIONS: Readonly<Record<string, unknown>> = {
  // Access key ids too, not only secret access keys (the preset's default).
  '@secretlint/secretlint-rule-aws': { enableIDScanRule: true },
};
/** Rules or messages that are not credentials, or that let the scanned text silence the scan. */
const SKIPPED_RULES = new Set(['@secretlint/secretlint-rule-filter-comments']);
const SKIPPED_MESSAGES = new Set(['AWSAccountID']);
const KIND_NAMES: Readonly<Record<string, string>> = {
  BasicAuth: 'basic-auth-credential',
  MongoDBConnection: 'mongodb-connection-string',
  MySQLConnection: 'mysql-connection-string',
  PostgreSQLConnection: 'postgresql-connection-string',
  IncomingWebhook: 'slack-incoming-webhook',
};

/** `GITHUB_TOKEN` → `github-token`, `AWSSecretAccessKey` → `aws-secret-access-key`. */
function kindOf(messageId: string): string {
  return (
    KIND_NAMES[messageId] ??
    messageId
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
      .replace(/([a-z\d])([A-Z])/g, '$1-$2')
      .replace(/_/g, '-')
      .toLowerCase()
  );
}

function sourceOf(content: string): SecretLintSourceCode {
  const lineStarts = [0];
  for (let index = 0; index < content.length; index++)
    if (content[index] === '\n') lineStarts.push(index + 1);
  const indexToPosition = (index: number) => {
    let line = lineStarts.length - 1;
    while (line > 0 && (lineStarts[line] ?? 0) > index) line -= 1;
    return { line: line + 1, column: index - (lineStarts[line] ?? 0) };
  };
  const positionToIndex = (position: { line: number; column: number }) =>
    (lineStarts[position.line - 1] ?? 0) + position.column;
  return {
    hasBOM: false,
    content,
    filePath: undefined,
    physicalFilePath: undefined,
    contentType: 'text',
    ext: '',
    getFilePath: () => undefined,
    getPhysicalFilePath: () => undefined,
    indexToPosition,
    positionToIndex,
    locationToRange: (loc) => [positionToIndex(loc.start), positionToIndex(loc.end)],
    rangeToLocation: (range) => ({ start: indexToPosition(range[0]), end: indexToPosition(range[1]) }),
  };
}

/** Where the rules report while one text is scanned (the scan is synchronous, so one sink serves). */
let sink: Match[] = [];

const context: SecretLintRuleContext = {
  sharedOptions: {},
  // Only the message id is kept: the rules' messages and data quote the secret itself.
  createTranslator: () =>
    ((messageId: string) => ({ message: messageId, messageId, data: undefined })) as never,
  report: (descriptor: SecretLintRuleReportDescriptor) => {
    const { messageId } = descriptor.message;
    if (!SKIPPED_MESSAGES.has(messageId)) {
      sink.push({ kind: kindOf(messageId), range: [descriptor.range[0], descriptor.range[1]] });
    }
  },
  ignore: () => undefined,
};

/** Each scanning rule's handler, created once: the rules keep no state between files. */
const scanners = (recommendedRules as unknown as SecretLintRuleCreator<Record<string, unknown>>[])
  .filter((rule) => rule.meta.type === 'scanner' && !SKIPPED_RULES.has(rule.meta.id))
  .map((rule) => rule.create(context, (RULE_OPTIONS[rule.meta.id] ?? {}) as never));

/** Every credential the recommended rules find in a text. */
function secretlintMatches(content: string): Match[] {
  const source = sourceOf(content);
  sink = [];
  for (const scanner of scanners) {
    try {
      // The text rules are synchronous; a rule that returns a promise (binary files) does not apply here.
      const outcome = scanner.file?.(source);
      if (outcome instanceof Promise) outcome.catch(() => undefined);
    } catch {
      // One rule that cannot read a value must not stop the others.
    }
  }
  const found = sink;
  sink = [];
  return found;
}

// ── Rules of our own ────────────────────────────────────────────────────────────────────────────

const OWN_PATTERNS: readonly [kind: string, pattern: RegExp][] = [
  ['aws-access-key-id', /\b(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b/g],
  ['private-key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/g],
  ['json-web-token', /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g],
];

// scheme://user:password@host — the password part; a reference or placeholder is not a secret.
const URL_CREDENTIAL = /\b[a-z][a-z0-9+.-]{1,30}:\/\/[^\s:@/?#]+:([^\s@/?#]+)@[^\s/?#]/gi;
const PLACEHOLDER = /^(?:\$\{.*\}|\{\{.*\}\}|<.*>|%[sd]|\*+|x+)$/i;

function ownMatches(content: string): Match[] {
  const matches: Match[] = [];
  for (const [kind, pattern] of OWN_PATTERNS) {
    for (const match of content.matchAll(pattern)) {
      matches.push({ kind, range: [match.index, match.index + match[0].length] });
    }
  }
  for (const match of content.matchAll(URL_CREDENTIAL)) {
    const password = match[1] ?? '';
    if (!PLACEHOLDER.test(password)) {
      matches.push({ kind: 'credential-in-url', range: [match.index, match.index + match[0].length - 1] });
    }
  }
  return matches;
}

function credentialMatches(content: string): Match[] {
  return [...ownMatches(content), ...secretlintMatches(content)];
}

// ── Names ───────────────────────────────────────────────────────────────────────────────────────

/** A key's words: `DB_PWD` → db pwd, `dbPassword` → db password, `x-api-key` → x api key. */
function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passwrd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'credential',
  'credentials',
  'creds',
  'apikey',
  'privatekey',
  'secretkey',
  'accesskey',
]);
const SECRET_PAIRS = new Set([
  'api key',
  'private key',
  'secret key',
  'access key',
  'signing key',
  'encryption key',
  'master key',
  'session key',
  'auth key',
  'client secret',
  'connection string',
]);
// A key that names, locates or describes a secret (DB_SECRET_ARN, TOKEN_TTL) does not hold one.
const POINTER_WORDS = new Set([
  'arn',
  'name',
  'id',
  'path',
  'param',
  'parameter',
  'ref',
  'reference',
  'field',
  'length',
  'ttl',
  'rotation',
  'version',
  'region',
  'type',
  'expiry',
  'expiration',
  'policy',
]);
const REFERENCE = /^(arn:|\{\{resolve:|ssm:|secretsmanager:|\/|\$)/i;
const NOT_A_SECRET = /^(true|false|yes|no|on|off|enabled|disabled|none|null|-?\d{1,6})$/i;

function namesSecret(key: string): boolean {
  const words = wordsOf(key);
  const last = words[words.length - 1];
  if (last === undefined || POINTER_WORDS.has(last)) return false;
  return words.some(
    (word, index) => SECRET_WORDS.has(word) || SECRET_PAIRS.has(`${word} ${words[index + 1] ?? ''}`),
  );
}

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

// ── The API the checks use ──────────────────────────────────────────────────────────────────────

/** Classifies one value under a key; undefined when it does not look secret. */
export function classifySecret(key: string, value: string): string | undefined {
  // The name goes in too, so rules that read `aws_secret_access_key = …` see it.
  const [first] = credentialMatches(value).concat(credentialMatches(`${key}=${value}`));
  if (first) return first.kind;
  if (namesSecret(key) && value.trim() !== '' && !REFERENCE.test(value) && !NOT_A_SECRET.test(value.trim())) {
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
// `password=…`, `"token": "…"`: a name with a secret word, then the value it is given.
const ASSIGNED_NAME = /([A-Za-z0-9_.-]+)["']?\s*[:=]\s*["']?/g;
const ASSIGNED_VALUE = /^[^"'\s,;}&]+/;

/** Where values given to secret-like names sit in a text. */
function assignedSecretRanges(text: string): Match[] {
  const matches: Match[] = [];
  let insideReference = 0;
  for (const match of text.matchAll(ASSIGNED_NAME)) {
    if (match.index < insideReference) continue; // `secret:` inside an ARN is part of the ARN
    const start = match.index + match[0].length;
    const value = ASSIGNED_VALUE.exec(text.slice(start))?.[0];
    if (!value) continue;
    if (REFERENCE.test(value)) insideReference = start + value.length;
    else if (namesSecret(match[1] ?? '')) {
      matches.push({ kind: 'secret-named-literal', range: [start, start + value.length] });
    }
  }
  return matches;
}

/**
 * Masks what the detector would flag inside free text (an error message, a response body), so a
 * short excerpt of it can stand as evidence: credentials the rules find, PEM keys, values assigned
 * to secret-like names (`password=…`, `"token": "…"`) and long random-looking tokens.
 */
export function redactSecrets(text: string): string {
  let redacted = text.replace(PEM_BLOCK, '[redacted]');
  // Overlapping findings are merged, then masked from the end so earlier offsets stay valid.
  const merged: [number, number][] = [];
  const found = [...credentialMatches(redacted), ...assignedSecretRanges(redacted)];
  for (const { range } of found.sort((a, b) => a.range[0] - b.range[0])) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  for (const [from, to] of merged.reverse()) {
    redacted = `${redacted.slice(0, from)}[redacted]${redacted.slice(to)}`;
  }
  return redacted.replace(/[A-Za-z0-9+=_-]{32,}/g, (token) =>
    looksHighEntropy(token) ? '[redacted]' : token,
  );
}
