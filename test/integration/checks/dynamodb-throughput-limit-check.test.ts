import {
  DeleteTableCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDynamoDbClients } from '../../../functions/checks/dynamodb/clients.ts';
import { rules } from '../../../functions/checks/dynamodb/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTable, provisionedIndex, stackRef, tableRef } from '../../support/dynamodb-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'dynamodb-throughput-limit-check';
const clients = createDynamoDbClients();
// moto reports fixed account maxima of 20000 RCU and 20000 WCU; 1 % of that is 200.
const ONE_PERCENT = { accountRCUThresholdPercentage: 1, accountWCUThresholdPercentage: 1 };

async function deleteAllTables() {
  const { TableNames = [] } = await clients.dynamoDb.send(new ListTablesCommand({}));
  for (const TableName of TableNames) await clients.dynamoDb.send(new DeleteTableCommand({ TableName }));
}

describe(`${CHECK} (moto)`, () => {
  beforeEach(deleteAllTables);

  it('passes a region without tables', async () => {
    const result = await runCheck(CHECK, rules, clients, stackRef());

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'provisioned throughput is 0% (RCU) and 0% (WCU) of the account limits',
      evidence: { tables: 0, AccountMaxReadCapacityUnits: 20000, AccountMaxWriteCapacityUnits: 20000 },
    });
  });

  it('sums provisioned tables and their GSIs, and skips on-demand tables', async () => {
    await createTable(clients.dynamoDb, 'orders', {
      ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 40 },
      GlobalSecondaryIndexes: [provisionedIndex('byGk', 50, 10)],
    });
    await createTable(clients.dynamoDb, 'sessions');

    const result = await runCheck(CHECK, rules, clients, stackRef());

    expect(result).toMatchObject({
      status: 'PASS',
      evidence: {
        tables: 2,
        provisionedTables: 1,
        provisionedRCU: 150,
        provisionedWCU: 50,
        readPercent: 0.8,
      },
    });
  });

  it('fails when provisioned RCU reach the threshold (it must stay below)', async () => {
    await createTable(clients.dynamoDb, 'hot-reads', {
      ProvisionedThroughput: { ReadCapacityUnits: 150, WriteCapacityUnits: 10 },
      GlobalSecondaryIndexes: [provisionedIndex('byGk', 50, 10)],
    });

    const result = await runCheck(CHECK, rules, clients, stackRef(), { params: ONE_PERCENT });

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'provisioned throughput is near the account limit: RCU 200 is 1% of 20000 (threshold 1%)',
    });
  });

  it('passes just below the threshold', async () => {
    await createTable(clients.dynamoDb, 'warm-reads', {
      ProvisionedThroughput: { ReadCapacityUnits: 199, WriteCapacityUnits: 199 },
    });

    const result = await runCheck(CHECK, rules, clients, stackRef(), { params: ONE_PERCENT });

    expect(result.status).toBe('PASS');
  });

  it('fails on WCU alone', async () => {
    await createTable(clients.dynamoDb, 'hot-writes', {
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 300 },
    });

    const result = await runCheck(CHECK, rules, clients, stackRef(), { params: ONE_PERCENT });

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'provisioned throughput is near the account limit: WCU 300 is 1.5% of 20000 (threshold 1%)',
    });
  });

  it('does not run on a table: it is reported on the stack', async () => {
    await createTable(clients.dynamoDb, 'any-table');

    await expect(runCheck(CHECK, rules, clients, tableRef('any-table'))).rejects.toThrow(/did not run/);
  });
});

describe(`${CHECK} (SDK mock: moto has fixed account maxima and enforces no IAM)`, () => {
  it('follows ListTables pages', async () => {
    const dynamoDb = new DynamoDBClient({});
    const mock = mockClient(dynamoDb);
    mock
      .on(DescribeLimitsCommand)
      .resolves({ AccountMaxReadCapacityUnits: 1000, AccountMaxWriteCapacityUnits: 1000 });
    mock
      .on(ListTablesCommand)
      .resolvesOnce({ TableNames: ['a'], LastEvaluatedTableName: 'a' })
      .resolvesOnce({ TableNames: ['b'] });
    mock.on(DescribeTableCommand).callsFake(({ TableName }) => ({
      Table: { TableName, ProvisionedThroughput: { ReadCapacityUnits: 450, WriteCapacityUnits: 1 } },
    }));

    const result = await runCheck(CHECK, rules, { ...clients, dynamoDb }, stackRef());

    expect(result).toMatchObject({ status: 'FAIL', evidence: { tables: 2, provisionedRCU: 900 } });
  });

  it('is an ERROR when DescribeLimits returns no maxima', async () => {
    const dynamoDb = new DynamoDBClient({});
    mockClient(dynamoDb).on(DescribeLimitsCommand).resolves({});

    const result = await runCheck(CHECK, rules, { ...clients, dynamoDb }, stackRef());

    expect(result).toMatchObject({ status: 'ERROR', message: 'DescribeLimits returned no account maxima' });
  });

  it('is an ERROR naming dynamodb:DescribeLimits when access is denied', async () => {
    const dynamoDb = new DynamoDBClient({});
    mockClient(dynamoDb).on(DescribeLimitsCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { ...clients, dynamoDb }, stackRef());

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('dynamodb:DescribeLimits');
  });
});
