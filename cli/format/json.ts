import type { Report } from '../../statemachine/state.ts';
/**
 * JSON output: the report exactly as the state machine returns it (docs/state-contracts.md, "The report"), so
 * `fitgate audit --format json` and the execution output can be read by the same code.
 */

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function reportJson(report: Report | readonly Report[]): string {
  return toJson(report);
}
