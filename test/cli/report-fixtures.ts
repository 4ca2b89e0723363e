/** Reports for the CLI's formatter tests: small, typed, and covering every status. */
import type { CheckResult } from '../../functions/checks/types.ts';
import type { HistoryRecord, Report } from '../../statemachine/state.ts';

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
    coverage: { resources: 5, audited: 4, unsupportedTypes: ['AWS::CodeDeploy::Application'] },
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
