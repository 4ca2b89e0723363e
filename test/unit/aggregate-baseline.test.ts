import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  type BaselineQuery,
  MAX_ITEMS_READ,
  MAX_OUTCOME_LOOKUPS,
  type ResolvedOutcome,
  searchBaseline,
} from '../../functions/aggregate/baseline.ts';
import { toItem } from '../../functions/aggregate/history.ts';
import type { HistoryRecord } from '../../statemachine/state.ts';
import { makeRecord } from '../cli/report-fixtures.ts';

let clock = Date.parse('2026-03-01T12:00:00.000Z');

/** A run, newest last when created in order; `release` names the stack update it gated. */
function run(overrides: Partial<HistoryRecord> & { release?: string } = {}): HistoryRecord {
  clock -= 60_000;
  const startedAt = new Date(clock).toISOString();
  const { release, ...rest } = overrides;
  return makeRecord({
    runId: `${startedAt}#exec-${clock}`,
    startedAt,
    executionName: `exec-${clock}`,
    accepted: false,
    outcome: 'SUCCEEDED',
    releaseId: `arn:stack/svc/1@${release ?? 'r1'}`,
    ...rest,
  });
}

async function* newestFirst(records: readonly (HistoryRecord | Record<string, AttributeValue>)[]) {
  for (const record of records)
    yield 'runId' in record && typeof record.runId === 'string'
      ? toItem(record as HistoryRecord)
      : (record as Record<string, AttributeValue>);
}

function resolverOf(outcomes: Record<string, ResolvedOutcome> = {}) {
  const asked: string[] = [];
  const resolve = async (deploymentId: string): Promise<ResolvedOutcome> => {
    asked.push(deploymentId);
    return outcomes[deploymentId] ?? { unknownBecause: 'CodeDeploy says InProgress' };
  };
  return { resolve, asked };
}

const PRE: BaselineQuery = {
  trigger: 'BeforeAllowTraffic',
  releaseId: 'arn:stack/svc/1@now',
  deploymentId: 'd-NOW000000',
};

describe('searchBaseline', () => {
  it('takes the newest kept run of the same trigger, never a run of another trigger', async () => {
    const post = run({ trigger: 'AfterAllowTraffic', fitness: 90, deploymentId: 'd-A00000000' });
    const pre = run({ trigger: 'BeforeAllowTraffic', fitness: 80, deploymentId: 'd-A00000000' });
    const { resolve } = resolverOf();

    const search = await searchBaseline(newestFirst([post, pre]), PRE, resolve);

    expect(search.baseline).toEqual({ fitness: 80, findings: [], since: 'd-A00000000' });
    const postSearch = await searchBaseline(
      newestFirst([post, pre]),
      { ...PRE, trigger: 'AfterAllowTraffic' },
      resolve,
    );
    expect(postSearch.baseline?.fitness).toBe(90);
  });

  it('skips a release any of whose deployments CodeDeploy did not finish successfully', async () => {
    const records = [
      run({ release: 'r2', deploymentId: 'd-B00000001', fitness: 95 }),
      run({ release: 'r2', deploymentId: 'd-B00000002', fitness: 95, outcome: 'STOPPED' }),
      run({ release: 'r1', deploymentId: 'd-A00000001', fitness: 70 }),
    ];

    const search = await searchBaseline(newestFirst(records), PRE, resolverOf().resolve);

    expect(search.baseline?.since).toBe('d-A00000001');
    expect(search.notes).toContain(
      'releases CodeDeploy did not finish successfully, not baselines: the stack update of r2 (d-B00000001, d-B00000002): d-B00000002 STOPPED',
    );
  });

  it('never takes a run of its own release, nor of its own deployment', async () => {
    const records = [
      run({ releaseId: PRE.releaseId, deploymentId: 'd-SIBLING00', fitness: 99 }),
      run({ release: 'other', deploymentId: PRE.deploymentId, fitness: 98 }),
      run({ release: 'r1', deploymentId: 'd-A00000001', fitness: 70 }),
    ];

    const search = await searchBaseline(newestFirst(records), PRE, resolverOf().resolve);

    expect(search.baseline?.since).toBe('d-A00000001');
    expect(search.notes).toContain('2 earlier runs of this same release (stack update) not used as baseline');
  });

  it('asks CodeDeploy about an outcome still unknown, and hands back what it learned', async () => {
    const pending = run({ deploymentId: 'd-A00000001', outcome: 'PENDING', fitness: 70 });
    const { resolve, asked } = resolverOf({
      'd-A00000001': { outcome: 'SUCCEEDED', at: '2026-03-01T11:00:00.000Z' },
    });

    const search = await searchBaseline(newestFirst([pending]), PRE, resolve);

    expect(asked).toEqual(['d-A00000001']);
    expect(search.baseline?.fitness).toBe(70);
    expect(search.learned).toEqual([
      { deploymentId: 'd-A00000001', outcome: 'SUCCEEDED', at: '2026-03-01T11:00:00.000Z', runs: [pending] },
    ]);
  });

  it('treats an outcome CodeDeploy cannot tell as not kept, and asks at most a bounded number of times', async () => {
    const records = Array.from({ length: MAX_OUTCOME_LOOKUPS + 5 }, (_, i) =>
      run({ release: `r${i}`, deploymentId: `d-U${String(i).padStart(8, '0')}`, outcome: 'PENDING' }),
    );
    const { resolve, asked } = resolverOf();

    const search = await searchBaseline(newestFirst(records), PRE, resolve);

    expect(search.baseline).toBeUndefined();
    expect(asked).toHaveLength(MAX_OUTCOME_LOOKUPS);
    expect(search.notes.join('\n')).toContain('d-U00000000 outcome unknown (CodeDeploy says InProgress)');
    expect(search.notes.join('\n')).toMatch(/; and 10 more$/);
  });

  it('skips ad-hoc runs and Failed decisions silently, and unreadable items with a note', async () => {
    const records: Record<string, AttributeValue>[] = [
      toItem(run({ trigger: 'adhoc', deploymentId: undefined, outcome: undefined, fitness: 100 })),
      toItem(run({ decision: 'Failed', deploymentId: 'd-F00000001', outcome: 'FAILED', fitness: 100 })),
      { ...toItem(run({ deploymentId: 'd-X00000001', fitness: 100 })), fitness: { S: '100' } },
      toItem(run({ deploymentId: 'd-A00000001', fitness: 70, release: 'r0' })),
    ];

    const search = await searchBaseline(newestFirst(records), PRE, resolverOf().resolve);

    expect(search.baseline?.fitness).toBe(70);
    expect(search.notes).toHaveLength(1);
    expect(search.notes[0]).toMatch(
      /^1 history item skipped as unreadable or inconsistent, never a baseline: .*fitness is not a number or null$/,
    );
  });

  it('compares an ad-hoc run with the kept pre-traffic run over the audit checks, its own release included', async () => {
    const kept = run({
      releaseId: PRE.releaseId,
      deploymentId: 'd-A00000001',
      fitness: 80,
      auditFitness: 75,
      findings: ['deployment-target-smoke-invoke@svc', 's3-bucket-versioning-enabled@Data'],
    });

    const search = await searchBaseline(
      newestFirst([kept]),
      { trigger: 'adhoc', releaseId: PRE.releaseId },
      resolverOf().resolve,
    );

    expect(search.baseline).toEqual({
      fitness: 75,
      findings: ['s3-bucket-versioning-enabled@Data'],
      since: 'd-A00000001',
    });
  });

  it('says when the baseline item had its findings cut', async () => {
    const kept = run({ deploymentId: 'd-A00000001', fitness: 70, findings: ['a@B'], findingsOmitted: 12 });

    const search = await searchBaseline(newestFirst([kept]), PRE, resolverOf().resolve);

    expect(search.notes).toContain(
      "the baseline's history item kept 1 of its findings (12 cut to fit the item): findings listed as new may be old ones",
    );
  });

  it(`stops after ${MAX_ITEMS_READ} items without a kept release`, async () => {
    const adhoc = Array.from({ length: MAX_ITEMS_READ + 1 }, () =>
      run({ trigger: 'adhoc', deploymentId: undefined, outcome: undefined }),
    );

    const search = await searchBaseline(newestFirst(adhoc), PRE, resolverOf().resolve);

    expect(search.baseline).toBeUndefined();
    expect(search.notes).toContain(
      `no kept release among the newest ${MAX_ITEMS_READ} history items: no baseline`,
    );
  });
});
