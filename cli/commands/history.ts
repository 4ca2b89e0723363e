/**
 * `fitgate history --stack NAME`: past executions of the gate for one stack, newest first, from
 * the history table (--table, or the gate stack's FitnessHistoryTable output). Each run shows the
 * gate's decision and CodeDeploy's outcome of its deployment; an item the gate cannot read as a
 * sound run (it never becomes a baseline) is shown as well as it can be, with a warning on stderr.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { type DynamoDBClient, paginateQuery } from '@aws-sdk/client-dynamodb';
import { type ParsedHistoryItem, parseHistoryItem } from '../../functions/aggregate/history.ts';
import {
  createCloudFormationClient,
  createDynamoDbClient,
  TIMEOUTS,
} from '../../functions/shared/clients.ts';
import { isAwsError } from '../../functions/shared/errors.ts';
import type { HistoryRecord } from '../../statemachine/state.ts';
import { oneOf, parseCommand, positiveInteger, usageHint } from '../args.ts';
import { CliError, EXIT_SUCCEEDED, UsageError } from '../errors.ts';
import { toJson } from '../format/json.ts';
import { historyTable } from '../format/table.ts';
import { type CommandIo, processIo } from '../io.ts';
import { findStack, HISTORY_TABLE_OUTPUT, regionOf, stackOutput } from '../stacks.ts';

export const HISTORY_FORMATS = ['table', 'json'] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

export const HISTORY_USAGE =
  'fitgate history --stack NAME [--table NAME] [--gate-stack NAME] [--limit N] [--format table|json] [--region REGION]';

export const HISTORY_HELP = `usage: ${HISTORY_USAGE}

Lists the gate's past executions for one stack, newest first: the gate's decision, CodeDeploy's
outcome of the deployment (PENDING until CodeDeploy ends it), and whether the run was accepted
(a hook run the gate let through and CodeDeploy finished successfully).

  --stack NAME        the audited stack (required)
  --table NAME        the history table (default: the gate stack's ${HISTORY_TABLE_OUTPUT} output)
  --gate-stack NAME   the stack that holds the FitnessGate (default: --stack)
  --limit N           at most N executions (default 20)
  --format FORMAT     table (default) or json (the history records)
  --region REGION     AWS region (default: the SDK's configuration)`;

const SPEC = {
  command: 'history',
  usage: HISTORY_USAGE,
  options: {
    stack: { type: 'string' },
    table: { type: 'string' },
    'gate-stack': { type: 'string' },
    limit: { type: 'string' },
    format: { type: 'string' },
    region: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const;

export interface HistoryOptions {
  readonly stack: string;
  readonly table?: string;
  readonly gateStack?: string;
  readonly limit: number;
  readonly format: HistoryFormat;
  readonly region?: string;
}

export function parseHistoryArgs(argv: readonly string[]): HistoryOptions | 'help' {
  const values = parseCommand(SPEC, argv);
  if (values.help) return 'help';
  if (!values.stack) throw new UsageError(`--stack is required; ${usageHint('history')}`);
  return {
    stack: values.stack,
    ...(values.table ? { table: values.table } : {}),
    ...(values['gate-stack'] ? { gateStack: values['gate-stack'] } : {}),
    limit: positiveInteger('history', 'limit', values.limit) ?? 20,
    format: oneOf('history', 'format', values.format, HISTORY_FORMATS, 'table'),
    ...(values.region ? { region: values.region } : {}),
  };
}

export interface HistoryDeps {
  readonly cloudFormation?: CloudFormationClient;
  readonly dynamoDb?: DynamoDBClient;
}

async function historyTableName(
  options: HistoryOptions,
  cloudFormation: CloudFormationClient,
): Promise<string> {
  if (options.table) return options.table;
  const gateStackName = options.gateStack ?? options.stack;
  const gateStack = await findStack(cloudFormation, gateStackName);
  if (!gateStack) {
    throw new CliError(
      `stack ${gateStackName} does not exist in ${await regionOf(cloudFormation)}; pass --table NAME to read a history table directly`,
    );
  }
  const table = stackOutput(gateStack, HISTORY_TABLE_OUTPUT);
  if (!table) {
    throw new CliError(
      `stack ${gateStackName} has no ${HISTORY_TABLE_OUTPUT} output (no deployed gate); pass --table NAME or --gate-stack NAME`,
    );
  }
  return table;
}

/** The newest `limit` records of a stack; the sort key starts with the start time. */
export async function readHistory(
  dynamoDb: DynamoDBClient,
  tableName: string,
  stackName: string,
  limit: number,
): Promise<ParsedHistoryItem[]> {
  const records: ParsedHistoryItem[] = [];
  const pages = paginateQuery(
    { client: dynamoDb, pageSize: Math.min(limit, 100) },
    {
      TableName: tableName,
      KeyConditionExpression: 'stackName = :stack',
      ExpressionAttributeValues: { ':stack': { S: stackName } },
      ScanIndexForward: false,
    },
  );
  try {
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        records.push(parseHistoryItem(item));
        if (records.length >= limit) return records;
      }
    }
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) {
      throw new CliError(`history table ${tableName} does not exist in ${await regionOf(dynamoDb)}`);
    }
    throw error;
  }
  return records;
}

export async function runHistory(
  options: HistoryOptions,
  io: CommandIo = processIo,
  deps: HistoryDeps = {},
): Promise<number> {
  if (options.region) process.env.AWS_REGION = options.region;
  const tableName = await historyTableName(
    options,
    deps.cloudFormation ?? createCloudFormationClient(TIMEOUTS.cli),
  );
  const parsed = await readHistory(
    deps.dynamoDb ?? createDynamoDbClient(TIMEOUTS.cli),
    tableName,
    options.stack,
    options.limit,
  );
  for (const { record, problems } of parsed) {
    if (problems.length > 0) {
      io.stderr.write(
        `warning: history item ${record.runId || '(no runId)'} is unreadable or inconsistent, never a baseline: ${problems.join(', ')}\n`,
      );
    }
  }
  const records: HistoryRecord[] = parsed.map(({ record }) => record);
  io.stdout.write(options.format === 'json' ? toJson(records) : historyTable(options.stack, records));
  return EXIT_SUCCEEDED;
}
