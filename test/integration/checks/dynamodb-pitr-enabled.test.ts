import {
  DescribeContinuousBackupsCommand,
  DynamoDBClient,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createDynamoDbClients } from '../../../functions/checks/dynamodb/clients.ts';
import { rules } from '../../../functions/checks/dynamodb/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTable, tableRef } from '../../support/dynamodb-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'dynamodb-pitr-enabled';
const clients = createDynamoDbClients();

describe(`${CHECK} (moto)`, () => {
  it('passes a table with point-in-time recovery enabled', async () => {
    await createTable(clients.dynamoDb, 'pitr-on');
    await clients.dynamoDb.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'pitr-on',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );

    const result = await runCheck(CHECK, rules, clients, tableRef('pitr-on'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'point-in-time recovery is ENABLED',
      evidence: { PointInTimeRecoveryStatus: 'ENABLED' },
    });
  });

  it('fails a table with the default (disabled) point-in-time recovery', async () => {
    await createTable(clients.dynamoDb, 'pitr-default');

    const result = await runCheck(CHECK, rules, clients, tableRef('pitr-default'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'point-in-time recovery is DISABLED' });
  });

  it('fails a table whose point-in-time recovery was turned off again', async () => {
    await createTable(clients.dynamoDb, 'pitr-off');
    for (const enabled of [true, false]) {
      await clients.dynamoDb.send(
        new UpdateContinuousBackupsCommand({
          TableName: 'pitr-off',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: enabled },
        }),
      );
    }

    const result = await runCheck(CHECK, rules, clients, tableRef('pitr-off'));

    expect(result.status).toBe('FAIL');
  });

  it('is an ERROR when the table does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, tableRef('missing-table'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('TableNotFoundException');
  });
});

describe(`${CHECK} (SDK mock: moto enforces no IAM)`, () => {
  it('is an ERROR naming dynamodb:DescribeContinuousBackups when access is denied', async () => {
    const dynamoDb = new DynamoDBClient({});
    mockClient(dynamoDb).on(DescribeContinuousBackupsCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { ...clients, dynamoDb }, tableRef('t'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('dynamodb:DescribeContinuousBackups');
  });
});
