/** Template parameter values from a file, for `predict --template` and `checks --coverage`. */
import { readFileSync } from 'node:fs';
import { CliError } from './errors.ts';

/** `--parameters FILE` in the shapes people keep them in. */
export function readParametersFile(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code ? `cannot read --parameters ${path} (${code})` : `--parameters ${path} is not JSON`,
    );
  }
  const entries: [string, unknown][] = Array.isArray(parsed)
    ? parsed.map((item) => [String(item?.ParameterKey ?? ''), item?.ParameterValue])
    : typeof parsed === 'object' && parsed !== null
      ? Object.entries(
          'Parameters' in parsed && typeof parsed.Parameters === 'object' && parsed.Parameters !== null
            ? parsed.Parameters
            : parsed,
        )
      : [];
  if (entries.length === 0 && !(typeof parsed === 'object' && parsed !== null)) {
    throw new CliError(
      `--parameters ${path} must be an object of name → value, or a list of ParameterKey/ParameterValue`,
    );
  }
  const values: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (!name || value === undefined || value === null || typeof value === 'object') {
      throw new CliError(`--parameters ${path}: every parameter needs a name and a scalar value`);
    }
    values[name] = String(value);
  }
  return values;
}
