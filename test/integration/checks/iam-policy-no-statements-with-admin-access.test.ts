import {
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createIamClients } from '../../../functions/checks/iam/clients.ts';
import { rules } from '../../../functions/checks/iam/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createRole, readTable, roleResource } from '../../support/roles.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'iam-policy-no-statements-with-admin-access';
const clients = createIamClients();

describe(`${CHECK} (moto)`, () => {
  it('passes a role with scoped inline and customer managed policies', async () => {
    const role = await createRole(clients.iam, 'scoped', {
      inline: { Read: [readTable] },
      customer: { Logs: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result).toMatchObject({ status: 'PASS', evidence: { policies: ['Read', 'scoped-Logs'] } });
  });

  it('fails "*" on "*" in an inline policy (URL-encoded by IAM)', async () => {
    const role = await createRole(clients.iam, 'inline-admin', {
      inline: {
        God: [
          readTable,
          { Sid: 'Everything', Effect: 'Allow', Action: ['s3:GetObject', '*'], Resource: ['*'] },
        ],
      },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result).toMatchObject({ status: 'FAIL', evidence: { statements: ['God#Everything'] } });
  });

  it('fails the AWS managed AdministratorAccess policy', async () => {
    const role = await createRole(clients.iam, 'managed-admin', { awsManaged: ['AdministratorAccess'] });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result).toMatchObject({ status: 'FAIL', evidence: { statements: ['AdministratorAccess#0'] } });
  });

  it('fails "*" on "*" in a customer managed policy', async () => {
    const role = await createRole(clients.iam, 'customer-admin', {
      customer: { Admin: [{ Effect: 'Allow', Action: '*:*', Resource: '*' }] },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('customer-admin-Admin#0');
  });

  it('passes "*" that is denied, or limited to one resource', async () => {
    const role = await createRole(clients.iam, 'not-admin', {
      inline: {
        Guard: [
          { Effect: 'Deny', Action: '*', Resource: '*' },
          { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::scratch/*' },
        ],
      },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result.status).toBe('PASS');
  });

  it('is an ERROR when the role does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, roleResource('gone'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NoSuchEntity');
  });

  describe('paging and access denied (SDK mock: moto returns one page and does not enforce IAM)', () => {
    const iam = new IAMClient({});
    const mock = mockClient(iam);
    afterEach(() => mock.reset());

    it('reads every page of inline policies', async () => {
      mock
        .on(ListAttachedRolePoliciesCommand)
        .resolves({ AttachedPolicies: [] })
        .on(ListRolePoliciesCommand, { Marker: undefined })
        .resolves({ PolicyNames: ['First'], IsTruncated: true, Marker: 'm2' })
        .on(ListRolePoliciesCommand, { Marker: 'm2' })
        .resolves({ PolicyNames: ['Second'], IsTruncated: false })
        .on(GetRolePolicyCommand, { PolicyName: 'First' })
        .resolves({ PolicyDocument: encodeURIComponent(JSON.stringify({ Statement: [readTable] })) })
        .on(GetRolePolicyCommand, { PolicyName: 'Second' })
        .resolves({
          PolicyDocument: encodeURIComponent(
            JSON.stringify({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }),
          ),
        });

      const result = await runCheck(CHECK, rules, { iam }, roleResource('paged'));

      expect(result).toMatchObject({ status: 'FAIL', evidence: { statements: ['Second#0'] } });
    });

    it('is an ERROR that names the missing permissions', async () => {
      mock.onAnyCommand().rejects(accessDenied('AccessDenied'));

      const result = await runCheck(CHECK, rules, { iam }, roleResource('denied'));

      expect(result.status).toBe('ERROR');
      expect(result.message).toContain('iam:ListRolePolicies');
      expect(result.message).toContain('iam:GetPolicyVersion');
    });
  });
});
