/**
 * Reads check parameters. Defaults come typed from the registry, but a gate configuration may give
 * any parameter as text (Config-style CSV lists, numbers as strings), so rules read them through
 * these functions rather than trusting the shape.
 */
import { InvalidInputError } from '../../shared/errors.ts';
import type { ParamValue } from '../types.ts';

/** A list parameter: an array, or comma-separated text; blanks are dropped, absent means empty. */
export function listParam(value: ParamValue | undefined): string[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : String(value).split(',');
  return items.map((item) => String(item).trim()).filter((item) => item !== '');
}

/** A numeric parameter, or undefined when it is not configured (absent or blank). */
export function numberParam(value: ParamValue | undefined, name: string): number | undefined {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) {
    throw new InvalidInputError(`parameter ${name} must be a number, got ${JSON.stringify(value)}`);
  }
  return number;
}

/**
 * A boolean parameter: true/false, or their text in any case — AWS Config writes "True"/"False"
 * (its rule parameters are strings); absent or blank gives the fallback.
 */
export function booleanParam(value: ParamValue | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return fallback;
  if (value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true')) return true;
  if (value === false || (typeof value === 'string' && value.trim().toLowerCase() === 'false')) return false;
  throw new InvalidInputError(`parameter ${name} must be true or false, got ${JSON.stringify(value)}`);
}

/** A text parameter, or undefined when it is not configured. */
export function textParam(value: ParamValue | undefined): string | undefined {
  if (value === undefined || Array.isArray(value)) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}
