/**
 * The history table's contract, shared by everything that touches it: the key schema (partition
 * `stackName`, sort `runId` = `<startedAt>#<executionName>`), the deployment index the outcome
 * tracker finds a deployment's runs by, the check that a configured table really has that schema,
 * the release identity, and the one update that records CodeDeploy's outcome of a deployment.
 */
import {
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  type DeploymentOutcome,
  isHookTrigger,
  type OutcomeSource,
  type Trigger,
} from '../../statemachine/state.ts';
import { isAwsError } from './errors.ts';

export const HISTORY_PARTITION_KEY = 'stackName';
export const HISTORY_SORT_KEY = 'runId';

/**
 * Sparse global secondary index (only runs with a deployment carry `deploymentId`): a CodeDeploy
 * event names the deployment, not the stack. It projects what the outcome tracker needs to set
 * `accepted`; updating the outcome never writes the index (its attributes are not projected).
 */
export const DEPLOYMENT_INDEX = 'byDeployment';
export const DEPLOYMENT_INDEX_KEY = 'deploymentId';
export const DEPLOYMENT_INDEX_ATTRIBUTES = ['trigger', 'decision'] as const;

/** The table as the gate creates it (CreateTable input), for the local emulator and the tests. */
export function historyTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: HISTORY_PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: HISTORY_SORT_KEY, AttributeType: 'S' },
      { AttributeName: DEPLOYMENT_INDEX_KEY, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: HISTORY_PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: HISTORY_SORT_KEY, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: DEPLOYMENT_INDEX,
        KeySchema: [
          { AttributeName: DEPLOYMENT_INDEX_KEY, KeyType: 'HASH' },
          { AttributeName: HISTORY_SORT_KEY, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...DEPLOYMENT_INDEX_ATTRIBUTES] },
      },
    ],
  };
}

/** The history table exists but cannot hold the gate's history (wrong keys, not usable). */
export class HistoryTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryTableError';
  }
}

/** A run that reports to CodeDeploy needs its history table, and it does not exist. */
export class HistoryTableNotFoundError extends Error {
  constructor(tableName: string) {
    super(
      `history table ${tableName} does not exist: without it the gate cannot find the baseline, so it fails closed`,
    );
    this.name = 'HistoryTableNotFoundError';
  }
}

// Statuses of a table that cannot be read or written; see
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html
const UNUSABLE_STATUSES = new Set([
  'DELETING',
  'INACCESSIBLE_ENCRYPTION_CREDENTIALS',
  'ARCHIVING',
  'ARCHIVED',
]);

/**
 * DescribeTable: 'ok' when the table has the history key schema (string keys `stackName` HASH and
 * `runId` RANGE), 'missing' when it does not exist. A table keyed otherwise would take every run
 * of a stack as one item (or refuse every write): a HistoryTableError, never a silent overwrite.
 */
export async function verifyHistoryTable(
  dynamoDb: DynamoDBClient,
  tableName: string,
): Promise<'ok' | 'missing'> {
  let table: TableDescription | undefined;
  try {
    ({ Table: table } = await dynamoDb.send(new DescribeTableCommand({ TableName: tableName })));
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return 'missing';
    throw error;
  }
  const keyOf = (type: 'HASH' | 'RANGE') => table?.KeySchema?.find((k) => k.KeyType === type)?.AttributeName;
  const typeOf = (name: string | undefined) =>
    table?.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType;
  const actual = `${keyOf('HASH') ?? 'none'} (${typeOf(keyOf('HASH')) ?? '?'}) HASH, ${keyOf('RANGE') ?? 'none'} (${typeOf(keyOf('RANGE')) ?? '?'}) RANGE`;
  const expected = `${HISTORY_PARTITION_KEY} (S) HASH, ${HISTORY_SORT_KEY} (S) RANGE`;
  if (actual !== expected) {
    throw new HistoryTableError(
      `history table ${tableName} is keyed ${actual}; the gate needs ${expected} (use the table the FitnessGate construct creates)`,
    );
  }
  if (table?.TableStatus && UNUSABLE_STATUSES.has(table.TableStatus)) {
    throw new HistoryTableError(`history table ${tableName} is ${table.TableStatus}`);
  }
  return 'ok';
}

/**
 * One CloudFormation update is one release, however many CodeDeploy deployments it starts (one per
 * alias with a CodeDeployLambdaAliasUpdate policy): the stack id and the time of its last update
 * (CreationTime until the first update), as DescribeStacks reports them during the update. See
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html
 */
export function releaseIdOf(
  stackId: string,
  lastUpdatedTime: Date | undefined,
  creationTime: Date | undefined,
): string | undefined {
  const at = lastUpdatedTime ?? creationTime;
  return at ? `${stackId}@${at.toISOString()}` : undefined;
}

/** An outcome CodeDeploy will not change any more. */
export type FinalOutcome = Exclude<DeploymentOutcome, 'PENDING'>;

/** A run is accepted when the gate let its deployment go on and CodeDeploy finished it successfully. */
export function isAccepted(run: {
  readonly trigger: Trigger | string | undefined;
  readonly decision: string | undefined;
  readonly outcome: DeploymentOutcome | undefined;
}): boolean {
  return isHookTrigger(run.trigger) && run.decision === 'Succeeded' && run.outcome === 'SUCCEEDED';
}

/**
 * The final outcome of a GetDeployment status; undefined while the deployment still runs
 * (Created, Queued, InProgress, Baking, Ready). See
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentInfo.html
 */
export function outcomeOfDeploymentStatus(status: string | undefined): FinalOutcome | undefined {
  switch (status) {
    case 'Succeeded':
      return 'SUCCEEDED';
    case 'Failed':
      return 'FAILED';
    case 'Stopped':
      return 'STOPPED';
    default:
      return undefined;
  }
}

export interface OutcomeMark {
  readonly outcome: FinalOutcome;
  readonly at: string;
  readonly source: OutcomeSource;
  readonly accepted: boolean;
}

/**
 * Records a deployment's outcome on one run, only if the run still exists (never creates a partial
 * item). `onlyIfUnknown` keeps a lookup from overwriting what the event already recorded.
 */
export function outcomeUpdate(
  tableName: string,
  key: { readonly stackName: string; readonly runId: string },
  mark: OutcomeMark,
  options: { readonly onlyIfUnknown?: boolean } = {},
): UpdateItemCommandInput {
  const exists = `attribute_exists(${HISTORY_SORT_KEY})`;
  return {
    TableName: tableName,
    Key: { [HISTORY_PARTITION_KEY]: { S: key.stackName }, [HISTORY_SORT_KEY]: { S: key.runId } },
    UpdateExpression:
      'SET #outcome = :outcome, outcomeAt = :at, outcomeSource = :source, accepted = :accepted',
    ConditionExpression: options.onlyIfUnknown
      ? `${exists} AND (attribute_not_exists(#outcome) OR #outcome = :pending)`
      : exists,
    ExpressionAttributeNames: { '#outcome': 'outcome' },
    ExpressionAttributeValues: {
      ':outcome': { S: mark.outcome },
      ':at': { S: mark.at },
      ':source': { S: mark.source },
      ':accepted': { BOOL: mark.accepted },
      ...(options.onlyIfUnknown ? { ':pending': { S: 'PENDING' } } : {}),
    },
  };
}
