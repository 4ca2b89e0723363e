import { describe, expect, it } from 'vitest';
import {
  adhocExecutionName,
  consoleLink,
  describeFailure,
  parseAuditArgs,
} from '../../cli/commands/audit.ts';
import { parseChecksArgs } from '../../cli/commands/checks.ts';
import { parseDemoArgs } from '../../cli/commands/demo.ts';
import { parseHistoryArgs } from '../../cli/commands/history.ts';
import { UsageError } from '../../cli/errors.ts';

function usageError(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('fitgate audit arguments', () => {
  it('defaults to a cloud run with the table format', () => {
    expect(parseAuditArgs(['--stack', 'svc'])).toEqual({ stack: 'svc', local: false, format: 'table' });
  });

  it('takes every option of a local run', () => {
    expect(
      parseAuditArgs([
        '--stack',
        'svc',
        '--local',
        '--format',
        'junit',
        '--out',
        'r.xml',
        '--policy',
        'p.json',
        '--concurrency',
        '8',
        '--table',
        'h',
        '--region',
        'eu-west-1',
        '--progress',
      ]),
    ).toEqual({
      stack: 'svc',
      local: true,
      format: 'junit',
      out: 'r.xml',
      policyFile: 'p.json',
      concurrency: 8,
      table: 'h',
      region: 'eu-west-1',
      progress: true,
    });
  });

  it('refuses bad input with one usage line', () => {
    expect(usageError(() => parseAuditArgs([]))).toBe("--stack is required; see 'fitgate audit --help'");
    expect(usageError(() => parseAuditArgs(['--stack', 'svc', '--bogus']))).toBe(
      "Unknown option '--bogus'; see 'fitgate audit --help'",
    );
    expect(usageError(() => parseAuditArgs(['--stack']))).toMatch(
      /^Option '--stack <value>' argument missing; see/,
    );
    expect(usageError(() => parseAuditArgs(['--stack', 'svc', 'extra']))).toMatch(
      /^Unexpected argument 'extra'/,
    );
    expect(usageError(() => parseAuditArgs(['--stack', 'svc', '--format', 'xml']))).toBe(
      "--format must be one of table, json, junit, html, sarif, markdown (got xml); see 'fitgate audit --help'",
    );
    expect(usageError(() => parseAuditArgs(['--stack', 'svc', '--local', '--concurrency', 'many']))).toMatch(
      /^--concurrency must be a positive integer \(got many\)/,
    );
    expect(usageError(() => parseAuditArgs(['--stack', 'svc', '--local', '--concurrency', '41']))).toMatch(
      /^--concurrency must be 1–40/,
    );
  });

  it('refuses options that do not apply to the mode', () => {
    expect(usageError(() => parseAuditArgs(['--stack', 'svc', '--concurrency', '4']))).toMatch(
      /^--concurrency applies to --local runs/,
    );
    expect(usageError(() => parseAuditArgs(['--stack', 'svc', '--table', 'h']))).toMatch(
      /^--table applies to --local runs/,
    );
    expect(
      usageError(() => parseAuditArgs(['--stack', 'svc', '--local', '--state-machine-arn', 'arn'])),
    ).toMatch(/^--state-machine-arn applies to cloud runs/);
  });

  it('answers --help', () => {
    expect(parseAuditArgs(['--help'])).toBe('help');
    expect(parseAuditArgs(['-h'])).toBe('help');
  });
});

describe('fitgate checks, history and demo arguments', () => {
  it('parses the checks formats and the README option', () => {
    expect(parseChecksArgs([])).toEqual({ format: 'table' });
    expect(parseChecksArgs(['--format', 'markdown', '--readme', 'README.md'])).toEqual({
      format: 'markdown',
      readme: 'README.md',
    });
    expect(usageError(() => parseChecksArgs(['--format', 'csv']))).toMatch(
      /^--format must be one of table, json, markdown/,
    );
  });

  it('parses history with a default limit', () => {
    expect(parseHistoryArgs(['--stack', 'svc'])).toEqual({ stack: 'svc', limit: 20, format: 'table' });
    expect(parseHistoryArgs(['--stack', 'svc', '--table', 't', '--limit', '5', '--format', 'json'])).toEqual({
      stack: 'svc',
      table: 't',
      limit: 5,
      format: 'json',
    });
    expect(usageError(() => parseHistoryArgs([]))).toBe("--stack is required; see 'fitgate history --help'");
    expect(usageError(() => parseHistoryArgs(['--stack', 'svc', '--limit', '0']))).toMatch(
      /^--limit must be a positive integer/,
    );
  });

  it('parses demo with the report under reports/', () => {
    expect(parseDemoArgs([])).toEqual({ out: 'reports/demo.html' });
    expect(parseDemoArgs(['--out', 'x.html', '--progress'])).toEqual({ out: 'x.html', progress: true });
    expect(parseDemoArgs(['--sam'])).toEqual({ out: 'reports/demo-sam.html', sam: true });
  });
});

describe('cloud run helpers', () => {
  it('links to the execution in the console of its region', () => {
    const arn = 'arn:aws:states:eu-west-1:123456789012:execution:gate:adhoc-1';

    expect(consoleLink(arn)).toBe(
      `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${arn}`,
    );
  });

  it('names executions within Step Functions limits', () => {
    const name = adhocExecutionName(`my.stack/${'x'.repeat(100)}`, new Date('2026-01-02T03:04:05.678Z'));

    expect(name).toMatch(/^adhoc-my-stack-x+-20260102T030405Z-[0-9a-f]{6}$/);
    expect(name.length).toBeLessThanOrEqual(80);
  });

  it('reads a caught failure whose cause is text or Lambda JSON', () => {
    expect(describeFailure({ Error: 'StackNotFoundError', Cause: 'stack nope does not exist' })).toBe(
      'StackNotFoundError: stack nope does not exist',
    );
    expect(
      describeFailure({
        Error: 'StackNotFoundError',
        Cause: '{"errorType":"StackNotFoundError","errorMessage":"stack nope does not exist"}',
      }),
    ).toBe('StackNotFoundError: stack nope does not exist');
    expect(describeFailure(undefined)).toBe('no details');
  });
});
