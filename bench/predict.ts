/**
 * `npm run bench:predict`: wall time of `fitgate predict` on the sample assembly, as a user runs it
 * (the real bin in a child process: embedded moto started and stopped, assets staged, the stack
 * deployed, the workflow run), after one `cdk synth` that is not timed. Target: under 30 s on the
 * project's 2-core machine. Prints each run and the median; `--runs N` (default 3).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Math.max(1, Number.parseInt(String(values.runs), 10) || 3);
const assembly = join(mkdtempSync(join(tmpdir(), 'fitgate-bench-predict-')), 'cdk.out');

const synth = spawnSync(
  process.execPath,
  [join(ROOT, 'node_modules/aws-cdk/bin/cdk'), 'synth', '--quiet', '-o', assembly],
  {
    cwd: ROOT,
    encoding: 'utf8',
  },
);
if (synth.status !== 0) {
  process.stderr.write(`cdk synth failed: ${synth.stderr.slice(-1000)}\n`);
  process.exit(2);
}

const times: number[] = [];
for (let run = 1; run <= runs; run++) {
  const started = performance.now();
  const predict = spawnSync(
    process.execPath,
    [
      join(ROOT, 'cli/bin/fitgate.ts'),
      'predict',
      '--cdk-out',
      assembly,
      '--format',
      'json',
      '--out',
      join(assembly, 'predict.json'),
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  const seconds = (performance.now() - started) / 1000;
  if (predict.status !== 0 && predict.status !== 1) {
    process.stderr.write(`fitgate predict failed (exit ${predict.status}): ${predict.stderr}\n`);
    process.exit(2);
  }
  times.push(seconds);
  process.stdout.write(`run ${run}: ${seconds.toFixed(1)} s  ${predict.stderr.split('\n')[0]}\n`);
}
const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
process.stdout.write(
  `fitgate predict on the sample assembly: median ${median.toFixed(1)} s over ${runs} runs (target < 30 s, emulator start included)\n`,
);
