/**
 * A test that is a user: it packs fitgate, creates fresh CDK apps in a temporary directory —
 * TypeScript compiled by tsc (CommonJS and ESM settings), TypeScript run by tsx, and plain
 * JavaScript (ESM and CommonJS) on the oldest aws-cdk-lib fitgate supports — installs the tarball,
 * synthesizes, and reads what a deployment would get: the hooks, the state machine, the grants,
 * and Lambda code that is the package's pre-bundled assets (no esbuild, no Docker at synth).
 * A too-old aws-cdk-lib is refused at install, and, forced in, at synth with one clear line.
 */
import { createHash } from 'node:crypto';
import { existsSync, globSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_AWS_CDK_LIB } from '../../infra/lib/cdk-compat.ts';
import {
  AWS_CDK_LIB,
  CONSTRUCTS,
  installProject,
  must,
  packFitgate,
  REPO_ROOT,
  run,
  serviceApp,
  TSX,
  TYPES_NODE,
} from '../../scripts/consumer-apps.ts';

const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const CDK = path.join(REPO_ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
/** The release before the oldest supported: its Validations.acknowledge refuses cdk-nag's rule ids. */
const TOO_OLD_AWS_CDK_LIB = '2.269.0';

let work: string;
let tarball: string;
/** Pre-bundled handlers in the installed package, by the sha-256 of their index.mjs. */
let shippedAssets: Set<string>;

type Resource = {
  Type: string;
  Properties?: Record<string, unknown>;
  UpdatePolicy?: Record<string, unknown>;
};
interface SynthTemplate {
  readonly Resources: Record<string, Resource>;
  readonly Outputs?: Record<string, unknown>;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function tsconfig(module: 'commonjs' | 'nodenext'): string {
  // The shapes `cdk init app --language typescript` has generated: CommonJS (older) and NodeNext.
  const compilerOptions =
    module === 'commonjs'
      ? { target: 'ES2020', module: 'commonjs', lib: ['es2020'] }
      : { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['es2022'] };
  return JSON.stringify({
    compilerOptions: {
      ...compilerOptions,
      strict: true,
      declaration: true,
      skipLibCheck: true,
      outDir: 'dist',
      rootDir: '.',
      typeRoots: ['./node_modules/@types'],
    },
    include: ['app.ts'],
  });
}

/** Synthesizes an app by running it (CDK_OUTDIR is what the CDK CLI hands an app), and reads the template. */
function synth(
  dir: string,
  command: readonly string[],
): { template: SynthTemplate; output: string; outdir: string } {
  const outdir = path.join(dir, `cdk.out-${path.basename(command.at(-1) ?? 'app')}`);
  const [bin = 'node', ...args] = command;
  const synthesized = must(bin, args, dir, { CDK_OUTDIR: outdir });
  const template = JSON.parse(
    readFileSync(path.join(outdir, 'ConsumerService.template.json'), 'utf8'),
  ) as SynthTemplate;
  return { template, output: synthesized.stdout + synthesized.stderr, outdir };
}

function ofType(template: SynthTemplate, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** What every synthesized app must hold: the gate, wired to both groups, on pre-bundled code. */
function expectGatedService(synthesized: { template: SynthTemplate; output: string; outdir: string }): void {
  const { template, output, outdir } = synthesized;
  const functions = ofType(template, 'AWS::Lambda::Function');
  const hooks = functions.filter(([, fn]) =>
    String(fn.Properties?.FunctionName ?? '').startsWith('CodeDeployHook_'),
  );
  expect(hooks.map(([, fn]) => String(fn.Properties?.FunctionName)).sort()).toEqual([
    expect.stringMatching(/^CodeDeployHook_fitgate-ConsumerService-[0-9a-f]{8}-PostTraffic$/),
    expect.stringMatching(/^CodeDeployHook_fitgate-ConsumerService-[0-9a-f]{8}-PreTraffic$/),
  ]);
  expect(ofType(template, 'AWS::StepFunctions::StateMachine')).toHaveLength(1);
  // Both aliases call the two hooks during their traffic shift.
  const hookRefs = hooks.map(([id]) => ({ Ref: id }));
  const aliases = ofType(template, 'AWS::Lambda::Alias');
  expect(aliases).toHaveLength(2);
  for (const [, alias] of aliases) {
    const update = (alias.UpdatePolicy?.CodeDeployLambdaAliasUpdate ?? {}) as Record<string, unknown>;
    expect(hookRefs).toContainEqual(update.BeforeAllowTrafficHook);
    expect(hookRefs).toContainEqual(update.AfterAllowTrafficHook);
  }
  // The state machine may report the verdict; the auditor may start and follow an audit.
  const policies = JSON.stringify(ofType(template, 'AWS::IAM::Policy'));
  for (const action of [
    'codedeploy:PutLifecycleEventHookExecutionStatus',
    'states:StartExecution',
    'states:DescribeExecution',
    'states:GetExecutionHistory',
  ]) {
    expect(policies).toContain(action);
  }
  expect(Object.keys(template.Outputs ?? {})).toEqual(
    expect.arrayContaining(['FitnessStateMachineArn', 'FitnessHistoryTable']),
  );
  // Every gate function runs the package's pre-bundled code, staged as is: nothing was bundled.
  expect(output).not.toMatch(/Bundling asset|esbuild|docker/i);
  const gateFunctions = functions.filter(([, fn]) =>
    String(fn.Properties?.Description ?? '').startsWith('fitgate'),
  );
  expect(gateFunctions.length).toBeGreaterThanOrEqual(hooks.length + 12);
  for (const [id, fn] of gateFunctions) {
    const key = (fn.Properties?.Code as { S3Key?: string } | undefined)?.S3Key ?? '';
    expect(key, id).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(fn.Properties?.Handler, id).toBe('index.handler');
    const bundle = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
    expect(shippedAssets.has(sha256(bundle)), `${id}: ${bundle} is a shipped asset`).toBe(true);
  }
}

let extracted: string;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'fitgate-consumers-'));
  tarball = packFitgate(work);
  extracted = path.join(work, 'extracted');
  must('mkdir', ['-p', extracted], work);
  must('tar', ['-xzf', tarball, '-C', extracted], work);
  shippedAssets = new Set(
    globSync('package/dist/assets/**/index.mjs', { cwd: extracted }).map((file) =>
      sha256(path.join(extracted, file)),
    ),
  );
}, 600_000);

afterAll(() => {
  if (work && !process.env.FITGATE_KEEP_CONSUMERS) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds compiled JavaScript with types, one pre-bundled asset per function, and no TypeScript sources', () => {
    // Act
    const listed = must('tar', ['-tzf', tarball], work).stdout.split('\n').filter(Boolean);
    // Assess
    expect(listed).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/bin/fitgate.js',
        'package/dist/infra/lib/index.js',
        'package/dist/infra/lib/index.d.ts',
        'package/dist/cli/bin/fitgate.js',
        'package/dist/statemachine/fitness.asl.json',
        'package/dist/assets/hook/index.mjs',
        'package/dist/assets/checks/s3/index.mjs',
        'package/samples/sam/template.yaml',
      ]),
    );
    const sources = listed.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
    expect(sources).toEqual([]);
    const handlers = globSync('functions/**/handler.ts', { cwd: REPO_ROOT });
    const assets = listed.filter((file) => /^package\/dist\/assets\/.+\/index\.mjs$/.test(file));
    expect(assets).toHaveLength(handlers.length);
    // No `.ts` specifier survives in the compiled code, and nothing reaches for ../shared beside the repository.
    const compiled = globSync('package/dist/{infra,cli,functions,statemachine}/**/*.js', { cwd: extracted });
    expect(compiled.length).toBeGreaterThan(100);
    for (const file of compiled) {
      const text = readFileSync(path.join(extracted, file), 'utf8');
      expect(text, file).not.toMatch(/from ['"]\.[^'"]+\.ts['"]|import\(['"]\.[^'"]+\.ts['"]\)|real-stacks/);
    }
    const manifest = JSON.parse(readFileSync(path.join(extracted, 'package', 'package.json'), 'utf8')) as {
      peerDependencies: Record<string, string>;
      exports: Record<string, unknown>;
      engines: Record<string, string>;
    };
    expect(manifest.peerDependencies).toEqual({
      'aws-cdk-lib': `^${MIN_AWS_CDK_LIB}`,
      constructs: '^10.5.0',
    });
    expect(Object.keys(manifest.exports)).toEqual(['.', './package.json']);
    expect(manifest.engines.node).toBe('>=22.12');
  });
});

describe('a TypeScript CDK app', () => {
  let dir: string;

  beforeAll(() => {
    dir = path.join(work, 'typescript');
    const installed = installProject(dir, tarball, {
      'aws-cdk-lib': AWS_CDK_LIB,
      constructs: CONSTRUCTS,
      '@types/node': TYPES_NODE,
      tsx: TSX,
    });
    if (installed.status !== 0) throw new Error(`npm install failed: ${installed.stderr}`);
    for (const [variant, type, module] of [
      ['cjs', 'commonjs', 'commonjs'],
      ['esm', 'module', 'nodenext'],
    ] as const) {
      const variantDir = path.join(dir, variant);
      must('mkdir', ['-p', variantDir], dir);
      writeFileSync(path.join(variantDir, 'package.json'), JSON.stringify({ type }));
      writeFileSync(path.join(variantDir, 'tsconfig.json'), tsconfig(module));
      writeFileSync(path.join(variantDir, 'app.ts'), serviceApp({ module: 'esm', gate: true }));
    }
  }, 600_000);

  it('compiles with tsc under CommonJS settings and synthesizes the gated service', () => {
    const variantDir = path.join(dir, 'cjs');
    must('node', [TSC, '-p', variantDir], variantDir);
    expect(readFileSync(path.join(variantDir, 'dist', 'app.js'), 'utf8')).toContain('require("fitgate")');
    expectGatedService(synth(variantDir, ['node', 'dist/app.js']));
  });

  it('compiles with tsc under ESM (NodeNext) settings and synthesizes the gated service with `cdk synth`', () => {
    const variantDir = path.join(dir, 'esm');
    must('node', [TSC, '-p', variantDir], variantDir);
    const outdir = path.join(variantDir, 'cdk.out');
    // The CDK CLI the repository pins (aws-cdk 2.x reads the assemblies aws-cdk-lib 2 writes).
    must(
      'node',
      [CDK, 'synth', '--app', 'node dist/app.js', '--output', outdir, '--quiet', '--no-notices'],
      variantDir,
    );
    const template = JSON.parse(readFileSync(path.join(outdir, 'ConsumerService.template.json'), 'utf8'));
    expectGatedService({ template, output: '', outdir });
  });

  it('runs from tsx without compiling', () => {
    const variantDir = path.join(dir, 'esm');
    expectGatedService(synth(variantDir, [path.join(dir, 'node_modules', '.bin', 'tsx'), 'app.ts']));
  });

  it('runs `npx fitgate` from the installed package', () => {
    const help = must('npx', ['--no-install', 'fitgate', '--help'], dir);
    expect(help.stdout).toMatch(/^usage: fitgate <command>/);
    const checks = JSON.parse(
      must('npx', ['--no-install', 'fitgate', 'checks', '--format', 'json'], dir).stdout,
    ) as {
      id: string;
    }[];
    expect(checks.map((check) => check.id)).toContain('s3-bucket-ssl-requests-only');
    const bad = run('npx', ['--no-install', 'fitgate', 'audit'], dir);
    expect([bad.status, bad.stderr.trim()]).toEqual([
      2,
      expect.stringMatching(/^fitgate: --stack is required/),
    ]);
  });
});

describe(`a JavaScript CDK app on the oldest supported aws-cdk-lib (${MIN_AWS_CDK_LIB})`, () => {
  let dir: string;

  beforeAll(() => {
    dir = path.join(work, 'javascript');
    const installed = installProject(dir, tarball, {
      'aws-cdk-lib': MIN_AWS_CDK_LIB,
      constructs: CONSTRUCTS,
    });
    if (installed.status !== 0) throw new Error(`npm install failed: ${installed.stderr}`);
    writeFileSync(path.join(dir, 'app.mjs'), serviceApp({ module: 'esm', gate: true }));
    writeFileSync(path.join(dir, 'app.cjs'), serviceApp({ module: 'cjs', gate: true }));
  }, 600_000);

  it('needs neither esbuild nor Docker: none is installed, and the ESM app synthesizes', () => {
    expect(existsSync(path.join(dir, 'node_modules', 'esbuild'))).toBe(false);
    expect(
      JSON.parse(readFileSync(path.join(dir, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')),
    ).toMatchObject({ version: MIN_AWS_CDK_LIB });
    expectGatedService(synth(dir, ['node', 'app.mjs']));
  });

  it('synthesizes from CommonJS (require)', () => {
    expectGatedService(synth(dir, ['node', 'app.cjs']));
  });
});

describe(`an app on aws-cdk-lib ${TOO_OLD_AWS_CDK_LIB}, older than fitgate supports`, () => {
  it('is refused at install, naming the peer dependency', () => {
    const dir = path.join(work, 'too-old');
    const installed = installProject(dir, tarball, {
      'aws-cdk-lib': TOO_OLD_AWS_CDK_LIB,
      constructs: CONSTRUCTS,
    });
    expect(installed.status).not.toBe(0);
    expect(installed.stderr).toContain('ERESOLVE');
    expect(installed.stderr).toContain(`peer aws-cdk-lib@"^${MIN_AWS_CDK_LIB}" from fitgate`);
  }, 300_000);

  it('forced in, fails the synth with one clear line, not a TypeError', () => {
    const dir = path.join(work, 'too-old-forced');
    const installed = installProject(
      dir,
      tarball,
      { 'aws-cdk-lib': TOO_OLD_AWS_CDK_LIB, constructs: CONSTRUCTS },
      { extraArgs: ['--legacy-peer-deps'] },
    );
    expect(installed.status, installed.stderr).toBe(0);
    writeFileSync(path.join(dir, 'app.mjs'), serviceApp({ module: 'esm', gate: true }));
    const synthesized = run('node', ['app.mjs'], dir, { CDK_OUTDIR: path.join(dir, 'cdk.out') });
    expect(synthesized.status).not.toBe(0);
    expect(synthesized.stderr).toContain(
      `Error: fitgate needs aws-cdk-lib ${MIN_AWS_CDK_LIB} or later (its peer dependency), this app has ${TOO_OLD_AWS_CDK_LIB}: npm install aws-cdk-lib@^${MIN_AWS_CDK_LIB}`,
    );
    expect(synthesized.stderr).not.toMatch(/TypeError|InvalidValidationId/);
  }, 300_000);
});
