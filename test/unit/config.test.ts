import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registry } from '../../functions/checks/registry.ts';
import {
  configFromEnv,
  configJsonSchema,
  DEFAULT_CONFIG,
  DEFAULT_POLICY,
  resolveConfig,
  tightenPolicy,
} from '../../functions/shared/config.ts';
import { expiryInstant, isExpired } from '../../functions/shared/expiry.ts';

const waiver = (extra: Record<string, unknown>) => ({
  suppressions: [
    { checkId: 's3-bucket-versioning-enabled', logicalId: 'A', reason: 'long enough reason', ...extra },
  ],
});

describe('gate configuration', () => {
  it('layers partial configurations over the defaults', () => {
    const config = resolveConfig(
      { policy: { minFitness: 50 }, checks: { disabled: ['s3-bucket-logging-enabled'] }, maxConcurrency: 20 },
      {
        policy: { maxRegression: 2 },
        checks: {
          disabled: ['s3-bucket-replication-enabled'],
          params: { 'lambda-function-log-retention': { minRetentionDays: 30 } },
        },
      },
    );

    expect(config.policy).toEqual({ ...DEFAULT_CONFIG.policy, minFitness: 50, maxRegression: 2 });
    expect(config.checks).toEqual({
      disabled: ['s3-bucket-logging-enabled', 's3-bucket-replication-enabled'],
      params: { 'lambda-function-log-retention': { minRetentionDays: 30 } },
    });
    expect(config.maxConcurrency).toBe(20);
  });

  it('takes check parameters in the string forms AWS Config writes them', () => {
    const config = resolveConfig({
      checks: {
        params: {
          's3-bucket-versioning-enabled': { isMfaDeleteEnabled: 'True' },
          'lambda-function-settings-check': { timeout: '30', runtime: 'nodejs22.x,nodejs24.x' },
          'iam-policy-blacklisted-check': { exceptionList: 'roles:[Deployer,Admin]' },
        },
      },
    });
    expect(config.checks.params['s3-bucket-versioning-enabled']).toEqual({ isMfaDeleteEnabled: 'True' });
    expect(() =>
      resolveConfig({
        checks: { params: { 's3-bucket-versioning-enabled': { isMfaDeleteEnabled: 'maybe' } } },
      }),
    ).toThrow('isMfaDeleteEnabled must be true or false');
  });

  it.each([
    [{ policy: { minFitness: 120 } }, 'policy.minFitness must be ≤ 100 (got 120)'],
    [{ policy: { minFitness: '60' } }, 'policy.minFitness must be a number (got "60")'],
    [{ policy: { maxRegression: -1 } }, 'policy.maxRegression must be ≥ 0 (got -1)'],
    [{ policy: { failOnCritical: 'yes' } }, 'policy.failOnCritical must be true or false (got "yes")'],
    [{ maxConcurrency: 41 }, 'maxConcurrency must be ≤ 40 (got 41)'],
    [{ maxConcurrency: 2.5 }, 'maxConcurrency must be an integer (got 2.5)'],
    [{ checks: { disabled: 'abc' } }, 'checks.disabled must be a list (got "abc")'],
    [{ checks: { disabled: ['nope'] } }, 'checks.disabled[0] must be a known check id (got "nope")'],
    [
      { checks: { params: { 's3-bucket-replication-enabled': { ReplicationType: 'SIDEWAYS' } } } },
      'checks.params.s3-bucket-replication-enabled.ReplicationType must be one of CROSS-REGION, SAME-REGION',
    ],
    [
      { checks: { params: { 'lambda-function-settings-check': { timeout: 'thirty' } } } },
      'checks.params.lambda-function-settings-check.timeout must be a number (got "thirty")',
    ],
    [
      { checks: { params: { 'iam-policy-blacklisted-check': { policyArns: 42 } } } },
      'checks.params.iam-policy-blacklisted-check.policyArns must be a list, or comma-separated text as AWS Config writes it (got 42)',
    ],
    [waiver({ checkId: '*' }), 'suppressions[0].checkId must be a known check id (got "*")'],
    [
      waiver({ logicalId: 'Bucket*' }),
      'suppressions[0].logicalId must name one resource by its logical id (Bucket, or Child/Bucket in a nested stack), no wildcards (got "Bucket*")',
    ],
    [
      waiver({ reason: 'short' }),
      'suppressions[0].reason needs at least 10 characters: say why the finding is accepted',
    ],
    [
      waiver({ reason: '          ' }),
      'suppressions[0].reason needs at least 10 characters: say why the finding is accepted',
    ],
    [waiver({ reason: undefined }), 'suppressions[0].reason is required'],
    [
      waiver({ expires: 'soon' }),
      'suppressions[0].expires must be an ISO 8601 date (2025-06-30) or a date-time with a time zone (2025-06-30T17:00:00Z) (got "soon")',
    ],
    [
      waiver({ expiry: '2030-01-01' }),
      'unknown key suppressions[0].expiry (expected checkId, logicalId, reason, owner, expires)',
    ],
    [{ polcy: {} }, 'unknown key polcy (expected policy, checks, suppressions, maxConcurrency)'],
  ])('refuses %j with one line naming the field', (layer, message) => {
    expect(() => resolveConfig(layer as never)).toThrow(`configuration: ${message}`);
  });

  it('takes a waiver of a nested stack’s resource by its key', () => {
    expect(resolveConfig(waiver({ logicalId: 'Child/Bucket' })).suppressions[0]?.logicalId).toBe(
      'Child/Bucket',
    );
  });

  it('reads FITGATE_CONFIG and refuses malformed JSON or content with one clear line', () => {
    expect(configFromEnv({ FITGATE_CONFIG: '{"maxConcurrency":5}' })).toEqual({ maxConcurrency: 5 });
    expect(configFromEnv({})).toBeUndefined();
    expect(() => configFromEnv({ FITGATE_CONFIG: '{' })).toThrow('FITGATE_CONFIG is not valid JSON');
    expect(() => configFromEnv({ FITGATE_CONFIG: '{"maxConcurrency":"5"}' })).toThrow(
      'FITGATE_CONFIG: maxConcurrency must be a number (got "5")',
    );
  });

  it('declares the type of every check parameter that has no default', () => {
    const untyped = registry.flatMap((check) =>
      Object.entries(check.params)
        .filter(([, spec]) => spec.default === undefined && spec.type === undefined)
        .map(([name]) => `${check.id}.${name}`),
    );
    expect(untyped).toEqual([]);
  });

  it('keeps docs/config.schema.json in step with the schema', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../docs/config.schema.json', import.meta.url), 'utf8'),
    );
    // Regenerate with: node -e "import('./functions/shared/config.ts').then(m => console.log(JSON.stringify(m.configJsonSchema(), null, 2)))" > docs/config.schema.json
    expect(committed).toEqual(configJsonSchema());
  });
});

describe('execution input policy in a hook-triggered run', () => {
  const gate = { ...DEFAULT_POLICY, minFitness: 60, maxRegression: 1 };

  it('takes what makes the gate stricter', () => {
    const { policy, ignored } = tightenPolicy(gate, {
      minFitness: 70,
      maxRegression: 0,
      failOnCritical: true,
      allowCriticalSuppressions: false,
      errorsCountAsFailures: true,
    });
    expect(policy).toEqual({ ...gate, minFitness: 70, maxRegression: 0 });
    expect(ignored).toEqual([]);
  });

  it('ignores, and names, every value that would loosen it', () => {
    const { policy, ignored } = tightenPolicy(
      { ...gate, errorsCountAsFailures: true },
      {
        minFitness: 10,
        maxRegression: 50,
        failOnCritical: false,
        allowCriticalSuppressions: true,
        complexityWeight: 0,
        errorsCountAsFailures: false,
      },
    );
    expect(policy).toEqual(gate);
    expect(ignored).toEqual([
      "policy.minFitness 10 (the gate's 60 stays)",
      "policy.maxRegression 50 (the gate's 1 stays)",
      "policy.failOnCritical false (the gate's true stays)",
      "policy.allowCriticalSuppressions true (the gate's false stays)",
      "policy.complexityWeight 0 (the gate's 0.1 stays)",
      "policy.errorsCountAsFailures false (the gate's true stays)",
    ]);
  });

  it('treats removing the floor as loosening, and a first floor as tightening', () => {
    expect(tightenPolicy(gate, { minFitness: null }).ignored).toHaveLength(1);
    expect(tightenPolicy(DEFAULT_POLICY, { minFitness: 5 }).policy.minFitness).toBe(5);
  });
});

describe('waiver expiry', () => {
  const at = (iso: string) => new Date(iso);

  it('lets a date-only expiry last through that whole day in UTC', () => {
    expect(isExpired('2025-06-30', at('2025-06-30T00:00:00Z'))).toBe(false);
    expect(isExpired('2025-06-30', at('2025-06-30T23:59:59.999Z'))).toBe(false);
    expect(isExpired('2025-06-30', at('2025-07-01T00:00:00Z'))).toBe(true);
  });

  it('reads a date-time in its own time zone', () => {
    // 19:00 at +02:00 is 17:00 UTC.
    expect(isExpired('2025-06-30T19:00:00+02:00', at('2025-06-30T16:59:59Z'))).toBe(false);
    expect(isExpired('2025-06-30T19:00:00+02:00', at('2025-06-30T17:00:00Z'))).toBe(true);
    expect(isExpired('2025-06-30T17:00Z', at('2025-06-30T17:00:00Z'))).toBe(true);
    expect(expiryInstant('2025-06-30T17:00:00.250Z')).toBe(Date.parse('2025-06-30T17:00:00.250Z'));
  });

  it.each([
    '2025-06-30T17:00:00',
    '2025-02-30',
    '2025-6-30',
    '30/06/2025',
    'tomorrow',
    '',
    '2025-06-30T25:00Z',
  ])('cannot read %j (refused when read, expired when applied)', (expires) => {
    expect(expiryInstant(expires)).toBeUndefined();
    expect(isExpired(expires, at('2000-01-01T00:00:00Z'))).toBe(true);
  });

  it('never expires a waiver without an expiry', () => {
    expect(isExpired(undefined, at('2999-01-01T00:00:00Z'))).toBe(false);
  });
});
