import {
  GetBucketOwnershipControlsCommand,
  type ObjectOwnership,
  PutBucketOwnershipControlsCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createS3Clients } from '../../../functions/checks/s3/clients.ts';
import { rules } from '../../../functions/checks/s3/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { bucketRef, createBucket, mockS3Clients } from '../../support/s3-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 's3-bucket-acl-prohibited';
const clients = createS3Clients();

async function bucketWithOwnership(name: string, objectOwnership: ObjectOwnership) {
  await createBucket(clients, name);
  await clients.s3.send(
    new PutBucketOwnershipControlsCommand({
      Bucket: name,
      OwnershipControls: { Rules: [{ ObjectOwnership: objectOwnership }] },
    }),
  );
}

describe(`${CHECK} (moto)`, () => {
  it('passes BucketOwnerEnforced', async () => {
    await bucketWithOwnership('acl-enforced', 'BucketOwnerEnforced');

    const result = await runCheck(CHECK, rules, clients, bucketRef('acl-enforced'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'Object Ownership is BucketOwnerEnforced (ACLs disabled)',
    });
  });

  it.each([['BucketOwnerPreferred'], ['ObjectWriter']] as const)('fails %s', async (objectOwnership) => {
    const name = `acl-${objectOwnership.toLowerCase()}`;
    await bucketWithOwnership(name, objectOwnership);

    const result = await runCheck(CHECK, rules, clients, bucketRef(name));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: `Object Ownership is ${objectOwnership}, so ACLs are enabled`,
      evidence: { ObjectOwnership: objectOwnership },
    });
  });

  it('fails a bucket without ownership controls (moto answers NotFound where new AWS buckets are enforced)', async () => {
    await createBucket(clients, 'acl-unset');

    const result = await runCheck(CHECK, rules, clients, bucketRef('acl-unset'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'no Object Ownership setting, so ACLs are enabled',
    });
  });

  it('is an ERROR when the bucket does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, bucketRef('acl-missing-bucket'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NoSuchBucket');
  });
});

describe(`${CHECK} (SDK mock)`, () => {
  it('is an ERROR, not a FAIL, when GetBucketOwnershipControls is denied (SDK mock: moto has no IAM enforcement)', async () => {
    const mocked = mockS3Clients();
    mocked.s3.on(GetBucketOwnershipControlsCommand).rejects(accessDenied('AccessDenied'));

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result).toMatchObject({
      status: 'ERROR',
      message: 'access denied (AccessDenied); the auditor role needs s3:GetBucketOwnershipControls',
    });
  });
});
