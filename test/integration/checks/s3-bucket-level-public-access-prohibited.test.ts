import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createS3Clients } from '../../../functions/checks/s3/clients.ts';
import { rules } from '../../../functions/checks/s3/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import {
  BLOCK_ALL,
  bucketRef,
  createBucket,
  deleteAccountBlock,
  mockS3Clients,
  putAccountBlock,
  putBucketBlock,
} from '../../support/s3-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 's3-bucket-level-public-access-prohibited';
const clients = createS3Clients();

describe(`${CHECK} (moto)`, () => {
  afterEach(async () => {
    await deleteAccountBlock(clients);
  });

  it('passes a bucket that turns on all four flags', async () => {
    await createBucket(clients, 'bpa-all-on');
    await putBucketBlock(clients, 'bpa-all-on', BLOCK_ALL);

    const result = await runCheck(CHECK, rules, clients, bucketRef('bpa-all-on'));

    expect(result).toMatchObject({ status: 'PASS', message: 'all four Block Public Access flags are on' });
  });

  it('fails a bucket with no Block Public Access configuration (NoSuchPublicAccessBlockConfiguration)', async () => {
    await createBucket(clients, 'bpa-unset');

    const result = await runCheck(CHECK, rules, clients, bucketRef('bpa-unset'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'no bucket-level Block Public Access configuration',
    });
  });

  it('fails and names every flag that is off', async () => {
    await createBucket(clients, 'bpa-partial');
    await putBucketBlock(clients, 'bpa-partial', { BlockPublicAcls: true, IgnorePublicAcls: true });

    const result = await runCheck(CHECK, rules, clients, bucketRef('bpa-partial'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'Block Public Access is off for BlockPublicPolicy, RestrictPublicBuckets',
    });
  });

  it.each([
    ['BlockPublicAcls'],
    ['IgnorePublicAcls'],
    ['BlockPublicPolicy'],
    ['RestrictPublicBuckets'],
  ] as const)('fails when only %s is off', async (flag) => {
    const name = `bpa-off-${flag.toLowerCase()}`;
    await createBucket(clients, name);
    await putBucketBlock(clients, name, { ...BLOCK_ALL, [flag]: false });

    const result = await runCheck(CHECK, rules, clients, bucketRef(name));

    expect(result).toMatchObject({ status: 'FAIL', message: `Block Public Access is off for ${flag}` });
  });

  it('fails an unset bucket even when the account blocks everything (this is the bucket-level check)', async () => {
    await createBucket(clients, 'bpa-account-only');
    await putAccountBlock(clients, BLOCK_ALL);

    const result = await runCheck(CHECK, rules, clients, bucketRef('bpa-account-only'));

    expect(result.status).toBe('FAIL');
  });

  it('is not applicable to a bucket listed in excludedPublicBuckets', async () => {
    await createBucket(clients, 'bpa-website');

    const result = await runCheck(CHECK, rules, clients, bucketRef('bpa-website'), {
      params: { excludedPublicBuckets: ['other-bucket', 'bpa-website'] },
    });

    expect(result).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'bucket is listed in excludedPublicBuckets',
    });
  });

  it('still checks a bucket that is not in excludedPublicBuckets', async () => {
    await createBucket(clients, 'bpa-not-excluded');

    const result = await runCheck(CHECK, rules, clients, bucketRef('bpa-not-excluded'), {
      params: { excludedPublicBuckets: ['bpa-website'] },
    });

    expect(result.status).toBe('FAIL');
  });

  it('is an ERROR when the bucket does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, bucketRef('bpa-missing-bucket'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NoSuchBucket');
  });
});

describe(`${CHECK} (SDK mock)`, () => {
  it('is an ERROR, not a FAIL, when GetPublicAccessBlock is denied (SDK mock: moto has no IAM enforcement)', async () => {
    const mocked = mockS3Clients();
    mocked.s3.on(GetPublicAccessBlockCommand).rejects(accessDenied('AccessDenied'));

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toBe(
      'access denied (AccessDenied); the auditor role needs s3:GetBucketPublicAccessBlock',
    );
  });
});
