import {
  GetBucketAclCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
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

const CHECK = 's3-bucket-public-read-prohibited';
const clients = createS3Clients();

describe(`${CHECK} (moto)`, () => {
  afterEach(async () => {
    await deleteAccountBlock(clients);
  });

  it('passes a private bucket with no policy and an owner-only ACL', async () => {
    await createBucket(clients, 'read-private');

    const result = await runCheck(CHECK, rules, clients, bucketRef('read-private'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'not publicly readable: no public read grant in the ACL or bucket policy',
      evidence: { aclGrants: [], policyStatements: [] },
    });
  });

  it.each([
    ['public-read', 'AllUsers:READ'],
    ['authenticated-read', 'AuthenticatedUsers:READ'],
  ] as const)('fails a bucket whose canned ACL is %s', async (acl, grant) => {
    const name = `read-acl-${acl}`;
    await createBucket(clients, name);
    await clients.s3.send(new PutBucketAclCommand({ Bucket: name, ACL: acl }));

    const result = await runCheck(CHECK, rules, clients, bucketRef(name));

    expect(result).toMatchObject({ status: 'FAIL', message: `publicly readable through ACL grant ${grant}` });
  });

  it('fails on READ_ACP and FULL_CONTROL grants to the public groups', async () => {
    await createBucket(clients, 'read-acl-grants');
    await clients.s3.send(
      new PutBucketAclCommand({
        Bucket: 'read-acl-grants',
        GrantReadACP: ALL_USERS,
        GrantFullControl: AUTHENTICATED_USERS,
      }),
    );

    const result = await runCheck(CHECK, rules, clients, bucketRef('read-acl-grants'));

    expect(result.status).toBe('FAIL');
    expect(result.evidence?.aclGrants).toEqual(
      expect.arrayContaining(['AllUsers:READ_ACP', 'AuthenticatedUsers:FULL_CONTROL']),
    );
  });

  it('passes a public WRITE-only ACL grant (that is the write check’s finding)', async () => {
    await createBucket(clients, 'read-acl-write-only');
    await clients.s3.send(new PutBucketAclCommand({ Bucket: 'read-acl-write-only', GrantWrite: ALL_USERS }));

    const result = await runCheck(CHECK, rules, clients, bucketRef('read-acl-write-only'));

    expect(result.status).toBe('PASS');
  });

  it.each([['s3:GetObject'], ['s3:ListBucket'], ['s3:*'], ['*']])(
    'fails a policy that opens %s to everyone',
    async (action) => {
      const name = `read-policy-${action.replace(/\W/g, '') || 'star'}`;
      await createBucket(clients, name);
      await putPolicy(clients, name, [publicStatement(name, action)]);

      const result = await runCheck(CHECK, rules, clients, bucketRef(name));

      expect(result).toMatchObject({
        status: 'FAIL',
        message: 'publicly readable through policy statement Public',
      });
    },
  );

  it('fails a policy that grants everything but deletes to everyone (NotAction)', async () => {
    await createBucket(clients, 'read-policy-notaction');
    await putPolicy(clients, 'read-policy-notaction', [
      { Effect: 'Allow', Principal: { AWS: '*' }, NotAction: 's3:DeleteObject', Resource: '*' },
    ]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('read-policy-notaction'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'publicly readable through policy statement Statement[0]',
    });
  });

  it('passes a public statement pinned to one account by a condition', async () => {
    await createBucket(clients, 'read-policy-pinned');
    await putPolicy(clients, 'read-policy-pinned', [
      publicStatement('read-policy-pinned', 's3:GetObject', {
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      }),
    ]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('read-policy-pinned'));

    expect(result.status).toBe('PASS');
  });

  it('passes a public statement that only allows writes', async () => {
    await createBucket(clients, 'read-policy-put-only');
    await putPolicy(clients, 'read-policy-put-only', [
      publicStatement('read-policy-put-only', 's3:PutObject'),
    ]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('read-policy-put-only'));

    expect(result.status).toBe('PASS');
  });

  it('reports both the ACL grant and the policy statement', async () => {
    await createBucket(clients, 'read-both');
    await clients.s3.send(new PutBucketAclCommand({ Bucket: 'read-both', ACL: 'public-read' }));
    await putPolicy(clients, 'read-both', [publicStatement('read-both', 's3:GetObject')]);

    const result = await runCheck(CHECK, rules, clients, bucketRef('read-both'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'publicly readable through ACL grant AllUsers:READ and policy statement Public',
    });
  });

  it('passes a public ACL and policy neutralised by the bucket-level block', async () => {
    await createBucket(clients, 'read-bucket-blocked');
    await clients.s3.send(new PutBucketAclCommand({ Bucket: 'read-bucket-blocked', ACL: 'public-read' }));
    await putPolicy(clients, 'read-bucket-blocked', [publicStatement('read-bucket-blocked', 's3:GetObject')]);
    await putBucketBlock(clients, 'read-bucket-blocked', BLOCK_ALL);

    const result = await runCheck(CHECK, rules, clients, bucketRef('read-bucket-blocked'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'not publicly readable: Block Public Access ignores public ACLs and restricts public policies',
    });
  });

  it('passes a public ACL and policy neutralised by the account-level block alone', async () => {
    await createBucket(clients, 'read-account-blocked');
    await clients.s3.send(new PutBucketAclCommand({ Bucket: 'read-account-blocked', ACL: 'public-read' }));
    await putPolicy(clients, 'read-account-blocked', [
      publicStatement('read-account-blocked', 's3:GetObject'),
    ]);
    await putAccountBlock(clients, { IgnorePublicAcls: true, RestrictPublicBuckets: true });

    const result = await runCheck(CHECK, rules, clients, bucketRef('read-account-blocked'));

    expect(result.status).toBe('PASS');
    expect(result.evidence?.blockPublicAccess).toMatchObject({
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('combines the levels: account ignores ACLs, bucket does not restrict a public policy', async () => {
    await createBucket(clients, 'read-mixed-levels');
    await clients.s3.send(new PutBucketAclCommand({ Bucket: 'read-mixed-levels', ACL: 'public-read' }));
    await putPolicy(clients, 'read-mixed-levels', [publicStatement('read-mixed-levels', 's3:GetObject')]);
    await putAccountBlock(clients, { IgnorePublicAcls: true });
    await putBucketBlock(clients, 'read-mixed-levels', { BlockPublicPolicy: true });

    const result = await runCheck(CHECK, rules, clients, bucketRef('read-mixed-levels'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'publicly readable through policy statement Public',
    });
  });

  it('fails a public ACL when only BlockPublicAcls is on (it blocks new grants, not existing ones)', async () => {
    await createBucket(clients, 'read-block-new-only');
    await clients.s3.send(new PutBucketAclCommand({ Bucket: 'read-block-new-only', ACL: 'public-read' }));
    await putBucketBlock(clients, 'read-block-new-only', { BlockPublicAcls: true, BlockPublicPolicy: true });

    const result = await runCheck(CHECK, rules, clients, bucketRef('read-block-new-only'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'publicly readable through ACL grant AllUsers:READ',
    });
  });

  it('is an ERROR, not a FAIL, when the policy is not valid JSON', async () => {
    await createBucket(clients, 'read-policy-garbled');
    await clients.s3.send(new PutBucketPolicyCommand({ Bucket: 'read-policy-garbled', Policy: 'not json' }));

    const result = await runCheck(CHECK, rules, clients, bucketRef('read-policy-garbled'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toBe(
      'malformed API data: the bucket policy of read-policy-garbled: is not JSON; it starts "not json"',
    );
  });

  it('is an ERROR when the bucket does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, bucketRef('read-missing-bucket'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NoSuchBucket');
  });

  it('is an ERROR naming the IAM action when the account-level block is denied', async () => {
    await createBucket(clients, 'read-other-account');
    const otherAccount = { ...TEST_STACK, accountId: '210987654321' };

    const result = await runCheck(CHECK, rules, clients, bucketRef('read-other-account'), {
      stack: otherAccount,
    });

    expect(result.status).toBe('ERROR');
    expect(result.message).toMatch(/^access denied \(AccessDenied\).*s3:GetAccountPublicAccessBlock/);
  });
});

describe(`${CHECK} (SDK mock)`, () => {
  const policy = JSON.stringify({
    Statement: [
      publicStatement('mocked', 's3:GetObject', {
        Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      }),
    ],
  });

  function mockedBucket(isPublic: boolean | undefined) {
    const mocked = mockS3Clients();
    mocked.s3
      .on(GetPublicAccessBlockCommand)
      .rejects(serviceError('NoSuchPublicAccessBlockConfiguration', 404))
      .on(GetBucketAclCommand)
      .resolves({ Grants: [] })
      .on(GetBucketPolicyCommand)
      .resolves({ Policy: policy })
      .on(GetBucketPolicyStatusCommand)
      .resolves({ PolicyStatus: { IsPublic: isPublic } });
    mocked.s3Control
      .on(GetAccountPublicAccessBlockCommand)
      .rejects(serviceError('NoSuchPublicAccessBlockConfiguration', 404));
    return mocked;
  }

  it('fails when GetBucketPolicyStatus says public though our rule sees a pinned statement (SDK mock: moto has no GetBucketPolicyStatus)', async () => {
    const mocked = mockedBucket(true);

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message:
        'publicly readable through the bucket policy, judged public by S3 itself (GetBucketPolicyStatus IsPublic: true)',
      evidence: { policyStatusIsPublic: true },
    });
  });

  it('passes when GetBucketPolicyStatus says not public, overriding our rule (SDK mock: moto has no GetBucketPolicyStatus)', async () => {
    const mocked = mockedBucket(false);
    mocked.s3
      .on(GetBucketPolicyCommand)
      .resolves({ Policy: JSON.stringify({ Statement: [publicStatement('mocked', '*')] }) });

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result).toMatchObject({ status: 'PASS', evidence: { policyStatusIsPublic: false } });
  });

  it('does not read the ACL or the policy when Block Public Access neutralises both (SDK mock: moto has no IAM)', async () => {
    const mocked = mockedBucket(true);
    mocked.s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: BLOCK_ALL });

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result.status).toBe('PASS');
    expect(mocked.s3.commandCalls(GetBucketAclCommand)).toHaveLength(0);
    expect(mocked.s3.commandCalls(GetBucketPolicyCommand)).toHaveLength(0);
  });

  it.each([
    ['GetBucketAcl', GetBucketAclCommand],
    ['GetBucketPolicy', GetBucketPolicyCommand],
    ['GetBucketPolicyStatus', GetBucketPolicyStatusCommand],
    ['GetPublicAccessBlock', GetPublicAccessBlockCommand],
  ] as const)(
    'is an ERROR, not a FAIL, when %s is denied (SDK mock: moto has no IAM enforcement)',
    async (_, command) => {
      const mocked = mockedBucket(undefined);
      mocked.s3.on(command).rejects(accessDenied('AccessDenied'));

      const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

      expect(result.status).toBe('ERROR');
      expect(result.message).toMatch(
        /^access denied \(AccessDenied\); the auditor role needs .*s3:GetBucketAcl/,
      );
    },
  );
});
