/**
 * The report's lists that grow with the stack stay within their byte budgets, so the Aggregate's
 * output (the report next to the history item, which history.ts keeps within its own budget) fits
 * Step Functions' 256 KiB state on the worst stacks (issue #11): reasons, new and fixed findings.
 * What is cut is counted, never silently lost.
 */
import { describe, expect, it } from 'vitest';
import { type Baseline, fitList, REPORT_LIST_BUDGET_BYTES, score } from '../../functions/aggregate/core.ts';
import {
  HISTORY_ITEM_BUDGET_BYTES,
  historyRecord,
  itemSize,
  toItem,
} from '../../functions/aggregate/history.ts';
import { PLAN_BUDGET_BYTES } from '../../functions/aggregate/plan.ts';
import {
  COVERAGE_LIST_BUDGET_BYTES,
  coverageOf,
  type JudgedResource,
} from '../../functions/checks/coverage.ts';
import { digestResults } from '../../functions/checks/digest.ts';
import { checkIdsFor } from '../../functions/checks/run.ts';
import { DEFAULT_CONFIG } from '../../functions/shared/config.ts';
import type { MapOutcome } from '../../statemachine/state.ts';

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** `count` public buckets with 60-character logical ids, every s3 check failing. */
function failingBuckets(count: number): MapOutcome[] {
  const checkIds = checkIdsFor('s3', 'AWS::S3::Bucket', 'BeforeAllowTraffic', new Set());
  return Array.from({ length: count }, (_, i) => {
    const logicalId = `PublicBucket${'X'.repeat(44)}${String(i).padStart(4, '0')}`;
    const results = checkIds.map((checkId) => ({
      checkId,
      status: 'FAIL' as const,
      message: `${checkId} failed`,
    }));
    return {
      family: 's3',
      resource: { logicalId, physicalId: logicalId.toLowerCase(), type: 'AWS::S3::Bucket' },
      digest: digestResults(checkIds, results),
    };
  });
}

/**
 * The coverage of such a stack at its largest: every bucket judged directly, a bucket policy for each
 * judged through it, and as many resources no check judges, all with 60-character ids.
 */
function worstCoverage(outcomes: readonly MapOutcome[]) {
  const judged = outcomes.flatMap(({ resource }): JudgedResource[] => [
    { resource, verdict: { kind: 'direct', checks: ['s3-bucket-public-read-prohibited'] } },
    {
      resource: { logicalId: `${resource.logicalId}Policy`, type: 'AWS::S3::BucketPolicy' },
      verdict: {
        kind: 'through',
        parent: resource.logicalId,
        checks: ['s3-bucket-public-read-prohibited', 's3-bucket-ssl-requests-only'],
      },
    },
    {
      resource: { logicalId: `${resource.logicalId}App`, type: 'AWS::CodeDeploy::Application' },
      verdict: { kind: 'not-judged', reason: 'no check judges this type' },
    },
  ]);
  return coverageOf(judged);
}

function scoreOf(outcomes: readonly MapOutcome[], baseline?: Baseline) {
  return score({
    stackName: 'worst',
    trigger: 'BeforeAllowTraffic',
    outcomes,
    config: DEFAULT_CONFIG,
    inventory: { coverage: worstCoverage(outcomes), complexity: 10 },
    ...(baseline ? { baseline } : {}),
    now: new Date('2026-12-01T00:00:00Z'),
  });
}

describe('fitList', () => {
  it('keeps the first entries within the budget and counts the rest', () => {
    const { kept, omitted } = fitList(['aaaa', 'bbbb', 'cccc'], 16);

    expect(kept).toEqual(['aaaa', 'bbbb']);
    expect(omitted).toBe(1);
    expect(bytes(kept)).toBeLessThanOrEqual(16);
  });
});

describe('the report of 300 failing public buckets with 60-character ids', () => {
  const outcomes = failingBuckets(300);

  it('keeps its reasons within budget, the critical ones first, and says how many were cut', () => {
    const { report } = scoreOf(outcomes);

    expect(bytes(report.reasons)).toBeLessThanOrEqual(REPORT_LIST_BUDGET_BYTES.reasons);
    expect(report.reasons[0]).toMatch(/^critical /);
    expect(report.reasons.at(-1)).toMatch(/^… and \d+ more reasons \(see the results\)$/);
    expect(report.decision).toBe('Failed');
  });

  it('keeps the findings new since the baseline and the fixed ones within budget, counting the rest', () => {
    const previous = scoreOf(outcomes.slice(0, 150));
    const baseline: Baseline = {
      fitness: 100,
      findings: historyRecord(previous, { name: 'e1', startedAt: '2026-12-01T00:00:00Z' }, null, undefined)
        .findings,
      since: 'd-1',
    };

    const { report } = scoreOf(outcomes.slice(150), baseline);

    expect(bytes(report.diff.new)).toBeLessThanOrEqual(REPORT_LIST_BUDGET_BYTES.findings);
    expect(bytes(report.diff.fixed)).toBeLessThanOrEqual(REPORT_LIST_BUDGET_BYTES.findings);
    expect(report.diff.omitted?.new).toBeGreaterThan(0);
    const checksPerBucket = checkIdsFor('s3', 'AWS::S3::Bucket', 'BeforeAllowTraffic', new Set()).length;
    expect(report.diff.new.length + (report.diff.omitted?.new ?? 0)).toBe(150 * checksPerBucket);
  });

  it('keeps the plan and the coverage sets within budget, counting what is cut', () => {
    const previous = scoreOf(outcomes.slice(0, 150));
    const baseline = { fitness: (previous.report.fitness ?? 0) + 1, findings: [], since: 'd-1' };
    const { report } = scoreOf(outcomes, baseline);
    const checksPerBucket = checkIdsFor('s3', 'AWS::S3::Bucket', 'BeforeAllowTraffic', new Set()).length;

    expect(bytes(report.plan)).toBeLessThanOrEqual(PLAN_BUDGET_BYTES);
    expect(report.plan.restore?.size).toBeGreaterThan(report.plan.restore?.findings.length ?? 0);
    const listed = report.plan.steps.reduce((sum, step) => sum + step.findings.length, 0);
    expect(listed + (report.plan.findingsOmitted ?? 0)).toBe(300 * checksPerBucket);
    expect(bytes(report.coverage.sets.throughParent)).toBeLessThanOrEqual(COVERAGE_LIST_BUDGET_BYTES);
    expect(bytes(report.coverage.sets.notJudged)).toBeLessThanOrEqual(COVERAGE_LIST_BUDGET_BYTES);
    expect(report.coverage.sets.notJudged.length + (report.coverage.omitted?.notJudged ?? 0)).toBe(300);
    expect(report.coverage.throughParent).toBe(300);
  });

  it('keeps the report and the history item together well inside the state limit', () => {
    const scored = scoreOf(outcomes);

    const record = historyRecord(scored, { name: 'e1', startedAt: '2026-12-01T00:00:00Z' }, null, undefined);

    expect(itemSize(toItem(record))).toBeLessThanOrEqual(HISTORY_ITEM_BUDGET_BYTES);
    expect(record.findings[0]).toMatch(/^s3-bucket-(public|level)/);
    expect(bytes(scored.report) + bytes(toItem(record))).toBeLessThan(200 * 1024);
  });
});
