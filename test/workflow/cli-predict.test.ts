/**
 * `fitgate predict` end to end, as a user runs it: the real bin in a child process, which starts its
 * own embedded moto, deploys the candidate, runs the real workflow with trigger predict, and stops
 * what it started. The test's moto plays the user's AWS account: predict may read the gate history
 * there (read-only) and must write nothing to it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type * as Sarif from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { releaseTemplate } from '../../cli/demo/releases.ts';
import { toItem } from '../../functions/aggregate/history.ts';
import {
  createCloudFormationClient,
  createDynamoDbClient,
  createS3Client,
} from '../../functions/shared/clients.ts';
import type { Report } from '../../statemachine/state.ts';
import { errorLine, runCli } from '../cli/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REAL_STACKS = join(ROOT, '..', 'shared', 'real-stacks');
const dir = mkdtempSync(join(tmpdir(), 'fitgate-predict-'));
const template = (version: number) => {
  const file = join(dir, `release-v${version}.json`);
  writeFileSync(file, JSON.stringify(releaseTemplate(version), null, 2));
  return file;
};
const json = (text: string) => JSON.parse(text) as Report;

describe('fitgate predict --template', () => {
  let v3: string;
  let v4: string;
  beforeAll(() => {
    v3 = template(3);
    v4 = template(4);
  });

  it('catches the v4 regression before it is deployed, against the v3 report as the baseline', async () => {
    const baseline = join(dir, 'v3.json');
    const first = await runCli(
      ['predict', '--template', v3, '--stack', 'svc', '--format', 'json', '--out', baseline],
      {
        timeoutMs: 90_000,
      },
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/^✓ svc would pass the gate: fitness [\d.]+, no baseline/m);

    const run = await runCli(['predict', '--template', v4, '--stack', 'svc', '--baseline', baseline], {
      timeoutMs: 90_000,
    });

    expect(run.code, run.stderr).toBe(1);
    const [verdict] = run.stdout.split('\n');
    expect(verdict).toMatch(
      /^✗ svc would fail the gate: critical s3-bucket-public-read-prohibited failed on PlainBucket/,
    );
    expect(run.stdout).toMatch(/baseline +file: v3\.json \(stack svc, predict, fitness [\d.]+\)/);
    expect(run.stdout).toMatch(/new: .*s3-bucket-public-read-prohibited@PlainBucket/);
  });

  it('lists what cannot be predicted, as NOT_APPLICABLE results, never a guessed PASS', async () => {
    const run = await runCli(['predict', '--template', v3, '--format', 'json'], { timeoutMs: 90_000 });

    expect(run.code, run.stderr).toBe(0);
    const report = json(run.stdout);
    expect(report.trigger).toBe('predict');
    const limits = report.prediction?.limits ?? [];
    expect(limits.filter((l) => l.kind === 'runtime-data').map((l) => l.subject)).toContain(
      'deployment-target-smoke-invoke',
    );
    expect(limits.find((l) => l.subject === 'ApiStage (AWS::ApiGateway::Stage)')).toBeUndefined();
    const smoke = report.results.find((r) => r.checkId === 'deployment-target-smoke-invoke');
    expect(smoke).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: expect.stringMatching(/^not predicted: /),
    });
    const drift = report.results.find((r) => r.checkId === 'cloudformation-stack-drift-detection-check');
    expect(drift?.status).toBe('NOT_APPLICABLE');
    expect(
      report.results
        .filter((r) => r.message.startsWith('not predicted: '))
        .every((r) => r.status === 'NOT_APPLICABLE'),
    ).toBe(true);
    expect(report.summary.NOT_APPLICABLE).toBe(
      report.results.filter((r) => r.status === 'NOT_APPLICABLE').length,
    );
  });

  it('reads the baseline from the gate history of the account, and writes nothing there', async () => {
    const dynamoDb = createDynamoDbClient();
    await dynamoDb.send(
      new CreateTableCommand({
        TableName: 'gate-history',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'stackName', AttributeType: 'S' },
          { AttributeName: 'runId', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'stackName', KeyType: 'HASH' },
          { AttributeName: 'runId', KeyType: 'RANGE' },
        ],
      }),
    );
    await dynamoDb.send(
      new PutItemCommand({
        TableName: 'gate-history',
        Item: toItem({
          stackName: 'svc',
          runId: '2026-01-01T00:00:00.000Z#run-1',
          executionName: 'run-1',
          startedAt: '2026-01-01T00:00:00.000Z',
          trigger: 'BeforeAllowTraffic',
          deploymentId: 'd-ACCEPTED1',
          // A release CodeDeploy kept; a prediction is compared over the checks it runs (docs/baselines.md).
          outcome: 'SUCCEEDED',
          fitness: 99,
          auditFitness: 99,
          quality: 99,
          complexity: 0,
          penalty: 0,
          baseline: null,
          decision: 'Succeeded',
          accepted: true,
          reasons: [],
          findings: ['dynamodb-pitr-enabled@PlainTable'],
          summary: {},
        }),
      }),
    );
    const stacksBefore = await createCloudFormationClient().send(new ListStacksCommand({}));
    const bucketsBefore = await createS3Client().send(new ListBucketsCommand({}));

    const run = await runCli(
      [
        'predict',
        '--template',
        template(3),
        '--stack',
        'svc',
        '--history-table',
        'gate-history',
        '--format',
        'json',
      ],
      // A per-service endpoint of the user's environment must not redirect the prediction either.
      { timeoutMs: 90_000, env: { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' } },
    );

    expect(run.code).toBe(1);
    const report = json(run.stdout);
    expect(report.baseline).toBe(99);
    expect(report.prediction?.baseline).toMatchObject({ source: 'history' });
    expect(report.prediction?.baseline.detail).toContain('d-ACCEPTED1');
    expect(report.diff.fixed).toContain('dynamodb-pitr-enabled@PlainTable');
    expect(run.stderr).toMatch(/^✗ svc would fail the gate: fitness regressed from 99 to/m);
    expect((await createCloudFormationClient().send(new ListStacksCommand({}))).StackSummaries).toEqual(
      stacksBefore.StackSummaries,
    );
    expect((await createS3Client().send(new ListBucketsCommand({}))).Buckets).toEqual(bucketsBefore.Buckets);
    expect((await dynamoDb.send(new ListTablesCommand({}))).TableNames).toEqual(['gate-history']);
  });

  it('fails with one line and exit 2 on bad input', async () => {
    expect(errorLine(await runCli(['predict']))).toMatch(
      /give exactly one of --template FILE and --cdk-out DIR/,
    );
    expect(errorLine(await runCli(['predict', '--template', join(dir, 'missing.yaml')]))).toMatch(
      /does not exist/,
    );
    expect(errorLine(await runCli(['predict', '--cdk-out', dir]))).toMatch(/is not a cloud assembly/);
    expect(errorLine(await runCli(['predict', '--template', v3, '--format', 'pdf']))).toMatch(
      /--format must be one of/,
    );
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'Resources: [');
    expect(errorLine(await runCli(['predict', '--template', broken], { timeoutMs: 60_000 }))).toMatch(
      /cannot deploy broken\.yaml|not a readable YAML template/,
    );
  });
});

describe('fitgate predict --cdk-out (the sample assembly, as cdk synth writes it)', () => {
  const assembly = join(dir, 'cdk.out');
  beforeAll(() => {
    const synth = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/aws-cdk/bin/cdk'), 'synth', '--quiet', '-o', assembly],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 170_000,
      },
    );
    if (synth.status !== 0) throw new Error(`cdk synth failed: ${synth.stderr.slice(-2000)}`);
  }, 180_000);

  it('stages the assets, deploys every stack and writes SARIF that points at the template lines', async () => {
    const sarifFile = join(dir, 'predict.sarif');

    const run = await runCli(['predict', '--cdk-out', assembly, '--format', 'sarif', '--out', sarifFile], {
      timeoutMs: 120_000,
    });

    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^✓ FitgateSample would pass the gate: fitness [\d.]+/m);
    const log = JSON.parse(readFileSync(sarifFile, 'utf8')) as Sarif.Log;
    const results = log.runs[0]?.results ?? [];
    expect(results.length).toBeGreaterThan(0);
    const plainBucket = results.find(
      (r) => r.properties?.['aws:cdk:path'] === 'FitgateSample/PlainBucket/Resource',
    );
    expect(plainBucket?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toMatch(
      /FitgateSample\.template\.json$/,
    );
    expect(plainBucket?.locations?.[0]?.physicalLocation?.region?.startLine).toBeGreaterThan(1);
  });

  it('predicts one stack by name, in markdown for a pull request', async () => {
    const run = await runCli(
      ['predict', '--cdk-out', assembly, '--stack', 'FitgateSample', '--format', 'markdown'],
      {
        timeoutMs: 120_000,
      },
    );

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^## fitgate predict: the release would pass the gate/);
    expect(run.stdout).toContain('### ✅ FitgateSample would pass the gate');
    expect(run.stdout).toMatch(/<summary>Not predicted \(\d+\)/);
    expect(errorLine(await runCli(['predict', '--cdk-out', assembly, '--stack', 'Nope']))).toMatch(
      /no stack Nope in .*; it has FitgateSample/,
    );
  });
});

const REAL = [
  'widdix-kms-key.yaml',
  's3-eventbridge-sqs.yaml',
  'apigw-rest-dynamodb.yaml',
  'sfn-dynamodb.yaml',
];
const haveRealStacks = existsSync(REAL_STACKS);
if (!haveRealStacks)
  console.warn(`NOTICE: ${REAL_STACKS} is absent; skipping the predictions of real public templates`);

describe.skipIf(!haveRealStacks)('fitgate predict on real public templates', () => {
  for (const file of REAL) {
    it(`predicts ${file}`, async () => {
      const params = join(REAL_STACKS, 'params', file.replace(/\.\w+$/, '.json'));
      const run = await runCli(
        [
          'predict',
          '--template',
          join(REAL_STACKS, file),
          ...(existsSync(params) ? ['--parameters', params] : []),
          '--format',
          'json',
        ],
        { timeoutMs: 90_000 },
      );

      expect([0, 1], run.stderr).toContain(run.code);
      const report = json(run.stdout);
      expect(report.trigger).toBe('predict');
      expect(report.prediction?.verdict).toMatch(/would (pass|fail) the gate/);
      expect(run.stderr.split('\n')[0]).toBe(report.prediction?.verdict);
    });
  }
});
