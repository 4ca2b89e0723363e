/**
 * User-defined fitness functions through the real ASL, run in-process: check functions loaded from
 * handler files the way `fitgate audit --local --check-handler` loads them (one answers, one throws,
 * one answers garbage, one never answers), and metric functions against moto's CloudWatch, all scored,
 * waived and reported like the built-ins.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CheckHandlerError,
  type LocalCheckFunction,
  loadCheckHandlers,
} from '../../cli/emulation/check-functions.ts';
import { deployStack } from '../../cli/emulation/deploy/index.ts';
import { loadDefinition, runGateLocally } from '../../cli/emulation/runner.ts';
import type { CheckResult } from '../../functions/checks/types.ts';
import {
  escapePlaceholders,
  withFitnessFunctions,
} from '../../functions/list-resources/fitness-functions.ts';
import { createCloudWatchClient } from '../../functions/shared/clients.ts';
import type { GateConfigInput } from '../../functions/shared/config.ts';
import type { AslDefinition } from '../../statemachine/definition.ts';
import { runCli } from '../cli/run-cli.ts';
import { serviceTemplate } from '../support/gate-fixtures.ts';

// No hyphen: a stack-wide finding's logical id is the stack name, and a waiver names a logical id.
const STACK = 'FitnessFunctionsSvc';
let dir: string;
let handlers: Record<string, LocalCheckFunction>;

const declaration = (id: string, resourceTypes: string[], extra: Record<string, unknown> = {}) => ({
  id,
  title: `${id} holds`,
  severity: 'medium' as const,
  pillar: 'operational-excellence' as const,
  resourceTypes,
  iamActions: ['s3:GetBucketTagging'],
  ...extra,
});

const CONFIG: GateConfigInput = {
  checks: {
    functions: [
      declaration('acme/bucket-owner', ['AWS::S3::Bucket'], { params: { tag: 'owner' } }),
      declaration('acme/throws', ['AWS::CloudFormation::Stack']),
      declaration('acme/garbage', ['AWS::CloudFormation::Stack']),
      declaration('acme/slow', ['AWS::CloudFormation::Stack']),
    ],
    metrics: [
      {
        id: 'acme/orders-latency',
        title: 'Orders p50 stays under 300 ms',
        severity: 'high',
        pillar: 'performance',
        metric: {
          namespace: 'Acme/Orders',
          name: 'Latency',
          dimensions: { Service: '${stackName}' },
          stat: 'Average',
        },
        comparison: 'GreaterThanThreshold',
        threshold: 300,
      },
      {
        id: 'acme/silent-metric',
        title: 'A metric nobody publishes',
        severity: 'low',
        pillar: 'reliability',
        metric: { namespace: 'Acme/Orders', name: 'Nothing', stat: 'Sum' },
        comparison: 'GreaterThanThreshold',
        threshold: 0,
      },
    ],
  },
  suppressions: [
    { checkId: 'acme/throws', logicalId: STACK, reason: 'the team fixes it in JIRA-42 this sprint' },
  ],
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fitgate-check-functions-'));
  // A TypeScript handler, as the project's own; any module exporting `handler` will do.
  await writeFile(
    join(dir, 'bucket-owner.ts'),
    `export async function handler(event: { checkId: string; workItem: { resource: { logicalId: string } }; params: { tag: string } }) {
  return { status: 'FAIL', message: \`\${event.workItem.resource.logicalId} has no \${event.params.tag} tag\`, evidence: { checkId: event.checkId } };
}\n`,
  );
  await writeFile(
    join(dir, 'throws.mjs'),
    `export const handler = async () => { throw new RangeError('quota exhausted'); };\n`,
  );
  await writeFile(
    join(dir, 'garbage.mjs'),
    `export const handler = async () => ({ status: 'MAYBE', msg: 42 });\n`,
  );
  await writeFile(join(dir, 'slow.mjs'), `export const handler = () => new Promise(() => {});\n`);
  handlers = await loadCheckHandlers(
    ['bucket-owner.ts', 'throws.mjs', 'garbage.mjs', 'slow.mjs'].map(
      (file) => `acme/${file.replace(/\.m?[jt]s$/, '')}=${join(dir, file)}`,
    ),
  );
  await deployStack({ stackName: STACK, template: serviceTemplate() });
  await createCloudWatchClient().send(
    new PutMetricDataCommand({
      Namespace: 'Acme/Orders',
      MetricData: [
        {
          MetricName: 'Latency',
          Dimensions: [{ Name: 'Service', Value: STACK }],
          Value: 120,
          Timestamp: new Date(Date.now() - 60_000),
        },
      ],
    }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const byId = (results: readonly CheckResult[], id: string) =>
  results.filter((result) => result.checkId === id);

describe('user-defined fitness functions in the workflow', () => {
  it('scores check functions and metric functions with the built-ins; faulty functions are ERROR results naming them', async () => {
    const run = await runGateLocally(
      { stackName: STACK, trigger: 'adhoc' },
      {
        config: CONFIG,
        checkHandlers: handlers,
        checkFunctionTimeoutMs: 300,
        fastRetries: true,
      },
    );

    expect(run.error).toBeUndefined();
    const results = run.report?.results ?? [];
    expect(byId(results, 'acme/bucket-owner')).toEqual([
      expect.objectContaining({
        logicalId: 'DataBucket',
        resourceType: 'AWS::S3::Bucket',
        status: 'FAIL',
        severity: 'medium',
        message: 'DataBucket has no owner tag',
      }),
    ]);
    expect(byId(results, 'acme/throws')[0]).toMatchObject({
      status: 'SUPPRESSED',
      message: expect.stringContaining(
        `was ERROR: check function acme/throws (${join(dir, 'throws.mjs')}) threw RangeError: quota exhausted`,
      ),
    });
    expect(byId(results, 'acme/garbage')[0]).toMatchObject({
      status: 'ERROR',
      message: expect.stringMatching(
        /^check function acme\/garbage \(.*garbage\.mjs\) answered outside the check-result contract: status/,
      ),
    });
    expect(byId(results, 'acme/slow')[0]).toMatchObject({
      status: 'ERROR',
      message: expect.stringContaining('check function acme/slow'),
    });
    expect(byId(results, 'acme/slow')[0]?.message).toContain('did not answer in time');
    expect(byId(results, 'acme/orders-latency')[0]).toMatchObject({ status: 'PASS', severity: 'high' });
    expect(byId(results, 'acme/silent-metric')[0]).toMatchObject({
      status: 'ERROR',
      message: expect.stringContaining('no datapoints'),
    });
    // Built-ins ran beside them, and the pillars count the user-defined ones.
    expect(results.some((result) => result.checkId === 's3-bucket-versioning-enabled')).toBe(true);
    expect(run.report?.pillars.performance).toBe(100);
    expect(run.report?.waivers.applied).toBe(1);
  });

  it('takes the fitness functions the construct writes into the definition, placeholders intact', async () => {
    const written = withFitnessFunctions(loadDefinition(), { metrics: CONFIG.checks?.metrics ?? [] });
    const definition = JSON.parse(escapePlaceholders(JSON.stringify(written))) as AslDefinition;

    const run = await runGateLocally(
      { stackName: STACK, trigger: 'adhoc' },
      { definition, fastRetries: true },
    );

    expect(run.error).toBeUndefined();
    // Its Service dimension is ${stackName}: resolved per run, not substituted as the definition's own.
    expect(byId(run.report?.results ?? [], 'acme/orders-latency')[0]).toMatchObject({ status: 'PASS' });
  });

  it('without a local handler, a declared check function is an ERROR that says how to give one', async () => {
    const run = await runGateLocally(
      { stackName: STACK, trigger: 'adhoc' },
      {
        config: { checks: { functions: [declaration('acme/unbound', ['AWS::CloudFormation::Stack'])] } },
        fastRetries: true,
      },
    );

    expect(run.status).toBe('SUCCEEDED');
    expect(byId(run.report?.results ?? [], 'acme/unbound')[0]?.message).toContain(
      'check function acme/unbound has no local handler: pass --check-handler acme/unbound=PATH',
    );
  });

  it('fitgate audit --local --check-handler runs them from the --policy file, and lists them in fitgate checks', async () => {
    const policy = join(dir, 'fitgate.json');
    await writeFile(
      policy,
      JSON.stringify({
        checks: {
          functions: [declaration('acme/bucket-owner', ['AWS::S3::Bucket'], { params: { tag: 'owner' } })],
        },
      }),
    );

    const audit = await runCli([
      'audit',
      '--stack',
      STACK,
      '--local',
      '--format',
      'json',
      '--policy',
      policy,
      '--check-handler',
      `acme/bucket-owner=${join(dir, 'bucket-owner.ts')}`,
    ]);
    const missing = await runCli(['audit', '--stack', STACK, '--local', '--policy', policy]);
    const listed = await runCli(['checks', '--policy', policy]);

    const report = JSON.parse(audit.stdout) as { results: CheckResult[] };
    expect(byId(report.results, 'acme/bucket-owner')[0]).toMatchObject({
      status: 'FAIL',
      message: 'DataBucket has no owner tag',
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(
      `fitgate: check function acme/bucket-owner (--policy ${policy}) needs a local handler: --check-handler acme/bucket-owner=PATH`,
    );
    expect(listed.stdout).toMatch(/acme\/bucket-owner +user: check function +medium +operational-excellence/);
  });

  it('refuses a handler file that cannot be used, in one line', async () => {
    await writeFile(join(dir, 'nothing.mjs'), 'export const other = 1;\n');

    await expect(loadCheckHandlers([`acme/x=${join(dir, 'nothing.mjs')}`])).rejects.toThrow(
      /^--check-handler acme\/x: .*nothing\.mjs exports no function named handler$/,
    );
    await expect(loadCheckHandlers(['acme/x=./does-not-exist.ts'])).rejects.toThrow(CheckHandlerError);
    await expect(loadCheckHandlers(['coverage=./x.ts'])).rejects.toThrow(/<namespace>\/<name>/);
  });
});
