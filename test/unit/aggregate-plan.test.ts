/**
 * The improvement plan's pure core (functions/aggregate/plan.ts): every gain is the report's own
 * scoring of the results with that finding passing, and the restoring set is the smallest there is —
 * compared with a brute force over every subset of findings on small random stacks.
 */
import { describe, expect, it } from 'vitest';
import {
  improvementPlan,
  MAX_PLAN_STEPS,
  PLAN_BUDGET_BYTES,
  type PlanInput,
} from '../../functions/aggregate/plan.ts';
import { fitnessOf, qualityOf, round } from '../../functions/aggregate/quality.ts';
import { FIXES } from '../../functions/checks/registry.ts';
import { type CheckResult, SEVERITIES, type Severity, type Status } from '../../functions/checks/types.ts';
import { DEFAULT_POLICY, type GatePolicy } from '../../functions/shared/config.ts';

const result = (checkId: string, logicalId: string, status: Status, severity: Severity): CheckResult => ({
  checkId,
  logicalId,
  status,
  severity,
  resourceType: 'AWS::S3::Bucket',
  physicalId: logicalId.toLowerCase(),
  message: status,
});

/** A small deterministic generator (mulberry32), so a failing case can be replayed by its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUS_MIX: readonly Status[] = [
  'PASS',
  'PASS',
  'FAIL',
  'FAIL',
  'ERROR',
  'NOT_APPLICABLE',
  'SUPPRESSED',
];

/** A random stack: a few checks (one severity each) over a few resources, at most `maxFindings` non-passing. */
function randomCase(seed: number, maxFindings: number): PlanInput {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const checks = Array.from({ length: 1 + Math.floor(next() * 5) }, (_, i) => ({
    id: `check-${i}`,
    severity: pick(SEVERITIES),
  }));
  const results: CheckResult[] = [];
  let findings = 0;
  for (const check of checks) {
    // Some checks only ERROR (a Lambda that fails on every resource): unscored when errors do not count.
    const erroring = next() < 0.25;
    for (let r = 0; r < 1 + Math.floor(next() * 6); r++) {
      let status = erroring ? 'ERROR' : pick(STATUS_MIX);
      if ((status === 'FAIL' || status === 'ERROR') && findings >= maxFindings) status = 'PASS';
      if (status === 'FAIL' || status === 'ERROR') findings++;
      results.push(result(check.id, `R${r}`, status, check.severity));
    }
  }
  const policy: GatePolicy = {
    ...DEFAULT_POLICY,
    errorsCountAsFailures: next() < 0.6,
    failOnCritical: next() < 0.5,
    maxRegression: pick([0, 0, 1.5]),
    minFitness: next() < 0.3 ? Math.round(next() * 100) : null,
  };
  const penalty = round(next() * 5);
  const fitness = fitnessOf(qualityOf(results, policy.errorsCountAsFailures), penalty);
  const baseline = fitness === null ? null : round(fitness + next() * 30);
  return { results, policy, penalty, fitness, baseline, failed: true };
}

const keyOf = (r: Pick<CheckResult, 'checkId' | 'logicalId'>) => `${r.checkId}@${r.logicalId}`;
const isFinding = (r: CheckResult) => r.status === 'FAIL' || r.status === 'ERROR';

/** The report's fitness of the results with `fixed` passing, computed as score() does, from the results. */
function fitnessWithPassing(input: PlanInput, fixed: ReadonlySet<string>): number | null {
  const results = input.results.map((r) => (fixed.has(keyOf(r)) ? { ...r, status: 'PASS' as const } : r));
  return fitnessOf(qualityOf(results, input.policy.errorsCountAsFailures), input.penalty);
}

/** Does a fitness pass the gate's thresholds, exactly as score() decides (null skips them)? */
function meetsThresholds(input: PlanInput, fitness: number | null): boolean {
  if (fitness === null) return true;
  if (input.policy.minFitness !== null && fitness < input.policy.minFitness) return false;
  return input.baseline === null || input.baseline === undefined
    ? true
    : fitness >= round(input.baseline - input.policy.maxRegression);
}

/** The smallest set that passes, by trying every subset (critical findings required when the policy fails on them). */
function bruteForce(input: PlanInput): number | undefined {
  const findings = input.results.filter(isFinding);
  const required = findings.filter((f) => input.policy.failOnCritical && f.severity === 'critical');
  let best: number | undefined;
  for (let mask = 0; mask < 1 << findings.length; mask++) {
    const set = findings.filter((_, i) => mask & (1 << i));
    if (!required.every((r) => set.includes(r))) continue;
    if (best !== undefined && set.length >= best) continue;
    if (meetsThresholds(input, fitnessWithPassing(input, new Set(set.map(keyOf))))) best = set.length;
  }
  return best;
}

describe('improvementPlan: each finding’s gain', () => {
  it('is the report’s fitness of the same results with that finding alone passing', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const input = randomCase(seed, 8);

      const plan = improvementPlan(input);

      const listed = plan.steps.flatMap((step) => step.findings);
      expect(listed.length + (plan.findingsOmitted ?? 0)).toBe(input.results.filter(isFinding).length);
      for (const finding of listed) {
        const fitness = fitnessWithPassing(input, new Set([keyOf(finding)]));
        expect(finding.fitness, `seed ${seed} ${keyOf(finding)}`).toBe(fitness);
        expect(finding.gain).toBe(
          fitness === null || input.fitness === null ? null : round(fitness - (input.fitness as number)),
        );
      }
    }
  });

  it('adds up: a step’s gain is the sum of its findings’ gains when every finding fails (to rounding)', () => {
    // Three FAILs on one bucket, one check each: 16·(1/2), 8·(1/2), 4·(1/1) of 28 — fixing any adds w/scored.
    const results = [
      result('s3-bucket-public-read-prohibited', 'Site', 'FAIL', 'critical'),
      result('s3-bucket-public-read-prohibited', 'Logs', 'PASS', 'critical'),
      result('s3-bucket-public-write-prohibited', 'Site', 'FAIL', 'critical'),
      result('s3-bucket-level-public-access-prohibited', 'Site', 'FAIL', 'high'),
      result('s3-bucket-level-public-access-prohibited', 'Logs', 'PASS', 'high'),
      result('s3-bucket-versioning-enabled', 'Site', 'FAIL', 'low'),
    ];
    const input: PlanInput = {
      results,
      policy: DEFAULT_POLICY,
      penalty: 2,
      fitness: fitnessOf(qualityOf(results, true), 2),
      failed: false,
    };

    const plan = improvementPlan(input);

    const step = plan.steps.find((s) => s.fix === 'block-public-access');
    expect(step?.logicalId).toBe('Site');
    expect(step?.findings.map((f) => f.checkId).sort()).toEqual([
      's3-bucket-level-public-access-prohibited',
      's3-bucket-public-read-prohibited',
      's3-bucket-public-write-prohibited',
    ]);
    expect(step?.remediation).toBe(FIXES['block-public-access'].remediation);
    const sum = (step?.findings ?? []).reduce((total, f) => total + (f.gain ?? 0), 0);
    expect(Math.abs((step?.gain ?? 0) - sum)).toBeLessThanOrEqual(0.01 * (step?.findings.length ?? 0));
    // Every gain, every finding passing: the whole plan lifts fitness to quality 100 less the penalty.
    const all = plan.steps.reduce((total, s) => total + (s.gain ?? 0), 0);
    expect(round((input.fitness as number) + all)).toBeCloseTo(98, 1);
    // A single finding: its own remediation text, not a group's.
    expect(plan.steps.find((s) => s.fix === 's3-bucket-versioning-enabled')?.remediation).toMatch(
      /ersioning/,
    );
  });
});

describe('improvementPlan: the restoring set', () => {
  it('is the smallest set that passes, on every small stack (brute force over all subsets)', () => {
    let compared = 0;
    let unreachable = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const input = randomCase(seed, 10);

      const restore = improvementPlan(input).restore;

      const minimum = bruteForce(input);
      expect(restore, `seed ${seed}`).toBeDefined();
      if (minimum === undefined) {
        unreachable++;
        expect(restore?.reachable, `seed ${seed}`).toBe(false);
        continue;
      }
      compared++;
      expect(restore?.reachable, `seed ${seed}`).toBe(true);
      expect(restore?.size, `seed ${seed}`).toBe(minimum);
      const fitness = fitnessWithPassing(input, new Set(restore?.findings));
      expect(restore?.fitness, `seed ${seed}`).toBe(fitness);
      expect(meetsThresholds(input, fitness), `seed ${seed}`).toBe(true);
    }
    // The generator gives both kinds of case, so neither branch goes untested.
    expect(compared).toBeGreaterThan(300);
    expect(unreachable).toBeGreaterThan(10);
  });

  it('counts a check whose results all ERROR, unscored by the policy, as one fix that adds it at pass rate 1', () => {
    // Quality 50 (pitr 2 of 4); the unscored backup check adds 8 at rate 1 once one ERROR is fixed:
    // (2 + 8) / (4 + 8) = 83.33 ≥ 80 with one fix, where the FAILs need two.
    const results = [
      result('dynamodb-pitr-enabled', 'T1', 'PASS', 'medium'),
      result('dynamodb-pitr-enabled', 'T2', 'PASS', 'medium'),
      result('dynamodb-pitr-enabled', 'T3', 'FAIL', 'medium'),
      result('dynamodb-pitr-enabled', 'T4', 'FAIL', 'medium'),
      result('sqs-queue-no-public-access', 'Q1', 'ERROR', 'high'),
      result('sqs-queue-no-public-access', 'Q2', 'ERROR', 'high'),
    ];
    const policy = { ...DEFAULT_POLICY, errorsCountAsFailures: false };
    const input: PlanInput = { results, policy, penalty: 0, fitness: 50, baseline: 80, failed: true };

    const restore = improvementPlan(input).restore;

    expect(bruteForce(input)).toBe(1);
    expect(restore).toMatchObject({ size: 1, fitness: 83.33, reachable: true });
    expect(restore?.findings[0]).toMatch(/^sqs-queue-no-public-access@Q[12]$/);
  });

  it('lists the critical findings first when the policy fails on critical, whatever their gain', () => {
    // The critical FAIL is one of ten buckets (gain small); the low-severity check fails on its only resource.
    const results = [
      ...Array.from({ length: 10 }, (_, i) =>
        result('s3-bucket-public-read-prohibited', `B${i}`, i === 0 ? 'FAIL' : 'PASS', 'critical'),
      ),
      result('dynamodb-pitr-enabled', 'Table', 'FAIL', 'medium'),
    ];
    const fitness = fitnessOf(qualityOf(results, true), 0);
    const input: PlanInput = {
      results,
      policy: DEFAULT_POLICY,
      penalty: 0,
      fitness,
      baseline: 99,
      failed: true,
    };

    const plan = improvementPlan(input);

    expect(plan.steps[0]).toMatchObject({ logicalId: 'B0', required: true });
    expect(plan.steps[1]?.logicalId).toBe('Table');
    expect((plan.steps[0]?.gain ?? 0) < (plan.steps[1]?.gain ?? 0)).toBe(true);
    expect(plan.restore?.findings[0]).toBe('s3-bucket-public-read-prohibited@B0');
    expect(plan.restore?.findings).toEqual([
      's3-bucket-public-read-prohibited@B0',
      'dynamodb-pitr-enabled@Table',
    ]);

    const relaxed = improvementPlan({ ...input, policy: { ...DEFAULT_POLICY, failOnCritical: false } });

    expect(relaxed.steps[0]?.logicalId).toBe('Table');
    expect(relaxed.steps.every((step) => !step.required)).toBe(true);
  });

  it('says when no set of fixes reaches the baseline: the drop is not the findings’', () => {
    const results = [result('dynamodb-pitr-enabled', 'Table', 'FAIL', 'medium')];
    const input: PlanInput = {
      results,
      policy: DEFAULT_POLICY,
      penalty: 10,
      fitness: -10,
      baseline: 95,
      failed: true,
    };

    const restore = improvementPlan(input).restore;

    expect(restore).toEqual({ target: 95, fitness: 90, reachable: false, size: 0, findings: [] });
  });

  it('is absent when the gate passed, and names only the critical findings when they alone fail it', () => {
    const results = [
      result('s3-bucket-public-read-prohibited', 'Site', 'FAIL', 'critical'),
      result('s3-bucket-versioning-enabled', 'Site', 'FAIL', 'low'),
    ];
    const base = { results, policy: DEFAULT_POLICY, penalty: 0, fitness: 0 } as const;

    expect(improvementPlan({ ...base, failed: false }).restore).toBeUndefined();
    expect(improvementPlan({ ...base, failed: true }).restore).toEqual({
      target: null,
      fitness: 88.89,
      reachable: true,
      size: 1,
      findings: ['s3-bucket-public-read-prohibited@Site'],
    });
  });
});

describe('improvementPlan: size', () => {
  it('keeps the plan small on a 500-resource stack: steps cut, the rest counted', () => {
    const results = Array.from({ length: 2000 }, (_, i) =>
      result(
        ['s3-bucket-versioning-enabled', 'dynamodb-pitr-enabled', 'sqs-queue-encrypted', 'lambda-dlq-check'][
          i % 4
        ] as string,
        `Resource${Math.floor(i / 4)}`,
        i % 3 === 0 ? 'PASS' : 'FAIL',
        'medium',
      ),
    );
    const fitness = fitnessOf(qualityOf(results, true), 0);

    const plan = improvementPlan({
      results,
      policy: DEFAULT_POLICY,
      penalty: 0,
      fitness,
      baseline: 99,
      failed: true,
    });

    expect(plan.steps.length).toBeLessThanOrEqual(MAX_PLAN_STEPS);
    expect(Buffer.byteLength(JSON.stringify(plan))).toBeLessThanOrEqual(PLAN_BUDGET_BYTES);
    expect(plan.steps.length + (plan.stepsOmitted ?? 0)).toBe(results.filter(isFinding).length);
    expect(plan.restore?.size).toBeGreaterThan(plan.restore?.findings.length ?? 0);
  });
});
