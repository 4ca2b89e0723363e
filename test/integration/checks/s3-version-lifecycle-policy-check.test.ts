import {
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  type LifecycleRule,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createS3Clients } from '../../../functions/checks/s3/clients.ts';
import { rules } from '../../../functions/checks/s3/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { bucketRef, createBucket, mockS3Clients } from '../../support/s3-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 's3-version-lifecycle-policy-check';
const clients = createS3Clients();

async function bucketWith(name: string, versioning?: 'Enabled' | 'Suspended', lifecycle?: LifecycleRule[]) {
  await createBucket(clients, name);
  if (versioning) {
    await clients.s3.send(
      new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: versioning } }),
    );
  }
  if (lifecycle) {
    await clients.s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: name,
        LifecycleConfiguration: { Rules: lifecycle },
      }),
    );
  }
}

const expireNoncurrent: LifecycleRule = {
  ID: 'expire-noncurrent',
  Status: 'Enabled',
  Filter: { Prefix: '' },
  NoncurrentVersionExpiration: { NoncurrentDays: 30 },
};

describe(`${CHECK} (moto)`, () => {
  it('passes a versioned bucket whose enabled rule expires noncurrent versions', async () => {
    await bucketWith('lc-noncurrent', 'Enabled', [expireNoncurrent]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('lc-noncurrent'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'an enabled lifecycle rule expires noncurrent versions',
      evidence: { enabledRules: ['expire-noncurrent'], expiresNoncurrent: true },
    });
  });

  it('passes an enabled rule without NoncurrentVersionExpiration, and advises one', async () => {
    await bucketWith('lc-current-only', 'Enabled', [
      { ID: 'expire-current', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 90 } },
    ]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('lc-current-only'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'an enabled lifecycle rule exists (advisable: add NoncurrentVersionExpiration)',
      evidence: { expiresNoncurrent: false },
    });
  });

  it('fails a versioned bucket without a lifecycle configuration (NoSuchLifecycleConfiguration)', async () => {
    await bucketWith('lc-unset', 'Enabled');

    const result = await runCheck(CHECK, rules, clients, bucketRef('lc-unset'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'versioned bucket has no lifecycle configuration',
    });
  });

  it('fails a versioned bucket whose lifecycle rules are all disabled', async () => {
    await bucketWith('lc-disabled', 'Enabled', [{ ...expireNoncurrent, Status: 'Disabled' }]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('lc-disabled'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'every lifecycle rule is disabled' });
  });

  it.each([
    [undefined, 'versioning is never enabled'],
    ['Suspended', 'versioning is Suspended'],
  ] as const)('is not applicable when versioning is %s', async (versioning, message) => {
    const name = `lc-unversioned-${versioning ?? 'never'}`.toLowerCase();
    await bucketWith(name, versioning);

    const result = await runCheck(CHECK, rules, clients, bucketRef(name));

    expect(result).toMatchObject({ status: 'NOT_APPLICABLE', message });
  });

  it('is an ERROR when the bucket does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, bucketRef('lc-missing-bucket'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NoSuchBucket');
  });
});

describe(`${CHECK} (SDK mock)`, () => {
  it('is an ERROR, not a FAIL, when GetBucketLifecycleConfiguration is denied (SDK mock: moto has no IAM enforcement)', async () => {
    const mocked = mockS3Clients();
    mocked.s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    mocked.s3.on(GetBucketLifecycleConfigurationCommand).rejects(accessDenied('AccessDenied'));

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result).toMatchObject({
      status: 'ERROR',
      message:
        'access denied (AccessDenied); the auditor role needs s3:GetBucketVersioning, s3:GetLifecycleConfiguration',
    });
  });

  it('does not read the lifecycle of an unversioned bucket (SDK mock: counts calls)', async () => {
    const mocked = mockS3Clients();
    mocked.s3.on(GetBucketVersioningCommand).resolves({});

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result.status).toBe('NOT_APPLICABLE');
    expect(mocked.s3.commandCalls(GetBucketLifecycleConfigurationCommand)).toHaveLength(0);
  });
});
