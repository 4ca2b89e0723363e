import {
  CreateBucketCommand,
  GetBucketVersioningCommand,
  PutBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createS3Clients } from '../../../functions/checks/s3/clients.ts';
import { rules } from '../../../functions/checks/s3/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { mockS3Clients } from '../../support/s3-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const clients = createS3Clients();
const bucket = (name: string) => ({ logicalId: 'DataBucket', physicalId: name, type: 'AWS::S3::Bucket' });

async function createBucket(name: string, status?: 'Enabled' | 'Suspended') {
  await clients.s3.send(new CreateBucketCommand({ Bucket: name }));
  if (status) {
    await clients.s3.send(
      new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: status } }),
    );
  }
}

describe('s3-bucket-versioning-enabled (moto)', () => {
  it('passes a bucket with versioning Enabled', async () => {
    await createBucket('versioned-bucket', 'Enabled');

    const result = await runCheck('s3-bucket-versioning-enabled', rules, clients, bucket('versioned-bucket'));

    expect(result).toMatchObject({ status: 'PASS', message: 'versioning is Enabled' });
  });

  it('fails a bucket that was never versioned', async () => {
    await createBucket('plain-bucket');

    const result = await runCheck('s3-bucket-versioning-enabled', rules, clients, bucket('plain-bucket'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'versioning is never enabled' });
  });

  it('fails a bucket whose versioning is Suspended', async () => {
    await createBucket('suspended-bucket', 'Suspended');

    const result = await runCheck('s3-bucket-versioning-enabled', rules, clients, bucket('suspended-bucket'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'versioning is Suspended' });
  });

  it('fails when MFA delete is required but off', async () => {
    await createBucket('no-mfa-bucket', 'Enabled');

    const result = await runCheck('s3-bucket-versioning-enabled', rules, clients, bucket('no-mfa-bucket'), {
      params: { isMfaDeleteEnabled: true },
    });

    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('MFA delete');
  });

  it('is an ERROR, not a FAIL, when the bucket does not exist', async () => {
    const result = await runCheck('s3-bucket-versioning-enabled', rules, clients, bucket('missing-bucket'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NoSuchBucket');
  });
});

describe('s3-bucket-versioning-enabled (SDK mock)', () => {
  it('passes when MFA delete is required and Enabled (SDK mock: moto drops MFADelete)', async () => {
    const mocked = mockS3Clients();
    mocked.s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled', MFADelete: 'Enabled' });

    const result = await runCheck('s3-bucket-versioning-enabled', rules, mocked.clients, bucket('mocked'), {
      params: { isMfaDeleteEnabled: true },
    });

    expect(result).toMatchObject({ status: 'PASS', message: 'versioning is Enabled' });
  });

  it('is an ERROR, not a FAIL, when GetBucketVersioning is denied (SDK mock: moto has no IAM enforcement)', async () => {
    const mocked = mockS3Clients();
    mocked.s3.on(GetBucketVersioningCommand).rejects(accessDenied('AccessDenied'));

    const result = await runCheck('s3-bucket-versioning-enabled', rules, mocked.clients, bucket('mocked'));

    expect(result).toMatchObject({
      status: 'ERROR',
      message: 'access denied (AccessDenied); the auditor role needs s3:GetBucketVersioning',
    });
  });
});
