// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub strings are CloudFormation syntax, not JS templates
/**
 * The deploy helper against moto: a real CreateStack, then the configuration moto's CloudFormation
 * ignores, read back through the service APIs. Real templates are read from the shared folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetStageCommand } from '@aws-sdk/client-api-gateway';
import {
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeContinuousBackupsCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
} from '@aws-sdk/client-s3';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { DeployError, type DeployResult, deployStack } from '../../cli/emulation/deploy/index.ts';
import type { CfnTemplate } from '../../cli/emulation/template.ts';
import {
  createApiGatewayClient,
  createAutoScalingClient,
  createCloudFormationClient,
  createCloudWatchClient,
  createCloudWatchLogsClient,
  createDynamoDbClient,
  createIamClient,
  createKmsClient,
  createLambdaClient,
  createS3Client,
  createSfnClient,
  createSnsClient,
  createSqsClient,
} from '../../functions/shared/clients.ts';

const REAL_STACKS = '/work/shared/real-stacks';
const realStack = (file: string) => join(REAL_STACKS, file);
function realParams(file: string): Record<string, string> {
  const path = join(REAL_STACKS, 'params', `${file.replace(/\.\w+$/, '')}.json`);
  if (!existsSync(path)) return {};
  const values = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]));
}

const clients = {
  apiGateway: createApiGatewayClient(),
  autoScaling: createAutoScalingClient(),
  cloudFormation: createCloudFormationClient(),
  cloudWatch: createCloudWatchClient(),
  logs: createCloudWatchLogsClient(),
  dynamoDb: createDynamoDbClient(),
  iam: createIamClient(),
  kms: createKmsClient(),
  lambda: createLambdaClient(),
  s3: createS3Client(),
  sfn: createSfnClient(),
  sns: createSnsClient(),
  sqs: createSqsClient(),
};

const physicalId = (result: DeployResult, logicalId: string) => {
  const resource = result.resources.find((item) => item.logicalId === logicalId);
  if (!resource) throw new Error(`${logicalId} is not in the deployed stack`);
  return resource.physicalId;
};

const tlsOnlyStatement = (resources: unknown) => ({
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: resources,
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

function template(resources: Record<string, unknown>, extra: Record<string, unknown> = {}): CfnTemplate {
  return { AWSTemplateFormatVersion: '2010-09-09', ...extra, Resources: resources } as CfnTemplate;
}

describe('deployStack: S3 buckets', () => {
  it('creates a bucket with versioning through CreateStack + the config helper and reads GetBucketVersioning back from moto', async () => {
    const bucketTemplate = template({
      DataBucket: {
        Type: 'AWS::S3::Bucket',
        Properties: { BucketName: 'deploy-versioned', VersioningConfiguration: { Status: 'Enabled' } },
      },
    });

    const result = await deployStack({ stackName: 'deploy-versioning', template: bucketTemplate });

    expect(result).toMatchObject({ status: 'CREATE_COMPLETE', skipped: [] });
    expect(result.resources).toEqual([
      { logicalId: 'DataBucket', physicalId: 'deploy-versioned', type: 'AWS::S3::Bucket' },
    ]);
    expect(result.applied).toEqual(['DataBucket: versioning Enabled']);
    const rows = await clients.cloudFormation.send(
      new ListStackResourcesCommand({ StackName: 'deploy-versioning' }),
    );
    expect(rows.StackResourceSummaries?.map((row) => row.PhysicalResourceId)).toEqual(['deploy-versioned']);
    const versioning = await clients.s3.send(new GetBucketVersioningCommand({ Bucket: 'deploy-versioned' }));
    expect(versioning.Status).toBe('Enabled');
  });

  it('leaves versioning off with configure: false, because moto ignores it', async () => {
    const bucketTemplate = template({
      DataBucket: {
        Type: 'AWS::S3::Bucket',
        Properties: { BucketName: 'deploy-unconfigured', VersioningConfiguration: { Status: 'Enabled' } },
      },
    });

    const result = await deployStack({
      stackName: 'deploy-unconfigured',
      template: bucketTemplate,
      configure: false,
    });

    expect(result.applied).toEqual([]);
    const versioning = await clients.s3.send(
      new GetBucketVersioningCommand({ Bucket: 'deploy-unconfigured' }),
    );
    expect(versioning.Status).toBeUndefined();
  });

  it('applies a public access block', async () => {
    const result = await deployStack({
      stackName: 'deploy-pab',
      template: template({
        Bucket: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: 'deploy-pab',
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: true,
              IgnorePublicAcls: 'true',
              BlockPublicPolicy: true,
              RestrictPublicBuckets: false,
            },
          },
        },
      }),
    });

    expect(result.applied).toEqual([
      'Bucket: public access block BlockPublicAcls,IgnorePublicAcls,BlockPublicPolicy',
    ]);
    const block = await clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: 'deploy-pab' }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    });
  });

  it('puts a TLS-only AWS::S3::BucketPolicy whose resources come from Fn::GetAtt and Fn::Sub', async () => {
    const result = await deployStack({
      stackName: 'deploy-policy',
      template: template({
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'deploy-policy' } },
        BucketPolicy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: { Ref: 'Bucket' },
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                tlsOnlyStatement([{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, { 'Fn::Sub': '${Bucket.Arn}/*' }]),
              ],
            },
          },
        },
      }),
    });

    expect(result.applied).toEqual(['BucketPolicy: bucket policy on deploy-policy']);
    expect(result.resources).toContainEqual({
      logicalId: 'BucketPolicy',
      physicalId: 'deploy-policy',
      type: 'AWS::S3::BucketPolicy',
    });
    const policy = await clients.s3.send(new GetBucketPolicyCommand({ Bucket: 'deploy-policy' }));
    expect(JSON.parse(policy.Policy ?? '{}')).toEqual({
      Version: '2012-10-17',
      Statement: [tlsOnlyStatement(['arn:aws:s3:::deploy-policy', 'arn:aws:s3:::deploy-policy/*'])],
    });
  });

  it('turns on access logging after granting the log-delivery group on the target bucket', async () => {
    const result = await deployStack({
      stackName: 'deploy-logging',
      template: template({
        LogBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'deploy-logging-target' } },
        DataBucket: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: 'deploy-logging-source',
            LoggingConfiguration: { DestinationBucketName: { Ref: 'LogBucket' }, LogFilePrefix: 'data/' },
          },
        },
      }),
    });

    expect(result.applied).toEqual([
      'DataBucket: logging to deploy-logging-target/data/ (log-delivery ACL granted on deploy-logging-target)',
    ]);
    const logging = await clients.s3.send(new GetBucketLoggingCommand({ Bucket: 'deploy-logging-source' }));
    expect(logging.LoggingEnabled).toEqual({ TargetBucket: 'deploy-logging-target', TargetPrefix: 'data/' });
    const acl = await clients.s3.send(new GetBucketAclCommand({ Bucket: 'deploy-logging-target' }));
    const logDelivery = acl.Grants?.filter((grant) => grant.Grantee?.URI?.endsWith('/s3/LogDelivery'));
    expect(logDelivery?.map((grant) => grant.Permission).sort()).toEqual(['READ_ACP', 'WRITE']);
  });

  it('keeps BucketKeyEnabled, which moto drops from BucketEncryption', async () => {
    const result = await deployStack({
      stackName: 'deploy-encryption',
      template: template({
        Key: {
          Type: 'AWS::KMS::Key',
          Properties: {
            KeyPolicy: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
                  Action: 'kms:*',
                  Resource: '*',
                },
              ],
            },
          },
        },
        Bucket: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: 'deploy-encryption',
            BucketEncryption: {
              ServerSideEncryptionConfiguration: [
                {
                  ServerSideEncryptionByDefault: {
                    SSEAlgorithm: 'aws:kms',
                    KMSMasterKeyID: { 'Fn::GetAtt': ['Key', 'Arn'] },
                  },
                  BucketKeyEnabled: true,
                },
              ],
            },
          },
        },
      }),
    });

    const keyId = physicalId(result, 'Key');
    expect(result.applied).toEqual(['Key: key policy', 'Bucket: encryption aws:kms with bucket key']);
    const encryption = await clients.s3.send(new GetBucketEncryptionCommand({ Bucket: 'deploy-encryption' }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules).toEqual([
      {
        ApplyServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms',
          KMSMasterKeyID: `arn:aws:kms:us-east-1:123456789012:key/${keyId}`,
        },
        BucketKeyEnabled: true,
      },
    ]);
    // moto keeps a CloudFormation KeyPolicy object as-is and then fails DescribeKey with HTTP 500.
    const key = await clients.kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(key.KeyMetadata?.KeyId).toBe(keyId);
    const keyPolicy = await clients.kms.send(
      new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }),
    );
    expect(JSON.parse(keyPolicy.Policy ?? '{}').Statement[0].Principal).toEqual({
      AWS: 'arn:aws:iam::123456789012:root',
    });
  });
});

describe('deployStack: DynamoDB and Application Auto Scaling', () => {
  it('enables point-in-time recovery and KMS encryption, and registers scalable targets and a policy', async () => {
    const result = await deployStack({
      stackName: 'deploy-table',
      template: template({
        Table: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            TableName: 'deploy-table',
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            SSESpecification: { SSEEnabled: true },
          },
        },
        ReadTarget: {
          Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
          Properties: {
            ServiceNamespace: 'dynamodb',
            ResourceId: { 'Fn::Sub': 'table/${Table}' },
            ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
            MinCapacity: '5',
            MaxCapacity: 50,
          },
        },
        WriteTarget: {
          Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
          Properties: {
            ServiceNamespace: 'dynamodb',
            ResourceId: { 'Fn::Join': ['/', ['table', { Ref: 'Table' }]] },
            ScalableDimension: 'dynamodb:table:WriteCapacityUnits',
            MinCapacity: 5,
            MaxCapacity: 20,
          },
        },
        ReadPolicy: {
          Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
          Properties: {
            PolicyName: 'read-utilization',
            PolicyType: 'TargetTrackingScaling',
            ScalingTargetId: { Ref: 'ReadTarget' },
            TargetTrackingScalingPolicyConfiguration: {
              TargetValue: '70',
              PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' },
            },
          },
        },
      }),
    });

    expect(result.applied).toEqual([
      'Table: point-in-time recovery enabled',
      'Table: SSE with KMS (SSESpecification.Enabled in the template sent to moto)',
      'ReadTarget: scalable target table/deploy-table dynamodb:table:ReadCapacityUnits 5-50',
      'WriteTarget: scalable target table/deploy-table dynamodb:table:WriteCapacityUnits 5-20',
      'ReadPolicy: scaling policy read-utilization (TargetTrackingScaling) on table/deploy-table dynamodb:table:ReadCapacityUnits',
    ]);
    expect(physicalId(result, 'ReadTarget')).toBe(
      'table/deploy-table|dynamodb:table:ReadCapacityUnits|dynamodb',
    );
    const backups = await clients.dynamoDb.send(
      new DescribeContinuousBackupsCommand({ TableName: 'deploy-table' }),
    );
    expect(
      backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus,
    ).toBe('ENABLED');
    const table = await clients.dynamoDb.send(new DescribeTableCommand({ TableName: 'deploy-table' }));
    expect(table.Table?.SSEDescription).toMatchObject({ Status: 'ENABLED', SSEType: 'KMS' });
    const targets = await clients.autoScaling.send(
      new DescribeScalableTargetsCommand({
        ServiceNamespace: 'dynamodb',
        ResourceIds: ['table/deploy-table'],
      }),
    );
    expect(
      targets.ScalableTargets?.map((target) => [
        target.ScalableDimension,
        target.MinCapacity,
        target.MaxCapacity,
      ]),
    ).toEqual([
      ['dynamodb:table:ReadCapacityUnits', 5, 50],
      ['dynamodb:table:WriteCapacityUnits', 5, 20],
    ]);
    const policies = await clients.autoScaling.send(
      new DescribeScalingPoliciesCommand({ ServiceNamespace: 'dynamodb', ResourceId: 'table/deploy-table' }),
    );
    expect(policies.ScalingPolicies?.map((policy) => policy.PolicyName)).toEqual(['read-utilization']);
    expect(policies.ScalingPolicies?.[0]?.TargetTrackingScalingPolicyConfiguration?.TargetValue).toBe(70);
  });
});

describe('deployStack: IAM roles', () => {
  it("puts a role's inline Policies back as JSON, which moto's CloudFormation stores as Python text", async () => {
    const condition = { StringLike: { 'aws:userid': ["O'Brien*", 'back\\slash', 'café'] } };
    const result = await deployStack({
      stackName: 'deploy-role',
      template: template({
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
              ],
            },
            Policies: [
              {
                PolicyName: 'quoted',
                PolicyDocument: {
                  Version: '2012-10-17',
                  Statement: [
                    { Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*', Condition: condition },
                  ],
                },
              },
              // No Version: moto's CloudFormation takes it, moto's PutRolePolicy does not.
              {
                PolicyName: 'unversioned',
                PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
              },
            ],
          },
        },
      }),
    });

    const read = async (PolicyName: string) => {
      const { PolicyDocument = '' } = await clients.iam.send(
        new GetRolePolicyCommand({ RoleName: physicalId(result, 'Role'), PolicyName }),
      );
      return JSON.parse(decodeURIComponent(PolicyDocument));
    };
    expect(await read('quoted')).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*', Condition: condition }],
    });
    expect(await read('unversioned')).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    expect(result.applied).toEqual([
      'Role: inline policies quoted, unversioned as JSON (Version 2012-10-17 added to unversioned)',
    ]);
  });
});

describe('deployStack: alarms, queue and topic policies, subscriptions', () => {
  it('creates the alarm, queue policy, topic policy and subscription moto skips', async () => {
    const result = await deployStack({
      stackName: 'deploy-messaging',
      template: template({
        Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'deploy-queue' } },
        Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'deploy-topic' } },
        QueuePolicy: {
          Type: 'AWS::SQS::QueuePolicy',
          Properties: {
            Queues: [{ Ref: 'Queue' }],
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Service: 'sns.amazonaws.com' },
                  Action: 'sqs:SendMessage',
                  Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] },
                  Condition: { ArnEquals: { 'aws:SourceArn': { Ref: 'Topic' } } },
                },
              ],
            },
          },
        },
        TopicPolicy: {
          Type: 'AWS::SNS::TopicPolicy',
          Properties: {
            Topics: [{ Ref: 'Topic' }],
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Deny',
                  Principal: '*',
                  Action: 'sns:Publish',
                  Resource: { Ref: 'Topic' },
                  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                },
              ],
            },
          },
        },
        Subscription: {
          Type: 'AWS::SNS::Subscription',
          Properties: {
            TopicArn: { Ref: 'Topic' },
            Protocol: 'sqs',
            Endpoint: { 'Fn::GetAtt': ['Queue', 'Arn'] },
            RawMessageDelivery: true,
          },
        },
        QueueAgeAlarm: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: {
            Namespace: 'AWS/SQS',
            MetricName: 'ApproximateAgeOfOldestMessage',
            Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['Queue', 'QueueName'] } }],
            Statistic: 'Maximum',
            Period: '60',
            EvaluationPeriods: 1,
            Threshold: '300',
            ComparisonOperator: 'GreaterThanThreshold',
            AlarmActions: [{ Ref: 'Topic' }],
            TreatMissingData: 'notBreaching',
          },
        },
      }),
    });

    const alarmName = physicalId(result, 'QueueAgeAlarm');
    expect(alarmName).toMatch(/^deploy-messaging-QueueAgeAlarm-[0-9A-F]{12}$/);
    expect(result.applied).toEqual([
      'QueuePolicy: queue policy on deploy-queue',
      'TopicPolicy: topic policy on deploy-topic',
      'Subscription: sqs subscription to deploy-topic',
      `QueueAgeAlarm: alarm ${alarmName}`,
    ]);
    const topicArn = 'arn:aws:sns:us-east-1:123456789012:deploy-topic';
    const queue = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: physicalId(result, 'Queue'), AttributeNames: ['Policy'] }),
    );
    expect(JSON.parse(queue.Attributes?.Policy ?? '{}').Statement[0]).toMatchObject({
      Resource: 'arn:aws:sqs:us-east-1:123456789012:deploy-queue',
      Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
    });
    const topic = await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
    expect(JSON.parse(topic.Attributes?.Policy ?? '{}').Statement).toEqual([
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
    const subscriptions = await clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(subscriptions.Subscriptions?.map((item) => [item.Protocol, item.Endpoint])).toEqual([
      ['sqs', 'arn:aws:sqs:us-east-1:123456789012:deploy-queue'],
    ]);
    const alarms = await clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }));
    expect(alarms.MetricAlarms?.[0]).toMatchObject({
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: 'deploy-queue' }],
      Period: 60,
      Threshold: 300,
      AlarmActions: [topicArn],
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('deployStack: logs, Lambda, Step Functions, API Gateway', () => {
  it('applies log group KMS, state machine logging and tracing, and an API stage; reports Lambda tracing as not applied', async () => {
    const result = await deployStack({
      stackName: 'deploy-compute',
      template: template({
        Key: {
          Type: 'AWS::KMS::Key',
          Properties: {
            KeyPolicy: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: 'arn:aws:iam::123456789012:root' },
                  Action: 'kms:*',
                  Resource: '*',
                },
              ],
            },
          },
        },
        LogGroup: {
          Type: 'AWS::Logs::LogGroup',
          Properties: {
            LogGroupName: '/deploy/compute',
            RetentionInDays: 30,
            KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] },
          },
        },
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' },
              ],
            },
          },
        },
        Function: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            FunctionName: 'deploy-function',
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
            Code: { ZipFile: "exports.handler = async () => 'ok';" },
            TracingConfig: { Mode: 'Active' },
          },
        },
        Machine: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            StateMachineName: 'deploy-machine',
            RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
            DefinitionString: '{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}}',
            LoggingConfiguration: {
              Level: 'ERROR',
              IncludeExecutionData: false,
              Destinations: [
                { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': ['LogGroup', 'Arn'] } } },
              ],
            },
            TracingConfiguration: { Enabled: true },
          },
        },
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'deploy-api' } },
        Method: {
          Type: 'AWS::ApiGateway::Method',
          Properties: {
            RestApiId: { Ref: 'Api' },
            ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
            HttpMethod: 'GET',
            AuthorizationType: 'NONE',
            Integration: { Type: 'HTTP_PROXY', IntegrationHttpMethod: 'GET', Uri: 'https://example.com' },
          },
        },
        Deployment: {
          Type: 'AWS::ApiGateway::Deployment',
          DependsOn: 'Method',
          Properties: { RestApiId: { Ref: 'Api' } },
        },
        Stage: {
          Type: 'AWS::ApiGateway::Stage',
          Properties: {
            RestApiId: { Ref: 'Api' },
            DeploymentId: { Ref: 'Deployment' },
            StageName: 'prod',
            TracingEnabled: true,
            AccessLogSetting: {
              DestinationArn: { 'Fn::GetAtt': ['LogGroup', 'Arn'] },
              Format: '$context.requestId',
            },
            MethodSettings: [
              { ResourcePath: '/*', HttpMethod: '*', LoggingLevel: 'INFO', MetricsEnabled: true },
            ],
          },
        },
      }),
    });

    const keyArn = `arn:aws:kms:us-east-1:123456789012:key/${physicalId(result, 'Key')}`;
    const logGroupArn = 'arn:aws:logs:us-east-1:123456789012:log-group:/deploy/compute:*';
    expect(result.notApplied).toEqual(['Function: TracingConfig Active']);
    expect(result.applied).toContain(`LogGroup: KMS key ${keyArn} (kmsKeyId in the template sent to moto)`);
    const groups = await clients.logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/deploy/compute' }),
    );
    expect(groups.logGroups?.[0]).toMatchObject({ retentionInDays: 30, kmsKeyId: keyArn });
    const machine = await clients.sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: physicalId(result, 'Machine') }),
    );
    expect(machine.loggingConfiguration).toEqual({
      level: 'ERROR',
      includeExecutionData: false,
      destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }],
    });
    expect(machine.tracingConfiguration).toEqual({ enabled: true });
    const stage = await clients.apiGateway.send(
      new GetStageCommand({ restApiId: physicalId(result, 'Api'), stageName: 'prod' }),
    );
    expect(stage).toMatchObject({
      tracingEnabled: true,
      accessLogSettings: { destinationArn: logGroupArn, format: '$context.requestId' },
      methodSettings: { '*/*': { loggingLevel: 'INFO', metricsEnabled: true } },
    });
    // The gap the notApplied entry names: moto keeps PassThrough.
    const fn = await clients.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'deploy-function' }),
    );
    expect(fn.TracingConfig?.Mode).toBe('PassThrough');
  });
});

describe('deployStack: real templates', () => {
  it('deploys compliant-bucket.json: TLS-only policies, logging, replication and public access blocks on three buckets', async () => {
    const file = 'compliant-bucket.json';

    const result = await deployStack({
      stackName: 'real-compliant',
      template: realStack(file),
      parameters: realParams(file),
    });

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(result.skipped).toEqual([]);
    const buckets = ['rsapp', 'rsapp-logs', 'rsapp-replicas'].map(
      (prefix) => `${prefix}-us-east-1-123456789012`,
    );
    for (const bucket of buckets) {
      const policy = JSON.parse(
        (await clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? '{}',
      );
      expect(policy.Statement[0]).toMatchObject({
        Effect: 'Deny',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { 'aws:SecureTransport': false } },
      });
      const block = await clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
      expect(Object.values(block.PublicAccessBlockConfiguration ?? {})).toEqual([true, true, true, true]);
    }
    const [source, logs, replicas] = buckets as [string, string, string];
    const logging = await clients.s3.send(new GetBucketLoggingCommand({ Bucket: source }));
    expect(logging.LoggingEnabled?.TargetBucket).toBe(logs);
    const replication = await clients.s3.send(new GetBucketReplicationCommand({ Bucket: source }));
    expect(replication.ReplicationConfiguration?.Rules?.[0]?.Destination?.Bucket).toBe(
      `arn:aws:s3:::${replicas}`,
    );
    const rolePolicy = await clients.iam.send(
      new GetRolePolicyCommand({
        RoleName: physicalId(result, 'ObjectStorageReplicationRole'),
        PolicyName: 'bucket-replication-policy',
      }),
    );
    expect(rolePolicy.PolicyName).toBe('bucket-replication-policy');
    expect(result.notApplied).toContain('ObjectStorageLogBucket: ObjectLockConfiguration');
  });

  it('deploys iot-sns-sqs.yaml, which moto rejects as published (unquoted dates), and applies its queue policy', async () => {
    const result = await deployStack({ stackName: 'real-iot', template: realStack('iot-sns-sqs.yaml') });

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(result.skipped).toEqual(['AWS::IoT::TopicRule']);
    expect(result.applied).toContain('ExampleQueuePolicy: queue policy on IotSnsSqsCfnQueue');
    const queue = await clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: physicalId(result, 'IotSnsSqsCfnQueue'),
        AttributeNames: ['Policy'],
      }),
    );
    expect(JSON.parse(queue.Attributes?.Policy ?? '{}').Version).toBe('2012-10-17');
  });

  it('deploys sfn-sqs-sns-lambda.yaml, whose sequence-form !GetAtt moto misreads in YAML', async () => {
    const result = await deployStack({
      stackName: 'real-sfn',
      template: realStack('sfn-sqs-sns-lambda.yaml'),
    });

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(result.resources.map((resource) => resource.type).sort()).toEqual([
      'AWS::IAM::Role',
      'AWS::IAM::Role',
      'AWS::Lambda::EventSourceMapping',
      'AWS::Lambda::Function',
      'AWS::SNS::Topic',
      'AWS::SQS::Queue',
      'AWS::SQS::Queue',
      'AWS::StepFunctions::StateMachine',
    ]);
  });

  it('deploys widdix-alert.yaml: conditional subscription, topic policy and the alarm moto skips', async () => {
    const file = 'widdix-alert.yaml';

    const result = await deployStack({
      stackName: 'real-alert',
      template: realStack(file),
      parameters: realParams(file),
    });

    const alarmName = physicalId(result, 'NumberOfNotificationsFailedTooHighAlarm');
    const alarms = await clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }));
    expect(alarms.MetricAlarms?.[0]?.Dimensions).toEqual([
      { Name: 'TopicName', Value: physicalId(result, 'Topic').split(':').pop() },
    ]);
    expect(alarms.MetricAlarms?.[0]?.AlarmActions).toEqual([physicalId(result, 'FallbackTopic')]);
    expect(result.applied.filter((line) => line.includes('subscription'))).toEqual([
      `EmailSubscription: email subscription to ${physicalId(result, 'Topic').split(':').pop()}`,
    ]);
  });
});

describe('deployStack: failures', () => {
  it('gives up on a custom resource that never finishes, within the limit, in one line, and deletes the stack', async () => {
    const customTemplate = template({
      Leftover: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'deploy-custom-leftover' } },
      Role: {
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
      Provider: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'python3.12',
          Handler: 'index.handler',
          Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
          Code: { ZipFile: 'def handler(event, context):\n    return None\n' },
        },
      },
      Probe: {
        Type: 'Custom::Probe',
        Properties: { ServiceToken: { 'Fn::GetAtt': ['Provider', 'Arn'] } },
      },
    });
    const started = Date.now();

    const failure = await deployStack({
      stackName: 'deploy-custom',
      template: customTemplate,
      timeoutMs: 2000,
    }).catch((error: unknown) => error);

    expect(Date.now() - started).toBeLessThan(10_000);
    expect(failure).toBeInstanceOf(DeployError);
    const { message } = failure as DeployError;
    expect(message).not.toContain('\n');
    expect(message).toBe(
      'cannot deploy stack deploy-custom into the emulator: still CREATE_IN_PROGRESS after 2 s, ' +
        'waiting on Probe (Custom::Probe) (moto never completes custom resources); the stack was deleted',
    );
    await expect(
      clients.cloudFormation.send(new DescribeStacksCommand({ StackName: 'deploy-custom' })),
    ).rejects.toThrow('Stack with id deploy-custom does not exist');
    const buckets = await clients.s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((bucket) => bucket.Name)).not.toContain('deploy-custom-leftover');
  });

  it('reports the HTTP 500 moto answers for config-rules.json as one clear line', async () => {
    const file = 'config-rules.json';

    const failure = await deployStack({
      stackName: 'real-config',
      template: realStack(file),
      parameters: realParams(file),
    }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(DeployError);
    expect((failure as DeployError).message).toBe(
      'cannot deploy config-rules.json (stack real-config) into the emulator: ' +
        'HTTP 500 Internal Server Error (moto raised an exception on this request); the stack was deleted',
    );
  });

  it('names the missing Lambda code bucket when webapp.yaml fails with NoSuchBucket', async () => {
    const failure = await deployStack({ stackName: 'real-webapp', template: realStack('webapp.yaml') }).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(DeployError);
    const { message } = failure as DeployError;
    expect(message).not.toContain('\n');
    expect(message).toMatch(
      /^cannot deploy webapp\.yaml \(stack real-webapp\) into the emulator: InvalidParameterValueException \(NoSuchBucket\): /,
    );
    expect(message).toContain(
      'Lambda code in S3 must exist in the emulator before the deploy: TestResourceHandler (',
    );
    expect(message).toMatch(/the stack was deleted$/);
  });

  it('names the resource and property it cannot resolve, and deletes the stack', async () => {
    const failure = await deployStack({
      stackName: 'deploy-unresolvable',
      template: template({
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'deploy-unresolvable' } },
        Distribution: { Type: 'AWS::CloudFront::Distribution', Properties: { DistributionConfig: {} } },
        BucketPolicy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: { Ref: 'Bucket' },
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Service: 'cloudfront.amazonaws.com' },
                  Action: 's3:GetObject',
                  Resource: { 'Fn::Sub': '${Bucket.Arn}/*' },
                  Condition: { StringEquals: { 'AWS:SourceArn': { Ref: 'Distribution' } } },
                },
              ],
            },
          },
        },
      }),
    }).catch((error: unknown) => error);

    expect((failure as Error).message).toBe(
      'cannot deploy stack deploy-unresolvable into the emulator: configuring BucketPolicy (AWS::S3::BucketPolicy) failed: ' +
        'cannot resolve BucketPolicy.PolicyDocument.Statement[0].Condition.StringEquals.AWS:SourceArn: ' +
        'Ref Distribution (AWS::CloudFront::Distribution): the emulator holds no such resource; the stack was deleted',
    );
    const buckets = await clients.s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((bucket) => bucket.Name)).not.toContain('deploy-unresolvable');
  });
});
