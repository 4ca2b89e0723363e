import { GetBucketLoggingCommand, PutBucketAclCommand, PutBucketLoggingCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createS3Clients } from '../../../functions/checks/s3/clients.ts';
import { rules } from '../../../functions/checks/s3/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { bucketRef, createBucket, LOG_DELIVERY, mockS3Clients } from '../../support/s3-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 's3-bucket-logging-enabled';
const clients = createS3Clients();
const LOG_BUCKET = 'access-logs-target';

async function loggedBucket(name: string, prefix = 'logs/') {
  await createBucket(clients, name);
  await clients.s3.send(
    new PutBucketLoggingCommand({
      Bucket: name,
      BucketLoggingStatus: { LoggingEnabled: { TargetBucket: LOG_BUCKET, TargetPrefix: prefix } },
    }),
  );
}

describe(`${CHECK} (moto)`, () => {
  beforeAll(async () => {
    // PutBucketLogging needs the log-delivery-write ACL on the target, as on AWS (the SDK's
    // BucketCannedACL type omits that name, so grant what it stands for).
    await createBucket(clients, LOG_BUCKET);
    await clients.s3.send(
      new PutBucketAclCommand({ Bucket: LOG_BUCKET, GrantWrite: LOG_DELIVERY, GrantReadACP: LOG_DELIVERY }),
    );
  });

  it('passes a bucket that logs to a target bucket', async () => {
    await loggedBucket('logging-on');

    const result = await runCheck(CHECK, rules, clients, bucketRef('logging-on'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: `access logs go to ${LOG_BUCKET}`,
      evidence: { TargetBucket: LOG_BUCKET, TargetPrefix: 'logs/' },
    });
  });

  it('fails a bucket without access logging (empty answer)', async () => {
    await createBucket(clients, 'logging-off');

    const result = await runCheck(CHECK, rules, clients, bucketRef('logging-off'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'server access logging is off' });
  });

  it('passes when the required target bucket and prefix match', async () => {
    await loggedBucket('logging-required-match', 'data/');

    const result = await runCheck(CHECK, rules, clients, bucketRef('logging-required-match'), {
      params: { targetBucket: LOG_BUCKET, targetPrefix: 'data/' },
    });

    expect(result.status).toBe('PASS');
  });

  it('fails logging to another bucket than targetBucket', async () => {
    await loggedBucket('logging-wrong-target');

    const result = await runCheck(CHECK, rules, clients, bucketRef('logging-wrong-target'), {
      params: { targetBucket: 'central-logs' },
    });

    expect(result).toMatchObject({
      status: 'FAIL',
      message: `access logs go to ${LOG_BUCKET}, not central-logs`,
    });
  });

  it('fails logging under another prefix than targetPrefix', async () => {
    await loggedBucket('logging-wrong-prefix', '');

    const result = await runCheck(CHECK, rules, clients, bucketRef('logging-wrong-prefix'), {
      params: { targetPrefix: 'logging-wrong-prefix/' },
    });

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'access log prefix is "", not "logging-wrong-prefix/"',
    });
  });

  it('is an ERROR when the bucket does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, bucketRef('logging-missing-bucket'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NoSuchBucket');
  });
});

describe(`${CHECK} (SDK mock)`, () => {
  it('is an ERROR, not a FAIL, when GetBucketLogging is denied (SDK mock: moto has no IAM enforcement)', async () => {
    const mocked = mockS3Clients();
    mocked.s3.on(GetBucketLoggingCommand).rejects(accessDenied('AccessDenied'));

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result).toMatchObject({
      status: 'ERROR',
      message: 'access denied (AccessDenied); the auditor role needs s3:GetBucketLogging',
    });
  });
});
