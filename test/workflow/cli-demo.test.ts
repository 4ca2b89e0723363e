/**
 * `fitgate demo` end to end, as `npm run demo` runs it: its own moto and CodeDeploy stand-in, five
 * releases, fitness rising then the regression rejected, the HTML report written, everything it
 * started stopped. The report is then opened in headless Chromium (Debian's `chromium`), which must
 * lay out the chart and the matrix; without Chromium that test is skipped with a visible notice.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCli } from '../cli/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'fitgate-demo-'));
const report = join(dir, 'reports', 'demo.html');
const chromium = ['chromium', 'chromium-browser'].find(
  (name) => spawnSync(name, ['--version'], { encoding: 'utf8' }).status === 0,
);
let demo: CliRun;

interface Row {
  release: string;
  fitness: number;
  baseline: string;
  decision: string;
  codeDeploy: string;
}

function releaseRows(stdout: string): Row[] {
  return stdout
    .split('\n')
    .filter((line) => /^v\d +\d/.test(line))
    .map((line) => {
      const [release = '', fitness = '', baseline = '', , , , , , decision = '', ...rest] =
        line.split(/ {2,}/);
      return { release, fitness: Number(fitness), baseline, decision, codeDeploy: rest[0] ?? '' };
    });
}

beforeAll(async () => {
  demo = await runCli(['demo', '--out', report], { timeoutMs: 170_000 });
}, 180_000);

describe('fitgate demo', () => {
  it('accepts v1–v3 as fitness rises, rejects the v4 regression and the v5 coverage drop, both rolled back', () => {
    expect(demo.code, demo.stderr).toBe(0);

    const rows = releaseRows(demo.stdout);
    expect(rows.map((row) => [row.release, row.decision, row.codeDeploy])).toEqual([
      ['v1', 'Succeeded', 'traffic shifted'],
      ['v2', 'Succeeded', 'traffic shifted'],
      ['v3', 'Succeeded', 'traffic shifted'],
      ['v4', 'Failed', 'rolled back to v3'],
      ['v5', 'Failed', 'rolled back to v3'],
    ]);
    const [v1, v2, v3, v4, v5] = rows.map((row) => row.fitness) as [number, number, number, number, number];
    expect(v1).toBeLessThan(v2);
    expect(v2).toBeLessThan(v3);
    expect(v4).toBeLessThan(v3);
    // v5: the v3 service, rejected by the user-defined metric function on the coverage CI published.
    expect(v5).toBeLessThan(v3);
    expect(demo.stdout).toMatch(
      /✗ fitness regressed from [\d.]+ to [\d.]+ \(allowed drop 0\); new findings: demo\/line-coverage@fitgate-demo/,
    );
    expect(rows[3]?.baseline).toBe(String(v3));
    expect(rows[4]?.baseline).toBe(String(v3));
    // v5's plan is the user-defined function's own remediation.
    expect(demo.stdout).toMatch(
      /plan: fix this finding to pass \(fitness [\d.]+ against the [\d.]+ needed\): demo\/line-coverage@fitgate-demo/,
    );
    expect(demo.stdout).toContain('fitgate-demo: demo/line-coverage — Restore the tests the release deleted');
    expect(demo.stdout).toMatch(/✗ critical s3-bucket-public-read-prohibited failed on PlainBucket/);
    expect(demo.stdout).toMatch(/✗ fitness regressed from [\d.]+ to [\d.]+ \(allowed drop 0\)/);
    // The plan that would have kept v4: the critical finding first, reaching v3's fitness again.
    const plan =
      /plan: fix these (\d+) findings to pass \(fitness ([\d.]+) against the ([\d.]+) needed\): (.*)/.exec(
        demo.stdout,
      );
    expect(plan?.[4]?.split(', ')[0]).toBe('s3-bucket-public-read-prohibited@PlainBucket');
    expect(Number(plan?.[3])).toBe(v3);
    expect(Number(plan?.[2])).toBeGreaterThanOrEqual(v3);
    expect(demo.stdout).toMatch(/^ {6}\+[\d.]+ \(required\) PlainBucket: s3-bucket-public-read-prohibited/m);
    expect(demo.stdout).toContain(`HTML report: ${report}`);
  });

  it('writes a self-contained HTML report', () => {
    const html = readFileSync(report, 'utf8');

    expect(html).toContain('data-testid="fitness-chart"');
    expect(html.match(/<circle [^>]*data-release=/g)).toHaveLength(5);
    expect(html).toContain('data-testid="check-matrix"');
    expect(html).toMatch(/data-testid="restore-v4"><strong>fix these \d+ findings to pass/);
    expect(html.replace(/<script>[\s\S]*?<\/script>/g, '')).not.toMatch(/<link|src=|url\(/);
  });

  it('stops the moto server and the stand-in it started', async () => {
    const endpoints = [...demo.stdout.matchAll(/on (http:\/\/127\.0\.0\.1:\d+)/g)].map(
      (match) => match[1] ?? '',
    );

    expect(endpoints).toHaveLength(2);
    for (const endpoint of endpoints) {
      await expect(fetch(`${endpoint}/moto-api/data.json`)).rejects.toThrow();
    }
  });

  if (!chromium) {
    console.warn(
      'NOTICE: chromium is not installed; skipping the headless render test of reports/demo.html (apt-get install chromium)',
    );
  }

  it.skipIf(!chromium)('renders the chart and the matrix in headless Chromium', () => {
    expect(existsSync(report)).toBe(true);

    const rendered = spawnSync(
      chromium ?? 'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${join(dir, 'chromium-profile')}`,
        '--window-size=1200,2000',
        '--dump-dom',
        pathToFileURL(report).href,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );

    expect(rendered.status, rendered.stderr).toBe(0);
    const body = /<body([^>]*)>/.exec(rendered.stdout)?.[1] ?? '';
    const [width = 0, height = 0] = (/data-chart-rendered="(\d+)x(\d+)"/.exec(body) ?? [])
      .slice(1)
      .map(Number);
    expect(width).toBeGreaterThan(300);
    expect(height).toBeGreaterThan(100);
    expect(body).toContain('data-chart-points="5"');
    expect(Number(/data-matrix-rendered="(\d+)"/.exec(body)?.[1])).toBeGreaterThan(200);
    expect(Number(/data-matrix-cells="(\d+)"/.exec(body)?.[1])).toBeGreaterThan(100);
  });
});
