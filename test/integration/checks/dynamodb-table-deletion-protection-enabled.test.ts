import { DescribeTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createDynamoDbClients } from '../../../functions/checks/dynamodb/clients.ts';
import { rules } from '../../../functions/checks/dynamodb/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTable, tableRef } from '../../support/dynamodb-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'dynamodb-table-deletion-protection-enabled';
const clients = createDynamoDbClients();

describe(`${CHECK} (moto)`, () => {
  it('passes a table with deletion protection', async () => {
    await createTable(clients.dynamoDb, 'protected', { DeletionProtectionEnabled: true });

    const result = await runCheck(CHECK, rules, clients, tableRef('protected'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'deletion protection is enabled',
      evidence: { DeletionProtectionEnabled: true },
    });
  });

  it('fails a table created without deletion protection', async () => {
    await createTable(clients.dynamoDb, 'unprotected');

    const result = await runCheck(CHECK, rules, clients, tableRef('unprotected'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'deletion protection is disabled' });
  });

  it('fails a table whose deletion protection was turned off', async () => {
    await createTable(clients.dynamoDb, 'unprotected-later', { DeletionProtectionEnabled: true });
    await clients.dynamoDb.send(
      new UpdateTableCommand({ TableName: 'unprotected-later', DeletionProtectionEnabled: false }),
    );

    const result = await runCheck(CHECK, rules, clients, tableRef('unprotected-later'));

    expect(result.status).toBe('FAIL');
  });

  it('is an ERROR when the table does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, tableRef('missing-table'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('ResourceNotFoundException');
  });
});

describe(`${CHECK} (SDK mock: moto enforces no IAM)`, () => {
  it('is an ERROR naming dynamodb:DescribeTable when access is denied', async () => {
    const dynamoDb = new DynamoDBClient({});
    mockClient(dynamoDb).on(DescribeTableCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { ...clients, dynamoDb }, tableRef('t'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('dynamodb:DescribeTable');
  });
});
