/**
 * `npm run bench:synth`: what the gate costs a user's synth. The sample service (two buckets, two
 * tables, two functions behind API Gateway, two CodeDeploy groups) is synthesized three ways:
 *
 *   service              without the gate (the baseline)
 *   gate from source     with the gate as this repository builds it: every gate Lambda bundled by
 *                        esbuild during the synth (NodejsFunction), what a user had before the package
 *   gate from package    with the gate from the packed package (npm pack, npm install): the Lambda
 *                        code pre-bundled at pack time, only staged during the synth
 *
 * Each variant runs `--runs N` times (default 3) in a fresh cloud assembly directory; the table shows
 * the median wall time, the median CPU time of the app and every process it started (esbuild
 * included), and the size of cdk.out. `--json` prints only the rows. Numbers vary with the machine's
 * load; compare rows of one run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  AWS_CDK_LIB,
  CONSTRUCTS,
  directorySize,
  installProject,
  must,
  packFitgate,
  REPO_ROOT,
  serviceApp,
} from '../scripts/consumer-apps.ts';

interface Row {
  readonly variant: string;
  readonly runs: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly cdkOutMiB: number;
}

const { values } = parseArgs({
  options: { json: { type: 'boolean' }, runs: { type: 'string' } },
});
const runs = Number(values.runs ?? 3);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`bench:synth: --runs must be a positive integer (got ${values.runs})\n`);
  process.exit(2);
}
const say = (line: string) => {
  if (!values.json) process.stderr.write(`${line}\n`);
};

const median = (numbers: readonly number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Runs `node <app>` under bash so that `times` reports the CPU of the app and all its children. */
function measure(variant: string, dir: string, app: string): Row {
  const walls: number[] = [];
  const cpus: number[] = [];
  let size = 0;
  for (let index = 0; index < runs; index += 1) {
    const outdir = path.join(dir, `cdk.out-${variant.replaceAll(' ', '-')}-${index}`);
    rmSync(outdir, { recursive: true, force: true });
    const timed = must('bash', ['-c', `node ${JSON.stringify(app)} && times`], dir, { CDK_OUTDIR: outdir });
    // `times`: the shell's user and system time, then its children's.
    const children = timed.stdout.trim().split('\n').at(-1) ?? '';
    const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map(([, m, s]) => Number(m) * 60 + Number(s));
    walls.push(timed.ms / 1000);
    cpus.push(seconds.reduce((total, value) => total + value, 0));
    size = directorySize(outdir);
    rmSync(outdir, { recursive: true, force: true });
  }
  const row = {
    variant,
    runs,
    wallSeconds: Number(median(walls).toFixed(1)),
    cpuSeconds: Number(median(cpus).toFixed(1)),
    cdkOutMiB: Number((size / 1024 / 1024).toFixed(1)),
  };
  say(`  ${variant}: ${row.wallSeconds} s wall, ${row.cpuSeconds} s CPU, cdk.out ${row.cdkOutMiB} MiB`);
  return row;
}

const work = mkdtempSync(path.join(tmpdir(), 'fitgate-bench-synth-'));
// The source variant must resolve aws-cdk-lib and the gate from this repository.
const local = path.join(REPO_ROOT, 'bench', '.synth');
try {
  say('packing fitgate (npm pack: tsc, then esbuild of every handler) ...');
  const tarball = packFitgate(work);
  const consumer = path.join(work, 'app');
  say('installing it in a fresh app ...');
  const installed = installProject(consumer, tarball, { 'aws-cdk-lib': AWS_CDK_LIB, constructs: CONSTRUCTS });
  if (installed.status !== 0) throw new Error(`npm install failed: ${installed.stderr}`);
  writeFileSync(path.join(consumer, 'service.mjs'), serviceApp({ module: 'esm', gate: false }));
  writeFileSync(path.join(consumer, 'gated.mjs'), serviceApp({ module: 'esm', gate: true }));
  mkdirSync(local, { recursive: true });
  writeFileSync(
    path.join(local, 'gated-from-source.mjs'),
    serviceApp({ module: 'esm', gate: true, gateFrom: '../../infra/lib/index.ts' }),
  );

  say(`synthesizing, ${runs} run(s) per variant ...`);
  const rows = [
    measure('service', consumer, 'service.mjs'),
    measure('gate from source', local, 'gated-from-source.mjs'),
    measure('gate from package', consumer, 'gated.mjs'),
  ];
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    const header = ['variant', 'runs', 'wall s', 'CPU s', 'cdk.out MiB'];
    const lines = rows.map((row) => [
      row.variant,
      String(row.runs),
      row.wallSeconds.toFixed(1),
      row.cpuSeconds.toFixed(1),
      row.cdkOutMiB.toFixed(1),
    ]);
    const widths = header.map((title, column) =>
      Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)),
    );
    for (const line of [header, ...lines]) {
      process.stdout.write(
        `${line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')}\n`,
      );
    }
  }
} catch (error) {
  process.stderr.write(`bench:synth: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(local, { recursive: true, force: true });
}
