/**
 * The Condition element, evaluated the way IAM evaluates it
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html):
 * - several operators, and several keys under one operator, are ANDed; several values of one key are ORed;
 * - a negated operator (StringNotEquals, NotIpAddress, ArnNotLike, …) is true when the request value
 *   matches none of the values, and true when the key is absent;
 * - a positive operator is false when the key is absent; `…IfExists` makes any operator true then;
 * - `ForAnyValue:` is true when some request value matches (false for an absent or empty key),
 *   `ForAllValues:` when every request value matches (true for an absent or empty key);
 * - `Null` tests presence: `"true"` means the key must be absent.
 *
 * A context may also say a key is UNKNOWN (any value, or absent): evaluation is then three-valued,
 * so "does this Deny apply to every request over HTTP, whatever else it carries?" has an answer.
 */
import { cidrContains, parseCidr } from './cidr.ts';
import { type BaseOperator, type ConditionClause, type ParsedOperator, parseOperator } from './document.ts';
import { substituteVariables, wildcardMatch } from './match.ts';

export const UNKNOWN = Symbol('unknown');
export type ContextValue = readonly string[] | typeof UNKNOWN | undefined;

/** The request context: values by key (case-insensitive); `undefined` is absent, UNKNOWN is either. */
export interface RequestContext {
  get(key: string): ContextValue;
}

export type Truth = true | false | 'unknown';

/** A context from plain values; keys not given are absent, or unknown with `otherKeys: 'unknown'`. */
export function requestContext(
  values: Readonly<Record<string, string | boolean | number | readonly string[]>>,
  otherKeys: 'absent' | 'unknown' = 'absent',
): RequestContext {
  const byKey = new Map(
    Object.entries(values).map(([key, value]) => [
      key.toLowerCase(),
      Array.isArray(value) ? (value as string[]).map(String) : [String(value)],
    ]),
  );
  return { get: (key) => byKey.get(key.toLowerCase()) ?? (otherKeys === 'unknown' ? UNKNOWN : undefined) };
}

const NEGATED = new Set<BaseOperator>([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'NotIpAddress',
  'ArnNotEquals',
  'ArnNotLike',
]);

export function isNegated(base: BaseOperator): boolean {
  return NEGATED.has(base);
}

function parseDate(text: string): number {
  // Dates are ISO 8601 or epoch seconds (aws:EpochTime).
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Number(text) * 1000;
  return Date.parse(text);
}

function compareNumbers(op: string, a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  switch (op) {
    case 'Equals':
    case 'NotEquals':
      return a === b;
    case 'LessThan':
      return a < b;
    case 'LessThanEquals':
      return a <= b;
    case 'GreaterThan':
      return a > b;
    default:
      return a >= b;
  }
}

/** Whether one request value matches one policy value under the positive form of `base`. */
function matchesOne(base: BaseOperator, requestValue: string, policyValue: string): boolean {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return requestValue === policyValue;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return requestValue.toLowerCase() === policyValue.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return wildcardMatch(policyValue, requestValue, 'string');
    case 'ArnEquals':
    case 'ArnNotEquals':
    case 'ArnLike':
    case 'ArnNotLike':
      // "Each of the six colon-delimited components of the ARN is checked separately and each can
      // include multi-character match wildcards (*) or single-character match wildcards (?)."
      return requestValue.split(':').length >= 6 && wildcardMatch(policyValue, requestValue, 'arn');
    case 'Bool':
      return requestValue.toLowerCase() === policyValue.toLowerCase();
    case 'BinaryEquals':
      return requestValue === policyValue;
    case 'IpAddress':
    case 'NotIpAddress': {
      const block = parseCidr(policyValue);
      const address = parseCidr(requestValue);
      return block !== undefined && address !== undefined && cidrContains(block, address);
    }
    default: {
      if (base.startsWith('Numeric')) {
        return compareNumbers(base.slice('Numeric'.length), Number(requestValue), Number(policyValue));
      }
      if (base.startsWith('Date')) {
        return compareNumbers(base.slice('Date'.length), parseDate(requestValue), parseDate(policyValue));
      }
      return false;
    }
  }
}

/** Whether a request value matches any policy value (variables resolved; unresolvable ones never match). */
function matchesAny(
  base: BaseOperator,
  requestValue: string,
  policyValues: readonly string[],
  context: RequestContext,
  variables: boolean,
): Truth {
  let unknown = false;
  for (const raw of policyValues) {
    let policyValue: string | undefined = raw;
    if (variables && raw.includes('${')) {
      let unresolved = false;
      policyValue = substituteVariables(raw, (key) => {
        const value = context.get(key);
        if (value === UNKNOWN) unresolved = true;
        return value === UNKNOWN || value === undefined ? undefined : value[0];
      });
      if (unresolved) {
        unknown = true;
        continue;
      }
      if (policyValue === undefined) continue;
    }
    if (matchesOne(base, requestValue, policyValue)) return true;
  }
  return unknown ? 'unknown' : false;
}

function and(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : 'unknown';
}

function not(a: Truth): Truth {
  return a === 'unknown' ? 'unknown' : !a;
}

/** One clause (operator, key, values) against a context. */
export function evaluateClause(clause: ConditionClause, context: RequestContext, variables = true): Truth {
  const operator = parseOperator(clause.operator) as ParsedOperator;
  const present = context.get(clause.key);
  if (present === UNKNOWN) return 'unknown';
  if (operator.base === 'Null') {
    const absent = present === undefined || present.length === 0;
    return clause.values.some((value) => (value.toLowerCase() === 'true') === absent);
  }
  const absent = present === undefined || present.length === 0;
  if (absent) {
    if (operator.ifExists) return true;
    if (operator.set === 'ForAllValues') return true;
    if (operator.set === 'ForAnyValue') return false;
    return isNegated(operator.base);
  }
  const negated = isNegated(operator.base);
  const perValue = present.map((value) => {
    const match = matchesAny(operator.base, value, clause.values, context, variables);
    return negated ? not(match) : match;
  });
  const all = perValue.reduce<Truth>((acc, truth) => and(acc, truth), true);
  const any = perValue.reduce<Truth>((acc, truth) => {
    if (acc === true || truth === true) return true;
    return acc === 'unknown' || truth === 'unknown' ? 'unknown' : false;
  }, false);
  if (operator.set === 'ForAllValues') return all;
  if (operator.set === 'ForAnyValue') return any;
  // A single-valued operator on several request values: a negated one must hold for all of them.
  return negated ? all : any;
}

/** Every clause of a statement's Condition (ANDed); no condition is true. */
export function evaluateConditions(
  clauses: readonly ConditionClause[],
  context: RequestContext,
  variables = true,
): Truth {
  return clauses.reduce<Truth>((acc, clause) => and(acc, evaluateClause(clause, context, variables)), true);
}
