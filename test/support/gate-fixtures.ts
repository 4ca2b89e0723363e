/**
 * Fixtures for the workflow tests: small real CloudFormation templates, the history table, and a
 * CodeDeploy deployment registered in the stand-in.
 */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CodeDeployStandIn } from '../../cli/emulation/codedeploy-standin.ts';
import type { CfnTemplate } from '../../cli/emulation/template.ts';

export const HISTORY_TABLE = 'fitgate-history';

export async function createHistoryTable(dynamoDb: DynamoDBClient, tableName = HISTORY_TABLE): Promise<void> {
  await dynamoDb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'stackName', AttributeType: 'S' },
        { AttributeName: 'runId', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'stackName', KeyType: 'HASH' },
        { AttributeName: 'runId', KeyType: 'RANGE' },
      ],
    }),
  );
}

const TLS_ONLY = (bucket: string) => ({
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [{ 'Fn::GetAtt': [bucket, 'Arn'] }, { 'Fn::Sub': `\${${bucket}.Arn}/*` }],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

/** A small service: a well-configured bucket and a function behind a role. */
export function serviceTemplate(options: { publicBucket?: boolean } = {}): CfnTemplate {
  const blockAll = !options.publicBucket;
  const statements: unknown[] = [TLS_ONLY('DataBucket')];
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
      DataBucketPolicy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'DataBucket' },
          PolicyDocument: { Version: '2012-10-17', Statement: statements },
        },
      },
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

let deploymentCounter = 0;

/** Registers a Lambda deployment with its hook execution in the stand-in; returns the hook event. */
export function registerDeployment(
  standIn: CodeDeployStandIn,
  functionName: string,
  options: { applicationName?: string; revisionByReference?: boolean } = {},
) {
  deploymentCounter += 1;
  const deploymentId = `d-WORKFLOW${String(deploymentCounter).padStart(3, '0')}`;
  const hookExecutionId = `hook-${deploymentCounter}-${Math.random().toString(36).slice(2)}`;
  standIn.addDeployment({
    deploymentId,
    applicationName: options.applicationName ?? 'svc-app',
    deploymentGroupName: 'svc-group',
    appSpec: { functionName, alias: 'live', currentVersion: '1', targetVersion: '2' },
    hookExecutionIds: [hookExecutionId],
    ...(options.revisionByReference ? { revisionByReference: true } : {}),
  });
  return { deploymentId, hookExecutionId };
}
