/**
 * `npm run demo -- --sam` end to end: the same five releases written in SAM, expanded by AWS's SAM
 * translator, gated the same way (v1–v3 accepted, v4 and v5 rejected and rolled back), the HTML report
 * written. Without the translator it fails before starting anything, in one line naming the package.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, errorLine, runCli } from '../cli/run-cli.ts';
import { pythonWithoutSamTranslator } from '../support/sam-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'fitgate-demo-sam-'));
const report = join(dir, 'reports', 'demo-sam.html');
let demo: CliRun;

beforeAll(async () => {
  demo = await runCli(['demo', '--sam', '--out', report], { timeoutMs: 230_000 });
}, 240_000);

describe('fitgate demo --sam', () => {
  it('accepts v1–v3 as fitness rises, rejects the v4 regression and the v5 coverage drop, both rolled back', () => {
    expect(demo.code, demo.stderr).toBe(0);

    const rows = demo.stdout
      .split('\n')
      .filter((line) => /^v\d +\d/.test(line))
      .map((line) => line.split(/ {2,}/));
    expect(rows.map((row) => [row[0], row[8], row[9]])).toEqual([
      ['v1', 'Succeeded', 'traffic shifted'],
      ['v2', 'Succeeded', 'traffic shifted'],
      ['v3', 'Succeeded', 'traffic shifted'],
      ['v4', 'Failed', 'rolled back to v3'],
      ['v5', 'Failed', 'rolled back to v3'],
    ]);
    const [v1, v2, v3, v4, v5] = rows.map((row) => Number(row[1])) as [
      number,
      number,
      number,
      number,
      number,
    ];
    expect(v1).toBeLessThan(v2);
    expect(v2).toBeLessThan(v3);
    expect(v4).toBeLessThan(v3);
    // v5: the v3 service, rejected by the user-defined metric function on the coverage CI published.
    expect(v5).toBeLessThan(v3);
    expect(demo.stdout).toMatch(
      /✗ fitness regressed from [\d.]+ to [\d.]+ \(allowed drop 0\); new findings: demo\/line-coverage@fitgate-demo/,
    );
    expect(demo.stdout).toContain('fitgate demo (SAM)');
    expect(demo.stdout).toMatch(/✗ critical s3-bucket-public-read-prohibited failed on PlainBucket/);
  });

  it('writes its HTML report like the CloudFormation demo', () => {
    const html = readFileSync(report, 'utf8');

    expect(html).toContain('fitgate demo (SAM): fitness over releases');
    expect(html.match(/<circle [^>]*data-release=/g)).toHaveLength(5);
    expect(html).toContain('data-testid="check-matrix"');
  });

  it('without the SAM translator, exits 2 with one line naming aws-sam-translator, before starting moto', async () => {
    const run = await runCli(['demo', '--sam', '--out', join(dir, 'never.html')], {
      env: { FITGATE_PYTHON: pythonWithoutSamTranslator() },
    });

    expect(errorLine(run)).toMatch(/^fitgate: the SAM transform needs the Python package aws-sam-translator/);
  });
});
