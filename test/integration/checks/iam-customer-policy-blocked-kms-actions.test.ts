import { describe, expect, it } from 'vitest';
import { createIamClients } from '../../../functions/checks/iam/clients.ts';
import { rules } from '../../../functions/checks/iam/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createRole, roleResource } from '../../support/roles.ts';

const CHECK = 'iam-customer-policy-blocked-kms-actions';
const clients = createIamClients();

describe(`${CHECK} (moto)`, () => {
  it('passes a customer managed policy that scopes decryption to a key', async () => {
    const role = await createRole(clients.iam, 'scoped', {
      customer: {
        Decrypt: [
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:us-east-1:123456789012:key/k' },
        ],
      },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result).toMatchObject({
      status: 'PASS',
      message:
        'none of the 1 customer managed policies allows kms:Decrypt or kms:ReEncryptFrom on every KMS key',
    });
  });

  it('fails kms:ReEncryptFrom on every key in a customer managed policy', async () => {
    const role = await createRole(clients.iam, 'reencrypt', {
      customer: { Keys: [{ Sid: 'Rewrap', Effect: 'Allow', Action: 'kms:ReEncryptFrom', Resource: '*' }] },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result).toMatchObject({ status: 'FAIL', evidence: { statements: ['reencrypt-Keys#Rewrap'] } });
  });

  it('fails a NotAction statement that leaves kms:Decrypt allowed', async () => {
    const role = await createRole(clients.iam, 'not-action', {
      customer: { AllButIam: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result.status).toBe('FAIL');
  });

  it('ignores AWS managed and inline policies', async () => {
    const role = await createRole(clients.iam, 'not-customer', {
      awsManaged: ['AdministratorAccess'],
      inline: { Keys: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result).toMatchObject({ status: 'PASS' });
    expect(result.message).toContain('none of the 0 customer managed policies');
  });

  it('is an ERROR when the role does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, roleResource('gone'));

    expect(result.status).toBe('ERROR');
  });
});
