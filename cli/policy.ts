/**
 * `--policy FILE`: the gate's configuration as users write it (JSON or YAML): `policy`, `checks`,
 * `suppressions`, `maxConcurrency`. Validated with the gate's own rules, plus unknown keys, so a
 * typo is an error and never a silently ignored setting.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_POLICY, type GateConfigInput, resolveConfig } from '../functions/shared/config.ts';
import { errorMessage } from '../functions/shared/errors.ts';
import { CliError } from './errors.ts';

const TOP_LEVEL_KEYS = ['policy', 'checks', 'suppressions', 'maxConcurrency'];
const POLICY_KEYS = Object.keys(DEFAULT_POLICY);
const CHECKS_KEYS = ['disabled', 'params'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKeys(value: Record<string, unknown>, known: readonly string[]): string[] {
  return Object.keys(value).filter((key) => !known.includes(key));
}

/** Parses and validates a configuration document; errors name the file and the one problem. */
export function parsePolicy(text: string, source: string): GateConfigInput {
  let parsed: unknown;
  try {
    parsed = /\.ya?ml$/i.test(source) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `--policy ${source} is not valid ${/\.ya?ml$/i.test(source) ? 'YAML' : 'JSON'}: ${errorMessage(error)}`,
    );
  }
  if (!isRecord(parsed))
    throw new CliError(`--policy ${source} must hold an object with ${TOP_LEVEL_KEYS.join(', ')}`);
  const problems = [
    ...unknownKeys(parsed, TOP_LEVEL_KEYS).map(
      (key) => `unknown key ${key} (expected ${TOP_LEVEL_KEYS.join(', ')})`,
    ),
    ...(isRecord(parsed.policy)
      ? unknownKeys(parsed.policy, POLICY_KEYS).map(
          (key) => `unknown key policy.${key} (expected ${POLICY_KEYS.join(', ')})`,
        )
      : parsed.policy === undefined
        ? []
        : ['policy must be an object']),
    ...(isRecord(parsed.checks)
      ? unknownKeys(parsed.checks, CHECKS_KEYS).map(
          (key) => `unknown key checks.${key} (expected ${CHECKS_KEYS.join(', ')})`,
        )
      : parsed.checks === undefined
        ? []
        : ['checks must be an object']),
  ];
  if (problems[0]) throw new CliError(`--policy ${source}: ${problems[0]}`);
  const config = parsed as GateConfigInput;
  try {
    resolveConfig(config);
  } catch (error) {
    throw new CliError(`--policy ${source}: ${errorMessage(error)}`, { cause: error });
  }
  return config;
}

export function loadPolicyFile(path: string): GateConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliError(
      code === 'ENOENT'
        ? `--policy ${path}: no such file`
        : `--policy ${path} cannot be read (${code ?? errorMessage(error)})`,
    );
  }
  return parsePolicy(text, path);
}
