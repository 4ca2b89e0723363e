/** `fitgate history` as a process, reading a history table in the test's moto. */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployStack } from '../../cli/emulation/deploy/index.ts';
import { toItem } from '../../functions/aggregate/history.ts';
import { createDynamoDbClient } from '../../functions/shared/clients.ts';
import type { HistoryRecord } from '../../statemachine/state.ts';
import { makeRecord } from '../cli/report-fixtures.ts';
import { errorLine, runCli } from '../cli/run-cli.ts';
import { createHistoryTable, serviceTemplate } from '../support/gate-fixtures.ts';

const TABLE = 'cli-history';

async function record(stackName: string, startedAt: string, overrides: Partial<HistoryRecord> = {}) {
  const executionName = `exec-${startedAt.slice(11, 19).replace(/:/g, '')}`;
  const item = toItem(
    makeRecord({
      stackName,
      startedAt,
      executionName,
      runId: `${startedAt}#${executionName}`,
      deploymentId: `d-${startedAt.slice(11, 13)}AAAAAAAAA`,
      ...overrides,
    }),
  );
  await createDynamoDbClient().send(new PutItemCommand({ TableName: TABLE, Item: item }));
}

beforeAll(async () => {
  await createHistoryTable(createDynamoDbClient(), TABLE);
  await record('svc', '2026-01-01T10:00:00.000Z', {
    decision: 'Succeeded',
    outcome: 'SUCCEEDED',
    fitness: 60,
    baseline: null,
  });
  await record('svc', '2026-01-01T11:00:00.000Z', {
    decision: 'Succeeded',
    outcome: 'SUCCEEDED',
    fitness: 70,
    baseline: 60,
  });
  await record('svc', '2026-01-01T12:00:00.000Z', {
    decision: 'Failed',
    outcome: 'FAILED',
    accepted: false,
    fitness: 65,
    baseline: 70,
    reasons: ['fitness regressed from 70 to 65 (allowed drop 0)'],
    coverage: { percent: 87.5, judged: 7, resources: 9, noRisk: 1 },
  });
  await record('other', '2026-01-01T13:00:00.000Z');
  const template = serviceTemplate();
  await deployStack({
    stackName: 'history-gate',
    template: { ...template, Outputs: { FitnessHistoryTable: { Value: TABLE } } },
  });
});

describe('fitgate history', () => {
  it('lists the stack’s executions newest first', async () => {
    const run = await runCli(['history', '--stack', 'svc', '--table', TABLE]);

    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.trimEnd().split('\n').slice(2);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(
      /^2026-01-01T12:00:00.000Z +BeforeAllowTraffic +d-12A+ +65 +70 +−5 +87\.5 % +Failed +FAILED +no +fitness regressed from 70 to 65/,
    );
    // Items written before coverage was recorded show none.
    expect(rows[1]).toMatch(/^2026-01-01T11:00:00.000Z .* 70 +60 +\+10 +— +Succeeded +SUCCEEDED +yes /);
    expect(rows[2]).toMatch(/^2026-01-01T10:00:00.000Z .* 60 +— +— +— +Succeeded +SUCCEEDED +yes /);
  });

  it('prints the records as JSON, limited', async () => {
    const run = await runCli([
      'history',
      '--stack',
      'svc',
      '--table',
      TABLE,
      '--format',
      'json',
      '--limit',
      '2',
    ]);

    expect(run.code, run.stderr).toBe(0);
    const records = JSON.parse(run.stdout) as HistoryRecord[];
    expect(records.map((r) => [r.startedAt, r.fitness, r.accepted])).toEqual([
      ['2026-01-01T12:00:00.000Z', 65, false],
      ['2026-01-01T11:00:00.000Z', 70, true],
    ]);
  });

  it("finds the table from the gate stack's FitnessHistoryTable output", async () => {
    const run = await runCli([
      'history',
      '--stack',
      'svc',
      '--gate-stack',
      'history-gate',
      '--format',
      'json',
    ]);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(3);
  });

  it('shows an item it cannot read as a sound run, and warns on stderr that it is never a baseline', async () => {
    await record('corrupt', '2026-01-02T10:00:00.000Z', { trigger: 'adhoc', accepted: true });

    const run = await runCli(['history', '--stack', 'corrupt', '--table', TABLE]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2026-01-02T10:00:00.000Z');
    expect(run.stderr).toBe(
      'warning: history item 2026-01-02T10:00:00.000Z#exec-100000 is unreadable or inconsistent, never a baseline: accepted, but a adhoc run gates no deployment\n',
    );
  });

  it('says when a stack has no history', async () => {
    const run = await runCli(['history', '--stack', 'never-gated', '--table', TABLE]);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('no recorded executions of stack never-gated\n');
  });

  it('exits 2 with one line for a missing table, a missing stack, a stack without a gate, a bad flag', async () => {
    expect(errorLine(await runCli(['history', '--stack', 'svc', '--table', 'no-such-table']))).toBe(
      'fitgate: history table no-such-table does not exist in us-east-1',
    );
    expect(errorLine(await runCli(['history', '--stack', 'no-such-stack']))).toBe(
      'fitgate: stack no-such-stack does not exist in us-east-1; pass --table NAME to read a history table directly',
    );
    await deployStack({ stackName: 'plain-svc', template: serviceTemplate() });
    expect(errorLine(await runCli(['history', '--stack', 'plain-svc']))).toBe(
      'fitgate: stack plain-svc has no FitnessHistoryTable output (no deployed gate); pass --table NAME or --gate-stack NAME',
    );
    expect(errorLine(await runCli(['history', '--stack', 'svc', '--limit', 'all']))).toBe(
      "fitgate: --limit must be a positive integer (got all); see 'fitgate history --help'",
    );
  });
});
