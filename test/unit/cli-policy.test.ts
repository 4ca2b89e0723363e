import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../cli/errors.ts';
import { loadPolicyFile, parsePolicy } from '../../cli/policy.ts';

function problem(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return (error as Error).message;
  }
  throw new Error('expected a CliError');
}

describe('--policy files', () => {
  it('reads a JSON or YAML gate configuration', () => {
    const config = {
      policy: { minFitness: 60 },
      checks: { disabled: ['s3-bucket-replication-enabled'] },
      maxConcurrency: 5,
    };

    expect(parsePolicy(JSON.stringify(config), 'policy.json')).toEqual(config);
    expect(
      parsePolicy(
        'policy:\n  minFitness: 60\nchecks:\n  disabled: [s3-bucket-replication-enabled]\nmaxConcurrency: 5\n',
        'policy.yaml',
      ),
    ).toEqual(config);
  });

  it("reports the gate's own validation as one line naming the file", () => {
    expect(problem(() => parsePolicy('{"policy":{"minFitness":120}}', 'p.json'))).toBe(
      '--policy p.json: policy.minFitness must be ≤ 100 (got 120)',
    );
    expect(
      problem(() =>
        parsePolicy('{"suppressions":[{"checkId":"*","logicalId":"B","reason":"because we can"}]}', 'p.json'),
      ),
    ).toBe('--policy p.json: suppressions[0].checkId must be a known check id (got "*")');
    expect(problem(() => parsePolicy('{"maxConcurrency":99}', 'p.json'))).toBe(
      '--policy p.json: maxConcurrency must be ≤ 40 (got 99)',
    );
  });

  it.each([
    ['{"policy":{"minFitness":"60"}}', 'policy.minFitness must be a number (got "60")'],
    ['{"checks":{"disabled":"abc"}}', 'checks.disabled must be a list (got "abc")'],
    [
      '{"checks":{"disabled":["no-such-check"]}}',
      'checks.disabled[0] must be a known check id (got "no-such-check")',
    ],
    [
      '{"checks":{"params":{"lambda-function-log-retention":{"minRetentionDays":"abc"}}}}',
      'checks.params.lambda-function-log-retention.minRetentionDays must be a number (got "abc")',
    ],
    ['{"checks":{"params":{"no-such-check":{}}}}', 'unknown key checks.params.no-such-check'],
    ['{"suppressions":{}}', 'suppressions must be a list (got {})'],
    ['{"suppressions":[null]}', 'suppressions[0] must be an object (got null)'],
    [
      '{"suppressions":[{"checkId":"s3-bucket-versioning-enabled","logicalId":"B","reason":"rotated weekly","expires":"2025-13-01"}]}',
      'suppressions[0].expires must be an ISO 8601 date (2025-06-30) or a date-time with a time zone (2025-06-30T17:00:00Z) (got "2025-13-01")',
    ],
  ])('refuses %s with one line naming the field', (text, message) => {
    expect(problem(() => parsePolicy(text, 'p.json'))).toBe(`--policy p.json: ${message}`);
  });

  it('refuses typos instead of ignoring them', () => {
    expect(problem(() => parsePolicy('{"polcy":{}}', 'p.json'))).toMatch(
      /^--policy p.json: unknown key polcy \(expected policy, checks, suppressions, maxConcurrency\)$/,
    );
    expect(problem(() => parsePolicy('{"policy":{"minFitnes":60}}', 'p.json'))).toMatch(
      /^--policy p.json: unknown key policy.minFitnes /,
    );
    expect(problem(() => parsePolicy('{"checks":{"disable":[]}}', 'p.json'))).toMatch(
      /^--policy p.json: unknown key checks.disable /,
    );
  });

  it('refuses what is not an object or not parseable', () => {
    expect(problem(() => parsePolicy('{ nope', 'p.json'))).toMatch(/^--policy p.json is not valid JSON: /);
    expect(problem(() => parsePolicy('a: [', 'p.yml'))).toMatch(/^--policy p.yml is not valid YAML: /);
    expect(problem(() => parsePolicy('[1]', 'p.json'))).toMatch(/^--policy p.json must hold an object/);
  });

  it('says when the file is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fitgate-policy-'));
    writeFileSync(join(dir, 'ok.json'), '{"policy":{"maxRegression":1}}');

    expect(loadPolicyFile(join(dir, 'ok.json'))).toEqual({ policy: { maxRegression: 1 } });
    expect(problem(() => loadPolicyFile(join(dir, 'missing.json')))).toBe(
      `--policy ${join(dir, 'missing.json')}: no such file`,
    );
  });
});
