/** The Secrets Manager checks against moto: rotation, customer managed key, resource policy. */
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  PutResourcePolicyCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createSecretsManagerClients } from '../../../functions/checks/secretsmanager/clients.ts';
import { rules } from '../../../functions/checks/secretsmanager/handler.ts';
import { runCheck } from '../../support/check-harness.ts';

const clients = createSecretsManagerClients();

async function secret(name: string, extra: { KmsKeyId?: string } = {}): Promise<string> {
  const { ARN } = await clients.secretsManager.send(
    new CreateSecretCommand({ Name: name, SecretString: 'x', ...extra }),
  );
  return String(ARN);
}
const secretRef = (arn: string) => ({
  logicalId: 'Secret',
  physicalId: arn,
  type: 'AWS::SecretsManager::Secret',
});

describe('secretsmanager-rotation-enabled-check (moto)', () => {
  const CHECK = 'secretsmanager-rotation-enabled-check';

  it('fails a secret without rotation', async () => {
    const result = await runCheck(CHECK, rules, clients, secretRef(await secret('static')));

    expect(result).toMatchObject({ status: 'FAIL', message: 'rotation is not enabled' });
  });

  it('is an ERROR when the secret does not exist', async () => {
    const result = await runCheck(
      CHECK,
      rules,
      clients,
      secretRef('arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-AbCdEf'),
    );

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('ResourceNotFoundException');
  });
});

describe("secretsmanager-rotation-enabled-check (SDK mock: moto's RotateSecret runs the rotation Lambda, which needs Docker)", () => {
  const CHECK = 'secretsmanager-rotation-enabled-check';
  const mocked = (rotation: object) => {
    const secretsManager = new SecretsManagerClient({});
    mockClient(secretsManager)
      .on(DescribeSecretCommand)
      .resolves({ RotationEnabled: true, ...rotation });
    return { ...clients, secretsManager };
  };
  const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rotated-AbCdEf';

  it('passes rotation, and compares the interval with maximumAllowedRotationFrequency given as Config text', async () => {
    const every30Days = mocked({ RotationRules: { AutomaticallyAfterDays: 30 } });

    expect((await runCheck(CHECK, rules, every30Days, secretRef(arn))).status).toBe('PASS');
    expect(
      (
        await runCheck(CHECK, rules, every30Days, secretRef(arn), {
          params: { maximumAllowedRotationFrequency: '90' },
        })
      ).status,
    ).toBe('PASS');
    expect(
      await runCheck(CHECK, rules, every30Days, secretRef(arn), {
        params: { maximumAllowedRotationFrequency: '7' },
      }),
    ).toMatchObject({
      status: 'FAIL',
      message: 'the secret rotates every 720 hours, more than the allowed 168',
    });
  });

  it('reads rate() schedules in hours, and cannot compare a cron schedule', async () => {
    const hourly = mocked({ RotationRules: { ScheduleExpression: 'rate(4 hours)' } });
    const cron = mocked({ RotationRules: { ScheduleExpression: 'cron(0 8 1 * ? *)' } });
    const params = { maximumAllowedRotationFrequencyInHours: 6 };

    expect((await runCheck(CHECK, rules, hourly, secretRef(arn), { params })).status).toBe('PASS');
    expect(await runCheck(CHECK, rules, cron, secretRef(arn), { params })).toMatchObject({
      status: 'FAIL',
      message: 'the rotation schedule cron(0 8 1 * ? *) cannot be compared with the allowed 6 hours',
    });
  });
});

describe('secretsmanager-using-cmk (moto)', () => {
  const CHECK = 'secretsmanager-using-cmk';

  it('fails the AWS managed key, passes a customer managed key, honours kmsKeyArns as a Config CSV', async () => {
    const { KeyMetadata } = await clients.kms.send(new CreateKeyCommand({}));
    const keyArn = String(KeyMetadata?.Arn);
    const withCmk = await secret('with-cmk', { KmsKeyId: keyArn });

    expect((await runCheck(CHECK, rules, clients, secretRef(await secret('default-key')))).status).toBe(
      'FAIL',
    );
    expect(await runCheck(CHECK, rules, clients, secretRef(withCmk))).toMatchObject({
      status: 'PASS',
      evidence: { KeyManager: 'CUSTOMER' },
    });
    expect(
      (
        await runCheck(CHECK, rules, clients, secretRef(withCmk), {
          params: { kmsKeyArns: `arn:aws:kms:us-east-1:123456789012:key/other, ${keyArn}` },
        })
      ).status,
    ).toBe('PASS');
    expect(
      (
        await runCheck(CHECK, rules, clients, secretRef(withCmk), {
          params: { kmsKeyArns: 'arn:aws:kms:us-east-1:123456789012:key/other' },
        })
      ).status,
    ).toBe('FAIL');
  });
});

describe('secretsmanager-secret-not-public (moto)', () => {
  const CHECK = 'secretsmanager-secret-not-public';
  const policy = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

  it('passes no policy and an account-scoped one; fails "*" and NotPrincipal', async () => {
    const none = await secret('no-policy');
    const scoped = await secret('scoped');
    const open = await secret('open');
    const allButOne = await secret('all-but-one');
    const read = { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' };
    await clients.secretsManager.send(
      new PutResourcePolicyCommand({
        SecretId: scoped,
        ResourcePolicy: policy({ ...read, Principal: { AWS: 'arn:aws:iam::123456789012:root' } }),
      }),
    );
    await clients.secretsManager.send(
      new PutResourcePolicyCommand({
        SecretId: open,
        ResourcePolicy: policy({ ...read, Sid: 'Anyone', Principal: '*' }),
      }),
    );
    await clients.secretsManager.send(
      new PutResourcePolicyCommand({
        SecretId: allButOne,
        ResourcePolicy: policy({ ...read, NotPrincipal: { AWS: 'arn:aws:iam::123456789012:root' } }),
      }),
    );

    expect(await runCheck(CHECK, rules, clients, secretRef(none))).toMatchObject({
      status: 'PASS',
      message: 'the secret has no resource policy',
    });
    expect((await runCheck(CHECK, rules, clients, secretRef(scoped))).status).toBe('PASS');
    expect(await runCheck(CHECK, rules, clients, secretRef(open))).toMatchObject({
      status: 'FAIL',
      evidence: { publicStatements: ['Anyone'] },
    });
    expect((await runCheck(CHECK, rules, clients, secretRef(allButOne))).status).toBe('FAIL');
  });
});
