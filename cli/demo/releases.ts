// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub strings are CloudFormation syntax, not JS templates
/**
 * The releases of the demo: the sample service of the original talk (two buckets, two tables,
 * myFirstFunction and mySecondFunction behind API Gateway /first and /second), as plain
 * CloudFormation templates that mirror infra/lib/sample-service-stack.ts. Plain templates because
 * moto's CloudFormation cannot run CDK's asset-based functions; the code is inline (ZipFile), so the
 * demo can also run it for the smoke invocation.
 *
 *   v1  the seed: one bucket and one table encrypted with AWS-managed keys, the others plain
 *   v2  encryption everywhere: a customer-managed key for both buckets, both tables and the logs
 *   v3  reliability and operations: versioning, PITR, deletion protection, TLS-only bucket
 *       policies, blocked public access, log retention, API throttling, error alarms to a topic
 *   v4  a regression: a hotfix serves PlainBucket publicly and drops its TLS-only policy
 *   v5  the v3 service again, but the pipeline's tests shrank: the line coverage CI publishes for
 *       the release (a CloudWatch metric with the release as a dimension) drops below the demo's
 *       user-defined metric fitness function's 80%
 */
import type { CfnResource, CfnTemplate } from '../emulation/template.ts';

export interface Release {
  readonly version: number;
  readonly label: string;
  /** What changed, one line for the table and the report. */
  readonly change: string;
  /** Whether the story expects the gate to accept it. */
  readonly expected: 'Succeeded' | 'Failed';
  readonly template: CfnTemplate;
  /** Inline handler source of each function, by logical id (what the smoke invocation runs). */
  readonly code: Readonly<Record<string, string>>;
  /** What the release's pipeline measured and publishes for it (docs/fitness-functions.md, inputs from CI). */
  readonly ci: { readonly lineCoverage: number };
}

export const FUNCTIONS = ['myFirstFunction', 'mySecondFunction'] as const;
export type ServiceFunction = (typeof FUNCTIONS)[number];

const ROUTES: Readonly<Record<ServiceFunction, string>> = {
  myFirstFunction: 'first',
  mySecondFunction: 'second',
};

const CHANGES = [
  'the seed: EncryptedBucket and EncryptedTable on AWS-managed keys, PlainBucket and PlainTable plain',
  'encryption everywhere: a rotating customer-managed key for both buckets, both tables and the logs',
  'versioning, PITR, deletion protection, TLS-only policies, log retention, throttling, error alarms',
  'regression: a hotfix makes PlainBucket public and drops its TLS-only policy',
  'the v3 service again, but CI measured 61% line coverage (v3: 88%): tests were deleted',
] as const;

/** The line coverage (percent) each release's pipeline publishes. */
const LINE_COVERAGE = [82, 85, 88, 88, 61] as const;

export const RELEASE_COUNT = CHANGES.length;

const sub = (text: string) => ({ 'Fn::Sub': text });
const ref = (logicalId: string) => ({ Ref: logicalId });
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** The handler each release ships: it answers like the sample service's functions. */
function handlerCode(name: ServiceFunction, version: number): string {
  return [
    'exports.handler = async () => ({',
    '  statusCode: 200,',
    "  headers: { 'content-type': 'application/json' },",
    `  body: JSON.stringify({ function: '${name}', release: process.env.RELEASE ?? '${version}' }),`,
    '});',
  ].join('\n');
}

function bucket(
  encryption: 'none' | 'aws-kms' | 'cmk',
  hardened: boolean,
  publicAccess: boolean,
): CfnResource {
  const properties: Record<string, unknown> = {};
  if (encryption === 'aws-kms') {
    properties.BucketEncryption = {
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
    };
  } else if (encryption === 'cmk') {
    properties.BucketEncryption = {
      ServerSideEncryptionConfiguration: [
        {
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf('DataKey') },
          BucketKeyEnabled: true,
        },
      ],
    };
  }
  if (hardened) {
    properties.VersioningConfiguration = { Status: 'Enabled' };
    properties.LifecycleConfiguration = {
      Rules: [
        { Id: 'ExpireOldVersions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 90 } },
      ],
    };
    properties.OwnershipControls = { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] };
    properties.PublicAccessBlockConfiguration = {
      BlockPublicAcls: !publicAccess,
      IgnorePublicAcls: !publicAccess,
      BlockPublicPolicy: !publicAccess,
      RestrictPublicBuckets: !publicAccess,
    };
  }
  return { Type: 'AWS::S3::Bucket', Properties: properties };
}

function tlsOnlyStatement(bucketId: string) {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 's3:*',
    Resource: [arnOf(bucketId), sub(`\${${bucketId}.Arn}/*`)],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

function publicReadStatement(bucketId: string) {
  return {
    Sid: 'PublicRead',
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: sub(`\${${bucketId}.Arn}/*`),
  };
}

function bucketPolicy(bucketId: string, statements: unknown[]): CfnResource {
  return {
    Type: 'AWS::S3::BucketPolicy',
    Properties: { Bucket: ref(bucketId), PolicyDocument: { Version: '2012-10-17', Statement: statements } },
  };
}

function table(encryption: 'none' | 'aws-kms' | 'cmk', hardened: boolean): CfnResource {
  const properties: Record<string, unknown> = {
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'version', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'id', KeyType: 'HASH' },
      { AttributeName: 'version', KeyType: 'RANGE' },
    ],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
  if (encryption === 'aws-kms') properties.SSESpecification = { SSEEnabled: true };
  if (encryption === 'cmk') {
    properties.SSESpecification = { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: arnOf('DataKey') };
  }
  if (hardened) {
    properties.PointInTimeRecoverySpecification = { PointInTimeRecoveryEnabled: true };
    properties.DeletionProtectionEnabled = true;
  }
  return { Type: 'AWS::DynamoDB::Table', Properties: properties };
}

function dataKey(): CfnResource {
  return {
    Type: 'AWS::KMS::Key',
    Properties: {
      Description: 'Sample service: customer-managed key of the buckets, tables and logs',
      EnableKeyRotation: true,
      KeyPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountAdministers',
            Effect: 'Allow',
            Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'LogsEncrypt',
            Effect: 'Allow',
            Principal: { Service: sub('logs.${AWS::Region}.amazonaws.com') },
            Action: [
              'kms:Encrypt*',
              'kms:Decrypt*',
              'kms:ReEncrypt*',
              'kms:GenerateDataKey*',
              'kms:Describe*',
            ],
            Resource: '*',
          },
        ],
      },
    },
  };
}

function role(): CfnResource {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    },
  };
}

function serviceFunction(name: ServiceFunction, version: number): CfnResource {
  return {
    Type: 'AWS::Lambda::Function',
    Properties: {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 10,
      Role: arnOf(`${name}Role`),
      Code: { ZipFile: handlerCode(name, version) },
      Environment: { Variables: { RELEASE: String(version) } },
    },
  };
}

/** The Lambda function behind each route, with API Gateway's permission to call it. */
function apiResources(functions: readonly ServiceFunction[]): Record<string, CfnResource> {
  const resources: Record<string, CfnResource> = {
    ServiceApi: {
      Type: 'AWS::ApiGateway::RestApi',
      Properties: { Name: sub('${AWS::StackName}-api'), Description: 'Sample service: /first and /second' },
    },
  };
  for (const name of functions) {
    const route = ROUTES[name];
    const Route = `${route.charAt(0).toUpperCase()}${route.slice(1)}`;
    resources[`${Route}Resource`] = {
      Type: 'AWS::ApiGateway::Resource',
      Properties: {
        RestApiId: ref('ServiceApi'),
        ParentId: { 'Fn::GetAtt': ['ServiceApi', 'RootResourceId'] },
        PathPart: route,
      },
    };
    resources[`${Route}Method`] = {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: ref('ServiceApi'),
        ResourceId: ref(`${Route}Resource`),
        HttpMethod: 'ANY',
        AuthorizationType: 'NONE',
        Integration: {
          Type: 'AWS_PROXY',
          IntegrationHttpMethod: 'POST',
          Uri: sub(
            `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${name}.Arn}/invocations`,
          ),
        },
      },
    };
    resources[`${name}ApiPermission`] = {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: ref(name),
        Principal: 'apigateway.amazonaws.com',
        SourceArn: sub(
          `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${ServiceApi}/*/*/${route}`,
        ),
      },
    };
  }
  return resources;
}

function apiStage(hardened: boolean): Record<string, CfnResource> {
  return {
    ApiDeployment: {
      Type: 'AWS::ApiGateway::Deployment',
      DependsOn: ['FirstMethod', 'SecondMethod'],
      Properties: { RestApiId: ref('ServiceApi') },
    },
    ApiStage: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: ref('ServiceApi'),
        DeploymentId: ref('ApiDeployment'),
        StageName: 'Prod',
        ...(hardened
          ? {
              TracingEnabled: true,
              MethodSettings: [
                {
                  ResourcePath: '/*',
                  HttpMethod: '*',
                  ThrottlingRateLimit: 50,
                  ThrottlingBurstLimit: 100,
                },
              ],
            }
          : {}),
      },
    },
  };
}

function logGroup(name: ServiceFunction, hardened: boolean): CfnResource {
  return {
    Type: 'AWS::Logs::LogGroup',
    Properties: {
      LogGroupName: sub(`/aws/lambda/\${${name}}`),
      KmsKeyId: arnOf('DataKey'),
      ...(hardened ? { RetentionInDays: 365 } : {}),
    },
  };
}

function alarmResources(): Record<string, CfnResource> {
  const resources: Record<string, CfnResource> = {
    AlarmTopic: {
      Type: 'AWS::SNS::Topic',
      Properties: { DisplayName: 'Sample service alarms', KmsMasterKeyId: ref('DataKey') },
    },
    AlarmTopicPolicy: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: {
        Topics: [ref('AlarmTopic')],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'sns:Publish',
              Resource: ref('AlarmTopic'),
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
            {
              Sid: 'CloudWatchPublishes',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: ref('AlarmTopic'),
            },
          ],
        },
      },
    },
  };
  for (const name of FUNCTIONS) {
    resources[`${name}Errors`] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmDescription: `${name}: errors (automatic rollback)`,
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: ref(name) }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ActionsEnabled: true,
        AlarmActions: [ref('AlarmTopic')],
      },
    };
  }
  return resources;
}

/** The template of release `version` (1–5). */
export function releaseTemplate(version: number): CfnTemplate {
  if (!Number.isInteger(version) || version < 1 || version > RELEASE_COUNT) {
    throw new RangeError(`release must be 1–${RELEASE_COUNT}, got ${version}`);
  }
  const encrypted = version >= 2;
  const hardened = version >= 3;
  const regressed = version === 4;
  const resources: Record<string, CfnResource> = {
    EncryptedBucket: bucket(encrypted ? 'cmk' : 'aws-kms', hardened, false),
    PlainBucket: bucket(encrypted ? 'cmk' : 'none', hardened, regressed),
    EncryptedTable: table(encrypted ? 'cmk' : 'aws-kms', hardened),
    PlainTable: table(encrypted ? 'cmk' : 'none', hardened),
  };
  if (encrypted) resources.DataKey = dataKey();
  if (hardened) {
    resources.EncryptedBucketPolicy = bucketPolicy('EncryptedBucket', [tlsOnlyStatement('EncryptedBucket')]);
    resources.PlainBucketPolicy = bucketPolicy(
      'PlainBucket',
      regressed ? [publicReadStatement('PlainBucket')] : [tlsOnlyStatement('PlainBucket')],
    );
    Object.assign(resources, alarmResources());
  }
  for (const name of FUNCTIONS) {
    resources[`${name}Role`] = role();
    resources[name] = serviceFunction(name, version);
    if (encrypted) resources[`${name}Logs`] = logGroup(name, hardened);
  }
  Object.assign(resources, apiResources(FUNCTIONS), apiStage(hardened));
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `fitgate demo: the sample service, release v${version}`,
    Resources: resources,
  };
}

export function release(version: number): Release {
  const template = releaseTemplate(version);
  return {
    version,
    label: `v${version}`,
    change: CHANGES[version - 1] ?? '',
    expected: version >= 4 ? 'Failed' : 'Succeeded',
    template,
    code: Object.fromEntries(FUNCTIONS.map((name) => [name, handlerCode(name, version)])),
    ci: { lineCoverage: LINE_COVERAGE[version - 1] ?? 0 },
  };
}

export function releases(): Release[] {
  return Array.from({ length: RELEASE_COUNT }, (_, index) => release(index + 1));
}
