/**
 * docs/ci.md runs as written: the commands between its `ci:commands` markers, one by one, from the
 * project root against the sample assembly. `npx fitgate` runs this checkout's bin (the installed
 * package's command) and `npx cdk` the project's CDK CLI, so nothing is fetched from a registry.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8');

/** The shell commands of the fenced block between the markers. */
function documentedCommands(doc: string): string[] {
  const block = /<!-- ci:commands:start -->\s*```sh\n([\s\S]*?)```\s*<!-- ci:commands:end -->/.exec(doc)?.[1];
  if (!block) throw new Error('docs/ci.md has no ci:commands block');
  return block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

const LOCAL = {
  fitgate: [process.execPath, join(ROOT, 'cli/bin/fitgate.ts')],
  cdk: [process.execPath, join(ROOT, 'node_modules/aws-cdk/bin/cdk')],
} as const;

function run(command: string) {
  const [npx, tool, ...args] = command.split(/\s+/);
  if (npx !== 'npx' || (tool !== 'fitgate' && tool !== 'cdk'))
    throw new Error(`not an npx fitgate/cdk command: ${command}`);
  const [bin, ...prefix] = LOCAL[tool];
  return spawnSync(bin as string, [...prefix, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
}

describe('docs/ci.md', () => {
  const commands = documentedCommands(DOC);

  it('documents synth, then predict in sarif, markdown and junit', () => {
    expect(commands[0]).toBe('npx cdk synth --quiet');
    expect(commands.slice(1).map((c) => /--format (\w+)/.exec(c)?.[1])).toEqual([
      'sarif',
      'markdown',
      'junit',
    ]);
    const pipelines = [/```yaml\nname: fitgate[\s\S]*?```/, /```yaml\nversion: 0\.2[\s\S]*?```/].map(
      (pattern) => pattern.exec(DOC)?.[0] ?? '',
    );
    for (const pipeline of pipelines) {
      expect(pipeline).toContain(commands[0]);
      expect(pipeline).toContain(commands[1]);
    }
    for (const command of commands)
      expect(
        pipelines.some((p) => p.includes(command)),
        command,
      ).toBe(true);
  });

  it('runs every documented command against the sample assembly', () => {
    for (const command of commands) {
      const result = run(command);
      expect(result.status, `${command}\n${result.stderr.slice(-1500)}`).toBe(0);
    }
    const sarif = JSON.parse(readFileSync(join(ROOT, 'reports/fitgate.sarif'), 'utf8')) as {
      version: string;
      runs: unknown[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    expect(readFileSync(join(ROOT, 'reports/fitgate.md'), 'utf8')).toMatch(
      /^## fitgate predict: the release would pass/,
    );
    expect(readFileSync(join(ROOT, 'reports/fitgate.xml'), 'utf8')).toMatch(
      /<testsuites name="fitgate FitgateSample" tests="\d+" failures="0"/,
    );
  }, 600_000);
});
