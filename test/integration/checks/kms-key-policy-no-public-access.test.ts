import { CreateKeyCommand, GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createKmsClients } from '../../../functions/checks/kms/clients.ts';
import { rules } from '../../../functions/checks/kms/handler.ts';
import { runCheck, TEST_STACK } from '../../support/check-harness.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'kms-key-policy-no-public-access';
const clients = createKmsClients();
const keyRef = (keyId: string) => ({ logicalId: 'DataKey', physicalId: keyId, type: 'AWS::KMS::Key' });
const ROOT = `arn:aws:iam::${TEST_STACK.accountId}:root`;

async function createKey(extraStatements: readonly object[] = []): Promise<string> {
  const key = await clients.kms.send(new CreateKeyCommand({}));
  const keyId = key.KeyMetadata?.KeyId ?? '';
  if (extraStatements.length > 0) {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: ROOT },
          Action: 'kms:*',
          Resource: '*',
        },
        ...extraStatements,
      ],
    };
    await clients.kms.send(
      new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: JSON.stringify(policy) }),
    );
  }
  return keyId;
}

describe(`${CHECK} (moto)`, () => {
  it('passes the stock key policy, which delegates to the account root', async () => {
    const keyId = await createKey();

    const result = await runCheck(CHECK, rules, clients, keyRef(keyId));

    expect(result).toMatchObject({ status: 'PASS', message: 'none of 1 key policy statement(s) is public' });
  });

  it.each([
    ['"*"', '*'],
    ['{"AWS":"*"}', { AWS: '*' }],
    ['a list containing "*"', { AWS: [ROOT, '*'] }],
  ])('fails a statement that allows the principal %s', async (_label, principal) => {
    const keyId = await createKey([
      {
        Sid: 'Everyone',
        Effect: 'Allow',
        Principal: principal,
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: '*',
      },
    ]);

    const result = await runCheck(CHECK, rules, clients, keyRef(keyId));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: expect.stringMatching(
        /^the key policy grants access to anyone: Everyone \((Principal|AWS principal) "\*"\)$/,
      ),
      evidence: {
        publicStatements: [{ statement: 'Everyone', actions: ['kms:Decrypt', 'kms:DescribeKey'] }],
      },
    });
  });

  it('passes a "*" principal pinned to the account by kms:CallerAccount', async () => {
    const keyId = await createKey([
      {
        Sid: 'ViaS3InThisAccount',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:CallerAccount': TEST_STACK.accountId,
            'kms:ViaService': 's3.us-east-1.amazonaws.com',
          },
        },
      },
    ]);

    const result = await runCheck(CHECK, rules, clients, keyRef(keyId));

    expect(result.status).toBe('PASS');
  });

  it('fails a "*" principal whose condition does not pin the caller', async () => {
    const keyId = await createKey([
      {
        Sid: 'ViaS3Anywhere',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
      },
    ]);

    const result = await runCheck(CHECK, rules, clients, keyRef(keyId));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'the key policy grants access to anyone: ViaS3Anywhere (AWS principal "*")',
    });
  });

  it('passes a Deny statement to everyone', async () => {
    const keyId = await createKey([
      { Sid: 'DenyAll', Effect: 'Deny', Principal: '*', Action: 'kms:ScheduleKeyDeletion', Resource: '*' },
    ]);

    const result = await runCheck(CHECK, rules, clients, keyRef(keyId));

    expect(result).toMatchObject({ status: 'PASS', message: 'none of 2 key policy statement(s) is public' });
  });

  it('is an ERROR when the key does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, keyRef('00000000-0000-0000-0000-000000000000'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NotFoundException');
  });
});

describe(`${CHECK} (SDK mock: moto enforces no IAM)`, () => {
  it('asks for the default policy by name and is an ERROR naming kms:GetKeyPolicy when access is denied', async () => {
    const client = new KMSClient({});
    const kms = mockClient(client);
    kms.on(GetKeyPolicyCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { kms: client }, keyRef('key-1'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('kms:GetKeyPolicy');
    expect(kms.commandCalls(GetKeyPolicyCommand)[0]?.args[0].input).toEqual({
      KeyId: 'key-1',
      PolicyName: 'default',
    });
  });
});
