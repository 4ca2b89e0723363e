/**
 * The gate's configuration: scoring policy, per-check settings and waivers. The FitnessGate
 * construct serialises it into FITGATE_CONFIG for ListResources, which resolves it once per
 * execution (defaults ⊕ gate configuration ⊕ what the execution input's `policy` may change) and
 * hands it on in the state, so every later state sees the same, visible configuration.
 *
 * One zod schema validates every way a configuration arrives (construct props, `--policy` files,
 * FITGATE_CONFIG, the execution input's `policy`) and yields docs/config.schema.json for editors.
 * A mistake is one line that names the field: `policy.minFitness must be a number (got "60")`.
 */
// Named imports, so the Lambda bundles carry only the parts of zod they use (~90 KB, not ~450 KB).
import {
  array,
  boolean,
  int,
  number,
  preprocess,
  strictObject,
  string,
  toJSONSchema,
  union,
  type ZodType,
} from 'zod';
import type * as core from 'zod/v4/core';
import { canonicalCheckId, type ParamSpec, registry } from '../checks/registry.ts';
import type { CheckParams } from '../checks/types.ts';
import {
  type CheckFunctionDeclaration,
  checkFunctionSchema,
  duplicateUserId,
  isUserCheckId,
  type MetricFunction,
  metricFunctionSchema,
  USER_CHECK_ID,
} from '../checks/user-defined.ts';
import { InvalidInputError } from './errors.ts';
import { expiryInstant } from './expiry.ts';

export interface GatePolicy {
  /**
   * Fail when fitness is below this (0–100); null: no absolute floor. Off by default: the penalty
   * grows with the stack, so a fixed floor would reject large stacks that never regressed.
   */
  readonly minFitness: number | null;
  /** Fail when fitness < baseline − maxRegression; 0 means any drop fails, equal passes. */
  readonly maxRegression: number;
  /** Fail when an unsuppressed critical check FAILs or ERRORs. */
  readonly failOnCritical: boolean;
  /** Whether waivers may mute critical checks. */
  readonly allowCriticalSuppressions: boolean;
  /** λ of the complexity penalty: penalty = λ · complexity. */
  readonly complexityWeight: number;
  /** ERROR results count as FAIL in the score (the default; docs/scoring.md). */
  readonly errorsCountAsFailures: boolean;
}

/** A waiver: one check on one resource, with a mandatory reason; never a wildcard. */
export interface Suppression {
  readonly checkId: string;
  /** The resource's key: its logical id, prefixed by its nested stacks' logical ids (`Child/Bucket`). */
  readonly logicalId: string;
  readonly reason: string;
  readonly owner?: string;
  /** ISO 8601 date (lasts through that day in UTC) or date-time with a time zone. */
  readonly expires?: string;
  /** Where it came from: gate configuration, template metadata, cdk-nag acknowledgement or tag. */
  readonly source?: 'config' | 'metadata' | 'cdk-nag' | 'tag';
}

export interface CheckSettingsConfig {
  readonly disabled: readonly string[];
  readonly params: Readonly<Record<string, CheckParams>>;
  /** User-defined metric fitness functions (docs/fitness-functions.md); absent when none. */
  readonly metrics?: readonly MetricFunction[];
  /** User-defined check functions' declarations; their Lambdas are registered in the FitnessGate props. */
  readonly functions?: readonly CheckFunctionDeclaration[];
}

export interface GateConfig {
  readonly policy: GatePolicy;
  readonly checks: CheckSettingsConfig;
  readonly suppressions: readonly Suppression[];
  /** Map state MaxConcurrency (inline Map: at most 40). */
  readonly maxConcurrency: number;
  /** Template waivers that were refused (each `checkId@logicalId (source): problem`); never applied. */
  readonly invalidSuppressions?: readonly string[];
}

/**
 * The resources of the gate itself, which an audit of the stack holding the gate leaves out. The
 * FitnessGate construct computes them at synth time from its own CfnResources and hands them to
 * ListResources through the state machine definition: nothing a template says can add to them.
 */
export interface GateResources {
  /** The stack (ARN) that holds the gate; rows of other stacks are never left out. */
  readonly stackId: string;
  readonly logicalIds: readonly string[];
}

export const DEFAULT_POLICY: GatePolicy = {
  minFitness: null,
  maxRegression: 0,
  failOnCritical: true,
  allowCriticalSuppressions: false,
  complexityWeight: 0.1,
  errorsCountAsFailures: true,
};

export const DEFAULT_CONFIG: GateConfig = {
  policy: DEFAULT_POLICY,
  checks: { disabled: [], params: {} },
  suppressions: [],
  maxConcurrency: 10,
};

export const MAX_INLINE_MAP_CONCURRENCY = 40;
/** λ above this would make every stack's fitness negative; it is a typo, not a policy. */
export const MAX_COMPLEXITY_WEIGHT = 10;
/** cdk-nag's own rule for acknowledgements: a reason of at least 10 characters. */
export const MIN_REASON_LENGTH = 10;

/**
 * The registry's id for a check id a user wrote: renamed checks keep their old id as an alias
 * (canonicalCheckId); this is the one call site every configuration and template waiver goes through.
 */
export function canonicalCheckIdOf(id: string): string {
  return canonicalCheckId(id);
}

const CHECK_IDS = registry.map((check) => check.id) as [string, ...string[]];
const BUILT_IN_IDS: ReadonlySet<string> = new Set(CHECK_IDS);
/**
 * A built-in check's id, or a user-defined function's (`<namespace>/<name>`, declared in `checks`;
 * resolveConfig verifies it is declared). The JSON Schema offers both forms to editors.
 */
const checkIdSchema = preprocess(
  (value) => (typeof value === 'string' ? canonicalCheckIdOf(value.trim()) : value),
  string({ error: (issue) => `must be a known check id (got ${shown(issue.input)})` })
    .refine((id) => BUILT_IN_IDS.has(id) || USER_CHECK_ID.test(id), {
      error: (issue) =>
        String(issue.input).includes('/')
          ? `must be a user-defined function's <namespace>/<name> in lowercase kebab case (got ${shown(issue.input)})`
          : `must be a known check id (got ${shown(issue.input)})`,
    })
    .meta({ anyOf: [{ enum: CHECK_IDS }, { pattern: USER_CHECK_ID.source }] }),
);

/** CloudFormation logical ids are alphanumeric; a nested stack's resources are `Child/Bucket`. */
export const RESOURCE_KEY = /^[A-Za-z0-9]+(\/[A-Za-z0-9]+)*$/;
const resourceKeySchema = string({
  error: (issue) => `must be a logical id (got ${shown(issue.input)})`,
}).regex(RESOURCE_KEY, {
  error: (issue) =>
    `must name one resource by its logical id (Bucket, or Child/Bucket in a nested stack), no wildcards (got ${shown(issue.input)})`,
});

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
const reasonSchema = string({ error: 'is required: say why the finding is accepted' })
  .refine((reason) => reason.trim().length >= MIN_REASON_LENGTH, {
    error: `needs at least ${MIN_REASON_LENGTH} characters: say why the finding is accepted`,
  })
  .refine((reason) => !CONTROL_CHARACTERS.test(reason), { error: 'must not hold control characters' });
const expiresSchema = string({
  error: (issue) => `must be an ISO 8601 date such as 2025-06-30 (got ${shown(issue.input)})`,
})
  .refine((value) => expiryInstant(value) !== undefined, {
    error: (issue) =>
      `must be an ISO 8601 date (2025-06-30) or a date-time with a time zone (2025-06-30T17:00:00Z) (got ${shown(issue.input)})`,
  })
  .meta({ anyOf: [{ format: 'date' }, { format: 'date-time' }] });

export const suppressionSchema = strictObject({
  checkId: checkIdSchema,
  logicalId: resourceKeySchema,
  reason: reasonSchema,
  owner: string().trim().min(1).max(200).optional(),
  expires: expiresSchema.optional(),
});

const policySchema = strictObject({
  minFitness: number().min(0).max(100).nullable(),
  maxRegression: number().min(0).max(100),
  failOnCritical: boolean(),
  allowCriticalSuppressions: boolean(),
  complexityWeight: number().min(0).max(MAX_COMPLEXITY_WEIGHT),
  errorsCountAsFailures: boolean(),
}).partial();

function paramSchema(spec: ParamSpec) {
  const type =
    spec.type ??
    (Array.isArray(spec.default)
      ? 'list'
      : typeof spec.default === 'number'
        ? 'number'
        : typeof spec.default === 'boolean'
          ? 'boolean'
          : 'text');
  const described = <T extends ZodType>(schema: T) => schema.describe(spec.description);
  // AWS Config passes every rule parameter as a string ("True", "30", "a,b", "roles:[a,b]"), and a
  // configuration copied from a Config rule must mean the same here; the checks read both forms
  // (functions/checks/evaluators/params.ts). https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_use-managed-rules.html
  switch (type) {
    case 'list':
      return described(
        union([array(string()), string()], {
          error: (issue) =>
            `must be a list, or comma-separated text as AWS Config writes it (got ${shown(issue.input)})`,
        }),
      );
    case 'number':
      return described(
        union([
          number(),
          string().regex(/^\s*-?\d+(\.\d+)?\s*$/, {
            error: (issue) => `must be a number (got ${shown(issue.input)})`,
          }),
        ]),
      );
    case 'boolean':
      return described(
        union([
          boolean(),
          string().regex(/^\s*(true|false)\s*$/i, {
            error: (issue) => `must be true or false (got ${shown(issue.input)})`,
          }),
        ]),
      );
    default:
      return described(
        spec.values
          ? string().refine((value) => spec.values?.includes(value.toUpperCase()), {
              error: `must be one of ${spec.values.join(', ')}`,
            })
          : string(),
      );
  }
}

/** Per check, the parameters its registry row declares, with their types. */
const paramsSchema = preprocess(
  (value) =>
    isRecord(value)
      ? Object.fromEntries(Object.entries(value).map(([id, params]) => [canonicalCheckIdOf(id), params]))
      : value,
  strictObject(
    Object.fromEntries(
      registry.map((check) => [
        check.id,
        strictObject(
          Object.fromEntries(Object.entries(check.params).map(([n, s]) => [n, paramSchema(s)])),
        ).partial(),
      ]),
    ),
  ).partial(),
);

const checksSchema = strictObject({
  disabled: array(checkIdSchema),
  params: paramsSchema,
  metrics: array(metricFunctionSchema),
  functions: array(checkFunctionSchema),
}).partial();

/** A configuration as users write it: construct props, `--policy` file, FITGATE_CONFIG. */
export const gateConfigSchema = strictObject({
  policy: policySchema,
  checks: checksSchema,
  suppressions: array(suppressionSchema),
  maxConcurrency: int().min(1).max(MAX_INLINE_MAP_CONCURRENCY),
}).partial();

/** A partial configuration as users write it (construct props, --policy file, FITGATE_CONFIG). */
export interface GateConfigInput {
  readonly policy?: Partial<GatePolicy>;
  readonly checks?: Partial<CheckSettingsConfig>;
  readonly suppressions?: readonly Suppression[];
  readonly maxConcurrency?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as an error line shows it: short, on one line. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    '',
  );
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  string: 'text',
  array: 'a list',
  object: 'an object',
};

/** The keys an object schema at `path` knows, to say what a typo should have been. */
function knownKeysAt(schema: core.$ZodType, path: readonly PropertyKey[]): string[] {
  let current: core.$ZodType | undefined = schema;
  const unwrap = () => {
    for (let depth = 0; current && depth < 5; depth++) {
      const def = current._zod.def as { type: string; innerType?: core.$ZodType; out?: core.$ZodType };
      if (def.type === 'optional' || def.type === 'nullable') current = def.innerType;
      else if (def.type === 'pipe') current = def.out;
      else break;
    }
  };
  for (const key of [...path, undefined]) {
    unwrap();
    const def = current?._zod.def as
      | { type: string; shape?: Record<string, core.$ZodType>; element?: core.$ZodType }
      | undefined;
    if (key === undefined) return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
    current = def?.type === 'array' ? def.element : def?.shape?.[String(key)];
  }
  return [];
}

/** One line for the first problem zod found, naming the field the way the user wrote it. */
export function describeIssue(issue: core.$ZodIssue, schema?: core.$ZodType): string {
  const field = pathOf(issue.path);
  const at = field ? `${field} ` : '';
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return `${at}is required`;
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      return `${at}must be ${expected} (got ${shown(issue.input)})`;
    }
    case 'unrecognized_keys': {
      const known = schema ? knownKeysAt(schema, issue.path) : [];
      const expected = known.length > 0 && known.length <= 8 ? ` (expected ${known.join(', ')})` : '';
      return `unknown key ${issue.keys.map((key) => (field ? `${field}.${key}` : key)).join(', ')}${expected}`;
    }
    case 'too_small':
      return `${at}must be ${issue.origin === 'array' || issue.origin === 'string' ? 'at least' : '≥'} ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : ''} (got ${shown(issue.input)})`;
    case 'too_big':
      return `${at}must be ${issue.origin === 'array' || issue.origin === 'string' ? 'at most' : '≤'} ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ''} (got ${shown(issue.input)})`;
    default:
      return `${at}${issue.message}`;
  }
}

/** Validates one configuration layer; `source` starts the error line (`FITGATE_CONFIG`, `--policy x.yml`). */
export function parseGateConfig(value: unknown, source = 'configuration'): GateConfigInput {
  if (!isRecord(value)) throw new InvalidInputError(`${source} must be an object (got ${shown(value)})`);
  const parsed = gateConfigSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new InvalidInputError(
      `${source}: ${issue ? describeIssue(issue, gateConfigSchema) : 'is not valid'}`,
    );
  }
  return parsed.data as GateConfigInput;
}

/** Validates an execution input's `policy` (a partial policy). */
export function parsePolicyOverride(value: unknown, source = 'execution input'): Partial<GatePolicy> {
  return parseGateConfig({ policy: value }, source).policy ?? {};
}

/** Layers partial configurations over the defaults, validating each layer. */
export function resolveConfig(...layers: readonly (GateConfigInput | undefined)[]): GateConfig {
  let config: GateConfig = DEFAULT_CONFIG;
  for (const raw of layers) {
    if (raw === undefined) continue;
    const layer = parseGateConfig(raw);
    const metrics = [...(config.checks.metrics ?? []), ...(layer.checks?.metrics ?? [])];
    const functions = [...(config.checks.functions ?? []), ...(layer.checks?.functions ?? [])];
    config = {
      policy: { ...config.policy, ...layer.policy },
      checks: {
        disabled: [...new Set([...config.checks.disabled, ...(layer.checks?.disabled ?? [])])],
        params: { ...config.checks.params, ...layer.checks?.params },
        ...(metrics.length > 0 ? { metrics } : {}),
        ...(functions.length > 0 ? { functions } : {}),
      },
      suppressions: [...config.suppressions, ...(layer.suppressions ?? [])],
      maxConcurrency: layer.maxConcurrency ?? config.maxConcurrency,
    };
  }
  validateUserDefined(config);
  return config;
}

/**
 * User-defined functions across all layers: each id declared once, and every user-defined id that
 * configuration disables or waives declared somewhere (a typo would otherwise waive nothing, silently).
 */
function validateUserDefined(config: GateConfig): void {
  const duplicate = duplicateUserId(config.checks);
  if (duplicate) {
    throw new InvalidInputError(`configuration: checks: fitness function ${duplicate} is declared twice`);
  }
  const declared = new Set(
    [...(config.checks.metrics ?? []), ...(config.checks.functions ?? [])].map((fn) => fn.id),
  );
  const undeclared = (id: string) => isUserCheckId(id) && !declared.has(id);
  const disabled = config.checks.disabled.find(undeclared);
  if (disabled) {
    throw new InvalidInputError(
      `configuration: checks.disabled names ${disabled}, which no metrics or functions entry declares`,
    );
  }
  const waived = config.suppressions.find((suppression) => undeclared(suppression.checkId));
  if (waived) {
    throw new InvalidInputError(
      `configuration: suppressions name ${waived.checkId}, which no checks.metrics or checks.functions entry declares`,
    );
  }
}

/**
 * What an execution input's `policy` may change in a hook-triggered run: only what makes the gate
 * stricter. minFitness only higher (a number where the gate has none), maxRegression only lower,
 * failOnCritical only true, allowCriticalSuppressions only false, errorsCountAsFailures only true;
 * complexityWeight not at all, because fitness is compared with baselines scored with the gate's λ.
 * Every other value is ignored, and said so.
 */
export function tightenPolicy(
  gate: GatePolicy,
  override: Partial<GatePolicy>,
): { policy: GatePolicy; ignored: string[] } {
  const stricter: { [K in keyof GatePolicy]: (value: GatePolicy[K]) => boolean } = {
    minFitness: (value) => value !== null && (gate.minFitness === null || value >= gate.minFitness),
    maxRegression: (value) => value <= gate.maxRegression,
    failOnCritical: (value) => value || !gate.failOnCritical,
    allowCriticalSuppressions: (value) => !value || gate.allowCriticalSuppressions,
    complexityWeight: (value) => value === gate.complexityWeight,
    errorsCountAsFailures: (value) => value || !gate.errorsCountAsFailures,
  };
  const policy: Record<string, unknown> = { ...gate };
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(override) as [keyof GatePolicy, never][]) {
    if (value === undefined) continue;
    if (stricter[key](value)) policy[key] = value;
    else ignored.push(`policy.${key} ${shown(value)} (the gate's ${shown(gate[key])} stays)`);
  }
  return { policy: policy as unknown as GatePolicy, ignored };
}

/** Reads FITGATE_CONFIG (JSON) from the environment; absent means defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GateConfigInput | undefined {
  const raw = env.FITGATE_CONFIG;
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidInputError('FITGATE_CONFIG is not valid JSON');
  }
  return parseGateConfig(parsed, 'FITGATE_CONFIG');
}

/** The JSON Schema of a configuration (docs/config.schema.json), for editors and CI linters. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...toJSONSchema(gateConfigSchema, { io: 'output', unrepresentable: 'any' }),
    title: 'fitgate gate configuration (FitnessGate props, --policy files, FITGATE_CONFIG)',
  };
}
