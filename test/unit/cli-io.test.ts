import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../cli/errors.ts';
import { ensureWritable, writeResultFile } from '../../cli/io.ts';
import { runCli } from '../cli/run-cli.ts';

describe('result files', () => {
  it('creates missing folders and leaves no file behind when only checking', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fitgate-io-'));
    const path = join(dir, 'a', 'b', 'report.json');

    await ensureWritable(path);
    expect(existsSync(join(dir, 'a', 'b'))).toBe(true);
    expect(existsSync(path)).toBe(false);
    await writeResultFile(path, '{}');
    expect(readFileSync(path, 'utf8')).toBe('{}');
  });

  it.each([
    [
      'below a file',
      (dir: string) => join(dir, 'file.txt', 'report.json'),
      /a part of the path is a file, not a directory \(ENOTDIR\)$/,
    ],
    ['a directory', (dir: string) => dir, /it is a directory \(EISDIR\)$/],
    // mkdir({ recursive: true }) spins forever on this path; the check must end at once.
    [
      'below /proc',
      () => '/proc/fitgate-no-such/x/report.json',
      /^cannot write \/proc\/fitgate-no-such\/x\/report.json: /,
    ],
  ])('fails at once, in words, for a path %s', async (_where, pathOf, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'fitgate-io-'));
    writeFileSync(join(dir, 'file.txt'), 'x');

    const started = Date.now();
    const failure = await ensureWritable(pathOf(dir)).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(CliError);
    expect((failure as Error).message).toMatch(message);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('makes `fitgate audit --out` to an unwritable path exit 2 at once, before any AWS call', {
    timeout: 30_000,
  }, async () => {
    const run = await runCli(
      ['audit', '--stack', 'svc', '--local', '--out', '/proc/fitgate-no-such/report.json'],
      {
        env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
        timeoutMs: 8000,
      },
    );

    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^fitgate: cannot write \/proc\/fitgate-no-such\/report.json: /),
    ]);
  });
});
