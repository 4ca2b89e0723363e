import {
  CreateKeyCommand,
  type CreateKeyCommandInput,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createKmsClients } from '../../../functions/checks/kms/clients.ts';
import { rules } from '../../../functions/checks/kms/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'cmk-backing-key-rotation-enabled';
const clients = createKmsClients();
const keyRef = (keyId: string) => ({ logicalId: 'DataKey', physicalId: keyId, type: 'AWS::KMS::Key' });

async function createKey(input: CreateKeyCommandInput = {}): Promise<string> {
  const key = await clients.kms.send(new CreateKeyCommand(input));
  return key.KeyMetadata?.KeyId ?? '';
}

describe(`${CHECK} (moto)`, () => {
  it('passes a symmetric customer managed key with rotation enabled', async () => {
    const keyId = await createKey();
    await clients.kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));

    const result = await runCheck(CHECK, rules, clients, keyRef(keyId));

    expect(result.status).toBe('PASS');
    expect(result.message).toMatch(/^automatic rotation is enabled/);
    expect(result.evidence).toMatchObject({ KeyRotationEnabled: true });
  });

  it('fails a symmetric customer managed key without rotation', async () => {
    const keyId = await createKey();

    const result = await runCheck(CHECK, rules, clients, keyRef(keyId));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'automatic key rotation is disabled',
      evidence: {
        KeyManager: 'CUSTOMER',
        KeySpec: 'SYMMETRIC_DEFAULT',
        Origin: 'AWS_KMS',
        KeyRotationEnabled: false,
      },
    });
  });

  it.each([
    [
      'an asymmetric key',
      { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' },
      'CUSTOMER RSA_2048 key of origin AWS_KMS',
    ],
    [
      'an HMAC key',
      { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
      'CUSTOMER HMAC_256 key of origin AWS_KMS',
    ],
    [
      'a key with imported material',
      { Origin: 'EXTERNAL' },
      'CUSTOMER SYMMETRIC_DEFAULT key of origin EXTERNAL',
    ],
  ] as const)('is not applicable to %s', async (_label, input, kind) => {
    const keyId = await createKey(input as CreateKeyCommandInput);

    const result = await runCheck(CHECK, rules, clients, keyRef(keyId));

    expect(result).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: `automatic rotation does not apply to a ${kind}`,
    });
  });

  it('is not applicable to a key pending deletion, which the deletion check reports', async () => {
    const keyId = await createKey();
    await clients.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));

    const result = await runCheck(CHECK, rules, clients, keyRef(keyId));

    expect(result).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'the key is PendingDeletion, so rotation no longer matters',
    });
  });

  it('is an ERROR when the key does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, keyRef('00000000-0000-0000-0000-000000000000'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NotFoundException');
  });
});

describe(`${CHECK} (SDK mock: moto reports AWS managed keys as CUSTOMER and enforces no IAM)`, () => {
  it('is not applicable to an AWS managed key', async () => {
    const client = new KMSClient({});
    const kms = mockClient(client);
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: { KeyId: 'aws-s3', KeyManager: 'AWS', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'AWS_KMS' },
    });

    const result = await runCheck(CHECK, rules, { kms: client }, keyRef('aws-s3'));

    expect(result.status).toBe('NOT_APPLICABLE');
    expect(kms.commandCalls(GetKeyRotationStatusCommand)).toHaveLength(0);
  });

  it('reports the rotation period when KMS returns one', async () => {
    const client = new KMSClient({});
    const kms = mockClient(client);
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: {
        KeyId: 'k',
        KeyManager: 'CUSTOMER',
        KeySpec: 'SYMMETRIC_DEFAULT',
        Origin: 'AWS_KMS',
        KeyState: 'Enabled',
      },
    });
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 180 });

    const result = await runCheck(CHECK, rules, { kms: client }, keyRef('k'));

    expect(result).toMatchObject({ status: 'PASS', message: 'automatic rotation is enabled every 180 days' });
  });

  it('is an ERROR naming kms:GetKeyRotationStatus when access is denied', async () => {
    const client = new KMSClient({});
    const kms = mockClient(client);
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: {
        KeyId: 'k',
        KeyManager: 'CUSTOMER',
        KeySpec: 'SYMMETRIC_DEFAULT',
        Origin: 'AWS_KMS',
        KeyState: 'Enabled',
      },
    });
    kms.on(GetKeyRotationStatusCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { kms: client }, keyRef('k'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('kms:GetKeyRotationStatus');
  });
});
