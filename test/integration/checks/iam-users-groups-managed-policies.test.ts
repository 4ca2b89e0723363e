/**
 * The IAM checks on every type AWS Config evaluates, not only roles: users and groups (inline and
 * attached policies) and customer managed policies (AWS::IAM::ManagedPolicy, attached or not).
 */
import {
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { createIamClients } from '../../../functions/checks/iam/clients.ts';
import { rules } from '../../../functions/checks/iam/handler.ts';
import { runCheck } from '../../support/check-harness.ts';

const clients = createIamClients();
const { iam } = clients;
const document = (...statements: object[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ref = (type: string, physicalId: string) => ({ logicalId: 'Identity', physicalId, type });

async function managedPolicy(name: string, ...statements: object[]): Promise<string> {
  const { Policy } = await iam.send(
    new CreatePolicyCommand({ PolicyName: name, PolicyDocument: document(...statements) }),
  );
  return String(Policy?.Arn);
}

describe('AWS::IAM::ManagedPolicy, attached or not', () => {
  it('admin access: fails "*" (or "*:*") on "*" and over NotResource; passes a scoped policy', async () => {
    const star = await managedPolicy('star', { Effect: 'Allow', Action: '*', Resource: '*' });
    const arnStar = await managedPolicy('arn-star', { Effect: 'Allow', Action: '*:*', Resource: '*' });
    const notResource = await managedPolicy('not-resource', {
      Effect: 'Allow',
      Action: '*',
      NotResource: 'arn:aws:s3:::keep',
    });
    const scoped = await managedPolicy('scoped', {
      Effect: 'Allow',
      Action: '*',
      Resource: 'arn:aws:s3:::bucket/*',
    });
    const check = (arn: string) =>
      runCheck(
        'iam-policy-no-statements-with-admin-access',
        rules,
        clients,
        ref('AWS::IAM::ManagedPolicy', arn),
      );

    expect((await check(star)).status).toBe('FAIL');
    expect((await check(arnStar)).status).toBe('FAIL');
    expect((await check(notResource)).status).toBe('FAIL');
    expect(await check(scoped)).toMatchObject({
      status: 'PASS',
      message: expect.stringContaining(`managed policy ${scoped}`),
    });
  });

  it('full access and blocked KMS actions on a managed policy nothing uses', async () => {
    const arn = await managedPolicy('kms-everywhere', {
      Effect: 'Allow',
      Action: 'kms:*',
      Resource: 'arn:aws:kms:*:123456789012:key/*',
    });
    const resource = ref('AWS::IAM::ManagedPolicy', arn);

    expect(
      (await runCheck('iam-policy-no-statements-with-full-access', rules, clients, resource)).status,
    ).toBe('FAIL');
    expect(await runCheck('iam-customer-policy-blocked-kms-actions', rules, clients, resource)).toMatchObject(
      {
        status: 'FAIL',
        message: expect.stringContaining('on every KMS key'),
      },
    );
  });

  it('excludePermissionBoundaryPolicy "True" (Config text) is read as true, not an ERROR', async () => {
    const arn = await managedPolicy('plain', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });

    const result = await runCheck(
      'iam-policy-no-statements-with-admin-access',
      rules,
      clients,
      ref('AWS::IAM::ManagedPolicy', arn),
      {
        params: { excludePermissionBoundaryPolicy: 'True' },
      },
    );

    expect(result.status).toBe('PASS');
  });
});

describe('AWS::IAM::User and AWS::IAM::Group', () => {
  it('reads a user’s inline and attached policies', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'deployer' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'deployer',
        PolicyName: 'keys',
        PolicyDocument: document({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }),
      }),
    );
    await iam.send(
      new AttachUserPolicyCommand({
        UserName: 'deployer',
        PolicyArn: await managedPolicy('user-admin', { Effect: 'Allow', Action: '*', Resource: '*' }),
      }),
    );
    const user = ref('AWS::IAM::User', 'deployer');

    expect(await runCheck('iam-inline-policy-blocked-kms-actions', rules, clients, user)).toMatchObject({
      status: 'FAIL',
      evidence: { statements: ['keys#0'] },
    });
    expect(await runCheck('iam-policy-no-statements-with-admin-access', rules, clients, user)).toMatchObject({
      status: 'FAIL',
      evidence: { statements: ['user-admin#0'] },
    });
  });

  it('reads a group’s policies, and the exceptionList in Config’s form', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'admins' }));
    await iam.send(
      new PutGroupPolicyCommand({
        GroupName: 'admins',
        PolicyName: 'all-s3',
        PolicyDocument: document({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
      }),
    );
    const blocked = await managedPolicy('blocked', { Effect: 'Allow', Action: 'iam:*', Resource: '*' });
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'admins', PolicyArn: blocked }));
    const group = ref('AWS::IAM::Group', 'admins');
    const blacklisted = (exceptionList?: string) =>
      runCheck('iam-policy-blacklisted-check', rules, clients, group, {
        params: { policyArns: blocked, ...(exceptionList ? { exceptionList } : {}) },
      });

    expect(await runCheck('iam-policy-no-statements-with-full-access', rules, clients, group)).toMatchObject({
      status: 'FAIL',
      evidence: { grants: ['s3:* (all-s3#0)', 'iam:* (blocked#0)'] },
    });
    expect((await blacklisted()).status).toBe('FAIL');
    expect((await blacklisted('users:[admins], roles:[admins]')).status).toBe('FAIL');
    expect(await blacklisted('users:[u1;u2], groups:[ops;admins], roles:[r1]')).toMatchObject({
      status: 'NOT_APPLICABLE',
    });
    expect((await blacklisted('groups:[ops,admins]')).status).toBe('NOT_APPLICABLE');
  });
});
