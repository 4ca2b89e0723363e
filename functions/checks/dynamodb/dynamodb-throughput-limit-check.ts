import { DescribeLimitsCommand, paginateListTables } from '@aws-sdk/client-dynamodb';
import { numberParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { DynamoDbClients } from './clients.ts';
import { billingMode, describeTable } from './table-facts.ts';

/** DescribeTable calls in flight at once: a region can hold thousands of tables. */
const DESCRIBE_CONCURRENCY = 8;

async function mapLimited<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);

/**
 * Stack-scoped: the region-wide provisioned RCU and WCU (tables plus GSIs, PROVISIONED mode only)
 * stay below the configured share of the account maxima.
 */
export const dynamodbThroughputLimitCheck: CheckRule<DynamoDbClients> = async (context) => {
  const { clients, params } = context;
  const readThreshold =
    numberParam(params.accountRCUThresholdPercentage, 'accountRCUThresholdPercentage') ?? 80;
  const writeThreshold =
    numberParam(params.accountWCUThresholdPercentage, 'accountWCUThresholdPercentage') ?? 80;
  const limits = await clients.dynamoDb.send(new DescribeLimitsCommand({}));
  const maxRead = limits.AccountMaxReadCapacityUnits;
  const maxWrite = limits.AccountMaxWriteCapacityUnits;
  if (maxRead === undefined || maxWrite === undefined) {
    return { status: 'ERROR', message: 'DescribeLimits returned no account maxima' };
  }

  const tableNames: string[] = [];
  for await (const page of paginateListTables({ client: clients.dynamoDb }, {})) {
    tableNames.push(...(page.TableNames ?? []));
  }
  const tables = await mapLimited(tableNames, DESCRIBE_CONCURRENCY, (name) => describeTable(context, name));
  let read = 0;
  let write = 0;
  let provisionedTables = 0;
  for (const table of tables) {
    if (billingMode(table) !== 'PROVISIONED') continue;
    provisionedTables++;
    for (const throughput of [
      table.ProvisionedThroughput,
      ...(table.GlobalSecondaryIndexes ?? []).map((index) => index.ProvisionedThroughput),
    ]) {
      read += throughput?.ReadCapacityUnits ?? 0;
      write += throughput?.WriteCapacityUnits ?? 0;
    }
  }

  const evidence = {
    tables: tableNames.length,
    provisionedTables,
    provisionedRCU: read,
    provisionedWCU: write,
    AccountMaxReadCapacityUnits: maxRead,
    AccountMaxWriteCapacityUnits: maxWrite,
    readPercent: percent(read, maxRead),
    writePercent: percent(write, maxWrite),
  };
  const overLimit = [
    read >= (maxRead * readThreshold) / 100
      ? `RCU ${read} is ${evidence.readPercent}% of ${maxRead} (threshold ${readThreshold}%)`
      : undefined,
    write >= (maxWrite * writeThreshold) / 100
      ? `WCU ${write} is ${evidence.writePercent}% of ${maxWrite} (threshold ${writeThreshold}%)`
      : undefined,
  ].filter((reason): reason is string => reason !== undefined);
  if (overLimit.length > 0) {
    return {
      status: 'FAIL',
      message: `provisioned throughput is near the account limit: ${overLimit.join('; ')}`,
      evidence,
    };
  }
  return {
    status: 'PASS',
    message: `provisioned throughput is ${evidence.readPercent}% (RCU) and ${evidence.writePercent}% (WCU) of the account limits`,
    evidence,
  };
};
