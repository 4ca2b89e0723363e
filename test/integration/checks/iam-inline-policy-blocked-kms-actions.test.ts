import { describe, expect, it } from 'vitest';
import { createIamClients } from '../../../functions/checks/iam/clients.ts';
import { rules } from '../../../functions/checks/iam/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createRole, roleResource } from '../../support/roles.ts';

const CHECK = 'iam-inline-policy-blocked-kms-actions';
const clients = createIamClients();
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe(`${CHECK} (moto)`, () => {
  it('passes kms:Decrypt scoped to one key', async () => {
    const role = await createRole(clients.iam, 'scoped', {
      inline: { Decrypt: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN }] },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result).toMatchObject({ status: 'PASS' });
  });

  it('fails kms:Decrypt on every key', async () => {
    const role = await createRole(clients.iam, 'any-key', {
      inline: { Decrypt: [{ Sid: 'AnyKey', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result).toMatchObject({ status: 'FAIL', evidence: { statements: ['Decrypt#AnyKey'] } });
  });

  it.each([['kms:*'], ['kms:ReEncrypt*'], ['*']])('fails the wildcard %s on every key', async (action) => {
    const role = await createRole(clients.iam, `wildcard-${action.replace(/\W/g, '')}`, {
      inline: { Keys: [{ Effect: 'Allow', Action: [action], Resource: ['*'] }] },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result.status).toBe('FAIL');
  });

  it('passes actions outside the blocked patterns, and honours a custom pattern list', async () => {
    const role = await createRole(clients.iam, 'encrypt-only', {
      inline: {
        Encrypt: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:GenerateDataKey'], Resource: '*' }],
      },
    });

    const defaults = await runCheck(CHECK, rules, clients, roleResource(role));
    const custom = await runCheck(CHECK, rules, clients, roleResource(role), {
      params: { blockedActionsPatterns: 'kms:GenerateDataKey*' },
    });

    expect(defaults.status).toBe('PASS');
    expect(custom.status).toBe('FAIL');
  });

  it('ignores attached managed policies (the customer-policy row covers them)', async () => {
    const role = await createRole(clients.iam, 'managed-only', {
      customer: { Keys: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result.status).toBe('PASS');
  });

  it('is an ERROR when the role does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, roleResource('gone'));

    expect(result.status).toBe('ERROR');
  });
});
