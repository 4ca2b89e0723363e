import { describe, expect, it } from 'vitest';
import {
  applySuppressions,
  type Baseline,
  fitResults,
  flattenOutcomes,
  qualityOf,
  REPORT_RESULTS_BUDGET_BYTES,
  score,
} from '../../functions/aggregate/core.ts';
import { SEVERITY_WEIGHTS } from '../../functions/aggregate/weights.ts';
import { digestResults } from '../../functions/checks/digest.ts';
import { checkIdsFor } from '../../functions/checks/run.ts';
import type { CheckResult, ItemResult } from '../../functions/checks/types.ts';
import {
  DEFAULT_CONFIG,
  DEFAULT_POLICY,
  type GateConfig,
  type Suppression,
} from '../../functions/shared/config.ts';
import type { MapOutcome, ResourceRef } from '../../statemachine/state.ts';
import { COVERAGE } from '../cli/report-fixtures.ts';

const bucket = (logicalId: string): ResourceRef => ({
  logicalId,
  physicalId: `${logicalId.toLowerCase()}-phys`,
  type: 'AWS::S3::Bucket',
});
const NOW = new Date('2026-11-21T12:00:00Z');

/** A bucket's s3 work item as the Map keeps it: the given statuses, NOT_APPLICABLE for the other checks. */
function outcome(resource: ResourceRef, statuses: Record<string, ItemResult['status']>): MapOutcome {
  const checkIds = checkIdsFor('s3', resource.type, 'BeforeAllowTraffic', new Set());
  for (const checkId of Object.keys(statuses)) {
    if (!checkIds.includes(checkId)) throw new Error(`${checkId} is not an s3 bucket check`);
  }
  const results = checkIds.map((checkId) => {
    const status = statuses[checkId] ?? 'NOT_APPLICABLE';
    return { checkId, status, message: `${checkId} ${status}` };
  });
  return { family: 's3', resource, digest: digestResults(checkIds, results) };
}

function result(
  checkId: string,
  severity: CheckResult['severity'],
  status: CheckResult['status'],
  logicalId = 'B',
): CheckResult {
  return {
    checkId,
    severity,
    status,
    logicalId,
    physicalId: 'p',
    resourceType: 'AWS::S3::Bucket',
    message: '',
  };
}

const inventory = { coverage: COVERAGE, complexity: 40 };

function run(outcomes: MapOutcome[], options: { config?: Partial<GateConfig>; baseline?: Baseline } = {}) {
  return scoreAll(outcomes, options).report;
}

function scoreAll(
  outcomes: MapOutcome[],
  options: { config?: Partial<GateConfig>; baseline?: Baseline } = {},
) {
  return score({
    stackName: 'svc',
    trigger: 'BeforeAllowTraffic',
    deploymentId: 'd-ABCDEF123',
    outcomes,
    config: { ...DEFAULT_CONFIG, ...options.config },
    inventory,
    baseline: options.baseline,
    now: NOW,
  });
}

describe('qualityOf', () => {
  it('weights each check by severity and averages its pass rate over resources', () => {
    // critical 1/2 passes (16·0.5 = 8), low 1/1 (2·1 = 2): 100·10/18
    const results = [
      result('s3-bucket-public-read-prohibited', 'critical', 'PASS', 'A'),
      result('s3-bucket-public-read-prohibited', 'critical', 'FAIL', 'B'),
      result('s3-bucket-versioning-enabled', 'low', 'PASS', 'A'),
    ];

    expect(qualityOf(results, true)).toBe(55.56);
  });

  it('does not let forty passing buckets drown one failing KMS key', () => {
    const results = [
      ...Array.from({ length: 40 }, (_, i) => result('s3-bucket-versioning-enabled', 'low', 'PASS', `B${i}`)),
      result('kms-cmk-not-scheduled-for-deletion', 'critical', 'FAIL', 'Key'),
    ];

    // Per check, not per resource: (2·1 + 16·0) / 18
    expect(qualityOf(results, true)).toBe(11.11);
  });

  it('counts ERROR as FAIL by default and leaves it out when told to', () => {
    const results = [result('c1', 'medium', 'PASS', 'A'), result('c1', 'medium', 'ERROR', 'B')];

    expect(qualityOf(results, true)).toBe(50);
    expect(qualityOf(results, false)).toBe(100);
  });

  it('leaves NOT_APPLICABLE and SUPPRESSED out, and says null when nothing is scored', () => {
    expect(
      qualityOf([result('c1', 'high', 'NOT_APPLICABLE'), result('c2', 'high', 'SUPPRESSED')], true),
    ).toBeNull();
  });

  it('gives informational checks no weight', () => {
    expect(qualityOf([result('info', 'informational', 'FAIL'), result('c', 'low', 'PASS')], true)).toBe(100);
    expect(SEVERITY_WEIGHTS).toEqual({ critical: 16, high: 8, medium: 4, low: 2, informational: 0 });
  });
});

describe('flattenOutcomes', () => {
  it('takes severity from the registry and the resource from the work item', () => {
    const flat = flattenOutcomes(
      [outcome(bucket('Data'), { 's3-bucket-versioning-enabled': 'FAIL' })],
      'adhoc',
      new Set(),
    );

    expect(flat.find((r) => r.checkId === 's3-bucket-versioning-enabled')).toMatchObject({
      checkId: 's3-bucket-versioning-enabled',
      severity: 'low',
      logicalId: 'Data',
      physicalId: 'data-phys',
      resourceType: 'AWS::S3::Bucket',
      status: 'FAIL',
      message: 's3-bucket-versioning-enabled FAIL',
    });
    expect(flat.find((r) => r.checkId === 's3-bucket-acl-prohibited')?.status).toBe('NOT_APPLICABLE');
  });

  it('gives a PASS the check title as its message (the digest carries none)', () => {
    const flat = flattenOutcomes(
      [outcome(bucket('Data'), { 's3-bucket-versioning-enabled': 'PASS' })],
      'adhoc',
      new Set(),
    );

    expect(flat.find((r) => r.checkId === 's3-bucket-versioning-enabled')?.message).toBe(
      'S3 bucket has versioning enabled',
    );
  });

  it('refuses a digest made from another check catalog: every check of the item is an ERROR', () => {
    const stale = outcome(bucket('Data'), { 's3-bucket-versioning-enabled': 'PASS' });

    // The Aggregate disables a check the check Lambda still ran: the catalogs differ.
    const flat = flattenOutcomes([stale], 'adhoc', new Set(['s3-bucket-acl-prohibited']));

    expect(flat.every((r) => r.status === 'ERROR' && r.message.includes('another check catalog'))).toBe(true);
  });

  it('turns a failed work item into an ERROR for each check it would have run', () => {
    const failed: MapOutcome = {
      family: 's3',
      resource: bucket('Data'),
      error: { Error: 'Lambda.Unknown', Cause: 'boom\nstack' },
    };

    const flat = flattenOutcomes([failed], 'adhoc', new Set(['s3-bucket-acl-prohibited']));

    expect(flat.length).toBeGreaterThan(5);
    expect(flat.every((r) => r.status === 'ERROR' && r.message.includes('Lambda.Unknown: boom'))).toBe(true);
    expect(flat.some((r) => r.checkId === 's3-bucket-acl-prohibited')).toBe(false);
  });
});

describe('applySuppressions', () => {
  const waiver = (checkId: string, logicalId: string, extra: Partial<Suppression> = {}): Suppression => ({
    checkId,
    logicalId,
    reason: 'access-log bucket cannot log to itself',
    ...extra,
  });

  it('mutes exactly one check on one resource and keeps the reason', () => {
    const results = [
      result('s3-bucket-logging-enabled', 'medium', 'FAIL', 'Logs'),
      result('s3-bucket-logging-enabled', 'medium', 'FAIL', 'Data'),
    ];

    const { results: applied, waivers } = applySuppressions(
      results,
      [waiver('s3-bucket-logging-enabled', 'Logs', { owner: 'team-a' })],
      DEFAULT_POLICY,
      NOW,
    );

    expect(applied.map((r) => r.status)).toEqual(['SUPPRESSED', 'FAIL']);
    expect(applied[0]?.message).toContain('access-log bucket cannot log to itself (owner team-a)');
    expect(waivers.applied).toBe(1);
  });

  it('ignores an expired waiver and reports it', () => {
    const { results: applied, waivers } = applySuppressions(
      [result('c', 'medium', 'FAIL', 'Logs')],
      [waiver('c', 'Logs', { expires: '2026-01-01' })],
      DEFAULT_POLICY,
      NOW,
    );

    expect(applied[0]?.status).toBe('FAIL');
    expect(waivers.expired).toEqual(['c@Logs (expired 2026-01-01)']);
  });

  it('reports a waiver that matches nothing', () => {
    const { waivers } = applySuppressions(
      [result('c', 'medium', 'FAIL', 'Logs')],
      [waiver('c', 'Gone')],
      DEFAULT_POLICY,
      NOW,
    );

    expect(waivers.unmatched).toEqual(['c@Gone']);
  });

  it('refuses to waive a critical finding unless the policy allows it', () => {
    const results = [result('s3-bucket-public-read-prohibited', 'critical', 'FAIL', 'Site')];
    const waivers = [waiver('s3-bucket-public-read-prohibited', 'Site')];

    const strict = applySuppressions(results, waivers, DEFAULT_POLICY, NOW);
    const lenient = applySuppressions(
      results,
      waivers,
      { ...DEFAULT_POLICY, allowCriticalSuppressions: true },
      NOW,
    );

    expect(strict.results[0]?.status).toBe('FAIL');
    expect(strict.waivers.refused[0]).toContain('critical checks cannot be waived');
    expect(lenient.results[0]?.status).toBe('SUPPRESSED');
  });
});

describe('score', () => {
  const clean = [
    outcome(bucket('A'), { 's3-bucket-versioning-enabled': 'PASS', 's3-bucket-acl-prohibited': 'PASS' }),
  ];

  it('reports quality, complexity penalty and fitness separately', () => {
    const report = run(clean);

    expect(report).toMatchObject({
      quality: 100,
      complexity: 40,
      penalty: 4,
      fitness: 96,
      decision: 'Succeeded',
      baseline: null,
    });
    expect(report.coverage).toEqual(COVERAGE);
    expect(report.summary).toEqual({ PASS: 2, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 9, SUPPRESSED: 0 });
    expect(report.reasons[0]).toContain('no accepted baseline yet');
  });

  it('fails on an unsuppressed critical FAIL whatever the fitness', () => {
    const report = run([outcome(bucket('Site'), { 's3-bucket-public-read-prohibited': 'FAIL' })]);

    expect(report.decision).toBe('Failed');
    expect(report.reasons[0]).toMatch(/^critical s3-bucket-public-read-prohibited failed on Site/);
  });

  it('fails on a critical ERROR too, unless failOnCritical is off', () => {
    const erroring = [
      outcome(bucket('Site'), {
        's3-bucket-public-read-prohibited': 'ERROR',
        's3-bucket-versioning-enabled': 'PASS',
      }),
    ];

    expect(run(erroring).decision).toBe('Failed');
    expect(run(erroring, { config: { policy: { ...DEFAULT_POLICY, failOnCritical: false } } }).decision).toBe(
      'Succeeded',
    );
  });

  it('fails below minFitness', () => {
    const report = run(clean, { config: { policy: { ...DEFAULT_POLICY, minFitness: 97 } } });

    expect(report.decision).toBe('Failed');
    expect(report.reasons[0]).toBe('fitness 96 is below the minimum 97');
  });

  it('passes an equal fitness and fails any drop against the baseline by default', () => {
    const equal = run(clean, { baseline: { fitness: 96, findings: [], since: 'd-PREVIOUS1' } });
    const dropped = run(
      [outcome(bucket('A'), { 's3-bucket-versioning-enabled': 'FAIL', 's3-bucket-acl-prohibited': 'PASS' })],
      {
        baseline: { fitness: 96, findings: [], since: 'd-PREVIOUS1' },
      },
    );

    expect(equal.decision).toBe('Succeeded');
    expect(dropped.decision).toBe('Failed');
    expect(dropped.reasons[0]).toBe(
      // versioning (low, 2) fails, ACLs (medium, 4) pass: 100·4/6 − 4 = 62.67
      'fitness regressed from 96 to 62.67 (allowed drop 0); new findings: s3-bucket-versioning-enabled@A',
    );
  });

  it('tolerates a drop within maxRegression', () => {
    const report = run(
      [outcome(bucket('A'), { 's3-bucket-versioning-enabled': 'FAIL', 's3-bucket-acl-prohibited': 'PASS' })],
      {
        config: { policy: { ...DEFAULT_POLICY, maxRegression: 40 } },
        baseline: { fitness: 96, findings: [], since: 'd-PREVIOUS1' },
      },
    );

    expect(report.decision).toBe('Succeeded');
  });

  it('says what is new and what was fixed since the baseline', () => {
    const report = run(
      [outcome(bucket('A'), { 's3-bucket-versioning-enabled': 'FAIL', 's3-bucket-acl-prohibited': 'PASS' })],
      {
        baseline: { fitness: 10, findings: ['s3-bucket-acl-prohibited@A'], since: 'd-PREVIOUS1' },
      },
    );

    expect(report.diff).toEqual({
      new: ['s3-bucket-versioning-enabled@A'],
      fixed: ['s3-bucket-acl-prohibited@A'],
      since: 'd-PREVIOUS1',
    });
  });

  it('makes "no applicable checks" an explicit state, never a silent 100', () => {
    const report = run([outcome(bucket('A'), { 's3-version-lifecycle-policy-check': 'NOT_APPLICABLE' })]);

    expect(report.quality).toBeNull();
    expect(report.fitness).toBeNull();
    expect(report.reasons).toContain('no applicable checks: nothing in this stack was scored');
  });

  it('excludes suppressed findings from the score and reports per-pillar quality', () => {
    const report = run(
      [
        outcome(bucket('Logs'), {
          's3-bucket-logging-enabled': 'FAIL',
          's3-bucket-versioning-enabled': 'PASS',
        }),
      ],
      {
        config: {
          suppressions: [
            {
              checkId: 's3-bucket-logging-enabled',
              logicalId: 'Logs',
              reason: 'it is the log bucket itself',
            },
          ],
        },
      },
    );

    expect(report.quality).toBe(100);
    expect(report.summary.SUPPRESSED).toBe(1);
    expect(report.pillars).toEqual({ reliability: 100 });
  });

  it('orders results worst first', () => {
    const report = run([
      outcome(bucket('A'), { 's3-bucket-versioning-enabled': 'PASS', 's3-bucket-acl-prohibited': 'FAIL' }),
    ]);

    expect(report.results.map((r) => r.status).slice(0, 2)).toEqual(['FAIL', 'PASS']);
    expect(report.results.at(-1)?.status).toBe('NOT_APPLICABLE');
  });

  it('keeps every result, however many, for the history and the metrics when the report is cut', () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      outcome(bucket(`Bucket${i}`), {
        's3-bucket-versioning-enabled': i % 2 ? 'FAIL' : 'PASS',
        's3-bucket-acl-prohibited': 'PASS',
      }),
    );

    const { report, results } = scoreAll(many);

    expect(results).toHaveLength(400 * 11);
    expect(report.results.length).toBeLessThan(results.length);
    expect(Buffer.byteLength(JSON.stringify(report.results))).toBeLessThanOrEqual(
      REPORT_RESULTS_BUDGET_BYTES,
    );
    expect(report.results.filter((r) => r.status === 'FAIL')).toHaveLength(200);
    const omitted = report.resultsOmitted ?? {};
    expect((omitted.PASS ?? 0) + (omitted.NOT_APPLICABLE ?? 0) + report.results.length).toBe(results.length);
    expect(report.summary.PASS).toBe(600);
  });
});

describe('fitResults', () => {
  it('keeps everything that fits, and says nothing was left out', () => {
    const few = [result('c', 'low', 'PASS')];

    expect(fitResults(few)).toEqual({ results: few });
  });

  it('cuts the least important results first and counts them by status', () => {
    const results = [
      result('a', 'high', 'FAIL'),
      result('b', 'low', 'PASS'),
      result('c', 'low', 'NOT_APPLICABLE'),
    ];
    const oneResult = Buffer.byteLength(JSON.stringify(results[0])) + 3;

    expect(fitResults(results, oneResult)).toEqual({
      results: [results[0]],
      resultsOmitted: { PASS: 1, NOT_APPLICABLE: 1 },
    });
  });
});
