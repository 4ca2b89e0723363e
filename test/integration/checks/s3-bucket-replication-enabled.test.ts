import {
  GetBucketReplicationCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  type ReplicationRuleStatus,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createS3Clients } from '../../../functions/checks/s3/clients.ts';
import { rules } from '../../../functions/checks/s3/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { bucketRef, createBucket, mockS3Clients } from '../../support/s3-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 's3-bucket-replication-enabled';
const clients = createS3Clients();

async function versionedBucket(name: string, region?: string) {
  await createBucket(clients, name, region);
  await clients.s3.send(
    new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }),
  );
}

/** A versioned source bucket replicating to `destinations` (moto, like AWS, requires versioning). */
async function replicatingBucket(
  name: string,
  destinations: readonly (readonly [bucket: string, status: ReplicationRuleStatus])[],
  region?: string,
) {
  await versionedBucket(name, region);
  await clients.s3.send(
    new PutBucketReplicationCommand({
      Bucket: name,
      ReplicationConfiguration: {
        Role: 'arn:aws:iam::123456789012:role/replication',
        Rules: destinations.map(([bucket, status], index) => ({
          ID: `rule-${index}`,
          Priority: index + 1,
          Status: status,
          Filter: { Prefix: '' },
          DeleteMarkerReplication: { Status: 'Disabled' },
          Destination: { Bucket: `arn:aws:s3:::${bucket}` },
        })),
      },
    }),
  );
}

describe(`${CHECK} (moto)`, () => {
  beforeAll(async () => {
    await versionedBucket('replica-us-east-1');
    await versionedBucket('replica-eu-west-1', 'eu-west-1');
    await versionedBucket('replica-eu-legacy', 'EU');
  });

  it('passes a bucket with an enabled replication rule', async () => {
    await replicatingBucket('repl-on', [['replica-us-east-1', 'Enabled']]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('repl-on'));

    expect(result).toMatchObject({ status: 'PASS', message: 'replicates to replica-us-east-1' });
  });

  it('fails a bucket without replication (ReplicationConfigurationNotFoundError)', async () => {
    await createBucket(clients, 'repl-unset');

    const result = await runCheck(CHECK, rules, clients, bucketRef('repl-unset'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'no replication configuration' });
  });

  it('fails when every rule is disabled', async () => {
    await replicatingBucket('repl-disabled', [
      ['replica-us-east-1', 'Disabled'],
      ['replica-eu-west-1', 'Disabled'],
    ]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('repl-disabled'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'every replication rule is disabled' });
  });

  it('passes CROSS-REGION replication to another region', async () => {
    await replicatingBucket('repl-crr', [['replica-eu-west-1', 'Enabled']]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('repl-crr'), {
      params: { ReplicationType: 'CROSS-REGION' },
    });

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'replicates CROSS-REGION to replica-eu-west-1',
      evidence: {
        sourceRegion: 'us-east-1',
        destinations: [{ bucket: 'replica-eu-west-1', region: 'eu-west-1' }],
      },
    });
  });

  it('fails CROSS-REGION when the only enabled rule stays in the region', async () => {
    await replicatingBucket('repl-crr-same', [
      ['replica-us-east-1', 'Enabled'],
      ['replica-eu-west-1', 'Disabled'],
    ]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('repl-crr-same'), {
      params: { ReplicationType: 'CROSS-REGION' },
    });

    expect(result).toMatchObject({ status: 'FAIL', message: 'no enabled rule replicates to another region' });
  });

  it('passes SAME-REGION replication within us-east-1 (null LocationConstraint)', async () => {
    await replicatingBucket('repl-srr', [['replica-us-east-1', 'Enabled']]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('repl-srr'), {
      params: { ReplicationType: 'SAME-REGION' },
    });

    expect(result).toMatchObject({ status: 'PASS', message: 'replicates SAME-REGION to replica-us-east-1' });
  });

  it('fails SAME-REGION replication to another region', async () => {
    await replicatingBucket('repl-srr-other', [['replica-eu-west-1', 'Enabled']]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('repl-srr-other'), {
      params: { ReplicationType: 'SAME-REGION' },
    });

    expect(result).toMatchObject({ status: 'FAIL', message: 'no enabled rule replicates within us-east-1' });
  });

  it('reads the legacy "EU" location as eu-west-1', async () => {
    await replicatingBucket('repl-eu-source', [['replica-eu-legacy', 'Enabled']], 'eu-west-1');

    const result = await runCheck(CHECK, rules, clients, bucketRef('repl-eu-source'), {
      params: { ReplicationType: 'SAME-REGION' },
    });

    expect(result).toMatchObject({
      status: 'PASS',
      evidence: {
        sourceRegion: 'eu-west-1',
        destinations: [{ bucket: 'replica-eu-legacy', region: 'eu-west-1' }],
      },
    });
  });

  it('is an ERROR for a ReplicationType it does not know', async () => {
    await replicatingBucket('repl-bad-param', [['replica-us-east-1', 'Enabled']]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('repl-bad-param'), {
      params: { ReplicationType: 'CROSS-ACCOUNT' },
    });

    expect(result).toMatchObject({
      status: 'ERROR',
      message: 'ReplicationType must be CROSS-REGION or SAME-REGION, not CROSS-ACCOUNT',
    });
  });

  it('is an ERROR when the destination bucket cannot be located (moto accepts a missing destination)', async () => {
    await replicatingBucket('repl-dangling', [['replica-deleted', 'Enabled']]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('repl-dangling'), {
      params: { ReplicationType: 'CROSS-REGION' },
    });

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NoSuchBucket');
  });

  it('is an ERROR when the bucket does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, bucketRef('repl-missing-bucket'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NoSuchBucket');
  });
});

describe(`${CHECK} (SDK mock)`, () => {
  it('is an ERROR, not a FAIL, when GetBucketReplication is denied (SDK mock: moto has no IAM enforcement)', async () => {
    const mocked = mockS3Clients();
    mocked.s3.on(GetBucketReplicationCommand).rejects(accessDenied('AccessDenied'));

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result).toMatchObject({
      status: 'ERROR',
      message:
        'access denied (AccessDenied); the auditor role needs s3:GetReplicationConfiguration, s3:GetBucketLocation',
    });
  });
});
