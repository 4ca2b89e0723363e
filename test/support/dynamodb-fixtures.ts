/**
 * DynamoDB tables in moto for the check tests, created through the API: moto applies few
 * CloudFormation table properties (no SSEDescription, no PITR), so each test sets what it needs.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { TEST_STACK } from './check-harness.ts';

export const tableRef = (tableName: string) => ({
  logicalId: 'DataTable',
  physicalId: tableName,
  type: 'AWS::DynamoDB::Table',
});

export const stackRef = () => ({
  logicalId: TEST_STACK.stackName,
  physicalId: TEST_STACK.stackId,
  type: 'AWS::CloudFormation::Stack',
});

export const tableArn = (tableName: string) =>
  `arn:aws:dynamodb:${TEST_STACK.region}:${TEST_STACK.accountId}:table/${tableName}`;

/** A provisioned GSI on attribute `gk`, with the given read/write units. */
export const provisionedIndex = (indexName: string, read: number, write: number): GlobalSecondaryIndex => ({
  IndexName: indexName,
  KeySchema: [{ AttributeName: 'gk', KeyType: 'HASH' }],
  Projection: { ProjectionType: 'KEYS_ONLY' },
  ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write },
});

/** An on-demand table keyed on `pk` (plus `gk` when it has GSIs); `overrides` set any other field. */
export async function createTable(
  dynamoDb: DynamoDBClient,
  tableName: string,
  overrides: Partial<CreateTableCommandInput> = {},
): Promise<TableDescription> {
  const attributes = [{ AttributeName: 'pk', AttributeType: 'S' as const }];
  if (overrides.GlobalSecondaryIndexes?.length) attributes.push({ AttributeName: 'gk', AttributeType: 'S' });
  const response = await dynamoDb.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: attributes,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: overrides.ProvisionedThroughput ? 'PROVISIONED' : 'PAY_PER_REQUEST',
      ...overrides,
    }),
  );
  if (!response.TableDescription) throw new Error(`CreateTable returned no description for ${tableName}`);
  return response.TableDescription;
}
