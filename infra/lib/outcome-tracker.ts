/**
 * OutcomeTracker: learns what CodeDeploy made of each deployment the gate judged. An EventBridge
 * rule on CodeDeploy's `CodeDeploy Deployment State-change Notification` events that end a
 * deployment (SUCCESS, FAILURE, STOP) invokes a small function, which marks that deployment's runs
 * in the history table (outcome, and `accepted` when the gate had said Succeeded). Only accepted
 * runs of a release CodeDeploy kept become baselines (docs/baselines.md).
 *
 * The event names the deployment, not the stack, so the construct adds the table's sparse
 * `byDeployment` index (runs without a deployment are not in it). Its cost: one more write request
 * unit per hook run; recording the outcome does not touch it (no projected attribute changes).
 * EventBridge delivers CodeDeploy events on a best-effort basis, so the Aggregate also asks
 * GetDeployment for a candidate whose outcome is still unknown.
 */
import path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CODEDEPLOY_SOURCE, DEPLOYMENT_STATE_CHANGE, FINAL_STATES } from '../../functions/outcome/core.ts';
import {
  DEPLOYMENT_INDEX,
  DEPLOYMENT_INDEX_ATTRIBUTES,
  DEPLOYMENT_INDEX_KEY,
  HISTORY_SORT_KEY,
} from '../../functions/shared/history-table.ts';
// Validations through cdk-compat, so an aws-cdk-lib too old for fitgate gets its clear message.
import { Validations } from './cdk-compat.ts';
import { FitgateFunction, type FitgateFunctionProps, PROJECT_ROOT } from './fitgate-function.ts';

export const OUTCOME_ENTRY = path.join(PROJECT_ROOT, 'functions', 'outcome', 'handler.ts');

export interface OutcomeTrackerProps {
  /** The gate's history table; the tracker adds the deployment index to it. */
  readonly historyTable: dynamodb.Table;
  /** How the gate grants history access (table actions plus, with a customer managed key, key actions). */
  readonly grantHistory: (grantee: iam.IGrantable, ...actions: string[]) => iam.Grant;
  /** Defaults of the gate's functions (log retention). */
  readonly functionDefaults?: Partial<FitgateFunctionProps>;
}

export class OutcomeTracker extends Construct {
  readonly function: FitgateFunction;
  readonly rule: events.Rule;
  readonly deadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: OutcomeTrackerProps) {
    super(scope, id);
    props.historyTable.addGlobalSecondaryIndex({
      indexName: DEPLOYMENT_INDEX,
      partitionKey: { name: DEPLOYMENT_INDEX_KEY, type: dynamodb.AttributeType.STRING },
      sortKey: { name: HISTORY_SORT_KEY, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...DEPLOYMENT_INDEX_ATTRIBUTES],
    });

    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.function = new FitgateFunction(this, 'Function', {
      ...props.functionDefaults,
      entry: OUTCOME_ENTRY,
      description: "fitgate: records CodeDeploy's outcome of a deployment on the runs that gated it",
      timeout: Duration.seconds(60),
      environment: { HISTORY_TABLE_NAME: props.historyTable.tableName },
      onFailure: new destinations.SqsDestination(this.deadLetters),
      retryAttempts: 2,
    });
    props.grantHistory(this.function, 'dynamodb:Query', 'dynamodb:UpdateItem');

    // https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-cloudwatch-events.html
    this.rule = new events.Rule(this, 'DeploymentEnded', {
      description: 'fitgate: a CodeDeploy deployment succeeded, failed or was stopped',
      eventPattern: {
        source: [CODEDEPLOY_SOURCE],
        detailType: [DEPLOYMENT_STATE_CHANGE],
        detail: { state: Object.keys(FINAL_STATES) },
      },
      targets: [
        new targets.LambdaFunction(this.function.function, {
          deadLetterQueue: this.deadLetters,
          retryAttempts: 8,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the outcome tracker (EventBridge target and Lambda on-failure destination)',
    });
  }
}
