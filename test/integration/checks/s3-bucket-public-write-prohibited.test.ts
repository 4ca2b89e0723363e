import {
  GetBucketAclCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand,
  PutBucketAclCommand,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { afterEach, describe, expect, it } from 'vitest';
import { createS3Clients } from '../../../functions/checks/s3/clients.ts';
import { rules } from '../../../functions/checks/s3/handler.ts';
import { runCheck, TEST_STACK } from '../../support/check-harness.ts';
import {
  ALL_USERS,
  AUTHENTICATED_USERS,
  BLOCK_ALL,
  bucketRef,
  createBucket,
  deleteAccountBlock,
  mockS3Clients,
  publicStatement,
  putAccountBlock,
  putBucketBlock,
  putPolicy,
} from '../../support/s3-fixtures.ts';
import { accessDenied, serviceError } from '../../support/service-errors.ts';

const CHECK = 's3-bucket-public-write-prohibited';
const clients = createS3Clients();

describe(`${CHECK} (moto)`, () => {
  afterEach(async () => {
    await deleteAccountBlock(clients);
  });

  it('passes a private bucket', async () => {
    await createBucket(clients, 'write-private');

    const result = await runCheck(CHECK, rules, clients, bucketRef('write-private'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'not publicly writable: no public write grant in the ACL or bucket policy',
    });
  });

  it('passes a public-read ACL (that is the read check’s finding)', async () => {
    await createBucket(clients, 'write-acl-public-read');
    await clients.s3.send(new PutBucketAclCommand({ Bucket: 'write-acl-public-read', ACL: 'public-read' }));

    const result = await runCheck(CHECK, rules, clients, bucketRef('write-acl-public-read'));

    expect(result.status).toBe('PASS');
  });

  it('fails explicit READ and WRITE grants to AllUsers (moto turns the public-read-write canned ACL into READ only)', async () => {
    await createBucket(clients, 'write-acl-public-rw');
    await clients.s3.send(
      new PutBucketAclCommand({ Bucket: 'write-acl-public-rw', GrantRead: ALL_USERS, GrantWrite: ALL_USERS }),
    );

    const result = await runCheck(CHECK, rules, clients, bucketRef('write-acl-public-rw'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'publicly writable through ACL grant AllUsers:WRITE',
    });
  });

  it.each([
    ['GrantWrite', AUTHENTICATED_USERS, 'AuthenticatedUsers:WRITE'],
    ['GrantWriteACP', ALL_USERS, 'AllUsers:WRITE_ACP'],
    ['GrantFullControl', ALL_USERS, 'AllUsers:FULL_CONTROL'],
  ] as const)('fails an ACL %s to a public group', async (header, grantee, grant) => {
    const name = `write-${header.toLowerCase()}`;
    await createBucket(clients, name);
    await clients.s3.send(new PutBucketAclCommand({ Bucket: name, [header]: grantee }));

    const result = await runCheck(CHECK, rules, clients, bucketRef(name));

    expect(result).toMatchObject({ status: 'FAIL', message: `publicly writable through ACL grant ${grant}` });
  });

  it.each([['s3:PutObject'], ['s3:DeleteObject'], ['s3:*'], ['*']])(
    'fails a policy that opens %s to everyone',
    async (action) => {
      const name = `write-policy-${action.replace(/\W/g, '') || 'star'}`;
      await createBucket(clients, name);
      await putPolicy(clients, name, [publicStatement(name, action)]);

      const result = await runCheck(CHECK, rules, clients, bucketRef(name));

      expect(result).toMatchObject({
        status: 'FAIL',
        message: 'publicly writable through policy statement Public',
      });
    },
  );

  it('passes a public statement that only allows reads', async () => {
    await createBucket(clients, 'write-policy-get-only');
    await putPolicy(clients, 'write-policy-get-only', [
      publicStatement('write-policy-get-only', ['s3:GetObject', 's3:ListBucket']),
    ]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('write-policy-get-only'));

    expect(result.status).toBe('PASS');
  });

  it('passes a public write statement pinned to a VPC endpoint', async () => {
    await createBucket(clients, 'write-policy-vpce');
    await putPolicy(clients, 'write-policy-vpce', [
      publicStatement('write-policy-vpce', 's3:PutObject', {
        Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
      }),
    ]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('write-policy-vpce'));

    expect(result.status).toBe('PASS');
  });

  it('fails a statement whose condition does not pin (aws:SourceIp 0.0.0.0/0)', async () => {
    await createBucket(clients, 'write-policy-any-ip');
    await putPolicy(clients, 'write-policy-any-ip', [
      publicStatement('write-policy-any-ip', 's3:PutObject', {
        Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } },
      }),
    ]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('write-policy-any-ip'));

    expect(result.status).toBe('FAIL');
  });

  it('passes public write grants neutralised by the bucket-level block', async () => {
    await createBucket(clients, 'write-bucket-blocked');
    await clients.s3.send(new PutBucketAclCommand({ Bucket: 'write-bucket-blocked', GrantWrite: ALL_USERS }));
    await putPolicy(clients, 'write-bucket-blocked', [
      publicStatement('write-bucket-blocked', 's3:PutObject'),
    ]);
    await putBucketBlock(clients, 'write-bucket-blocked', BLOCK_ALL);

    const result = await runCheck(CHECK, rules, clients, bucketRef('write-bucket-blocked'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'not publicly writable: Block Public Access ignores public ACLs and restricts public policies',
    });
  });

  it('passes public write grants neutralised by the account-level block alone', async () => {
    await createBucket(clients, 'write-account-blocked');
    await clients.s3.send(
      new PutBucketAclCommand({ Bucket: 'write-account-blocked', GrantWrite: ALL_USERS }),
    );
    await putPolicy(clients, 'write-account-blocked', [
      publicStatement('write-account-blocked', 's3:PutObject'),
    ]);
    await putAccountBlock(clients, BLOCK_ALL);

    const result = await runCheck(CHECK, rules, clients, bucketRef('write-account-blocked'));

    expect(result.status).toBe('PASS');
  });

  it('fails a public policy when only IgnorePublicAcls is on', async () => {
    await createBucket(clients, 'write-ignore-acls-only');
    await clients.s3.send(
      new PutBucketAclCommand({ Bucket: 'write-ignore-acls-only', GrantWrite: ALL_USERS }),
    );
    await putPolicy(clients, 'write-ignore-acls-only', [
      publicStatement('write-ignore-acls-only', 's3:PutObject'),
    ]);
    await putBucketBlock(clients, 'write-ignore-acls-only', { IgnorePublicAcls: true });

    const result = await runCheck(CHECK, rules, clients, bucketRef('write-ignore-acls-only'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'publicly writable through policy statement Public',
      evidence: { aclGrants: [] },
    });
  });

  it('is an ERROR when the bucket does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, bucketRef('write-missing-bucket'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NoSuchBucket');
  });

  it('is an ERROR when the account-level block of another account is denied', async () => {
    await createBucket(clients, 'write-other-account');

    const result = await runCheck(CHECK, rules, clients, bucketRef('write-other-account'), {
      stack: { ...TEST_STACK, accountId: '210987654321' },
    });

    expect(result.status).toBe('ERROR');
    expect(result.message).toMatch(/^access denied \(AccessDenied\)/);
  });
});

describe(`${CHECK} (SDK mock)`, () => {
  function mockedBucket(policy: object, isPublic: boolean | undefined) {
    const mocked = mockS3Clients();
    mocked.s3
      .on(GetPublicAccessBlockCommand)
      .rejects(serviceError('NoSuchPublicAccessBlockConfiguration', 404))
      .on(GetBucketAclCommand)
      .resolves({ Grants: [] })
      .on(GetBucketPolicyCommand)
      .resolves({ Policy: JSON.stringify(policy) })
      .on(GetBucketPolicyStatusCommand)
      .resolves({ PolicyStatus: { IsPublic: isPublic } });
    mocked.s3Control
      .on(GetAccountPublicAccessBlockCommand)
      .rejects(serviceError('NoSuchPublicAccessBlockConfiguration', 404));
    return mocked;
  }

  it('fails a write statement AWS calls public though our rule sees it pinned (SDK mock: moto has no GetBucketPolicyStatus)', async () => {
    const pinned = publicStatement('mocked', 's3:PutObject', {
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
    });
    const mocked = mockedBucket({ Statement: [pinned] }, true);

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message:
        'publicly writable through the bucket policy, judged public by S3 itself (GetBucketPolicyStatus IsPublic: true)',
    });
  });

  it('passes a public-looking write statement AWS calls not public (SDK mock: moto has no GetBucketPolicyStatus)', async () => {
    const mocked = mockedBucket({ Statement: [publicStatement('mocked', 's3:PutObject')] }, false);

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result.status).toBe('PASS');
  });

  it('is an ERROR when GetBucketAcl is denied (SDK mock: moto has no IAM enforcement)', async () => {
    const mocked = mockedBucket({ Statement: [] }, undefined);
    mocked.s3.on(GetBucketAclCommand).rejects(accessDenied('AccessDenied'));

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('s3:GetBucketAcl');
  });
});
