/**
 * Outcome tracker: an EventBridge rule sends every CodeDeploy deployment that ends (SUCCESS,
 * FAILURE, STOP) here, and the history items of that deployment's runs get CodeDeploy's outcome,
 * and `accepted` when the gate had let the deployment go on. The event names the deployment, not
 * the stack, so the runs are found through the table's sparse deployment index.
 */
import { type DynamoDBClient, paginateQuery, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient } from '../shared/clients.ts';
import { InvalidInputError, isAwsError } from '../shared/errors.ts';
import {
  DEPLOYMENT_INDEX,
  DEPLOYMENT_INDEX_ATTRIBUTES,
  DEPLOYMENT_INDEX_KEY,
  HISTORY_PARTITION_KEY,
  HISTORY_SORT_KEY,
  isAccepted,
  outcomeUpdate,
} from '../shared/history-table.ts';
import { logger } from '../shared/logger.ts';
import { deploymentStateChange } from './core.ts';

export interface OutcomeDeps {
  readonly dynamoDb: DynamoDBClient;
  readonly historyTableName: string | undefined;
}

export interface OutcomeResult {
  readonly deploymentId: string;
  readonly outcome?: string;
  /** History items marked with the outcome. */
  readonly marked: number;
}

export function makeHandler(deps: OutcomeDeps) {
  return async (event: unknown): Promise<OutcomeResult> => {
    const tableName = deps.historyTableName;
    if (!tableName) throw new InvalidInputError('the outcome tracker needs HISTORY_TABLE_NAME');
    const { deploymentId, outcome, at } = deploymentStateChange(event);
    if (!outcome) return { deploymentId, marked: 0 };
    logger.appendKeys({ deploymentId });
    const pages = paginateQuery(
      { client: deps.dynamoDb },
      {
        TableName: tableName,
        IndexName: DEPLOYMENT_INDEX,
        KeyConditionExpression: '#deployment = :deployment',
        ExpressionAttributeNames: { '#deployment': DEPLOYMENT_INDEX_KEY },
        ExpressionAttributeValues: { ':deployment': { S: deploymentId } },
      },
    );
    let marked = 0;
    // Errors propagate: the invocation is retried, then lands in the tracker's dead-letter queue.
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const [trigger, decision] = DEPLOYMENT_INDEX_ATTRIBUTES.map((name) => item[name]?.S);
        const key = {
          stackName: item[HISTORY_PARTITION_KEY]?.S ?? '',
          runId: item[HISTORY_SORT_KEY]?.S ?? '',
        };
        const accepted = isAccepted({ trigger, decision, outcome });
        try {
          await deps.dynamoDb.send(
            new UpdateItemCommand(
              outcomeUpdate(tableName, key, {
                outcome,
                at,
                source: 'event',
                accepted,
              }),
            ),
          );
          marked += 1;
        } catch (error) {
          // The item was deleted since the index listed it: nothing to mark.
          if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
        }
      }
    }
    logger.info('deployment outcome recorded', { outcome, marked });
    return { deploymentId, outcome, marked };
  };
}

export const handler = makeHandler({
  dynamoDb: createDynamoDbClient(),
  historyTableName: process.env.HISTORY_TABLE_NAME,
});
