import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createS3Clients } from '../../../functions/checks/s3/clients.ts';
import { rules } from '../../../functions/checks/s3/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { bucketRef, createBucket, mockS3Clients, putPolicy } from '../../support/s3-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 's3-bucket-ssl-requests-only';
const clients = createS3Clients();

/** The statement CDK's `enforceSSL: true` emits. */
const enforceSsl = (bucket: string, overrides: object = {}) => ({
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 's3:*',
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  ...overrides,
});

describe(`${CHECK} (moto)`, () => {
  it('passes the statement CDK enforceSSL emits', async () => {
    await createBucket(clients, 'tls-cdk');
    await putPolicy(clients, 'tls-cdk', [enforceSsl('tls-cdk')]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('tls-cdk'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'the policy denies every request without TLS to the bucket and its objects (Statement[0])',
    });
  });

  it.each([
    [
      'Resource "*", Action "*", boolean false',
      { Resource: '*', Action: '*', Condition: { Bool: { 'aws:SecureTransport': false } } },
    ],
    [
      'Principal "*" and BoolIfExists',
      { Principal: '*', Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } },
    ],
    ['a wildcard resource covering both', { Resource: 'arn:aws:s3:::tls-variants*' }],
  ])('passes a TLS-only statement with %s', async (_, overrides) => {
    await createBucket(clients, 'tls-variants');
    await putPolicy(clients, 'tls-variants', [enforceSsl('tls-variants', overrides)]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('tls-variants'));

    expect(result.status).toBe('PASS');
  });

  it('fails a bucket without a policy (NoSuchBucketPolicy)', async () => {
    await createBucket(clients, 'tls-no-policy');

    const result = await runCheck(CHECK, rules, clients, bucketRef('tls-no-policy'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'bucket has no policy, so nothing denies HTTP requests',
    });
  });

  it('fails a policy without a TLS-only statement', async () => {
    await createBucket(clients, 'tls-other-policy');
    await putPolicy(clients, 'tls-other-policy', [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789012:root' },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::tls-other-policy/*',
      },
    ]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('tls-other-policy'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message:
        'no statement denies every request without TLS (Deny to "*" on s3:* when aws:SecureTransport is false)',
    });
  });

  it.each([
    ['denies only one action', { Action: 's3:GetObject' }],
    ['is an Allow', { Effect: 'Allow' }],
    ['tests aws:SecureTransport = true', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
    ['applies to one principal only', { Principal: { AWS: 'arn:aws:iam::123456789012:root' } }],
    [
      'spares a principal (NotPrincipal)',
      { Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::123456789012:root' } },
    ],
    [
      'also needs another condition',
      {
        Condition: {
          Bool: { 'aws:SecureTransport': 'false' },
          StringNotEquals: { 'aws:SourceVpce': 'vpce-1' },
        },
      },
    ],
    ['spares an action (NotAction)', { Action: undefined, NotAction: 's3:GetObject' }],
  ])('fails a statement that %s', async (_, overrides) => {
    await createBucket(clients, 'tls-near-miss');
    await putPolicy(clients, 'tls-near-miss', [enforceSsl('tls-near-miss', overrides)]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('tls-near-miss'));

    expect(result.status).toBe('FAIL');
  });

  it('fails a TLS-only statement that covers the objects but not the bucket', async () => {
    await createBucket(clients, 'tls-objects-only');
    await putPolicy(clients, 'tls-objects-only', [
      enforceSsl('tls-objects-only', { Resource: 'arn:aws:s3:::tls-objects-only/*' }),
    ]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('tls-objects-only'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'requests without TLS are not denied for arn:aws:s3:::tls-objects-only',
      evidence: { uncovered: ['arn:aws:s3:::tls-objects-only'] },
    });
  });

  it('fails a TLS-only statement written for another bucket', async () => {
    await createBucket(clients, 'tls-wrong-bucket');
    await putPolicy(clients, 'tls-wrong-bucket', [enforceSsl('some-other-bucket')]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('tls-wrong-bucket'));

    expect(result).toMatchObject({
      status: 'FAIL',
      evidence: {
        denyingStatements: [],
        uncovered: ['arn:aws:s3:::tls-wrong-bucket', 'arn:aws:s3:::tls-wrong-bucket/*'],
      },
    });
  });

  it('passes the bucket and its objects denied by two statements (the whole policy is judged)', async () => {
    await createBucket(clients, 'tls-split');
    await putPolicy(clients, 'tls-split', [
      enforceSsl('tls-split', { Sid: 'Bucket', Resource: 'arn:aws:s3:::tls-split' }),
      enforceSsl('tls-split', { Sid: 'Objects', Resource: 'arn:aws:s3:::tls-split/*' }),
    ]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('tls-split'));

    expect(result).toMatchObject({ status: 'PASS', evidence: { denyingStatements: ['Bucket', 'Objects'] } });
  });

  it('is an ERROR when the bucket does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, bucketRef('tls-missing-bucket'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NoSuchBucket');
  });
});

describe(`${CHECK} (SDK mock)`, () => {
  it('is an ERROR, not a FAIL, when GetBucketPolicy is denied (SDK mock: moto has no IAM enforcement)', async () => {
    const mocked = mockS3Clients();
    mocked.s3.on(GetBucketPolicyCommand).rejects(accessDenied('AccessDenied'));

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result).toMatchObject({
      status: 'ERROR',
      message: 'access denied (AccessDenied); the auditor role needs s3:GetBucketPolicy',
    });
  });
});
