/**
 * AWS::DynamoDB::GlobalTable (what CDK's TableV2 synthesizes) gets the table checks, on its replica
 * in the stack's region. moto's CloudFormation does not create global tables, so the replica is made
 * as a table through the API, as a deploy into moto lists it.
 */
import { UpdateContinuousBackupsCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoDbClients } from '../../../functions/checks/dynamodb/clients.ts';
import { rules } from '../../../functions/checks/dynamodb/handler.ts';
import { familiesFor } from '../../../functions/checks/registry.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTable } from '../../support/dynamodb-fixtures.ts';

const clients = createDynamoDbClients();
const globalTable = (name: string) => ({
  logicalId: 'Orders',
  physicalId: name,
  type: 'AWS::DynamoDB::GlobalTable',
});

describe('AWS::DynamoDB::GlobalTable (moto)', () => {
  it('is planned for the dynamodb family', () => {
    expect(familiesFor('AWS::DynamoDB::GlobalTable')).toEqual(['dynamodb']);
  });

  it('judges point-in-time recovery and deletion protection of the replica', async () => {
    await createTable(clients.dynamoDb, 'orders-v2');
    await clients.dynamoDb.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'orders-v2',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    await clients.dynamoDb.send(
      new UpdateTableCommand({ TableName: 'orders-v2', DeletionProtectionEnabled: true }),
    );

    expect((await runCheck('dynamodb-pitr-enabled', rules, clients, globalTable('orders-v2'))).status).toBe(
      'PASS',
    );
    expect(
      (await runCheck('dynamodb-table-deletion-protection-enabled', rules, clients, globalTable('orders-v2')))
        .status,
    ).toBe('PASS');
  });

  it('fails a replica without point-in-time recovery', async () => {
    await createTable(clients.dynamoDb, 'orders-v2-bare');

    expect(
      (await runCheck('dynamodb-pitr-enabled', rules, clients, globalTable('orders-v2-bare'))).status,
    ).toBe('FAIL');
  });
});
