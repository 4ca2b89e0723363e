/** Reports for the CLI's formatter tests: small, typed, and covering every status. */
import type { CheckResult } from '../../functions/checks/types.ts';
import type { Coverage, HistoryRecord, Plan, Report } from '../../statemachine/state.ts';

const result = (overrides: Partial<CheckResult> & Pick<CheckResult, 'checkId' | 'status'>): CheckResult => ({
  resourceType: 'AWS::S3::Bucket',
  logicalId: 'DataBucket',
  physicalId: 'svc-databucket-1',
  severity: 'medium',
  message: `${overrides.checkId} ${overrides.status.toLowerCase()}`,
  ...overrides,
});

export const RESULTS: readonly CheckResult[] = [
  result({
    checkId: 's3-bucket-public-read-prohibited',
    status: 'FAIL',
    severity: 'critical',
    message: 'publicly readable through policy statement <PublicRead> & "friends"',
  }),
  result({
    checkId: 'cloudformation-stack-drift-detection-check',
    status: 'ERROR',
    severity: 'low',
    resourceType: 'AWS::CloudFormation::Stack',
    logicalId: 'svc',
    physicalId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/svc/1',
    message: 'the emulator does not implement a call this check needs',
  }),
  result({
    checkId: 's3-bucket-logging-enabled',
    status: 'SUPPRESSED',
    message: 'suppressed: the access-log bucket itself — was FAIL: server access logging is off',
  }),
  result({
    checkId: 's3-bucket-versioning-enabled',
    status: 'PASS',
    severity: 'low',
    message: 'versioning is Enabled',
  }),
  result({
    checkId: 's3-bucket-versioning-enabled',
    status: 'PASS',
    severity: 'low',
    logicalId: 'LogBucket',
    physicalId: 'svc-logbucket-1',
    message: 'versioning is Enabled',
  }),
  result({
    checkId: 'lambda-function-url-auth-required',
    status: 'NOT_APPLICABLE',
    severity: 'high',
    resourceType: 'AWS::Lambda::Function',
    logicalId: 'Fn',
    physicalId: 'svc-fn-1',
    message: 'the function has no URL',
  }),
];

/** Six resources: three judged directly, a bucket policy through its bucket, one not judged, one of no risk. */
export const COVERAGE: Coverage = {
  resources: 6,
  audited: 3,
  unsupportedTypes: ['AWS::CodeDeploy::Application'],
  throughParent: 1,
  notJudged: 1,
  noRisk: 1,
  percent: 80,
  sets: {
    direct: [
      { type: 'AWS::Lambda::Function', count: 1 },
      { type: 'AWS::S3::Bucket', count: 2 },
    ],
    throughParent: [
      {
        logicalId: 'DataBucketPolicy',
        type: 'AWS::S3::BucketPolicy',
        parent: 'DataBucket',
        checks: ['s3-bucket-public-read-prohibited', 's3-bucket-ssl-requests-only'],
      },
    ],
    notJudged: [
      { logicalId: 'App', type: 'AWS::CodeDeploy::Application', reason: 'no check judges this type' },
    ],
    noRisk: [{ type: 'AWS::CDK::Metadata', count: 1, reason: 'CDK’s record of the library versions used' }],
  },
};

/** What the plan of the fixture's findings says: the critical bucket first, then by gain. */
export const PLAN: Plan = {
  steps: [
    {
      fix: 'block-public-access',
      logicalId: 'DataBucket',
      remediation: 'Turn on all four Block Public Access settings of the bucket.',
      required: true,
      fitness: 90.2,
      gain: 18.8,
      findings: [
        {
          checkId: 's3-bucket-public-read-prohibited',
          logicalId: 'DataBucket',
          severity: 'critical',
          status: 'FAIL',
          fitness: 90.2,
          gain: 18.8,
        },
      ],
    },
    {
      fix: 'cloudformation-stack-drift-detection-check',
      logicalId: 'svc',
      remediation: 'Run drift detection and reconcile the drifted resources.',
      required: false,
      fitness: 73.75,
      gain: 2.35,
      findings: [
        {
          checkId: 'cloudformation-stack-drift-detection-check',
          logicalId: 'svc',
          severity: 'low',
          status: 'ERROR',
          fitness: 73.75,
          gain: 2.35,
        },
      ],
    },
  ],
  restore: {
    target: 69,
    fitness: 90.2,
    reachable: true,
    size: 1,
    findings: ['s3-bucket-public-read-prohibited@DataBucket'],
  },
};

export function makeReport(overrides: Partial<Report> = {}): Report {
  return {
    stack: 'svc',
    trigger: 'adhoc',
    fitness: 71.4,
    quality: 75.4,
    complexity: 40,
    penalty: 4,
    baseline: 69,
    decision: 'Failed',
    reasons: [
      'critical s3-bucket-public-read-prohibited failed on DataBucket: publicly readable through policy statement PublicRead',
      'fitness 71.4 against baseline 69 (allowed drop 0)',
    ],
    summary: { PASS: 2, FAIL: 1, NOT_APPLICABLE: 1, ERROR: 1, SUPPRESSED: 1 },
    pillars: { security: 60, reliability: 100 },
    coverage: COVERAGE,
    plan: PLAN,
    diff: {
      new: ['s3-bucket-public-read-prohibited@DataBucket'],
      fixed: ['s3-bucket-versioning-enabled@LogBucket'],
      since: 'd-ABC123456',
    },
    waivers: { applied: 1, unmatched: [], expired: [], refused: [] },
    notes: ['no history table: baseline and history skipped'],
    results: RESULTS,
    ...overrides,
  };
}

export function makeRecord(overrides: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    stackName: 'svc',
    runId: '2026-01-02T03:04:05.000Z#exec-1',
    executionName: 'exec-1',
    startedAt: '2026-01-02T03:04:05.000Z',
    trigger: 'BeforeAllowTraffic',
    deploymentId: 'd-ABC123456',
    hookExecutionId: 'hook-1',
    fitness: 71.4,
    quality: 75.4,
    complexity: 40,
    penalty: 4,
    baseline: 69,
    decision: 'Succeeded',
    accepted: true,
    reasons: ['fitness 71.4 against baseline 69 (allowed drop 0)'],
    findings: [],
    summary: { PASS: 2, FAIL: 1 },
    ...overrides,
  };
}
