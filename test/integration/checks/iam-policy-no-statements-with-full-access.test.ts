import { describe, expect, it } from 'vitest';
import { createIamClients } from '../../../functions/checks/iam/clients.ts';
import { rules } from '../../../functions/checks/iam/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createRole, readTable, roleResource } from '../../support/roles.ts';

const CHECK = 'iam-policy-no-statements-with-full-access';
const clients = createIamClients();

describe(`${CHECK} (moto)`, () => {
  it('passes a role whose policies list their actions', async () => {
    const role = await createRole(clients.iam, 'listed', {
      inline: { Read: [readTable, { Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'none of the 1 policies of the role listed grants a whole service',
    });
  });

  it('fails dynamodb:* in an inline policy, and names the grant', async () => {
    const role = await createRole(clients.iam, 'inline-full', {
      inline: {
        Table: [{ Sid: 'AllTable', Effect: 'Allow', Action: ['dynamodb:*'], Resource: readTable.Resource }],
      },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result).toMatchObject({ status: 'FAIL', evidence: { grants: ['dynamodb:* (Table#AllTable)'] } });
  });

  it('fails a customer managed policy with sqs:*', async () => {
    const role = await createRole(clients.iam, 'customer-full', {
      customer: {
        Queue: [{ Effect: 'Allow', Action: 'sqs:*', Resource: 'arn:aws:sqs:us-east-1:123456789012:q' }],
      },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('sqs:* (customer-full-Queue#0)');
  });

  it('fails an AWS managed full-access policy', async () => {
    const role = await createRole(clients.iam, 'managed-full', { awsManaged: ['AmazonSQSFullAccess'] });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('sqs:*');
  });

  it('passes a service wildcard that is only denied', async () => {
    const role = await createRole(clients.iam, 'denied-full', {
      inline: { Guard: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }] },
    });

    const result = await runCheck(CHECK, rules, clients, roleResource(role));

    expect(result.status).toBe('PASS');
  });

  it('is an ERROR when the role does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, roleResource('gone'));

    expect(result.status).toBe('ERROR');
  });
});
