import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createDynamoDbClients } from '../../../functions/checks/dynamodb/clients.ts';
import { rules } from '../../../functions/checks/dynamodb/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTable, tableRef } from '../../support/dynamodb-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'dynamodb-table-encrypted-kms';
const clients = createDynamoDbClients();
const KEY_A = 'arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111';
const KEY_B = 'arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222';

const kmsTable = (name: string, key = KEY_A) =>
  createTable(clients.dynamoDb, name, {
    SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: key },
  });

function mockedDescribeTable(table: object) {
  const dynamoDb = new DynamoDBClient({});
  mockClient(dynamoDb).on(DescribeTableCommand).resolves({ Table: table });
  return { ...clients, dynamoDb };
}

describe(`${CHECK} (moto)`, () => {
  it('passes a table encrypted with a customer managed KMS key', async () => {
    await kmsTable('encrypted-cmk');

    const result = await runCheck(CHECK, rules, clients, tableRef('encrypted-cmk'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: `the table is encrypted with KMS key ${KEY_A}`,
      evidence: { SSEType: 'KMS', Status: 'ENABLED', KMSMasterKeyArn: KEY_A },
    });
  });

  it('passes a table encrypted with the AWS managed key (SSE enabled without a key id)', async () => {
    await createTable(clients.dynamoDb, 'encrypted-aws-managed', { SSESpecification: { Enabled: true } });

    const result = await runCheck(CHECK, rules, clients, tableRef('encrypted-aws-managed'));

    expect(result.status).toBe('PASS');
  });

  it('fails a table on the AWS owned key (no SSEDescription)', async () => {
    await createTable(clients.dynamoDb, 'owned-key');

    const result = await runCheck(CHECK, rules, clients, tableRef('owned-key'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'the table uses the AWS owned key, not a KMS key the account controls',
      evidence: { SSEDescription: null },
    });
  });

  it('passes a key listed in kmsKeyArns', async () => {
    await kmsTable('listed-key', KEY_A);

    const result = await runCheck(CHECK, rules, clients, tableRef('listed-key'), {
      params: { kmsKeyArns: [KEY_B, KEY_A] },
    });

    expect(result.status).toBe('PASS');
  });

  it('fails a key missing from kmsKeyArns (given as CSV)', async () => {
    await kmsTable('unlisted-key', KEY_B);

    const result = await runCheck(CHECK, rules, clients, tableRef('unlisted-key'), {
      params: { kmsKeyArns: KEY_A },
    });

    expect(result).toMatchObject({
      status: 'FAIL',
      message: `the table is encrypted with ${KEY_B}, which is not in kmsKeyArns`,
      evidence: { kmsKeyArns: [KEY_A] },
    });
  });

  it('is an ERROR when the table does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, tableRef('missing-table'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('ResourceNotFoundException');
  });
});

describe(`${CHECK} (SDK mock: moto reports SSE only as KMS/ENABLED and enforces no IAM)`, () => {
  it.each([
    ['UPDATING', 'PASS'],
    ['ENABLING', 'FAIL'],
    ['DISABLING', 'FAIL'],
    ['DISABLED', 'FAIL'],
  ] as const)('treats a KMS table whose SSE status is %s as %s', async (status, expected) => {
    const mocked = mockedDescribeTable({
      TableName: 't',
      SSEDescription: { SSEType: 'KMS', Status: status, KMSMasterKeyArn: KEY_A },
    });

    const result = await runCheck(CHECK, rules, mocked, tableRef('t'));

    expect(result.status).toBe(expected);
  });

  it('fails a table whose SSE type is AES256', async () => {
    const mocked = mockedDescribeTable({
      TableName: 't',
      SSEDescription: { SSEType: 'AES256', Status: 'ENABLED' },
    });

    const result = await runCheck(CHECK, rules, mocked, tableRef('t'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'server-side encryption is AES256 with status ENABLED',
    });
  });

  it('is an ERROR naming dynamodb:DescribeTable when access is denied', async () => {
    const dynamoDb = new DynamoDBClient({});
    mockClient(dynamoDb).on(DescribeTableCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { ...clients, dynamoDb }, tableRef('t'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('dynamodb:DescribeTable');
  });
});
