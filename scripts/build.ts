/**
 * `npm run build` (run by `npm pack` through prepack): the installable package, in dist/.
 *
 * 1. tsc -p tsconfig.build.json: ESM JavaScript and .d.ts of the construct, the Lambda code and the
 *    CLI, with the repository's `.ts` import specifiers rewritten to `.js`.
 * 2. The JSON files the code reads at run time (the state machine definition), copied beside it.
 * 3. esbuild, once: every Lambda handler (`functions/<dir>/handler.ts`) into
 *    `dist/assets/<dir>/index.mjs` with the options FitgateFunction uses when it bundles from source,
 *    so an app that installs the package synthesizes without esbuild or Docker.
 *
 * Prints one line per step and the size of each asset; exits non-zero on the first failure.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, globSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { LAMBDA_BUNDLE } from '../infra/lib/fitgate-function.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const COMPILED_DIRS = ['infra/lib', 'functions', 'statemachine', 'cli'];

function step(label: string, started: number): void {
  process.stdout.write(`build: ${label} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}

function compile(): void {
  const started = performance.now();
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${run.status})`);
  step('compiled TypeScript to dist/', started);
}

function copyRuntimeFiles(): void {
  const started = performance.now();
  const files = COMPILED_DIRS.flatMap((dir) => globSync(`${dir}/**/*.json`, { cwd: ROOT }));
  for (const file of files) cpSync(path.join(ROOT, file), path.join(DIST, file));
  step(`copied ${files.length} JSON file(s) read at run time`, started);
}

async function bundleHandlers(): Promise<void> {
  const started = performance.now();
  const entries = globSync('functions/**/handler.ts', { cwd: ROOT }).sort();
  if (entries.length === 0) throw new Error('no Lambda handlers found under functions/');
  // One esbuild run, one self-contained bundle per entry (no code splitting between functions).
  await build({
    entryPoints: entries.map((entry) => path.join(ROOT, entry)),
    outbase: path.join(ROOT, 'functions'),
    outdir: path.join(DIST, 'assets'),
    entryNames: '[dir]/index',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: LAMBDA_BUNDLE.format,
    platform: LAMBDA_BUNDLE.platform,
    target: LAMBDA_BUNDLE.target,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    banner: { js: LAMBDA_BUNDLE.banner },
    keepNames: LAMBDA_BUNDLE.keepNames,
    minify: LAMBDA_BUNDLE.minify,
    sourcemap: LAMBDA_BUNDLE.sourceMap,
    sourcesContent: LAMBDA_BUNDLE.sourcesContent,
    logLevel: 'warning',
  });
  for (const entry of entries) {
    const dir = path.relative(path.join(ROOT, 'functions'), path.dirname(path.join(ROOT, entry)));
    const size = statSync(path.join(DIST, 'assets', dir, 'index.mjs')).size;
    process.stdout.write(`  assets/${dir}/index.mjs ${(size / 1024).toFixed(0)} KiB\n`);
  }
  step(`bundled ${entries.length} Lambda handlers into dist/assets/`, started);
}

try {
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });
  compile();
  copyRuntimeFiles();
  await bundleHandlers();
} catch (error) {
  process.stderr.write(`build: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
