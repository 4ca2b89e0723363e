/**
 * `fitgate audit --local` as a process, against the test's moto: every format, every exit code,
 * and the bad inputs of issue #5, each an exit 2 with one line on stderr.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployStack } from '../../cli/emulation/deploy/index.ts';
import { freePort } from '../../cli/emulation/moto.ts';
import { fromItem } from '../../functions/aggregate/history.ts';
import { createDynamoDbClient } from '../../functions/shared/clients.ts';
import type { Report } from '../../statemachine/state.ts';
import { errorLine, runCli } from '../cli/run-cli.ts';
import { createHistoryTable, HISTORY_TABLE, serviceTemplate } from '../support/gate-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'fitgate-cli-audit-'));

beforeAll(async () => {
  await deployStack({ stackName: 'clean-svc', template: serviceTemplate() });
  await deployStack({ stackName: 'public-svc', template: serviceTemplate({ publicBucket: true }) });
  await createHistoryTable(createDynamoDbClient());
});

describe('fitgate audit --local', () => {
  it('prints exactly the report as JSON on stdout and exits 0 when the gate succeeds', async () => {
    const run = await runCli(['audit', '--stack', 'clean-svc', '--local', '--format', 'json']);

    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report).toMatchObject({
      stack: 'clean-svc',
      trigger: 'adhoc',
      decision: 'Succeeded',
      baseline: null,
    });
    expect(report.results.length).toBeGreaterThan(0);
    expect(report.notes).toContain('no history table: baseline and history skipped');
    expect(run.stderr).toBe(
      'note: no deployed gate found (stack clean-svc has no FitnessHistoryTable output): baseline and history are skipped\n',
    );
  });

  it('exits 1 when the gate fails, naming the critical finding', async () => {
    const run = await runCli(['audit', '--stack', 'public-svc', '--local', '--format', 'json']);

    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.decision).toBe('Failed');
    expect(report.reasons[0]).toMatch(/^critical s3-bucket-public-read-prohibited failed on DataBucket/);
  });

  it('prints a table by default', async () => {
    const run = await runCli(['audit', '--stack', 'public-svc', '--local']);

    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe('fitgate audit of stack public-svc (adhoc)');
    expect(run.stdout).toMatch(/^decision {3}Failed$/m);
    expect(run.stdout).toMatch(/^FAIL +critical +s3-bucket-public-read-prohibited +DataBucket /m);
  });

  it('writes JUnit to --out and keeps stdout empty', async () => {
    const out = join(dir, 'nested', 'report.xml');

    const run = await runCli([
      'audit',
      '--stack',
      'public-svc',
      '--local',
      '--format',
      'junit',
      '--out',
      out,
    ]);

    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/Failed: fitness [\d.]+; junit report written to .*report\.xml\n$/);
    const xml = readFileSync(out, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="fitgate public-svc"/);
    // The decision fails; the findings are skipped test cases (--junit-findings failure makes them failures).
    expect(xml).toMatch(/classname="fitgate.decision" name="public-svc is fit to deploy">\n\s+<failure /);
    expect(xml).toContain('<skipped message="FAIL (critical): publicly readable');
  });

  it('prints a self-contained HTML page', async () => {
    const run = await runCli(['audit', '--stack', 'clean-svc', '--local', '--format', 'html']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(run.stdout).toContain('<strong class="decision-Succeeded">Succeeded</strong>');
  });

  it('records the ad-hoc run in the given history table, never as a baseline, and applies --policy', async () => {
    const policy = join(dir, 'strict.json');
    writeFileSync(policy, JSON.stringify({ policy: { minFitness: 100 } }));

    const run = await runCli([
      'audit',
      '--stack',
      'clean-svc',
      '--local',
      '--format',
      'json',
      '--table',
      HISTORY_TABLE,
      '--policy',
      policy,
      '--concurrency',
      '2',
    ]);

    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.reasons[0]).toMatch(/^fitness [\d.]+ is below the minimum 100$/);
    expect(run.stderr).toBe('');
    const { Items = [] } = await createDynamoDbClient().send(new ScanCommand({ TableName: HISTORY_TABLE }));
    const records = Items.map(fromItem).filter((record) => record.stackName === 'clean-svc');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      trigger: 'adhoc',
      accepted: false,
      decision: 'Failed',
      fitness: report.fitness,
    });
  });

  it('shows progress on stderr with --progress, and never on stdout', async () => {
    const run = await runCli(['audit', '--stack', 'clean-svc', '--local', '--format', 'json', '--progress']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('listing the stack’s resources…\n');
    expect(run.stderr).toMatch(/checking (\d+)\/\1 work items…\n/);
    expect(run.stderr).toContain('scoring…\n');
    expect(() => JSON.parse(run.stdout)).not.toThrow();
  });
});

describe('fitgate audit errors: exit 2, one line, no stack trace', () => {
  it('names a stack that does not exist, and the region', async () => {
    expect(errorLine(await runCli(['audit', '--stack', 'no-such-stack', '--local']))).toBe(
      'fitgate: stack no-such-stack does not exist in us-east-1',
    );
  });

  it('names an endpoint it cannot reach', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;

    expect(
      errorLine(
        await runCli(['audit', '--stack', 'clean-svc', '--local'], { env: { AWS_ENDPOINT_URL: endpoint } }),
      ),
    ).toBe(`fitgate: cannot reach ${endpoint} (ECONNREFUSED)`);
  });

  it('says when there are no credentials', async () => {
    const run = await runCli(['audit', '--stack', 'clean-svc', '--local'], {
      env: {
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
        AWS_CONFIG_FILE: join(dir, 'no-config'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
        AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
      },
    });

    expect(errorLine(run)).toMatch(
      /^fitgate: no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
  });

  it('reports a bad --policy file with the validation message', async () => {
    const policy = join(dir, 'bad.json');
    writeFileSync(policy, JSON.stringify({ policy: { minFitness: 120 } }));

    expect(errorLine(await runCli(['audit', '--stack', 'clean-svc', '--local', '--policy', policy]))).toBe(
      `fitgate: --policy ${policy}: policy.minFitness must be ≤ 100 (got 120)`,
    );
    expect(
      errorLine(
        await runCli(['audit', '--stack', 'clean-svc', '--local', '--policy', join(dir, 'missing.json')]),
      ),
    ).toBe(`fitgate: --policy ${join(dir, 'missing.json')}: no such file`);
  });

  it('answers a bad flag or a missing --stack with a usage line', async () => {
    expect(errorLine(await runCli(['audit', '--stack', 'clean-svc', '--bogus']))).toBe(
      "fitgate: Unknown option '--bogus'; see 'fitgate audit --help'",
    );
    expect(errorLine(await runCli(['audit', '--local']))).toBe(
      "fitgate: --stack is required; see 'fitgate audit --help'",
    );
    expect(errorLine(await runCli(['audit', '--stack', 'clean-svc', '--format', 'yaml']))).toBe(
      "fitgate: --format must be one of table, json, junit, html, sarif, markdown (got yaml); see 'fitgate audit --help'",
    );
  });

  it('names a history table that does not exist', async () => {
    expect(
      errorLine(await runCli(['audit', '--stack', 'clean-svc', '--local', '--table', 'no-such-table'])),
    ).toBe('fitgate: history table no-such-table does not exist in us-east-1');
  });

  it('explains a cloud run against a stack without a deployed gate', async () => {
    expect(errorLine(await runCli(['audit', '--stack', 'clean-svc']))).toBe(
      'fitgate: no deployed fitgate state machine: stack clean-svc has no FitnessStateMachineArn output; pass --state-machine-arn ARN or --gate-stack NAME, or audit with --local',
    );
  });
});
