/** Command-line parsing on node:util parseArgs, with every mistake turned into one usage line. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends Options> {
  readonly command: string;
  readonly usage: string;
  readonly options: O;
}

/** Parses a command's flags strictly (no positionals); a mistake is a UsageError with the usage. */
export function parseCommand<O extends Options>(spec: CommandSpec<O>, argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: spec.options, strict: true, allowPositionals: false })
      .values;
  } catch (error) {
    const message =
      error instanceof Error ? error.message.replace(/\.\s*To specify a positional.*$/s, '') : String(error);
    throw new UsageError(`${message.replace(/\.$/, '')}; ${usageHint(spec.command)}`);
  }
}

/** The pointer every usage error ends with. */
export function usageHint(command: string): string {
  return `see 'fitgate ${command} --help'`;
}

export function oneOf<T extends string>(
  command: string,
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw new UsageError(
      `--${flag} must be one of ${allowed.join(', ')} (got ${value}); ${usageHint(command)}`,
    );
  }
  return value as T;
}

export function positiveInteger(
  command: string,
  flag: string,
  value: string | undefined,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`--${flag} must be a positive integer (got ${value}); ${usageHint(command)}`);
  }
  return Number(value);
}
