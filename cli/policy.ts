/**
 * `--policy FILE`: the gate's configuration as users write it (JSON or YAML): `policy`, `checks`,
 * `suppressions`, `maxConcurrency`. Validated by the gate's own schema (functions/shared/config.ts,
 * docs/config.schema.json): types, ranges, known check ids and parameters, unknown keys refused, so
 * a typo is an error and never a silently ignored setting.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { type GateConfigInput, parseGateConfig, resolveConfig } from '../functions/shared/config.ts';
import { errorMessage } from '../functions/shared/errors.ts';
import { CliError } from './errors.ts';

/** Parses and validates a configuration document; errors name the file and the one problem. */
export function parsePolicy(text: string, source: string): GateConfigInput {
  const yaml = /\.ya?ml$/i.test(source);
  let parsed: unknown;
  try {
    parsed = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `--policy ${source} is not valid ${yaml ? 'YAML' : 'JSON'}: ${errorMessage(error).split('\n')[0]}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(
      `--policy ${source} must hold an object with policy, checks, suppressions, maxConcurrency`,
    );
  }
  let config: GateConfigInput;
  try {
    config = parseGateConfig(parsed, `--policy ${source}`);
  } catch (error) {
    throw new CliError(errorMessage(error), { cause: error });
  }
  try {
    // What only the whole configuration can say: user-defined ids declared once, waivers of declared ones.
    resolveConfig(config);
  } catch (error) {
    throw new CliError(errorMessage(error).replace(/^configuration:/, `--policy ${source}:`), {
      cause: error,
    });
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
        : code === 'EISDIR'
          ? `--policy ${path} is a directory, not a file`
          : `--policy ${path} cannot be read (${code ?? errorMessage(error)})`,
    );
  }
  return parsePolicy(text, path);
}
