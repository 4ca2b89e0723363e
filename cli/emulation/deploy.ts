/**
 * Deploys a real CloudFormation template into moto: a real CreateStack (so ListStackResources is
 * the inventory the gate audits), then, through the service APIs, the configuration that moto's
 * CloudFormation ignores. Shared by the tests, the demo, the bench and `fitgate audit --local`.
 *
 * What moto 5.2.1's CloudFormation does with each property, measured with a probe stack
 * (CreateStack, then read back through the service APIs), and what this module does about it:
 *
 * | resource type / property                        | moto 5.2.1 CloudFormation          | deployStack                                     |
 * |-------------------------------------------------|------------------------------------|-------------------------------------------------|
 * | S3::Bucket BucketName, Tags                     | applied                            | -                                               |
 * | S3::Bucket BucketEncryption                     | applied, BucketKeyEnabled lost     | PutBucketEncryption when BucketKeyEnabled is set |
 * | S3::Bucket VersioningConfiguration              | ignored                            | PutBucketVersioning                             |
 * | S3::Bucket PublicAccessBlockConfiguration       | ignored                            | PutPublicAccessBlock (last, like AWS)           |
 * | S3::Bucket LoggingConfiguration                 | ignored                            | PutBucketLogging (log-delivery ACL grant first) |
 * | S3::Bucket OwnershipControls                    | ignored                            | PutBucketOwnershipControls                      |
 * | S3::Bucket LifecycleConfiguration               | ignored                            | PutBucketLifecycleConfiguration                 |
 * | S3::Bucket ReplicationConfiguration             | ignored                            | PutBucketReplication                            |
 * | S3::Bucket AccessControl                        | ignored                            | PutBucketAcl (canned ACL)                       |
 * | S3::Bucket ObjectLock, Notification, Cors, …    | ignored                            | not applied (listed in notApplied)              |
 * | S3::BucketPolicy                                | not created                        | PutBucketPolicy                                 |
 * | DynamoDB::Table keys, throughput, streams, tags | applied                            | -                                               |
 * | DynamoDB::Table DeletionProtectionEnabled       | applied                            | -                                               |
 * | DynamoDB::Table PointInTimeRecoverySpecification| ignored                            | UpdateContinuousBackups                         |
 * | DynamoDB::Table SSESpecification                | ignored (moto reads `Enabled`, not `SSEEnabled`; UpdateTable ignores SSESpecification) | sent template also carries `Enabled` |
 * | ApplicationAutoScaling::ScalableTarget          | not created                        | RegisterScalableTarget                          |
 * | ApplicationAutoScaling::ScalingPolicy           | not created                        | PutScalingPolicy                                |
 * | CloudWatch::Alarm                               | not created                        | PutMetricAlarm                                  |
 * | SQS::Queue attributes (KMS, redrive, …)         | applied                            | -                                               |
 * | SQS::QueuePolicy                                | not created                        | SetQueueAttributes Policy, for each queue       |
 * | SNS::Topic KmsMasterKeyId                       | applied                            | -                                               |
 * | SNS::TopicPolicy                                | not created                        | SetTopicAttributes Policy, for each topic       |
 * | SNS::Subscription                               | not created                        | Subscribe                                       |
 * | IAM::Role Path; IAM::Policy                     | applied                            | -                                               |
 * | IAM::Role Policies (inline)                     | stored as Python text: GetRolePolicy answers `{'Version': …}`, not JSON | PutRolePolicy with each policy as JSON text |
 * | IAM::RolePolicy                                 | not created                        | PutRolePolicy                                   |
 * | KMS::Key EnableKeyRotation                      | applied                            | -                                               |
 * | KMS::Key KeyPolicy (JSON object)                | stored as an object: DescribeKey and GetKeyPolicy answer HTTP 500 | PutKeyPolicy with the policy as JSON text |
 * | Logs::LogGroup RetentionInDays                  | applied                            | -                                               |
 * | Logs::LogGroup KmsKeyId                         | ignored (moto reads `kmsKeyId`; no AssociateKmsKey) | sent template also carries `kmsKeyId` |
 * | Lambda::Function Timeout, Environment, ReservedConcurrentExecutions | applied        | -                                               |
 * | Lambda::Function TracingConfig, DeadLetterConfig, LoggingConfig, KmsKeyArn | ignored (UpdateFunctionConfiguration ignores them too) | not applied (listed in notApplied) |
 * | Lambda::Function aws:cloudformation:* tags     | not set (moto tags only EC2)       | TagResource stack-name, stack-id, logical-id, as CloudFormation does |
 * | StepFunctions::StateMachine Logging/Tracing/EncryptionConfiguration | ignored        | UpdateStateMachine                              |
 * | ApiGateway::RestApi, Resource, Method, Deployment | created                          | -                                               |
 * | ApiGateway::Stage                               | not created                        | CreateDeployment({stageName}) + UpdateStage     |
 * | ApiGateway::Deployment StageDescription         | ignored                            | UpdateStage on the stage it names               |
 *
 * Lambda functions made by moto's CloudFormation exist only while `lambda.use_docker` is true (the
 * default); this module never changes that. Inline `ZipFile` code works; code in S3 needs the
 * bucket to exist in moto first.
 */

import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import {
  CreateDeploymentCommand,
  GetRestApiCommand,
  type PatchOperation,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import {
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  PutScalingPolicyCommand,
  type PutScalingPolicyCommandInput,
  RegisterScalableTargetCommand,
  type ServiceNamespace,
} from '@aws-sdk/client-application-auto-scaling';
import {
  type Capability,
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ListExportsCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import {
  DeleteAlarmsCommand,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { DescribeTableCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
  paginateListRolePolicies,
} from '@aws-sdk/client-iam';
import { PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { GetFunctionCommand, TagResourceCommand } from '@aws-sdk/client-lambda';
import {
  type BucketCannedACL,
  GetBucketAclCommand,
  type LifecycleRule,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type ReplicationRule,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import { UpdateStateMachineCommand } from '@aws-sdk/client-sfn';
import { SetTopicAttributesCommand, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import {
  createApiGatewayClient,
  createAutoScalingClient,
  createCloudWatchClient,
  createDynamoDbClient,
  createIamClient,
  createKmsClient,
  createLambdaClient,
  createS3Client,
  createSfnClient,
  createSnsClient,
  createSqsClient,
} from '../../functions/shared/clients.ts';
import {
  type CfnResource,
  type CfnTemplate,
  IntrinsicResolver,
  loadTemplateFile,
  TemplateError,
  TemplateResolveError,
} from './template.ts';

export interface DeployStackOptions {
  readonly stackName: string;
  /** A template object, or the path of a .json, .yaml or .yml file. */
  readonly template: CfnTemplate | string;
  readonly parameters?: Readonly<Record<string, string>>;
  /** How long to wait for the stack to leave *_IN_PROGRESS (default 60 s). */
  readonly timeoutMs?: number;
  /** Apply the configuration moto's CloudFormation ignores (default true). */
  readonly configure?: boolean;
}

export interface DeployedResource {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
}

export interface DeployResult {
  readonly stackName: string;
  readonly stackId: string;
  readonly status: string;
  /** Resources moto's CloudFormation created, then those the deploy helper created through the APIs. */
  readonly resources: DeployedResource[];
  /** What was applied through the service APIs, e.g. "DataBucket: versioning Enabled". */
  readonly applied: string[];
  /** Resource types in the template that neither moto's CloudFormation nor the helper created. */
  readonly skipped: string[];
  /** Template settings the emulator cannot hold, e.g. "Fn: TracingConfig Active". */
  readonly notApplied: string[];
}

/** A stack that could not be deployed; the message is one line naming the template and the reason. */
export class DeployError extends Error {
  readonly stackName: string;

  constructor(label: string, stackName: string, reason: string, options?: { cause?: unknown }) {
    super(`cannot deploy ${label} into the emulator: ${reason}`, options);
    this.name = 'DeployError';
    this.stackName = stackName;
  }
}

const CAPABILITIES: Capability[] = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'];
const DEFAULT_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 250;
const CUSTOM_RESOURCE = /^(Custom::|AWS::CloudFormation::CustomResource$)/;

export async function deployStack(options: DeployStackOptions): Promise<DeployResult> {
  const { stackName } = options;
  const label =
    typeof options.template === 'string'
      ? `${basename(options.template)} (stack ${stackName})`
      : `stack ${stackName}`;
  const fail = (reason: string, cause?: unknown) => new DeployError(label, stackName, reason, { cause });

  let template: CfnTemplate;
  try {
    template =
      typeof options.template === 'string'
        ? loadTemplateFile(options.template)
        : structuredClone(options.template);
  } catch (error) {
    throw fail(error instanceof TemplateError ? error.message : String(error), error);
  }
  const configure = options.configure ?? true;
  const parameters = { ...(options.parameters ?? {}) };
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const preview = new IntrinsicResolver(template, {
    stackName,
    stackId: `arn:aws:cloudformation:${region}:123456789012:stack/${stackName}/pending`,
    region,
    accountId: '123456789012',
    parameters,
  });
  // moto answers a failed CreateStack with HTTP 500; a retry would then meet its own half-made
  // stack (AlreadyExistsException), so this client never retries.
  const cloudFormation = new CloudFormationClient({ maxAttempts: 1 });
  const cleanup = async (stackRef: string, undo: Undo[] = []) => removeStack(cloudFormation, stackRef, undo);

  let stackId: string;
  try {
    const created = await cloudFormation.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: JSON.stringify(configure ? adaptForMoto(template, preview) : template),
        Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
          ParameterKey,
          ParameterValue,
        })),
        Capabilities: CAPABILITIES,
      }),
    );
    stackId = created.StackId ?? stackName;
  } catch (error) {
    const reason = motoReason(error) + lambdaCodeHint(error, template, preview);
    const cleaned = isAlreadyExists(error) ? '' : await cleanup(stackName);
    throw fail(reason + cleaned, error);
  }

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let status = 'CREATE_IN_PROGRESS';
  let statusReason: string | undefined;
  while (status.endsWith('_IN_PROGRESS')) {
    try {
      const described = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackId }));
      status = described.Stacks?.[0]?.StackStatus ?? 'UNKNOWN';
      statusReason = described.Stacks?.[0]?.StackStatusReason;
    } catch (error) {
      throw fail(`DescribeStacks failed: ${motoReason(error)}${await cleanup(stackId)}`, error);
    }
    if (!status.endsWith('_IN_PROGRESS')) break;
    if (Date.now() >= deadline) {
      const pending = await pendingResources(cloudFormation, stackId, template, preview);
      throw fail(
        `still ${status} after ${formatDuration(timeoutMs)}` +
          (pending.length > 0 ? `, waiting on ${summarize(pending)}` : '') +
          (pending.some((item) => CUSTOM_RESOURCE.test(item.type))
            ? ' (moto never completes custom resources)'
            : '') +
          (await cleanup(stackId)),
      );
    }
    await sleep(Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now())));
  }
  if (status !== 'CREATE_COMPLETE') {
    const reasons = await failureReasons(cloudFormation, stackId, statusReason);
    throw fail(`stack ended in ${status}${reasons ? `: ${reasons}` : ''}${await cleanup(stackId)}`);
  }

  let rows: StackResourceSummary[];
  try {
    rows = await listStackResources(cloudFormation, stackId);
  } catch (error) {
    throw fail(`ListStackResources failed: ${motoReason(error)}${await cleanup(stackId)}`, error);
  }
  const created = rows.filter((row) => row.LogicalResourceId && row.ResourceType);
  const resources: DeployedResource[] = created.map((row) => ({
    logicalId: row.LogicalResourceId ?? '',
    physicalId: row.PhysicalResourceId ?? '',
    type: row.ResourceType ?? '',
  }));
  const createdIds = new Set(resources.map((resource) => resource.logicalId));
  const [, , , stackRegion = region, accountId = '123456789012'] = stackId.split(':');
  let exports: Record<string, string> = {};
  if (configure && hasIntrinsic(template.Resources, 'Fn::ImportValue')) {
    try {
      exports = await listExports(cloudFormation);
    } catch (error) {
      throw fail(`ListExports failed: ${motoReason(error)}${await cleanup(stackId)}`, error);
    }
  }
  const resolver = new IntrinsicResolver(template, {
    stackName,
    stackId,
    region: stackRegion,
    accountId,
    parameters,
    exports,
    physicalIds: Object.fromEntries(
      resources
        .filter((resource) => resource.physicalId)
        .map((resource) => [resource.logicalId, resource.physicalId]),
    ),
  });

  const applied: string[] = [];
  const notApplied: string[] = [];
  const undo: Undo[] = [];
  if (configure) {
    const context = new ApplyContext(resolver, stackName, stackId, applied, notApplied, resources, undo);
    try {
      await context.prefetch(createdIds);
      for (const step of APPLY_STEPS) {
        for (const [logicalId, resource] of Object.entries(template.Resources)) {
          if (resource.Type !== step.type || !resolver.isResourceEnabled(logicalId)) continue;
          if (step.needsStackResource && !createdIds.has(logicalId)) continue;
          await step.apply(context, logicalId, resource).catch((error: unknown) => {
            throw new ApplyError(logicalId, resource.Type, error);
          });
        }
      }
    } catch (error) {
      const reason =
        error instanceof ApplyError || error instanceof TemplateResolveError
          ? error.message
          : motoReason(error);
      throw fail(`${reason}${await cleanup(stackId, undo)}`, error);
    }
  }

  const handledTypes = new Set(
    APPLY_STEPS.filter((step) => !step.needsStackResource).map((step) => step.type),
  );
  const skipped = new Set<string>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (createdIds.has(logicalId) || (configure && handledTypes.has(resource.Type))) continue;
    if (enabledOrUnknown(resolver, logicalId)) skipped.add(resource.Type);
  }

  return {
    stackName,
    stackId,
    status,
    resources,
    applied,
    skipped: [...skipped].sort(),
    notApplied,
  };
}

// ---------------------------------------------------------------------------------------------
// The template sent to moto
// ---------------------------------------------------------------------------------------------

/**
 * The two settings moto reads under another name than CloudFormation and that no API can set
 * afterwards: a table's SSESpecification (moto reads `Enabled`) and a log group's KMS key (moto
 * reads `kmsKeyId`). Everything else is sent as written.
 */
function adaptForMoto(template: CfnTemplate, preview: IntrinsicResolver): CfnTemplate {
  const adapted = structuredClone(template) as CfnTemplate;
  for (const [logicalId, resource] of Object.entries(adapted.Resources)) {
    const properties = resource.Properties;
    if (!properties) continue;
    if (resource.Type === 'AWS::DynamoDB::Table' && isRecord(properties.SSESpecification)) {
      let enabled: unknown;
      try {
        // Only SSEEnabled: the rest may name a key of this very stack, unknown before CreateStack.
        enabled = preview.resolve(properties.SSESpecification.SSEEnabled, `${logicalId}.SSESpecification`);
      } catch {
        enabled = undefined;
      }
      if (truthy(enabled)) properties.SSESpecification = { ...properties.SSESpecification, Enabled: true };
    }
    if (resource.Type === 'AWS::Logs::LogGroup' && properties.KmsKeyId !== undefined) {
      properties.kmsKeyId = properties.KmsKeyId;
    }
  }
  return adapted;
}

// ---------------------------------------------------------------------------------------------
// Appliers
// ---------------------------------------------------------------------------------------------

type Undo = () => Promise<unknown>;

class ApplyError extends Error {
  constructor(logicalId: string, type: string, cause: unknown) {
    const reason = cause instanceof TemplateResolveError ? cause.message : motoReason(cause);
    super(`configuring ${logicalId} (${type}) failed: ${reason}`, { cause });
    this.name = 'ApplyError';
  }
}

class ApplyContext {
  readonly clients = {
    apiGateway: createApiGatewayClient(),
    autoScaling: createAutoScalingClient(),
    cloudWatch: createCloudWatchClient(),
    dynamoDb: createDynamoDbClient(),
    iam: createIamClient(),
    kms: createKmsClient(),
    lambda: createLambdaClient(),
    s3: createS3Client(),
    sfn: createSfnClient(),
    sns: createSnsClient(),
    sqs: createSqsClient(),
  };
  readonly resolver: IntrinsicResolver;
  readonly stackName: string;
  private readonly stackId: string;
  private readonly appliedList: string[];
  private readonly notAppliedList: string[];
  private readonly resources: DeployedResource[];
  private readonly undoList: Undo[];

  constructor(
    resolver: IntrinsicResolver,
    stackName: string,
    stackId: string,
    applied: string[],
    notApplied: string[],
    resources: DeployedResource[],
    undo: Undo[],
  ) {
    this.resolver = resolver;
    this.stackName = stackName;
    this.stackId = stackId;
    this.appliedList = applied;
    this.notAppliedList = notApplied;
    this.resources = resources;
    this.undoList = undo;
  }

  /** Reads the attributes that cannot be derived from a physical id. */
  async prefetch(createdIds: Set<string>): Promise<void> {
    const template = this.resolver.template;
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      const physicalId = this.resolver.physicalId(logicalId);
      if (!createdIds.has(logicalId) || !physicalId) continue;
      if (resource.Type === 'AWS::IAM::Role') {
        const { Role } = await this.clients.iam.send(new GetRoleCommand({ RoleName: physicalId }));
        this.resolver.setAttributes(logicalId, { Arn: Role?.Arn, RoleId: Role?.RoleId });
      } else if (resource.Type === 'AWS::DynamoDB::Table') {
        const { Table } = await this.clients.dynamoDb.send(
          new DescribeTableCommand({ TableName: physicalId }),
        );
        this.resolver.setAttributes(logicalId, {
          Arn: Table?.TableArn,
          ...(Table?.LatestStreamArn ? { StreamArn: Table.LatestStreamArn } : {}),
        });
      } else if (resource.Type === 'AWS::ApiGateway::RestApi') {
        const api = await this.clients.apiGateway.send(new GetRestApiCommand({ restApiId: physicalId }));
        this.resolver.setAttributes(logicalId, { RootResourceId: api.rootResourceId, RestApiId: physicalId });
      }
    }
  }

  /** A resolved property; undefined when the template does not set it. */
  property(logicalId: string, path: string): unknown {
    return this.resolver.property(logicalId, path);
  }

  /** A resolved property that must be present. */
  required(logicalId: string, path: string): unknown {
    const value = this.property(logicalId, path);
    if (value === undefined || value === null || value === '') {
      throw new TemplateResolveError(`${logicalId}.${path}`, 'the property is required');
    }
    return value;
  }

  requiredText(logicalId: string, path: string): string {
    const value = this.required(logicalId, path);
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new TemplateResolveError(`${logicalId}.${path}`, 'the property must be a string');
    }
    return String(value);
  }

  physicalId(logicalId: string): string {
    const id = this.resolver.physicalId(logicalId);
    if (!id) throw new TemplateResolveError(logicalId, 'the emulator holds no such resource');
    return id;
  }

  applied(logicalId: string, what: string): void {
    this.appliedList.push(`${logicalId}: ${what}`);
  }

  notApplied(logicalId: string, what: string): void {
    this.notAppliedList.push(`${logicalId}: ${what}`);
  }

  /** Records a resource the helper created itself, and how to remove it again. */
  created(logicalId: string, type: string, physicalId: string, undo?: Undo): void {
    this.resolver.setPhysicalId(logicalId, physicalId);
    this.resources.push({ logicalId, physicalId, type });
    if (undo) this.undoList.push(undo);
  }

  /**
   * The tags CloudFormation puts on every resource it creates that supports tags, which the gate's
   * hook reads to find a deployment's stack.
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-resource-tags.html
   */
  cloudFormationTags(logicalId: string): Record<string, string> {
    return {
      'aws:cloudformation:stack-name': this.stackName,
      'aws:cloudformation:stack-id': this.stackId,
      'aws:cloudformation:logical-id': logicalId,
    };
  }

  /** A CloudFormation-style generated name: `<stack>-<logicalId>-<suffix>`, stable per stack. */
  generatedName(logicalId: string, maxLength = 255): string {
    const suffix = createHash('sha256')
      .update(`${this.stackId}/${logicalId}`)
      .digest('hex')
      .slice(0, 12)
      .toUpperCase();
    const head = `${this.stackName}-${logicalId}`.slice(0, Math.max(1, maxLength - suffix.length - 1));
    return `${head}-${suffix}`;
  }
}

interface ApplyStep {
  readonly type: string;
  /** True for types moto's CloudFormation creates (the step configures them); false for types the step creates. */
  readonly needsStackResource: boolean;
  apply(context: ApplyContext, logicalId: string, resource: CfnResource): Promise<void>;
}

/** Steps in the order they run: keys and buckets first, policies, late bucket settings, the rest, alarms last. */
const APPLY_STEPS: readonly ApplyStep[] = [
  { type: 'AWS::KMS::Key', needsStackResource: true, apply: applyKeyPolicy },
  { type: 'AWS::IAM::Role', needsStackResource: true, apply: applyRoleInlinePolicies },
  { type: 'AWS::S3::Bucket', needsStackResource: true, apply: applyBucketBasics },
  { type: 'AWS::IAM::RolePolicy', needsStackResource: false, apply: applyRolePolicy },
  { type: 'AWS::S3::BucketPolicy', needsStackResource: false, apply: applyBucketPolicy },
  { type: 'AWS::SQS::QueuePolicy', needsStackResource: false, apply: applyQueuePolicy },
  { type: 'AWS::SNS::TopicPolicy', needsStackResource: false, apply: applyTopicPolicy },
  { type: 'AWS::S3::Bucket', needsStackResource: true, apply: applyBucketLateSettings },
  { type: 'AWS::DynamoDB::Table', needsStackResource: true, apply: applyTable },
  { type: 'AWS::Logs::LogGroup', needsStackResource: true, apply: applyLogGroup },
  { type: 'AWS::Lambda::Function', needsStackResource: true, apply: applyFunction },
  { type: 'AWS::StepFunctions::StateMachine', needsStackResource: true, apply: applyStateMachine },
  { type: 'AWS::SNS::Subscription', needsStackResource: false, apply: applySubscription },
  {
    type: 'AWS::ApplicationAutoScaling::ScalableTarget',
    needsStackResource: false,
    apply: applyScalableTarget,
  },
  {
    type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
    needsStackResource: false,
    apply: applyScalingPolicy,
  },
  { type: 'AWS::ApiGateway::Stage', needsStackResource: false, apply: applyStage },
  { type: 'AWS::ApiGateway::Deployment', needsStackResource: true, apply: applyDeploymentStage },
  { type: 'AWS::CloudWatch::Alarm', needsStackResource: false, apply: applyAlarm },
];

async function applyKeyPolicy(context: ApplyContext, logicalId: string, resource: CfnResource) {
  if (!isRecord(resource.Properties?.KeyPolicy)) return;
  const policy = context.required(logicalId, 'KeyPolicy');
  await context.clients.kms.send(
    new PutKeyPolicyCommand({
      KeyId: context.physicalId(logicalId),
      PolicyName: 'default',
      Policy: policyText(policy),
    }),
  );
  context.applied(logicalId, 'key policy');
}

// x-amz-acl takes more canned ACLs than the SDK's BucketCannedACL type lists.
const CANNED_ACLS: Record<string, string> = {
  Private: 'private',
  PublicRead: 'public-read',
  PublicReadWrite: 'public-read-write',
  AuthenticatedRead: 'authenticated-read',
  LogDeliveryWrite: 'log-delivery-write',
  BucketOwnerRead: 'bucket-owner-read',
  BucketOwnerFullControl: 'bucket-owner-full-control',
  AwsExecRead: 'aws-exec-read',
};

const BUCKET_PROPERTIES_NOT_APPLIED = [
  'AccelerateConfiguration',
  'AnalyticsConfigurations',
  'CorsConfiguration',
  'IntelligentTieringConfigurations',
  'InventoryConfigurations',
  'MetricsConfigurations',
  'NotificationConfiguration',
  'ObjectLockConfiguration',
  'ObjectLockEnabled',
  'WebsiteConfiguration',
];

/** ACL, versioning, encryption with bucket key, lifecycle: everything later steps may rely on. */
async function applyBucketBasics(context: ApplyContext, logicalId: string, resource: CfnResource) {
  const bucket = context.physicalId(logicalId);
  const { s3 } = context.clients;
  const acl = context.property(logicalId, 'AccessControl');
  if (typeof acl === 'string') {
    const canned = CANNED_ACLS[acl];
    if (!canned) throw new TemplateResolveError(`${logicalId}.AccessControl`, `unknown canned ACL ${acl}`);
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: canned as BucketCannedACL }));
    context.applied(logicalId, `ACL ${canned}`);
  }
  const versioning = context.property(logicalId, 'VersioningConfiguration.Status');
  if (typeof versioning === 'string') {
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: versioning as 'Enabled' | 'Suspended' },
      }),
    );
    context.applied(logicalId, `versioning ${versioning}`);
  }
  const encryption = list(context.property(logicalId, 'BucketEncryption.ServerSideEncryptionConfiguration'));
  if (
    encryption.some((rule) => isRecord(rule) && rule.BucketKeyEnabled !== undefined) ||
    encryption.length > 1
  ) {
    const Rules: ServerSideEncryptionRule[] = encryption.filter(isRecord).map((rule) => {
      const byDefault = isRecord(rule.ServerSideEncryptionByDefault)
        ? rule.ServerSideEncryptionByDefault
        : {};
      return {
        ApplyServerSideEncryptionByDefault: {
          SSEAlgorithm: text(byDefault.SSEAlgorithm) as 'AES256',
          KMSMasterKeyID: text(byDefault.KMSMasterKeyID),
        },
        BucketKeyEnabled: rule.BucketKeyEnabled === undefined ? undefined : truthy(rule.BucketKeyEnabled),
      };
    });
    await s3.send(
      new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules } }),
    );
    const first = Rules[0];
    context.applied(
      logicalId,
      `encryption ${first?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm}` +
        (first?.BucketKeyEnabled ? ' with bucket key' : ''),
    );
  }
  const lifecycle = list(context.property(logicalId, 'LifecycleConfiguration.Rules'));
  if (lifecycle.length > 0) {
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: lifecycle.filter(isRecord).map(lifecycleRule) },
      }),
    );
    context.applied(logicalId, `lifecycle ${lifecycle.length} rule(s)`);
  }
  for (const name of BUCKET_PROPERTIES_NOT_APPLIED) {
    if (resource.Properties?.[name] !== undefined) context.notApplied(logicalId, name);
  }
}

/** Settings that need other buckets or policies in place: logging, replication, ownership, public access block. */
async function applyBucketLateSettings(context: ApplyContext, logicalId: string) {
  const bucket = context.physicalId(logicalId);
  const { s3 } = context.clients;
  const logging = context.property(logicalId, 'LoggingConfiguration');
  if (isRecord(logging)) {
    const target = text(logging.DestinationBucketName) ?? bucket;
    const prefix = text(logging.LogFilePrefix) ?? '';
    const putLogging = () =>
      s3.send(
        new PutBucketLoggingCommand({
          Bucket: bucket,
          BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: prefix } },
        }),
      );
    try {
      await putLogging();
      context.applied(logicalId, `logging to ${target}/${prefix}`);
    } catch (error) {
      if ((error as Error).name !== 'InvalidTargetBucketForLogging') throw error;
      // As on AWS: without a bucket policy for logging.s3.amazonaws.com, the target needs the
      // log-delivery group's WRITE and READ_ACP grants. Existing grants are kept.
      await grantLogDelivery(context, target);
      await putLogging();
      context.applied(logicalId, `logging to ${target}/${prefix} (log-delivery ACL granted on ${target})`);
    }
  }
  const replication = context.property(logicalId, 'ReplicationConfiguration');
  if (isRecord(replication)) {
    const Rules = list(replication.Rules).filter(isRecord).map(replicationRule);
    await s3.send(
      new PutBucketReplicationCommand({
        Bucket: bucket,
        ReplicationConfiguration: { Role: text(replication.Role), Rules },
      }),
    );
    context.applied(logicalId, `replication ${Rules.length} rule(s)`);
  }
  const ownership = list(context.property(logicalId, 'OwnershipControls.Rules')).filter(isRecord);
  if (ownership.length > 0) {
    await s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: bucket,
        OwnershipControls: {
          Rules: ownership.map((rule) => ({
            ObjectOwnership: text(rule.ObjectOwnership) as 'BucketOwnerEnforced',
          })),
        },
      }),
    );
    context.applied(
      logicalId,
      `object ownership ${ownership.map((rule) => text(rule.ObjectOwnership)).join(',')}`,
    );
  }
  const block = context.property(logicalId, 'PublicAccessBlockConfiguration');
  if (isRecord(block)) {
    const flags = {
      BlockPublicAcls: truthy(block.BlockPublicAcls),
      IgnorePublicAcls: truthy(block.IgnorePublicAcls),
      BlockPublicPolicy: truthy(block.BlockPublicPolicy),
      RestrictPublicBuckets: truthy(block.RestrictPublicBuckets),
    };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: flags }));
    const on = Object.entries(flags)
      .filter(([, value]) => value)
      .map(([name]) => name);
    context.applied(logicalId, `public access block ${on.length > 0 ? on.join(',') : 'all off'}`);
  }
}

const LOG_DELIVERY_GROUP = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

async function grantLogDelivery(context: ApplyContext, target: string) {
  const { s3 } = context.clients;
  const acl = await s3.send(new GetBucketAclCommand({ Bucket: target }));
  const grants = [...(acl.Grants ?? [])];
  for (const permission of ['WRITE', 'READ_ACP'] as const) {
    if (
      !grants.some((grant) => grant.Grantee?.URI === LOG_DELIVERY_GROUP && grant.Permission === permission)
    ) {
      grants.push({ Grantee: { Type: 'Group', URI: LOG_DELIVERY_GROUP }, Permission: permission });
    }
  }
  await s3.send(
    new PutBucketAclCommand({ Bucket: target, AccessControlPolicy: { Owner: acl.Owner, Grants: grants } }),
  );
}

function lifecycleRule(rule: Record<string, unknown>): LifecycleRule {
  const prefix = text(rule.Prefix);
  const tags = list(rule.TagFilters)
    .filter(isRecord)
    .map((tag) => ({ Key: text(tag.Key), Value: text(tag.Value) }));
  const greater = number(rule.ObjectSizeGreaterThan);
  const less = number(rule.ObjectSizeLessThan);
  const conditions = [prefix, greater, less].filter((value) => value !== undefined).length + tags.length;
  let Filter: LifecycleRule['Filter'];
  if (conditions > 1) {
    Filter = {
      And: { Prefix: prefix, Tags: tags, ObjectSizeGreaterThan: greater, ObjectSizeLessThan: less },
    };
  } else if (tags.length === 1) {
    Filter = { Tag: tags[0] };
  } else if (greater !== undefined) {
    Filter = { ObjectSizeGreaterThan: greater };
  } else if (less !== undefined) {
    Filter = { ObjectSizeLessThan: less };
  } else {
    Filter = { Prefix: prefix ?? '' };
  }
  const expirationDays = number(rule.ExpirationInDays);
  const expirationDate = text(rule.ExpirationDate);
  const deleteMarker =
    rule.ExpiredObjectDeleteMarker === undefined ? undefined : truthy(rule.ExpiredObjectDeleteMarker);
  const transitions = [...list(rule.Transitions), ...(rule.Transition ? [rule.Transition] : [])].filter(
    isRecord,
  );
  const noncurrentTransitions = [
    ...list(rule.NoncurrentVersionTransitions),
    ...(rule.NoncurrentVersionTransition ? [rule.NoncurrentVersionTransition] : []),
  ].filter(isRecord);
  const noncurrent = isRecord(rule.NoncurrentVersionExpiration)
    ? {
        NoncurrentDays: number(rule.NoncurrentVersionExpiration.NoncurrentDays),
        NewerNoncurrentVersions: number(rule.NoncurrentVersionExpiration.NewerNoncurrentVersions),
      }
    : rule.NoncurrentVersionExpirationInDays !== undefined
      ? { NoncurrentDays: number(rule.NoncurrentVersionExpirationInDays) }
      : undefined;
  const abort = isRecord(rule.AbortIncompleteMultipartUpload)
    ? { DaysAfterInitiation: number(rule.AbortIncompleteMultipartUpload.DaysAfterInitiation) }
    : undefined;
  return {
    ID: text(rule.Id),
    Status: (text(rule.Status) ?? 'Enabled') as 'Enabled',
    Filter,
    Expiration:
      expirationDays !== undefined || expirationDate !== undefined || deleteMarker !== undefined
        ? {
            Days: expirationDays,
            Date: expirationDate ? new Date(expirationDate) : undefined,
            ExpiredObjectDeleteMarker: deleteMarker,
          }
        : undefined,
    Transitions:
      transitions.length > 0
        ? transitions.map((transition) => ({
            StorageClass: text(transition.StorageClass) as 'GLACIER',
            Days: number(transition.TransitionInDays),
            Date: text(transition.TransitionDate) ? new Date(String(transition.TransitionDate)) : undefined,
          }))
        : undefined,
    NoncurrentVersionExpiration: noncurrent,
    NoncurrentVersionTransitions:
      noncurrentTransitions.length > 0
        ? noncurrentTransitions.map((transition) => ({
            StorageClass: text(transition.StorageClass) as 'GLACIER',
            NoncurrentDays: number(transition.TransitionInDays),
            NewerNoncurrentVersions: number(transition.NewerNoncurrentVersions),
          }))
        : undefined,
    AbortIncompleteMultipartUpload: abort,
  };
}

/** CloudFormation's replication rule differs from the API's in three names: Id, TagFilter, TagFilters. */
function replicationRule(rule: Record<string, unknown>): ReplicationRule {
  const { Id, Filter, Priority, ...rest } = rule;
  let filter: unknown = Filter;
  if (isRecord(Filter)) {
    const { TagFilter, And, ...filterRest } = Filter;
    filter = {
      ...filterRest,
      ...(TagFilter !== undefined ? { Tag: TagFilter } : {}),
      ...(isRecord(And)
        ? { And: { Prefix: And.Prefix, ...(And.TagFilters !== undefined ? { Tags: And.TagFilters } : {}) } }
        : {}),
    };
  }
  return {
    ...rest,
    ID: text(Id),
    Priority: number(Priority),
    ...(filter !== undefined ? { Filter: filter } : {}),
  } as ReplicationRule;
}

async function applyBucketPolicy(context: ApplyContext, logicalId: string) {
  const bucket = context.requiredText(logicalId, 'Bucket');
  const policy = context.required(logicalId, 'PolicyDocument');
  await context.clients.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policyText(policy) }));
  context.created(logicalId, 'AWS::S3::BucketPolicy', bucket);
  context.applied(logicalId, `bucket policy on ${bucket}`);
}

async function applyQueuePolicy(context: ApplyContext, logicalId: string) {
  const queues = list(context.required(logicalId, 'Queues')).map(String);
  const policy = policyText(context.required(logicalId, 'PolicyDocument'));
  for (const QueueUrl of queues) {
    await context.clients.sqs.send(
      new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: policy } }),
    );
  }
  context.created(logicalId, 'AWS::SQS::QueuePolicy', context.generatedName(logicalId));
  context.applied(
    logicalId,
    `queue policy on ${queues.map((url) => url.slice(url.lastIndexOf('/') + 1)).join(', ')}`,
  );
}

async function applyTopicPolicy(context: ApplyContext, logicalId: string) {
  const topics = list(context.required(logicalId, 'Topics')).map(String);
  const policy = policyText(context.required(logicalId, 'PolicyDocument'));
  for (const TopicArn of topics) {
    await context.clients.sns.send(
      new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: policy }),
    );
  }
  context.created(logicalId, 'AWS::SNS::TopicPolicy', context.generatedName(logicalId));
  context.applied(
    logicalId,
    `topic policy on ${topics.map((arn) => arn.slice(arn.lastIndexOf(':') + 1)).join(', ')}`,
  );
}

/**
 * A role's inline `Policies`, put again as JSON text. moto's CloudFormation stores them as Python
 * text (`{'Version': …}`), which no policy reader can parse; what moto stored is read back and
 * converted, so its own resolution of the template (even of references it cannot resolve) is kept.
 */
async function applyRoleInlinePolicies(context: ApplyContext, logicalId: string, resource: CfnResource) {
  if (resource.Properties?.Policies === undefined) return;
  const RoleName = context.physicalId(logicalId);
  const { iam } = context.clients;
  const names: string[] = [];
  for await (const page of paginateListRolePolicies({ client: iam }, { RoleName })) {
    names.push(...(page.PolicyNames ?? []));
  }
  const converted: string[] = [];
  const versioned: string[] = [];
  for (const PolicyName of names) {
    const { PolicyDocument = '' } = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
    const stored = PolicyDocument.startsWith('%') ? decodeURIComponent(PolicyDocument) : PolicyDocument;
    if (isJson(stored)) continue;
    let document: unknown;
    try {
      document = parsePythonLiteral(stored);
    } catch (error) {
      context.notApplied(logicalId, `inline policy ${PolicyName} as JSON (${(error as Error).message})`);
      continue;
    }
    // moto refuses a document without Version (AWS reads it as 2008-10-17); checks read the statements.
    const missingVersion = isRecord(document) && document.Version === undefined;
    const complete = isRecord(document) && missingVersion ? { Version: '2012-10-17', ...document } : document;
    await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument: policyText(complete) }));
    converted.push(PolicyName);
    if (missingVersion) versioned.push(PolicyName);
  }
  if (converted.length === 0) return;
  context.applied(
    logicalId,
    `inline policies ${converted.join(', ')} as JSON` +
      (versioned.length > 0 ? ` (Version 2012-10-17 added to ${versioned.join(', ')})` : ''),
  );
}

async function applyRolePolicy(context: ApplyContext, logicalId: string) {
  const RoleName = context.requiredText(logicalId, 'RoleName');
  const PolicyName = context.requiredText(logicalId, 'PolicyName');
  const document = context.required(logicalId, 'PolicyDocument');
  const { iam } = context.clients;
  await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument: policyText(document) }));
  context.created(logicalId, 'AWS::IAM::RolePolicy', context.generatedName(logicalId), () =>
    iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName })),
  );
  context.applied(logicalId, `inline policy ${PolicyName} on role ${RoleName}`);
}

async function applyTable(context: ApplyContext, logicalId: string) {
  const TableName = context.physicalId(logicalId);
  const pitr = context.property(logicalId, 'PointInTimeRecoverySpecification');
  if (isRecord(pitr) && pitr.PointInTimeRecoveryEnabled !== undefined) {
    const enabled = truthy(pitr.PointInTimeRecoveryEnabled);
    await context.clients.dynamoDb.send(
      new UpdateContinuousBackupsCommand({
        TableName,
        PointInTimeRecoverySpecification: {
          PointInTimeRecoveryEnabled: enabled,
          RecoveryPeriodInDays: number(pitr.RecoveryPeriodInDays),
        },
      }),
    );
    context.applied(logicalId, `point-in-time recovery ${enabled ? 'enabled' : 'disabled'}`);
  }
  if (truthy(context.property(logicalId, 'SSESpecification.SSEEnabled'))) {
    context.applied(logicalId, 'SSE with KMS (SSESpecification.Enabled in the template sent to moto)');
  }
}

async function applyLogGroup(context: ApplyContext, logicalId: string) {
  const key = context.property(logicalId, 'KmsKeyId');
  if (key !== undefined) context.applied(logicalId, `KMS key ${key} (kmsKeyId in the template sent to moto)`);
}

const FUNCTION_PROPERTIES_NOT_APPLIED = ['DeadLetterConfig', 'LoggingConfig', 'KmsKeyArn'];

async function applyFunction(context: ApplyContext, logicalId: string, resource: CfnResource) {
  const { Configuration } = await context.clients.lambda.send(
    new GetFunctionCommand({ FunctionName: context.physicalId(logicalId) }),
  );
  await context.clients.lambda.send(
    new TagResourceCommand({
      Resource: Configuration?.FunctionArn,
      Tags: context.cloudFormationTags(logicalId),
    }),
  );
  const tracing = context.property(logicalId, 'TracingConfig.Mode');
  if (tracing !== undefined && tracing !== 'PassThrough')
    context.notApplied(logicalId, `TracingConfig ${tracing}`);
  for (const name of FUNCTION_PROPERTIES_NOT_APPLIED) {
    if (resource.Properties?.[name] !== undefined) context.notApplied(logicalId, name);
  }
}

async function applyStateMachine(context: ApplyContext, logicalId: string) {
  const logging = context.property(logicalId, 'LoggingConfiguration');
  const tracing = context.property(logicalId, 'TracingConfiguration');
  const encryption = context.property(logicalId, 'EncryptionConfiguration');
  if (!isRecord(logging) && !isRecord(tracing) && !isRecord(encryption)) return;
  await context.clients.sfn.send(
    new UpdateStateMachineCommand({
      stateMachineArn: context.physicalId(logicalId),
      loggingConfiguration: isRecord(logging)
        ? {
            level: text(logging.Level) as 'ALL',
            includeExecutionData:
              logging.IncludeExecutionData === undefined ? undefined : truthy(logging.IncludeExecutionData),
            destinations: list(logging.Destinations)
              .filter(isRecord)
              .map((destination) => ({
                cloudWatchLogsLogGroup: {
                  logGroupArn: isRecord(destination.CloudWatchLogsLogGroup)
                    ? text(destination.CloudWatchLogsLogGroup.LogGroupArn)
                    : undefined,
                },
              })),
          }
        : undefined,
      tracingConfiguration: isRecord(tracing) ? { enabled: truthy(tracing.Enabled) } : undefined,
      encryptionConfiguration: isRecord(encryption)
        ? {
            type: text(encryption.Type) as 'AWS_OWNED_KEY',
            kmsKeyId: text(encryption.KmsKeyId),
            kmsDataKeyReusePeriodSeconds: number(encryption.KmsDataKeyReusePeriodSeconds),
          }
        : undefined,
    }),
  );
  const parts = [
    isRecord(logging) ? `logging ${text(logging.Level)}` : undefined,
    isRecord(tracing) ? `tracing ${truthy(tracing.Enabled) ? 'on' : 'off'}` : undefined,
    isRecord(encryption) ? `encryption ${text(encryption.Type)}` : undefined,
  ].filter(Boolean);
  context.applied(logicalId, parts.join(', '));
}

async function applySubscription(context: ApplyContext, logicalId: string) {
  const TopicArn = context.requiredText(logicalId, 'TopicArn');
  const Protocol = context.requiredText(logicalId, 'Protocol');
  const endpoint = context.property(logicalId, 'Endpoint');
  const attributes: Record<string, string> = {};
  for (const name of [
    'DeliveryPolicy',
    'FilterPolicy',
    'FilterPolicyScope',
    'RawMessageDelivery',
    'RedrivePolicy',
  ]) {
    const value = context.property(logicalId, name);
    if (value !== undefined)
      attributes[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  const { sns } = context.clients;
  const subscribed = await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol,
      Endpoint: endpoint === undefined ? undefined : String(endpoint),
      Attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
      ReturnSubscriptionArn: true,
    }),
  );
  const arn = subscribed.SubscriptionArn ?? context.generatedName(logicalId);
  context.created(logicalId, 'AWS::SNS::Subscription', arn, () =>
    sns.send(new UnsubscribeCommand({ SubscriptionArn: arn })),
  );
  context.applied(logicalId, `${Protocol} subscription to ${TopicArn.slice(TopicArn.lastIndexOf(':') + 1)}`);
}

async function applyScalableTarget(context: ApplyContext, logicalId: string) {
  const ServiceNamespace = context.requiredText(logicalId, 'ServiceNamespace') as ServiceNamespace;
  const ResourceId = context.requiredText(logicalId, 'ResourceId');
  const ScalableDimension = context.requiredText(
    logicalId,
    'ScalableDimension',
  ) as 'dynamodb:table:ReadCapacityUnits';
  const MinCapacity = number(context.required(logicalId, 'MinCapacity'));
  const MaxCapacity = number(context.required(logicalId, 'MaxCapacity'));
  const suspended = context.property(logicalId, 'SuspendedState');
  const { autoScaling } = context.clients;
  await autoScaling.send(
    new RegisterScalableTargetCommand({
      ServiceNamespace,
      ResourceId,
      ScalableDimension,
      MinCapacity,
      MaxCapacity,
      RoleARN: text(context.property(logicalId, 'RoleARN')),
      SuspendedState: isRecord(suspended)
        ? {
            DynamicScalingInSuspended: optionalBoolean(suspended.DynamicScalingInSuspended),
            DynamicScalingOutSuspended: optionalBoolean(suspended.DynamicScalingOutSuspended),
            ScheduledScalingSuspended: optionalBoolean(suspended.ScheduledScalingSuspended),
          }
        : undefined,
    }),
  );
  // CloudFormation's physical id of a scalable target, and what Ref returns.
  context.created(
    logicalId,
    'AWS::ApplicationAutoScaling::ScalableTarget',
    `${ResourceId}|${ScalableDimension}|${ServiceNamespace}`,
    () =>
      autoScaling.send(
        new DeregisterScalableTargetCommand({ ServiceNamespace, ResourceId, ScalableDimension }),
      ),
  );
  context.applied(
    logicalId,
    `scalable target ${ResourceId} ${ScalableDimension} ${MinCapacity}-${MaxCapacity}`,
  );
  if (context.property(logicalId, 'ScheduledActions') !== undefined)
    context.notApplied(logicalId, 'ScheduledActions');
}

const SCALING_NUMBERS = new Set([
  'TargetValue',
  'ScaleInCooldown',
  'ScaleOutCooldown',
  'Cooldown',
  'MinAdjustmentMagnitude',
  'MetricIntervalLowerBound',
  'MetricIntervalUpperBound',
  'ScalingAdjustment',
]);

async function applyScalingPolicy(context: ApplyContext, logicalId: string) {
  const PolicyName = context.requiredText(logicalId, 'PolicyName');
  const PolicyType = context.requiredText(logicalId, 'PolicyType') as 'TargetTrackingScaling';
  const targetId = text(context.property(logicalId, 'ScalingTargetId'));
  const [targetResource, targetDimension, targetNamespace] = targetId?.split('|') ?? [];
  const ResourceId = targetResource ?? context.requiredText(logicalId, 'ResourceId');
  const ScalableDimension = (targetDimension ??
    context.requiredText(logicalId, 'ScalableDimension')) as 'dynamodb:table:ReadCapacityUnits';
  const ServiceNamespace = (targetNamespace ??
    context.requiredText(logicalId, 'ServiceNamespace')) as ServiceNamespace;
  const input = {
    PolicyName,
    PolicyType,
    ResourceId,
    ScalableDimension,
    ServiceNamespace,
    TargetTrackingScalingPolicyConfiguration: coerce(
      context.property(logicalId, 'TargetTrackingScalingPolicyConfiguration'),
      SCALING_NUMBERS,
      new Set(['DisableScaleIn']),
    ),
    StepScalingPolicyConfiguration: coerce(
      context.property(logicalId, 'StepScalingPolicyConfiguration'),
      SCALING_NUMBERS,
      new Set(),
    ),
  } as PutScalingPolicyCommandInput;
  const { autoScaling } = context.clients;
  const policy = await autoScaling.send(new PutScalingPolicyCommand(input));
  context.created(
    logicalId,
    'AWS::ApplicationAutoScaling::ScalingPolicy',
    policy.PolicyARN ?? context.generatedName(logicalId),
    () =>
      autoScaling.send(
        new DeleteScalingPolicyCommand({ PolicyName, ServiceNamespace, ResourceId, ScalableDimension }),
      ),
  );
  context.applied(
    logicalId,
    `scaling policy ${PolicyName} (${PolicyType}) on ${ResourceId} ${ScalableDimension}`,
  );
}

async function applyStage(context: ApplyContext, logicalId: string) {
  const restApiId = context.requiredText(logicalId, 'RestApiId');
  const stageName = context.requiredText(logicalId, 'StageName');
  const variables = context.property(logicalId, 'Variables');
  const { apiGateway } = context.clients;
  await apiGateway.send(
    new CreateDeploymentCommand({
      restApiId,
      stageName,
      stageDescription: text(context.property(logicalId, 'Description')),
      variables: isRecord(variables) ? stringRecord(variables) : undefined,
    }),
  );
  context.created(logicalId, 'AWS::ApiGateway::Stage', stageName);
  const settings: Record<string, unknown> = {};
  for (const name of [
    'TracingEnabled',
    'CacheClusterEnabled',
    'CacheClusterSize',
    'AccessLogSetting',
    'MethodSettings',
  ]) {
    settings[name] = context.property(logicalId, name);
  }
  const patches = stagePatches(settings);
  if (patches.length > 0) {
    await apiGateway.send(new UpdateStageCommand({ restApiId, stageName, patchOperations: patches }));
  }
  context.applied(
    logicalId,
    `stage ${stageName}${patches.length > 0 ? ` (${describePatches(patches)})` : ''}`,
  );
}

/** A Deployment with StageName makes its stage in moto; its StageDescription settings are ignored. */
async function applyDeploymentStage(context: ApplyContext, logicalId: string) {
  const stageName = text(context.property(logicalId, 'StageName'));
  const description = context.property(logicalId, 'StageDescription');
  if (!stageName || !isRecord(description)) return;
  const restApiId = context.requiredText(logicalId, 'RestApiId');
  const topLevel: Record<string, unknown> = {};
  for (const name of [
    'LoggingLevel',
    'DataTraceEnabled',
    'MetricsEnabled',
    'ThrottlingRateLimit',
    'ThrottlingBurstLimit',
    'CachingEnabled',
    'CacheTtlInSeconds',
    'CacheDataEncrypted',
  ]) {
    if (description[name] !== undefined) topLevel[name] = description[name];
  }
  const methodSettings = [
    ...(Object.keys(topLevel).length > 0 ? [{ ResourcePath: '/*', HttpMethod: '*', ...topLevel }] : []),
    ...list(description.MethodSettings),
  ];
  const patches = stagePatches({ ...description, MethodSettings: methodSettings });
  if (patches.length === 0) return;
  await context.clients.apiGateway.send(
    new UpdateStageCommand({ restApiId, stageName, patchOperations: patches }),
  );
  context.applied(logicalId, `stage ${stageName} (${describePatches(patches)})`);
}

const METHOD_SETTING_PATHS: Record<string, string> = {
  LoggingLevel: 'logging/loglevel',
  DataTraceEnabled: 'logging/dataTrace',
  MetricsEnabled: 'metrics/enabled',
  ThrottlingRateLimit: 'throttling/rateLimit',
  ThrottlingBurstLimit: 'throttling/burstLimit',
  CachingEnabled: 'caching/enabled',
  CacheTtlInSeconds: 'caching/ttlInSeconds',
  CacheDataEncrypted: 'caching/dataEncrypted',
};

/** UpdateStage patch operations for a Stage's (or StageDescription's) settings. */
function stagePatches(settings: Record<string, unknown>): PatchOperation[] {
  const patches: PatchOperation[] = [];
  const replace = (path: string, value: unknown) =>
    patches.push({ op: 'replace', path, value: String(value) });
  if (settings.TracingEnabled !== undefined) replace('/tracingEnabled', truthy(settings.TracingEnabled));
  if (settings.CacheClusterEnabled !== undefined)
    replace('/cacheClusterEnabled', truthy(settings.CacheClusterEnabled));
  if (settings.CacheClusterSize !== undefined) replace('/cacheClusterSize', settings.CacheClusterSize);
  if (isRecord(settings.AccessLogSetting)) {
    if (settings.AccessLogSetting.DestinationArn !== undefined) {
      replace('/accessLogSettings/destinationArn', settings.AccessLogSetting.DestinationArn);
    }
    if (settings.AccessLogSetting.Format !== undefined) {
      replace('/accessLogSettings/format', settings.AccessLogSetting.Format);
    }
  }
  for (const method of list(settings.MethodSettings).filter(isRecord)) {
    const resourcePath = text(method.ResourcePath) ?? '/*';
    const path = resourcePath === '/*' ? '*' : resourcePath.replace(/^\//, '').replaceAll('/', '~1');
    const prefix = `/${path}/${text(method.HttpMethod) ?? '*'}`;
    for (const [name, suffix] of Object.entries(METHOD_SETTING_PATHS)) {
      if (method[name] !== undefined) replace(`${prefix}/${suffix}`, method[name]);
    }
  }
  return patches;
}

function describePatches(patches: PatchOperation[]): string {
  return patches.map((patch) => `${patch.path}=${patch.value}`).join(', ');
}

const ALARM_NUMBERS = new Set(['Period', 'EvaluationPeriods', 'DatapointsToAlarm', 'Threshold']);
const ALARM_PROPERTIES = [
  'AlarmDescription',
  'ActionsEnabled',
  'AlarmActions',
  'OKActions',
  'InsufficientDataActions',
  'MetricName',
  'Namespace',
  'Statistic',
  'ExtendedStatistic',
  'Dimensions',
  'Period',
  'Unit',
  'EvaluationPeriods',
  'DatapointsToAlarm',
  'Threshold',
  'ComparisonOperator',
  'TreatMissingData',
  'EvaluateLowSampleCountPercentile',
  'Metrics',
  'ThresholdMetricId',
  'Tags',
];

async function applyAlarm(context: ApplyContext, logicalId: string) {
  const AlarmName = text(context.property(logicalId, 'AlarmName')) ?? context.generatedName(logicalId);
  const input: Record<string, unknown> = { AlarmName };
  for (const name of ALARM_PROPERTIES) {
    const value = context.property(logicalId, name);
    if (value !== undefined)
      input[name] = coerce(value, ALARM_NUMBERS, new Set(['ActionsEnabled', 'ReturnData']), name);
  }
  const { cloudWatch } = context.clients;
  await cloudWatch.send(new PutMetricAlarmCommand(input as unknown as PutMetricAlarmCommandInput));
  context.created(logicalId, 'AWS::CloudWatch::Alarm', AlarmName, () =>
    cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: [AlarmName] })),
  );
  context.applied(logicalId, `alarm ${AlarmName}`);
}

// ---------------------------------------------------------------------------------------------
// Stack bookkeeping
// ---------------------------------------------------------------------------------------------

async function listStackResources(
  client: CloudFormationClient,
  stackId: string,
): Promise<StackResourceSummary[]> {
  const rows: StackResourceSummary[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListStackResourcesCommand({ StackName: stackId, NextToken }));
    rows.push(...(page.StackResourceSummaries ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return rows;
}

async function listExports(client: CloudFormationClient): Promise<Record<string, string>> {
  const exports: Record<string, string> = {};
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListExportsCommand({ NextToken }));
    for (const item of page.Exports ?? []) if (item.Name && item.Value) exports[item.Name] = item.Value;
    NextToken = page.NextToken;
  } while (NextToken);
  return exports;
}

async function pendingResources(
  client: CloudFormationClient,
  stackId: string,
  template: CfnTemplate,
  resolver: IntrinsicResolver,
): Promise<{ logicalId: string; type: string }[]> {
  const pending = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (CUSTOM_RESOURCE.test(resource.Type) && enabledOrUnknown(resolver, logicalId)) {
      pending.set(logicalId, resource.Type);
    }
  }
  try {
    for (const row of await listStackResources(client, stackId)) {
      if (row.LogicalResourceId && row.ResourceStatus?.endsWith('_IN_PROGRESS')) {
        pending.set(row.LogicalResourceId, row.ResourceType ?? 'unknown type');
      }
    }
  } catch {
    // the template alone names the custom resources
  }
  return [...pending].map(([logicalId, type]) => ({ logicalId, type }));
}

function enabledOrUnknown(resolver: IntrinsicResolver, logicalId: string): boolean {
  try {
    return resolver.isResourceEnabled(logicalId);
  } catch {
    return true;
  }
}

function summarize(pending: { logicalId: string; type: string }[]): string {
  const shown = pending.slice(0, 5).map((item) => `${item.logicalId} (${item.type})`);
  return shown.join(', ') + (pending.length > 5 ? ` and ${pending.length - 5} more` : '');
}

async function failureReasons(client: CloudFormationClient, stackId: string, statusReason?: string) {
  try {
    const events = await client.send(new DescribeStackEventsCommand({ StackName: stackId }));
    const failed = (events.StackEvents ?? [])
      .filter((event) => event.ResourceStatus?.endsWith('_FAILED') && event.ResourceStatusReason)
      .map((event) => `${event.LogicalResourceId}: ${event.ResourceStatusReason}`);
    return oneLine([statusReason, ...failed].filter(Boolean).join('; '));
  } catch {
    return statusReason ? oneLine(statusReason) : '';
  }
}

/** DeleteStack (moto deletes what it created) after undoing what the helper created; a clause for the error. */
async function removeStack(client: CloudFormationClient, stackRef: string, undo: Undo[]): Promise<string> {
  for (const step of [...undo].reverse()) {
    await step().catch(() => undefined);
  }
  try {
    await client.send(new DeleteStackCommand({ StackName: stackRef }));
  } catch (error) {
    return `; deleting the stack failed (${motoReason(error)}), reset the emulator to remove what it created`;
  }
  try {
    const described = await client.send(new DescribeStacksCommand({ StackName: stackRef }));
    const status = described.Stacks?.[0]?.StackStatus;
    if (status && status !== 'DELETE_COMPLETE') return `; the stack is ${status}`;
  } catch {
    // a stack moto never registered is simply gone
  }
  return '; the stack was deleted';
}

// ---------------------------------------------------------------------------------------------
// moto's answers
// ---------------------------------------------------------------------------------------------

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $responseBodyText?: unknown;
  $response?: { statusCode?: number; body?: unknown };
  $fault?: string;
}

/**
 * One line with the useful part of what moto said. moto often answers with an HTML 500 page or a
 * JSON body where the SDK expects XML ("Deserialization error"); the raw text is then on the error.
 */
export function motoReason(error: unknown): string {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode ?? shape.$response?.statusCode;
  const body =
    typeof shape.$responseBodyText === 'string'
      ? shape.$responseBodyText
      : typeof shape.$response?.body === 'string'
        ? shape.$response.body
        : undefined;
  const message = shape.message ?? String(error);
  const deserialization =
    /Deserialization error|XML parse error|Unable to parse|invalid XML|Unexpected token/i.test(message);
  if (body !== undefined && (deserialization || !shape.name || shape.name === 'Error')) {
    const trimmed = body.trim();
    if (trimmed.startsWith('{')) {
      try {
        const json = JSON.parse(trimmed) as Record<string, unknown>;
        const type = String(json.__type ?? json.code ?? json.Code ?? `HTTP ${status}`).replace(/^.*#/, '');
        const detail = String(json.message ?? json.Message ?? '');
        const code = /Error Code: ([A-Za-z]+)/.exec(detail)?.[1];
        return oneLine(`${type}${code ? ` (${code})` : ''}${detail ? `: ${detail}` : ''}`);
      } catch {
        // not JSON after all
      }
    }
    if (/<html|<!doctype/i.test(trimmed)) {
      const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
      const words = title?.replace(/^\d+\s*/, '');
      return `HTTP ${status ?? 500}${words ? ` ${words}` : ''} (moto raised an exception on this request)`;
    }
    const code = /<Code>([^<]*)<\/Code>/.exec(trimmed)?.[1];
    const detail = /<Message>([^<]*)<\/Message>/.exec(trimmed)?.[1];
    if (code) return oneLine(`${code}${detail ? `: ${detail}` : ''}`);
    if (trimmed) return oneLine(`HTTP ${status ?? '?'}: ${trimmed}`);
  }
  const network = shape.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  if (network && /^E[A-Z]+$/.test(network)) {
    return `cannot reach the emulator at ${process.env.AWS_ENDPOINT_URL ?? 'the default endpoint'} (${network})`;
  }
  if (shape.name && shape.name !== 'Error' && !deserialization) return oneLine(`${shape.name}: ${message}`);
  return oneLine(status ? `HTTP ${status}: ${message}` : message);
}

/** moto needs a function's S3 code bucket to exist; say which bucket when that is what failed. */
function lambdaCodeHint(error: unknown, template: CfnTemplate, preview: IntrinsicResolver): string {
  if (!/NoSuchBucket|NoSuchKey/.test(motoReason(error))) return '';
  const buckets: string[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function' || !isRecord(resource.Properties?.Code)) continue;
    if (resource.Properties.Code.S3Bucket === undefined) continue;
    let bucket: string;
    try {
      bucket = String(preview.property(logicalId, 'Code.S3Bucket'));
    } catch {
      bucket = 'an S3 bucket';
    }
    buckets.push(`${logicalId} (${bucket})`);
  }
  return buckets.length > 0
    ? ` — Lambda code in S3 must exist in the emulator before the deploy: ${buckets.join(', ')}`
    : '';
}

function isAlreadyExists(error: unknown): boolean {
  return (error as { name?: string })?.name === 'AlreadyExistsException';
}

// ---------------------------------------------------------------------------------------------
// Small value helpers
// ---------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function number(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = Number(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** CloudFormation booleans arrive as true/false or as the strings "true"/"false". */
function truthy(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

function optionalBoolean(value: unknown): boolean | undefined {
  return value === undefined ? undefined : truthy(value);
}

function stringRecord(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, String(item)]));
}

function policyText(policy: unknown): string {
  return typeof policy === 'string' ? policy : JSON.stringify(policy);
}

/** Turns numeric and boolean strings into numbers and booleans at the named keys, at any depth. */
function coerce(value: unknown, numbers: Set<string>, booleans: Set<string>, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => coerce(item, numbers, booleans));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, coerce(item, numbers, booleans, name)]),
    );
  }
  if (key && numbers.has(key)) return number(value);
  if (key && booleans.has(key)) return truthy(value);
  return value;
}

function isJson(value: string): boolean {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

const PYTHON_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
};

/**
 * Reads the Python literal moto prints for a dict (`{'Action': ['s3:*'], 'Enabled': True}`):
 * strings in either quote with their escapes, numbers, True/False/None, lists and dicts.
 */
export function parsePythonLiteral(text: string): unknown {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`not a Python literal: ${what} at ${at}`);
  };
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at] ?? '')) at += 1;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[at] !== char) fail(`expected ${char}`);
    at += 1;
  };
  const items = <T>(close: string, item: () => T): T[] => {
    const out: T[] = [];
    skipSpace();
    while (text[at] !== close) {
      out.push(item());
      skipSpace();
      if (text[at] === ',') at += 1;
      else if (text[at] !== close) fail(`expected , or ${close}`);
      skipSpace();
    }
    at += 1;
    return out;
  };
  const string = (): string => {
    const quote = text[at];
    at += 1;
    let out = '';
    while (text[at] !== quote) {
      const char = text[at];
      if (char === undefined) fail('unterminated string');
      if (char !== '\\') {
        out += char;
        at += 1;
        continue;
      }
      const next = text[at + 1] ?? '';
      const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
      if (width > 0) {
        out += String.fromCodePoint(Number.parseInt(text.slice(at + 2, at + 2 + width), 16));
        at += 2 + width;
      } else {
        out += PYTHON_ESCAPES[next] ?? `\\${next}`;
        at += 2;
      }
    }
    at += 1;
    return out;
  };
  const value = (): unknown => {
    skipSpace();
    const char = text[at];
    if (char === '{') {
      at += 1;
      return Object.fromEntries(
        items('}', () => {
          skipSpace();
          const key = value();
          expect(':');
          return [String(key), value()] as const;
        }),
      );
    }
    if (char === '[') {
      at += 1;
      return items(']', value);
    }
    if (char === "'" || char === '"') return string();
    const word = /^(True|False|None|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(at))?.[0];
    if (!word) return fail(`unexpected ${char ?? 'end'}`);
    at += word.length;
    return word === 'True' ? true : word === 'False' ? false : word === 'None' ? null : Number(word);
  };
  const result = value();
  skipSpace();
  if (at !== text.length) fail('trailing text');
  return result;
}

function hasIntrinsic(value: unknown, name: string): boolean {
  if (Array.isArray(value)) return value.some((item) => hasIntrinsic(item, name));
  if (!isRecord(value)) return false;
  return Object.entries(value).some(([key, item]) => key === name || hasIntrinsic(item, name));
}

function oneLine(value: string, max = 400): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
