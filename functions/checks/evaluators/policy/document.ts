/**
 * The IAM policy grammar (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html),
 * parsed and validated into one normalised model. Every element that may be a string or a list is
 * a list here; every condition value is text, as IAM compares it. A document that does not follow
 * the grammar is a MalformedPolicyError naming the document and the element, never a raw
 * SyntaxError or TypeError.
 */
import { MalformedDataError } from '../malformed.ts';

/** Principal types of the grammar; values keep their text, `*` included. */
export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';
export type PrincipalSpec = '*' | Readonly<Partial<Record<PrincipalType, readonly string[]>>>;

export interface ConditionClause {
  /** The operator as written, e.g. `ForAnyValue:StringLike` or `BoolIfExists`. */
  readonly operator: string;
  /** The condition key as written (keys compare case-insensitively). */
  readonly key: string;
  readonly values: readonly string[];
}

export interface Statement {
  readonly index: number;
  readonly sid?: string;
  /** The Sid, else `Statement[i]`: how evidence names the statement. */
  readonly label: string;
  readonly effect: 'Allow' | 'Deny';
  readonly principal?: PrincipalSpec;
  readonly notPrincipal?: PrincipalSpec;
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly conditions: readonly ConditionClause[];
}

export interface Policy {
  readonly version?: string;
  readonly statements: readonly Statement[];
  /** What the document is (e.g. `bucket policy of my-bucket`), for messages. */
  readonly source: string;
}

/** A policy document that is not JSON or does not follow the IAM grammar. */
export class MalformedPolicyError extends MalformedDataError {
  constructor(source: string, detail: string) {
    super(`${source}: ${detail}`);
    this.name = 'MalformedPolicyError';
  }
}

const PRINCIPAL_TYPES: readonly PrincipalType[] = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

/** Every condition operator of the grammar (without ForAllValues:/ForAnyValue: and IfExists). */
export const BASE_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
] as const;
export type BaseOperator = (typeof BASE_OPERATORS)[number];

export interface ParsedOperator {
  readonly set?: 'ForAllValues' | 'ForAnyValue';
  readonly base: BaseOperator;
  readonly ifExists: boolean;
}

const BASE_BY_LOWER = new Map(BASE_OPERATORS.map((name) => [name.toLowerCase(), name]));

/** Splits `ForAnyValue:StringLikeIfExists` into its parts; `undefined` for an unknown operator. */
export function parseOperator(operator: string): ParsedOperator | undefined {
  let rest = operator.trim();
  let set: ParsedOperator['set'];
  const prefix = /^(ForAllValues|ForAnyValue):/i.exec(rest);
  if (prefix) {
    set = (prefix[1] as string).toLowerCase() === 'forallvalues' ? 'ForAllValues' : 'ForAnyValue';
    rest = rest.slice(prefix[0].length);
  }
  let ifExists = false;
  if (/IfExists$/i.test(rest)) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = BASE_BY_LOWER.get(rest.toLowerCase());
  // Null has no IfExists form: "the Null condition operator cannot be used with IfExists".
  if (!base || (base === 'Null' && ifExists)) return undefined;
  return { ...(set ? { set } : {}), base, ifExists };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of a JSON document (URL-encoded as IAM returns it, or not), parsed; errors say where. */
function parseJson(text: string, source: string): unknown {
  let json = text;
  if (/^\s*%/.test(json)) {
    try {
      json = decodeURIComponent(json);
    } catch {
      throw new MalformedPolicyError(source, 'is URL-encoded, but the encoding is broken');
    }
  }
  try {
    return JSON.parse(json);
  } catch (error) {
    const position = Number(/position (\d+)/.exec(String((error as Error).message))?.[1] ?? Number.NaN);
    const start = json.trimStart().slice(0, 32).replace(/\s+/g, ' ');
    const where = Number.isFinite(position)
      ? ` (character ${JSON.stringify(json[position] ?? '')} at position ${position})`
      : json.trim() === ''
        ? ' (empty text)'
        : '';
    throw new MalformedPolicyError(source, `is not JSON${where}; it starts ${JSON.stringify(start)}`);
  }
}

function stringList(value: unknown, source: string, path: string): string[] {
  const items = Array.isArray(value) ? value : [value];
  if (Array.isArray(value) && value.length === 0) {
    throw new MalformedPolicyError(source, `${path} is an empty list`);
  }
  return items.map((item, index) => {
    if (typeof item !== 'string') {
      const at = Array.isArray(value) ? `${path}[${index}]` : path;
      throw new MalformedPolicyError(source, `${at} is ${describe(item)}, expected a string`);
    }
    return item;
  });
}

function principalSpec(value: unknown, source: string, path: string): PrincipalSpec {
  if (value === '*') return '*';
  if (typeof value === 'string') {
    // Only "*" may stand alone; a bare account or service name is read as AWS's APIs write it.
    return /\.amazonaws\.com(\.cn)?$/.test(value) ? { Service: [value] } : { AWS: [value] };
  }
  if (!isRecord(value)) throw new MalformedPolicyError(source, `${path} is ${describe(value)}`);
  const spec: Partial<Record<PrincipalType, readonly string[]>> = {};
  for (const [type, names] of Object.entries(value)) {
    const known = PRINCIPAL_TYPES.find((candidate) => candidate.toLowerCase() === type.toLowerCase());
    if (!known) throw new MalformedPolicyError(source, `${path} has an unknown principal type ${type}`);
    spec[known] = stringList(names, source, `${path}.${type}`);
  }
  if (Object.keys(spec).length === 0) throw new MalformedPolicyError(source, `${path} is empty`);
  return spec;
}

function conditionClauses(value: unknown, source: string, path: string): ConditionClause[] {
  if (!isRecord(value)) throw new MalformedPolicyError(source, `${path} is ${describe(value)}`);
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(value)) {
    if (!parseOperator(operator)) {
      throw new MalformedPolicyError(source, `${path} has an unknown condition operator ${operator}`);
    }
    if (!isRecord(block)) {
      throw new MalformedPolicyError(source, `${path}.${operator} is ${describe(block)}, expected an object`);
    }
    for (const [key, raw] of Object.entries(block)) {
      const items = Array.isArray(raw) ? raw : [raw];
      const values = items.map((item, index) => {
        if (typeof item === 'string') return item;
        if (typeof item === 'number' || typeof item === 'boolean') return String(item);
        const at = Array.isArray(raw) ? `[${index}]` : '';
        throw new MalformedPolicyError(
          source,
          `${path}.${operator}[${JSON.stringify(key)}]${at} is ${describe(item)}, expected a string, number or boolean`,
        );
      });
      clauses.push({ operator, key, values });
    }
  }
  return clauses;
}

function statement(value: unknown, index: number, source: string): Statement {
  const path = `Statement[${index}]`;
  if (!isRecord(value))
    throw new MalformedPolicyError(source, `${path} is ${describe(value)}, expected an object`);
  const sid = value.Sid === undefined ? undefined : String(value.Sid);
  if (value.Effect !== 'Allow' && value.Effect !== 'Deny') {
    throw new MalformedPolicyError(
      source,
      `${path}.Effect is ${describe(value.Effect)}, expected Allow or Deny`,
    );
  }
  const pair = (name: string, notName: string, required: boolean) => {
    const has = value[name] !== undefined;
    const hasNot = value[notName] !== undefined;
    if (has && hasNot) throw new MalformedPolicyError(source, `${path} has both ${name} and ${notName}`);
    if (required && !has && !hasNot) {
      throw new MalformedPolicyError(source, `${path} has neither ${name} nor ${notName}`);
    }
  };
  pair('Action', 'NotAction', true);
  pair('Resource', 'NotResource', false);
  pair('Principal', 'NotPrincipal', false);
  const list = (name: string) =>
    value[name] === undefined ? undefined : stringList(value[name], source, `${path}.${name}`);
  return {
    index,
    ...(sid !== undefined ? { sid } : {}),
    label: sid ? sid : path,
    effect: value.Effect,
    ...(value.Principal !== undefined
      ? { principal: principalSpec(value.Principal, source, `${path}.Principal`) }
      : {}),
    ...(value.NotPrincipal !== undefined
      ? { notPrincipal: principalSpec(value.NotPrincipal, source, `${path}.NotPrincipal`) }
      : {}),
    ...(value.Action !== undefined ? { actions: list('Action') } : {}),
    ...(value.NotAction !== undefined ? { notActions: list('NotAction') } : {}),
    ...(value.Resource !== undefined ? { resources: list('Resource') } : {}),
    ...(value.NotResource !== undefined ? { notResources: list('NotResource') } : {}),
    conditions:
      value.Condition === undefined ? [] : conditionClauses(value.Condition, source, `${path}.Condition`),
  };
}

/**
 * Parses a policy document given as text (JSON, or URL-encoded JSON as IAM returns it) or as an
 * already-parsed object. `source` names the document in every error.
 */
export function parsePolicy(document: unknown, source: string): Policy {
  const parsed = typeof document === 'string' ? parseJson(document, source) : document;
  if (!isRecord(parsed))
    throw new MalformedPolicyError(source, `is ${describe(parsed)}, expected a JSON object`);
  const version = parsed.Version === undefined ? undefined : String(parsed.Version);
  const raw = parsed.Statement;
  if (raw === undefined) throw new MalformedPolicyError(source, 'has no Statement');
  const items = Array.isArray(raw) ? raw : [raw];
  return {
    ...(version !== undefined ? { version } : {}),
    statements: items.map((item, index) => statement(item, index, source)),
    source,
  };
}
