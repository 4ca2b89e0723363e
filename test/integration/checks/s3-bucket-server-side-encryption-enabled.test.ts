import {
  GetBucketEncryptionCommand,
  PutBucketEncryptionCommand,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { S3Clients } from '../../../functions/checks/s3/clients.ts';
import { createS3Clients } from '../../../functions/checks/s3/clients.ts';
import { rules } from '../../../functions/checks/s3/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { bucketRef, createBucket, mockS3Clients } from '../../support/s3-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 's3-bucket-server-side-encryption-enabled';
const clients = createS3Clients();

async function encryptBucket(s3Clients: S3Clients, name: string, algorithm: ServerSideEncryption) {
  await s3Clients.s3.send(
    new PutBucketEncryptionCommand({
      Bucket: name,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: algorithm } }],
      },
    }),
  );
}

describe(`${CHECK} (moto)`, () => {
  it.each([['AES256'], ['aws:kms'], ['aws:kms:dsse']] as const)(
    'passes default encryption %s',
    async (algorithm) => {
      const name = `sse-${algorithm.replace(/\W/g, '-').toLowerCase()}`;
      await createBucket(clients, name);
      await encryptBucket(clients, name, algorithm);

      const result = await runCheck(CHECK, rules, clients, bucketRef(name));

      expect(result).toMatchObject({ status: 'PASS', message: `default encryption is ${algorithm}` });
    },
  );

  it('fails a bucket without an encryption configuration (moto answers NotFound where AWS reports AES256)', async () => {
    await createBucket(clients, 'sse-unset');

    const result = await runCheck(CHECK, rules, clients, bucketRef('sse-unset'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'no default encryption configuration' });
  });

  it('is an ERROR when the bucket does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, bucketRef('sse-missing-bucket'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NoSuchBucket');
  });
});

describe(`${CHECK} (SDK mock)`, () => {
  it('fails rules that apply no algorithm (SDK mock: moto rejects such a rule)', async () => {
    const mocked = mockS3Clients();
    mocked.s3
      .on(GetBucketEncryptionCommand)
      .resolves({ ServerSideEncryptionConfiguration: { Rules: [{ BucketKeyEnabled: true }] } });

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'no default encryption rule applies a known algorithm',
      evidence: { SSEAlgorithms: ['none'] },
    });
  });

  it('is an ERROR, not a FAIL, when GetBucketEncryption is denied (SDK mock: moto has no IAM enforcement)', async () => {
    const mocked = mockS3Clients();
    mocked.s3.on(GetBucketEncryptionCommand).rejects(accessDenied('AccessDenied'));

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result).toMatchObject({
      status: 'ERROR',
      message: 'access denied (AccessDenied); the auditor role needs s3:GetEncryptionConfiguration',
    });
  });
});
