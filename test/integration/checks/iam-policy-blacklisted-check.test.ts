import { describe, expect, it } from 'vitest';
import { createIamClients } from '../../../functions/checks/iam/clients.ts';
import { rules } from '../../../functions/checks/iam/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createRole, readTable, roleResource } from '../../support/roles.ts';

const CHECK = 'iam-policy-blacklisted-check';
const clients = createIamClients();

describe(`${CHECK} (moto)`, () => {
  it('passes a role without AdministratorAccess', async () => {
    const role = await createRole(clients.iam, 'reader', {
      awsManaged: ['ReadOnlyAccess'],
      customer: { Read: [readTable] },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result).toMatchObject({ status: 'PASS', message: 'none of the 2 attached policies is blocked' });
  });

  it('fails a role with AdministratorAccess attached', async () => {
    const role = await createRole(clients.iam, 'admin', { awsManaged: ['AdministratorAccess'] });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result).toMatchObject({
      status: 'FAIL',
      evidence: { blockedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
    });
  });

  it('fails a policy named in policyArns', async () => {
    const role = await createRole(clients.iam, 'power', { awsManaged: ['PowerUserAccess'] });

    const result = await runCheck(CHECK, rules, clients, roleResource(role), {
      params: {
        policyArns: 'arn:aws:iam::aws:policy/AdministratorAccess,arn:aws:iam::aws:policy/PowerUserAccess',
      },
    });

    expect(result.status).toBe('FAIL');
  });

  it('is not applicable to a role in exceptionList', async () => {
    const role = await createRole(clients.iam, 'break-glass', { awsManaged: ['AdministratorAccess'] });

    const result = await runCheck(CHECK, rules, clients, roleResource(role), {
      params: { exceptionList: ['break-glass'] },
    });

    expect(result).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'role break-glass is in the exception list',
    });
  });

  it('is an ERROR when the role does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, roleResource('gone'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NoSuchEntity');
  });
});
