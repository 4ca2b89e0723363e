/**
 * Aggregate: turns the Map's outcomes into the report (score, baseline, decision) and prepares
 * what the next states publish: CloudWatch metric data and the history item.
 */

import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { type DynamoDBClient, paginateQuery } from '@aws-sdk/client-dynamodb';
import type { AggregateInput, AggregateOutput } from '../../statemachine/state.ts';
import { createDynamoDbClient } from '../shared/clients.ts';
import { InvalidInputError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { type Baseline, type Scored, score } from './core.ts';
import { baselineOf, fromItem, historyRecord, toItem } from './history.ts';

export interface AggregateDeps {
  readonly dynamoDb: DynamoDBClient;
  /** Without a history table (a local audit where no gate is deployed) the baseline is skipped. */
  readonly historyTableName?: string;
  /** Where the baseline comes from instead of the history table (a prediction: another account's history, a report file). */
  readonly baseline?: (stackName: string) => Promise<Baseline | undefined>;
  readonly now?: () => Date;
}

/** The last accepted run of the stack, newest first. Errors propagate: a gate must fail closed. */
export async function findBaseline(
  dynamoDb: DynamoDBClient,
  tableName: string,
  stackName: string,
): Promise<Baseline | undefined> {
  const pages = paginateQuery(
    { client: dynamoDb, pageSize: 50 },
    {
      TableName: tableName,
      KeyConditionExpression: 'stackName = :stack',
      FilterExpression: 'accepted = :accepted',
      ExpressionAttributeValues: { ':stack': { S: stackName }, ':accepted': { BOOL: true } },
      ScanIndexForward: false,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const baseline = baselineOf(fromItem(item));
      if (baseline) return baseline;
    }
  }
  return undefined;
}

export function metricDataOf({ report, results }: Scored): MetricDatum[] {
  const stack = { Name: 'StackName', Value: report.stack };
  const trigger = { Name: 'Trigger', Value: report.trigger };
  const headline: [string, number | null][] = [
    ['Fitness', report.fitness],
    ['Quality', report.quality],
    ['Complexity', report.complexity],
    ['Penalty', report.penalty],
  ];
  const data: MetricDatum[] = headline.flatMap(([name, value]) =>
    value === null
      ? []
      : [
          { MetricName: name, Dimensions: [stack], Value: value, Unit: 'None' },
          { MetricName: name, Dimensions: [stack, trigger], Value: value, Unit: 'None' },
        ],
  );
  for (const [pillar, value] of Object.entries(report.pillars)) {
    data.push({
      MetricName: 'PillarQuality',
      Dimensions: [stack, { Name: 'Pillar', Value: pillar }],
      Value: value,
      Unit: 'None',
    });
  }
  const failing = results.filter((r) => r.status === 'FAIL' || r.status === 'ERROR');
  for (const severity of ['critical', 'high', 'medium', 'low'] as const) {
    data.push({
      MetricName: 'Failures',
      Dimensions: [stack, { Name: 'Severity', Value: severity }],
      Value: failing.filter((r) => r.severity === severity).length,
      Unit: 'Count',
    });
  }
  return data;
}

export function makeHandler(deps: AggregateDeps) {
  return async (event: AggregateInput): Promise<AggregateOutput> => {
    if (!event?.stack?.stackName || !Array.isArray(event.outcomes) || !event.config || !event.inventory) {
      throw new InvalidInputError('aggregate input needs stack, config, inventory and outcomes');
    }
    logger.appendKeys({ stackName: event.stack.stackName, executionName: event.execution?.name });
    const notes = [...(event.notes ?? [])];
    let baseline: Baseline | undefined;
    if (deps.baseline) {
      baseline = await deps.baseline(event.stack.stackName);
    } else if (deps.historyTableName) {
      baseline = await findBaseline(deps.dynamoDb, deps.historyTableName, event.stack.stackName);
    } else {
      notes.push('no history table: baseline and history skipped');
    }
    const scored = score({
      stackName: event.stack.stackName,
      trigger: event.trigger,
      deploymentId: event.deployment?.deploymentId,
      outcomes: event.outcomes,
      config: event.config,
      inventory: event.inventory,
      baseline,
      now: deps.now?.() ?? new Date(),
      notes,
    });
    const { report } = scored;
    logger.info('fitness scored', { fitness: report.fitness, decision: report.decision });
    return {
      report,
      metricData: metricDataOf(scored),
      historyItem: toItem(historyRecord(scored, event.execution, event.deployment)),
      deployment: event.deployment,
    };
  };
}

export const handler = makeHandler({
  dynamoDb: createDynamoDbClient(),
  historyTableName: process.env.HISTORY_TABLE_NAME,
});
