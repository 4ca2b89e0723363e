/**
 * A template's Rules, evaluated as CloudFormation does before it creates anything: moto ignores them.
 * A rule whose RuleCondition holds must have every Assert true, else the stack is not created and
 * the AssertDescription is the reason. Rule functions: Fn::And, Fn::Or, Fn::Not, Fn::Equals,
 * Fn::If, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Ref (parameters), and Fn::RefAll,
 * Fn::ValueOf, Fn::ValueOfAll, which read the account (VPCs, subnets, their tags) and so are known
 * only at deploy time: such a rule is reported as not evaluated, never as passed.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-rules.html
 */
import type { CfnTemplate } from '../template.ts';
import { isRecord } from './values.ts';

/** A rule function that needs the account's resources, not the template's values. */
class AccountLookup extends Error {
  constructor(fn: string) {
    super(`${fn} reads the account`);
    this.name = 'AccountLookup';
  }
}

export interface RulesVerdict {
  /** `rule: AssertDescription` of every assertion that is false. */
  readonly violated: string[];
  /** Rules that read the account (Fn::RefAll, Fn::ValueOf…): known only at deploy time. */
  readonly notEvaluated: string[];
}

type Values = Readonly<Record<string, string | readonly string[]>>;

function evaluate(expression: unknown, values: Values): unknown {
  if (Array.isArray(expression)) return expression.map((item) => evaluate(item, values));
  if (!isRecord(expression)) return expression;
  const [fn, argument] = Object.entries(expression)[0] ?? [];
  const args = Array.isArray(argument) ? argument : [argument];
  const bool = (value: unknown) => value === true || value === 'true';
  const list = (value: unknown): unknown[] => {
    const resolved = evaluate(value, values);
    return Array.isArray(resolved) ? resolved : [resolved];
  };
  switch (fn) {
    case 'Ref': {
      const value = values[String(argument)];
      if (value === undefined) throw new Error(`Ref ${String(argument)}: no such parameter`);
      return value;
    }
    case 'Fn::And':
      return args.every((item) => bool(evaluate(item, values)));
    case 'Fn::Or':
      return args.some((item) => bool(evaluate(item, values)));
    case 'Fn::Not':
      return !bool(evaluate(args[0], values));
    case 'Fn::Equals':
      return String(evaluate(args[0], values)) === String(evaluate(args[1], values));
    case 'Fn::If':
      return evaluate(bool(evaluate(args[0], values)) ? args[1] : args[2], values);
    case 'Fn::Contains':
      return list(args[0])
        .map(String)
        .includes(String(evaluate(args[1], values)));
    case 'Fn::EachMemberEquals':
      return list(args[0]).every((item) => String(item) === String(evaluate(args[1], values)));
    case 'Fn::EachMemberIn': {
      const allowed = list(args[1]).map(String);
      return list(args[0]).every((item) => allowed.includes(String(item)));
    }
    case 'Fn::RefAll':
    case 'Fn::ValueOf':
    case 'Fn::ValueOfAll':
      throw new AccountLookup(fn);
    default:
      return Object.fromEntries(
        Object.entries(expression).map(([key, item]) => [key, evaluate(item, values)]),
      );
  }
}

/** Parameter values as rules see them: given, else the default; list types as lists. */
export function ruleValues(
  template: CfnTemplate,
  parameters: Readonly<Record<string, string>>,
): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    const value =
      parameters[name] ?? (parameter.Default === undefined ? undefined : String(parameter.Default));
    if (value === undefined) continue;
    const type = parameter.Type ?? 'String';
    values[name] =
      type === 'CommaDelimitedList' || type.startsWith('List<')
        ? value.split(',').map((v) => v.trim())
        : value;
  }
  return values;
}

export function evaluateRules(template: CfnTemplate, values: Values): RulesVerdict {
  const violated: string[] = [];
  const notEvaluated: string[] = [];
  for (const [name, rule] of Object.entries((template.Rules ?? {}) as Record<string, unknown>)) {
    if (!isRecord(rule)) continue;
    try {
      if (rule.RuleCondition !== undefined && evaluate(rule.RuleCondition, values) !== true) continue;
      for (const assertion of Array.isArray(rule.Assertions) ? rule.Assertions : []) {
        if (!isRecord(assertion) || evaluate(assertion.Assert, values) === true) continue;
        violated.push(`${name}: ${String(assertion.AssertDescription ?? 'an assertion is false')}`);
      }
    } catch (error) {
      if (!(error instanceof AccountLookup)) throw error;
      notEvaluated.push(`${name} (${error.message}: known only at deploy time)`);
    }
  }
  return { violated, notEvaluated };
}
