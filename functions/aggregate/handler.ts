/**
 * Aggregate: turns the Map's outcomes into the report (score, baseline, decision) and prepares
 * what the next states publish: CloudWatch metric data and the history item.
 */

import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { type CodeDeployClient, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { type DynamoDBClient, paginateQuery, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AggregateInput, AggregateOutput } from '../../statemachine/state.ts';
import { createCodeDeployClient, createDynamoDbClient, createS3Client } from '../shared/clients.ts';
import { errorMessage, InvalidInputError, isAccessDenied, isAwsError } from '../shared/errors.ts';
import {
  HISTORY_PARTITION_KEY,
  HistoryTableNotFoundError,
  isAccepted,
  outcomeOfDeploymentStatus,
  outcomeUpdate,
} from '../shared/history-table.ts';
import { logger } from '../shared/logger.ts';
import {
  type BaselineQuery,
  type BaselineSearch,
  type LearnedOutcome,
  type ResolvedOutcome,
  searchBaseline,
} from './baseline.ts';
import { type Baseline, type Scored, score } from './core.ts';
import { historyRecord, toItem } from './history.ts';
import { isMapResultsLocation, readMapResults } from './map-results.ts';

export interface AggregateDeps {
  readonly dynamoDb: DynamoDBClient;
  /** GetDeployment, for a baseline candidate whose outcome no event has recorded yet. */
  readonly codeDeploy: CodeDeployClient;
  /** Without a history table (a local audit where no gate is deployed) the baseline is skipped. */
  readonly historyTableName?: string;
  /** Reads the Distributed Map's results (a plan too large for the state). */
  readonly s3?: S3Client;
  /** Where the baseline comes from instead of the history table (a prediction: another account's history, a report file). */
  readonly baseline?: (stackName: string) => Promise<Baseline | undefined>;
  readonly now?: () => Date;
}

/** The newest history items of a stack, 50 per page. Errors propagate: a gate must fail closed. */
function historyItems(dynamoDb: DynamoDBClient, tableName: string, stackName: string) {
  const pages = paginateQuery(
    { client: dynamoDb, pageSize: 50 },
    {
      TableName: tableName,
      KeyConditionExpression: '#stack = :stack',
      ExpressionAttributeNames: { '#stack': HISTORY_PARTITION_KEY },
      ExpressionAttributeValues: { ':stack': { S: stackName } },
      ScanIndexForward: false,
    },
  );
  return (async function* () {
    for await (const page of pages) yield* page.Items ?? [];
  })();
}

/**
 * CodeDeploy's word on a deployment (GetDeployment): its final status, or why there is none. A
 * deployment CodeDeploy no longer knows, or a role that may not ask, leaves the outcome unknown;
 * any other error propagates (fail closed).
 */
export async function deploymentOutcome(
  codeDeploy: CodeDeployClient,
  deploymentId: string,
  now: Date,
): Promise<ResolvedOutcome> {
  try {
    const { deploymentInfo } = await codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
    const outcome = outcomeOfDeploymentStatus(deploymentInfo?.status);
    if (!outcome) return { unknownBecause: `CodeDeploy says ${deploymentInfo?.status ?? 'nothing'}` };
    return { outcome, at: (deploymentInfo?.completeTime ?? now).toISOString() };
  } catch (error) {
    if (isAwsError(error, 'DeploymentDoesNotExistException')) {
      return { unknownBecause: 'CodeDeploy no longer knows this deployment' };
    }
    if (isAccessDenied(error)) {
      return { unknownBecause: 'the gate may not call GetDeployment on its deployment group' };
    }
    throw error;
  }
}

/**
 * Records what the lookup learned, so the next one need not ask. Best effort: the lookup already
 * used it; an outcome the event recorded meanwhile is never overwritten.
 */
async function recordLearned(
  dynamoDb: DynamoDBClient,
  tableName: string,
  learned: readonly LearnedOutcome[],
) {
  for (const { outcome, at, runs } of learned) {
    for (const run of runs) {
      const accepted = isAccepted({ ...run, outcome });
      try {
        await dynamoDb.send(
          new UpdateItemCommand(
            outcomeUpdate(
              tableName,
              run,
              { outcome, at, source: 'GetDeployment', accepted },
              { onlyIfUnknown: true },
            ),
          ),
        );
      } catch (error) {
        if (!isAwsError(error, 'ConditionalCheckFailedException') && !isAccessDenied(error)) {
          logger.warn('could not record a deployment outcome', {
            runId: run.runId,
            error: errorMessage(error),
          });
        }
      }
    }
  }
}

/**
 * The baseline of a run (baseline.ts). A history table that does not exist fails a run that
 * reports to CodeDeploy (without history it cannot judge a regression); any other run says so.
 */
export async function findBaseline(
  deps: Pick<AggregateDeps, 'dynamoDb' | 'codeDeploy' | 'now'> & {
    readonly historyTableName: string;
    /** Never write what the lookup learned (a prediction reads another account's history). */
    readonly readOnly?: boolean;
  },
  stackName: string,
  query: BaselineQuery & { readonly reportsToCodeDeploy: boolean },
): Promise<BaselineSearch> {
  const now = deps.now?.() ?? new Date();
  try {
    const search = await searchBaseline(
      historyItems(deps.dynamoDb, deps.historyTableName, stackName),
      query,
      (id) => deploymentOutcome(deps.codeDeploy, id, now),
    );
    if (!deps.readOnly) await recordLearned(deps.dynamoDb, deps.historyTableName, search.learned);
    return search;
  } catch (error) {
    if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
    if (query.reportsToCodeDeploy) throw new HistoryTableNotFoundError(deps.historyTableName);
    return {
      notes: [
        `history table ${deps.historyTableName} does not exist: no baseline, and this run is not recorded`,
      ],
      learned: [],
    };
  }
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
    const inline = Array.isArray(event?.outcomes);
    if (
      !event?.stack?.stackName ||
      !(inline || isMapResultsLocation(event.outcomes)) ||
      !event.config ||
      !event.inventory
    ) {
      throw new InvalidInputError('aggregate input needs stack, config, inventory and outcomes');
    }
    const outcomes = isMapResultsLocation(event.outcomes)
      ? await readMapResults(deps.s3 ?? createS3Client(), event.outcomes, event.itemCount)
      : event.outcomes;
    logger.appendKeys({ stackName: event.stack.stackName, executionName: event.execution?.name });
    const notes = [...(event.notes ?? [])];
    let search: BaselineSearch = { notes: [], learned: [] };
    if (deps.baseline) {
      const baseline = await deps.baseline(event.stack.stackName);
      search = { ...(baseline ? { baseline } : {}), notes: [], learned: [] };
    } else if (deps.historyTableName) {
      search = await findBaseline(
        { ...deps, historyTableName: deps.historyTableName },
        event.stack.stackName,
        {
          trigger: event.trigger,
          releaseId: event.stack.releaseId,
          deploymentId: event.deployment?.deploymentId,
          reportsToCodeDeploy: Boolean(event.deployment?.hookExecutionId),
        },
      );
      notes.push(...search.notes);
    } else {
      notes.push('no history table: baseline and history skipped');
    }
    const scored = score({
      stackName: event.stack.stackName,
      trigger: event.trigger,
      deploymentId: event.deployment?.deploymentId,
      outcomes,
      config: event.config,
      inventory: event.inventory,
      baseline: search.baseline,
      now: deps.now?.() ?? new Date(),
      notes,
    });
    const { report } = scored;
    logger.info('fitness scored', { fitness: report.fitness, decision: report.decision });
    return {
      report,
      metricData: metricDataOf(scored),
      historyItem: toItem(historyRecord(scored, event.execution, event.deployment, event.stack.releaseId)),
      deployment: event.deployment,
    };
  };
}

export const handler = makeHandler({
  dynamoDb: createDynamoDbClient(),
  codeDeploy: createCodeDeployClient(),
  historyTableName: process.env.HISTORY_TABLE_NAME,
  s3: createS3Client(),
});
