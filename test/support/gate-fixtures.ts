/**
 * Fixtures for the workflow tests: small real CloudFormation templates, the history table, and a
 * CodeDeploy deployment registered in the stand-in.
 */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { deleteStackCompletely } from '../../cli/demo/stack.ts';
import type { CodeDeployStandIn } from '../../cli/emulation/codedeploy-standin.ts';
import { type DeployResult, deployStack } from '../../cli/emulation/deploy/index.ts';
import type { CfnTemplate } from '../../cli/emulation/template.ts';
import { makeHandler as makeOutcomeTracker, type OutcomeResult } from '../../functions/outcome/handler.ts';
import { createCloudFormationClient } from '../../functions/shared/clients.ts';
import { historyTableDefinition } from '../../functions/shared/history-table.ts';

export const HISTORY_TABLE = 'fitgate-history';

/** The history table as the gate creates it (keys and deployment index). */
export async function createHistoryTable(dynamoDb: DynamoDBClient, tableName = HISTORY_TABLE): Promise<void> {
  await dynamoDb.send(new CreateTableCommand(historyTableDefinition(tableName)));
}

const TLS_ONLY = (bucket: string) => ({
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [{ 'Fn::GetAtt': [bucket, 'Arn'] }, { 'Fn::Sub': `\${${bucket}.Arn}/*` }],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

/** A small service: a well-configured bucket and a function behind a role. */
export function serviceTemplate(options: { publicBucket?: boolean; tlsOnly?: boolean } = {}): CfnTemplate {
  const blockAll = !options.publicBucket;
  const statements: unknown[] = options.tlsOnly === false ? [] : [TLS_ONLY('DataBucket')];
  if (options.publicBucket) {
    statements.push({
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: { 'Fn::Sub': '${DataBucket.Arn}/*' },
    });
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      DataBucket: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } },
            ],
          },
          VersioningConfiguration: { Status: 'Enabled' },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: blockAll,
            IgnorePublicAcls: blockAll,
            BlockPublicPolicy: blockAll,
            RestrictPublicBuckets: blockAll,
          },
        },
      },
      ...(statements.length > 0
        ? {
            DataBucketPolicy: {
              Type: 'AWS::S3::BucketPolicy',
              Properties: {
                Bucket: { Ref: 'DataBucket' },
                PolicyDocument: { Version: '2012-10-17', Statement: statements },
              },
            },
          }
        : {}),
      FnRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
            ],
          },
        },
      },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: { 'Fn::GetAtt': ['FnRole', 'Arn'] },
          Code: { ZipFile: 'exports.handler = async () => ({ statusCode: 200, body: "ok" });' },
          TracingConfig: { Mode: 'Active' },
        },
      },
    },
  };
}

/** The physical name of the service's function (what a deployment shifts traffic on). */
export function functionOf(deployed: DeployResult): string {
  const fn = deployed.resources.find((r) => r.logicalId === 'Fn');
  if (!fn) throw new Error('the fixture has no function');
  return fn.physicalId;
}

/**
 * A new release of the service: a new stack update. moto replays no update and reports no
 * LastUpdatedTime, so the stack is replaced (a new stack id, the same name and logical ids).
 */
export async function releaseService(
  stackName: string,
  dynamoDb: DynamoDBClient,
  options: Parameters<typeof serviceTemplate>[0] = {},
): Promise<DeployResult> {
  await deleteStackCompletely({ cloudFormation: createCloudFormationClient(), dynamoDb }, stackName);
  return deployStack({ stackName, template: serviceTemplate(options) });
}

let deploymentCounter = 0;

/**
 * Registers a Lambda deployment in the stand-in; returns the pre-traffic hook event. With
 * `postTraffic` the deployment also has an AfterAllowTraffic hook (`postHookExecutionId`), and
 * CodeDeploy finishes it only once both hooks succeeded. `revisionByReference` leaves the AppSpec
 * out of GetDeployment, as for a revision read with GetApplicationRevision.
 */
export function registerDeployment(
  standIn: CodeDeployStandIn,
  functionName: string,
  options: {
    postTraffic?: boolean;
    deploymentGroupName?: string;
    applicationName?: string;
    revisionByReference?: boolean;
  } = {},
) {
  deploymentCounter += 1;
  const deploymentId = `d-WORKFLOW${String(deploymentCounter).padStart(3, '0')}`;
  const hookId = (phase: string) =>
    `hook-${phase}-${deploymentCounter}-${Math.random().toString(36).slice(2)}`;
  const hookExecutionId = hookId('pre');
  const postHookExecutionId = options.postTraffic ? hookId('post') : undefined;
  standIn.addDeployment({
    deploymentId,
    applicationName: options.applicationName ?? 'svc-app',
    deploymentGroupName: options.deploymentGroupName ?? 'svc-group',
    appSpec: { functionName, alias: 'live', currentVersion: '1', targetVersion: '2' },
    hookExecutionIds: postHookExecutionId ? [hookExecutionId, postHookExecutionId] : [hookExecutionId],
    ...(options.revisionByReference ? { revisionByReference: true } : {}),
  });
  return { deploymentId, hookExecutionId, ...(postHookExecutionId ? { postHookExecutionId } : {}) };
}

/**
 * What EventBridge does with CodeDeploy's deployment state-change events: each one the stand-in
 * emitted since the last call goes to the real outcome tracker, once. Returns the tracker's answers.
 */
export function eventBridgeToOutcomeTracker(
  standIn: CodeDeployStandIn,
  dynamoDb: DynamoDBClient,
  historyTableName = HISTORY_TABLE,
) {
  const track = makeOutcomeTracker({ dynamoDb, historyTableName });
  const delivered = new Set<string>();
  return async (): Promise<OutcomeResult[]> => {
    const answers: OutcomeResult[] = [];
    for (const event of standIn.stateChangeEvents()) {
      if (delivered.has(event.id)) continue;
      delivered.add(event.id);
      answers.push(await track(event));
    }
    return answers;
  };
}
