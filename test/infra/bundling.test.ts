import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER } from '../../infra/lib/fitgate-function.ts';
import { FitnessGate } from '../../infra/lib/fitness-gate.ts';
import { newApp, type Resources } from './synth.ts';

/**
 * The one test that really bundles: every gate function goes through esbuild locally (no Docker),
 * and each bundle must load as an ES module under Node and export its `handler`.
 */
describe('bundling (esbuild, local, no Docker)', () => {
  it('builds every gate function into a loadable ESM bundle with a source map', { timeout: 300_000 }, () => {
    // Prepare
    const app = newApp({ bundle: true });
    const stack = new Stack(app, 'FitgateBundled');

    // Act (CDK bundles while it builds the constructs)
    const started = Date.now();
    new FitnessGate(stack, 'FitnessGate', { guardedStackName: 'SomeService' });
    const assembly = app.synth();
    const seconds = (Date.now() - started) / 1000;

    // Assess
    const artifact = assembly.getStackByName('FitgateBundled');
    const template = JSON.parse(readFileSync(artifact.templateFullPath, 'utf8')) as { Resources: Resources };
    const functions = Object.entries(template.Resources).filter(
      ([, resource]) => resource.Type === 'AWS::Lambda::Function',
    );
    // 16 check families (the metric evaluator and the custom checks' invoker among them),
    // ListResources, Aggregate, two hooks, the safety net, the deadline net and the outcome tracker.
    expect(functions).toHaveLength(23);
    // A file asset's directory in the cloud assembly is named after the hash its S3 key carries.
    const assetDirs = functions.map(([logicalId, resource]) => {
      const s3Key = (resource.Properties?.Code as { S3Key?: string } | undefined)?.S3Key;
      expect(s3Key, logicalId).toMatch(/^[0-9a-f]{64}\.zip$/);
      return path.join(assembly.directory, `asset.${String(s3Key).replace(/\.zip$/, '')}`);
    });
    for (const dir of assetDirs) {
      const bundle = path.join(dir, 'index.mjs');
      expect(existsSync(bundle), bundle).toBe(true);
      expect(existsSync(`${bundle}.map`), `${bundle}.map`).toBe(true);
      expect(readFileSync(bundle, 'utf8').startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    }
    // Each bundle is imported in a clean Node process, as the Lambda runtime would.
    const probe = `
      const results = [];
      for (const url of JSON.parse(process.argv[1])) {
        const mod = await import(url);
        results.push(typeof mod.handler);
      }
      console.log(JSON.stringify(results));
    `;
    const urls = assetDirs.map((dir) => pathToFileURL(path.join(dir, 'index.mjs')).href);
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe, JSON.stringify(urls)], {
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      },
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout.trim())).toEqual(urls.map(() => 'function'));
    console.info(`bundled ${functions.length} functions in ${seconds.toFixed(1)} s`);
  });
});
