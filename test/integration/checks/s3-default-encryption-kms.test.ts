import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  PutBucketEncryptionCommand,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createS3Clients } from '../../../functions/checks/s3/clients.ts';
import { rules } from '../../../functions/checks/s3/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { bucketRef, createBucket, mockS3Clients } from '../../support/s3-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 's3-default-encryption-kms';
const clients = createS3Clients();

async function encryptedBucket(name: string, algorithm: ServerSideEncryption, keyId?: string) {
  await createBucket(clients, name);
  await clients.s3.send(
    new PutBucketEncryptionCommand({
      Bucket: name,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: algorithm, KMSMasterKeyID: keyId } }],
      },
    }),
  );
}

describe(`${CHECK} (moto)`, () => {
  let allowedKey = { id: '', arn: '' };
  let otherKeyArn = '';

  beforeAll(async () => {
    const allowed = await clients.kms.send(new CreateKeyCommand({ Description: 'allowed' }));
    allowedKey = { id: allowed.KeyMetadata?.KeyId ?? '', arn: allowed.KeyMetadata?.Arn ?? '' };
    await clients.kms.send(
      new CreateAliasCommand({ AliasName: 'alias/allowed', TargetKeyId: allowedKey.id }),
    );
    const other = await clients.kms.send(new CreateKeyCommand({ Description: 'other' }));
    otherKeyArn = other.KeyMetadata?.Arn ?? '';
  });

  it('passes aws:kms with the AWS managed key when no key list is set', async () => {
    await encryptedBucket('kms-managed', 'aws:kms');

    const result = await runCheck(CHECK, rules, clients, bucketRef('kms-managed'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'default encryption is aws:kms',
      evidence: { keyIds: ['alias/aws/s3'] },
    });
  });

  it('passes aws:kms:dsse', async () => {
    await encryptedBucket('kms-dsse', 'aws:kms:dsse', 'alias/allowed');

    const result = await runCheck(CHECK, rules, clients, bucketRef('kms-dsse'));

    expect(result).toMatchObject({ status: 'PASS', message: 'default encryption is aws:kms:dsse' });
  });

  it('fails AES256 (it passes only the plain encryption check)', async () => {
    await encryptedBucket('kms-aes', 'AES256');

    const result = await runCheck(CHECK, rules, clients, bucketRef('kms-aes'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'default encryption is AES256, not KMS' });
  });

  it('fails a bucket without an encryption configuration', async () => {
    await createBucket(clients, 'kms-unset');

    const result = await runCheck(CHECK, rules, clients, bucketRef('kms-unset'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'no default encryption configuration' });
  });

  it.each([
    ['an alias', 'alias/allowed'],
    ['an alias ARN', 'arn:aws:kms:us-east-1:123456789012:alias/allowed'],
    ['a key id', () => allowedKey.id],
    ['the key ARN', () => allowedKey.arn],
  ])('passes a listed key the bucket names by %s', async (how, keyId) => {
    const name = `kms-listed-${how.replace(/\W/g, '-')}`;
    await encryptedBucket(name, 'aws:kms', typeof keyId === 'function' ? keyId() : keyId);

    const result = await runCheck(CHECK, rules, clients, bucketRef(name), {
      params: { kmsKeyArns: [otherKeyArn, allowedKey.arn] },
    });

    expect(result).toMatchObject({ status: 'PASS', message: 'default encryption uses an allowed KMS key' });
  });

  it('fails a key that is not in kmsKeyArns', async () => {
    await encryptedBucket('kms-unlisted', 'aws:kms', 'alias/allowed');

    const result = await runCheck(CHECK, rules, clients, bucketRef('kms-unlisted'), {
      params: { kmsKeyArns: [otherKeyArn] },
    });

    expect(result).toMatchObject({
      status: 'FAIL',
      message: `default encryption uses key ${allowedKey.arn}, which is not in kmsKeyArns`,
    });
  });

  it('fails the AWS managed key (no KMSMasterKeyID) when kmsKeyArns is set', async () => {
    await encryptedBucket('kms-managed-unlisted', 'aws:kms');

    const result = await runCheck(CHECK, rules, clients, bucketRef('kms-managed-unlisted'), {
      params: { kmsKeyArns: [allowedKey.arn] },
    });

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'default encryption uses the AWS managed aws/s3 key, which is not in kmsKeyArns',
    });
  });

  it('fails a key that does not exist', async () => {
    await encryptedBucket('kms-missing-key', 'aws:kms', 'alias/deleted-key');

    const result = await runCheck(CHECK, rules, clients, bucketRef('kms-missing-key'), {
      params: { kmsKeyArns: [allowedKey.arn] },
    });

    expect(result).toMatchObject({ status: 'FAIL', message: 'KMS key alias/deleted-key does not exist' });
  });

  it('is an ERROR when the bucket does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, bucketRef('kms-missing-bucket'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NoSuchBucket');
  });
});

describe(`${CHECK} (SDK mock)`, () => {
  function mockedBucket(keyId: string) {
    const mocked = mockS3Clients();
    mocked.s3.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyId } }],
      },
    });
    return mocked;
  }

  it('passes a key listed verbatim without calling DescribeKey (SDK mock: counts KMS calls)', async () => {
    const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
    const mocked = mockedBucket(keyArn);

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'), {
      params: { kmsKeyArns: [keyArn] },
    });

    expect(result.status).toBe('PASS');
    expect(mocked.kms.commandCalls(DescribeKeyCommand)).toHaveLength(0);
  });

  it('is an ERROR, not a FAIL, when kms:DescribeKey is denied (SDK mock: moto has no IAM enforcement)', async () => {
    const mocked = mockedBucket('alias/cross-account');
    mocked.kms.on(DescribeKeyCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'), {
      params: { kmsKeyArns: ['arn:aws:kms:us-east-1:123456789012:key/x'] },
    });

    expect(result.status).toBe('ERROR');
    expect(result.message).toMatch(/^access denied \(AccessDeniedException\).*kms:DescribeKey/);
  });

  it('is an ERROR, not a FAIL, when GetBucketEncryption is denied (SDK mock: moto has no IAM enforcement)', async () => {
    const mocked = mockS3Clients();
    mocked.s3.on(GetBucketEncryptionCommand).rejects(accessDenied('AccessDenied'));

    const result = await runCheck(CHECK, rules, mocked.clients, bucketRef('mocked'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('s3:GetEncryptionConfiguration');
  });
});
