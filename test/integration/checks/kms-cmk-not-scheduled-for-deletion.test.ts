import {
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createKmsClients } from '../../../functions/checks/kms/clients.ts';
import { rules } from '../../../functions/checks/kms/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'kms-cmk-not-scheduled-for-deletion';
const clients = createKmsClients();
const keyRef = (keyId: string) => ({ logicalId: 'DataKey', physicalId: keyId, type: 'AWS::KMS::Key' });

async function createKey(): Promise<string> {
  const key = await clients.kms.send(new CreateKeyCommand({}));
  return key.KeyMetadata?.KeyId ?? '';
}

describe(`${CHECK} (moto)`, () => {
  it('passes an enabled key', async () => {
    const keyId = await createKey();

    const result = await runCheck(CHECK, rules, clients, keyRef(keyId));

    expect(result).toMatchObject({ status: 'PASS', message: 'the key is Enabled' });
  });

  it('passes a disabled key: disabling is reversible, deletion is not', async () => {
    const keyId = await createKey();
    await clients.kms.send(new DisableKeyCommand({ KeyId: keyId }));

    const result = await runCheck(CHECK, rules, clients, keyRef(keyId));

    expect(result).toMatchObject({ status: 'PASS', message: 'the key is Disabled' });
  });

  it('fails a key scheduled for deletion and says when it goes', async () => {
    const keyId = await createKey();
    await clients.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));

    const result = await runCheck(CHECK, rules, clients, keyRef(keyId));

    expect(result.status).toBe('FAIL');
    expect(result.message).toMatch(/^the key is PendingDeletion and will be deleted on \d{4}-\d\d-\d\dT/);
    expect(result.evidence).toMatchObject({ KeyState: 'PendingDeletion' });
  });

  it('is an ERROR when the key does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, keyRef('00000000-0000-0000-0000-000000000000'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NotFoundException');
  });
});

describe(`${CHECK} (SDK mock: moto has no multi-Region replica deletion and no IAM)`, () => {
  it('fails a replica key pending replica deletion', async () => {
    const client = new KMSClient({});
    mockClient(client)
      .on(DescribeKeyCommand)
      .resolves({ KeyMetadata: { KeyId: 'mrk-1', KeyState: 'PendingReplicaDeletion' } });

    const result = await runCheck(CHECK, rules, { kms: client }, keyRef('mrk-1'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'the key is PendingReplicaDeletion' });
  });

  it('is an ERROR naming kms:DescribeKey when access is denied', async () => {
    const client = new KMSClient({});
    mockClient(client).on(DescribeKeyCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { kms: client }, keyRef('key-1'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('kms:DescribeKey');
  });
});
