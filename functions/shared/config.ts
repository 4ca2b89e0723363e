/**
 * The gate's configuration: scoring policy, per-check settings and waivers. The FitnessGate
 * construct serialises it into FITGATE_CONFIG for ListResources, which resolves it once per
 * execution (defaults ⊕ gate configuration ⊕ the execution input's `policy`) and hands it on in the
 * state, so every later state sees the same, visible configuration.
 */
import type { CheckParams } from '../checks/types.ts';
import { InvalidInputError } from './errors.ts';

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

/** A waiver: one check on one logical id, with a mandatory reason; never a wildcard. */
export interface Suppression {
  readonly checkId: string;
  readonly logicalId: string;
  readonly reason: string;
  readonly owner?: string;
  /** ISO date; the waiver stops applying after it. */
  readonly expires?: string;
  /** Where it came from: gate configuration, template metadata, cdk-nag acknowledgement or tag. */
  readonly source?: 'config' | 'metadata' | 'cdk-nag' | 'tag';
}

export interface CheckSettingsConfig {
  readonly disabled: readonly string[];
  readonly params: Readonly<Record<string, CheckParams>>;
}

export interface GateConfig {
  readonly policy: GatePolicy;
  readonly checks: CheckSettingsConfig;
  readonly suppressions: readonly Suppression[];
  /** Map state MaxConcurrency (inline Map: at most 40). */
  readonly maxConcurrency: number;
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

/** A partial configuration as users write it (construct props, --policy file, execution input). */
export interface GateConfigInput {
  readonly policy?: Partial<GatePolicy>;
  readonly checks?: Partial<CheckSettingsConfig>;
  readonly suppressions?: readonly Suppression[];
  readonly maxConcurrency?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validatePolicy(policy: GatePolicy): void {
  const { minFitness, maxRegression, complexityWeight } = policy;
  if (minFitness !== null && !(minFitness >= 0 && minFitness <= 100))
    throw new InvalidInputError(`policy.minFitness must be 0–100, got ${minFitness}`);
  if (!(maxRegression >= 0))
    throw new InvalidInputError(`policy.maxRegression must be ≥ 0, got ${maxRegression}`);
  if (!(complexityWeight >= 0))
    throw new InvalidInputError(`policy.complexityWeight must be ≥ 0, got ${complexityWeight}`);
  for (const flag of ['failOnCritical', 'allowCriticalSuppressions', 'errorsCountAsFailures'] as const) {
    if (typeof policy[flag] !== 'boolean')
      throw new InvalidInputError(`policy.${flag} must be true or false`);
  }
}

function validateSuppression(value: unknown, index: number): Suppression {
  if (!isRecord(value)) throw new InvalidInputError(`suppressions[${index}] must be an object`);
  const { checkId, logicalId, reason, expires } = value;
  if (typeof checkId !== 'string' || checkId === '' || checkId.includes('*')) {
    throw new InvalidInputError(`suppressions[${index}].checkId must name one check (no wildcards)`);
  }
  if (typeof logicalId !== 'string' || logicalId === '' || logicalId.includes('*')) {
    throw new InvalidInputError(`suppressions[${index}].logicalId must name one resource (no wildcards)`);
  }
  if (typeof reason !== 'string' || reason.trim().length < 10) {
    throw new InvalidInputError(
      `suppressions[${index}] (${checkId} on ${logicalId}) needs a reason of at least 10 characters`,
    );
  }
  if (expires !== undefined && (typeof expires !== 'string' || Number.isNaN(Date.parse(expires)))) {
    throw new InvalidInputError(`suppressions[${index}].expires must be an ISO date`);
  }
  return value as unknown as Suppression;
}

/** Layers partial configurations over the defaults, validating the result. */
export function resolveConfig(...layers: readonly (GateConfigInput | undefined)[]): GateConfig {
  let config: GateConfig = DEFAULT_CONFIG;
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (typeof layer !== 'object' || layer === null || Array.isArray(layer)) {
      throw new InvalidInputError('configuration must be a JSON object');
    }
    config = {
      policy: { ...config.policy, ...layer.policy },
      checks: {
        disabled: [...config.checks.disabled, ...(layer.checks?.disabled ?? [])],
        params: { ...config.checks.params, ...layer.checks?.params },
      },
      suppressions: [...config.suppressions, ...(layer.suppressions ?? [])],
      maxConcurrency: layer.maxConcurrency ?? config.maxConcurrency,
    };
  }
  validatePolicy(config.policy);
  config.suppressions.forEach(validateSuppression);
  if (
    !Number.isInteger(config.maxConcurrency) ||
    config.maxConcurrency < 1 ||
    config.maxConcurrency > MAX_INLINE_MAP_CONCURRENCY
  ) {
    throw new InvalidInputError(
      `maxConcurrency must be an integer 1–${MAX_INLINE_MAP_CONCURRENCY}, got ${config.maxConcurrency}`,
    );
  }
  return config;
}

/** Reads FITGATE_CONFIG (JSON) from the environment; absent means defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GateConfigInput | undefined {
  const raw = env.FITGATE_CONFIG;
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as GateConfigInput;
  } catch {
    throw new InvalidInputError('FITGATE_CONFIG is not valid JSON');
  }
}
