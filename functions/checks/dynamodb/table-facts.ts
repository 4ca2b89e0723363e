import { DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import type { CheckContext } from '../types.ts';
import type { DynamoDbClients } from './clients.ts';

/** DescribeTable once per table and invocation, shared by every check that reads the table. */
export async function describeTable(
  { clients, memo }: Pick<CheckContext<DynamoDbClients>, 'clients' | 'memo'>,
  tableName: string,
): Promise<TableDescription> {
  const response = await memo(`dynamodb:table:${tableName}`, () =>
    clients.dynamoDb.send(new DescribeTableCommand({ TableName: tableName })),
  );
  if (!response.Table) throw new TypeError(`DescribeTable returned no Table for ${tableName}`);
  return response.Table;
}

/** An absent BillingModeSummary means PROVISIONED (tables created before on-demand existed). */
export function billingMode(table: TableDescription): string {
  return table.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
}
