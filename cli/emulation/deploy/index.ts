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
 * | StepFunctions::StateMachine Definition, DefinitionS3Location, DefinitionSubstitutions | ignored (DefinitionString only) | sent as one DefinitionString (state-machine-definitions.ts) |
 * | ApiGateway::RestApi, Resource, Method, Deployment | created                          | -                                               |
 * | ApiGateway::Stage                               | not created                        | CreateDeployment({stageName}) + UpdateStage     |
 * | ApiGateway::Deployment StageDescription         | ignored                            | UpdateStage on the stage it names               |
 * | ApiGateway::RestApi Body, BodyS3Location (OpenAPI) | ignored; Name required          | Name from info.title; paths, methods (authorization) and integrations imported |
 * | ApiGateway::Deployment of an OpenAPI-defined API | fails: NoMethodDefined            | left out of CreateStack; CreateDeployment after the import |
 * | ApiGatewayV2::Api Body (OpenAPI)                | not created                        | routes, integrations and authorization imported after CreateApi |
 * | Lambda::Alias                                   | not created; a Ref to it resolves to nothing | CreateAlias; other Refs sent as the alias ARN |
 * | Lambda::Alias UpdatePolicy (CodeDeploy)         | ignored                            | not applied (listed in notApplied)              |
 * | Lambda::Permission, EventSourceMapping on an alias | fails the stack                 | left out of CreateStack; AddPermission / CreateEventSourceMapping |
 *
 * Lambda functions made by moto's CloudFormation exist only while `lambda.use_docker` is true (the
 * default); this module never changes that. Inline `ZipFile` code works; code in S3 needs the
 * bucket to exist in moto first.
 */

import { basename, dirname } from 'node:path';
import {
  type Capability,
  CreateStackCommand,
  DescribeStacksCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { createCloudFormationClient, createS3Client, TIMEOUTS } from '../../../functions/shared/clients.ts';
import { expandSam, type SamTransformResult } from '../sam/index.ts';
import { recordStackResources } from '../stack-resource-overlay.ts';
import {
  type CfnTemplate,
  IntrinsicResolver,
  loadTemplateFile,
  TemplateError,
  TemplateResolveError,
} from '../template.ts';
import { aliasDependents, refAliasesByArn } from './appliers/lambda-alias.ts';
import { adaptOpenApiRestApi, isOpenApiRestApi, openApiDeployments } from './appliers/openapi.ts';
import { ApplyContext, ApplyError, type Undo } from './context.ts';
import { isAlreadyExists, lambdaCodeHint, motoReason } from './moto-errors.ts';
import { type PrunedEntry, pruneForMoto } from './prune.ts';
import {
  CUSTOM_RESOURCE,
  enabledOrUnknown,
  failureReasons,
  listExports,
  listStackResources,
  pendingResources,
  removeStack,
  summarize,
} from './stack.ts';
import { withInlineDefinitions } from './state-machine-definitions.ts';
import { APPLY_STEPS, HELPER_CREATED_TYPES } from './steps.ts';
import { dropResources, formatDuration, hasIntrinsic, isRecord, sleep, truthy } from './values.ts';

export interface DeployStackOptions {
  readonly stackName: string;
  /** A template object, or the path of a .json, .yaml or .yml file. */
  readonly template: CfnTemplate | string;
  readonly parameters?: Readonly<Record<string, string>>;
  /** How long to wait for the stack to leave *_IN_PROGRESS (default 60 s). */
  readonly timeoutMs?: number;
  /** Apply the configuration moto's CloudFormation ignores (default true). */
  readonly configure?: boolean;
  /** Leave out what moto cannot create and what refers to it, listed in `pruned` (a prediction; see prune.ts). */
  readonly pruneUnsupported?: boolean;
  /** CreateStack's EnableTerminationProtection, e.g. a CDK stack's `terminationProtection`. */
  readonly terminationProtection?: boolean;
  /** The stack's tags (CreateStack's Tags), e.g. the release a pipeline deploys (`--tags release=…`). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Where a template object's local artifact paths start (a file's: its folder; default the working directory). */
  readonly baseDir?: string;
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
  /** With `pruneUnsupported`: the resources and outputs left out of what moto received, and why. */
  readonly pruned?: PrunedEntry[];
  /** A SAM template: its processed template, the translator that expanded it, the artifacts staged into S3. */
  readonly sam?: SamTransformResult;
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

export const CAPABILITIES: Capability[] = [
  'CAPABILITY_IAM',
  'CAPABILITY_NAMED_IAM',
  'CAPABILITY_AUTO_EXPAND',
];

export const DEFAULT_TIMEOUT_MS = 60_000;

export const POLL_INTERVAL_MS = 250;

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
  // A SAM template is expanded first, as CloudFormation does before it creates anything.
  const sam = await expandSam(template, {
    stackName,
    region,
    accountId: '123456789012',
    parameters,
    baseDir:
      typeof options.template === 'string' ? dirname(options.template) : (options.baseDir ?? process.cwd()),
  }).catch((error: unknown) => {
    throw fail(error instanceof Error ? error.message : String(error), error);
  });
  if (sam) template = sam.template;
  let pruned: PrunedEntry[] | undefined;
  if (options.pruneUnsupported) ({ template, pruned } = pruneForMoto(template, HELPER_CREATED_TYPES));
  const preview = new IntrinsicResolver(template, {
    stackName,
    stackId: `arn:aws:cloudformation:${region}:123456789012:stack/${stackName}/pending`,
    region,
    accountId: '123456789012',
    parameters,
  });
  // moto answers a failed CreateStack with HTTP 500; a retry would then meet its own half-made
  // stack (AlreadyExistsException), so this client never retries (TIMEOUTS.emulatorDeploy).
  const cloudFormation = createCloudFormationClient(TIMEOUTS.emulatorDeploy);
  const cleanup = async (stackRef: string, undo: Undo[] = []) => removeStack(cloudFormation, stackRef, undo);

  const sent = configure
    ? adaptForMoto(
        await withInlineDefinitions(template, createS3Client(region)).catch((error: unknown) => {
          throw fail(error instanceof Error ? error.message : String(error), error);
        }),
        preview,
      )
    : template;
  let stackId: string;
  try {
    const created = await cloudFormation.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: JSON.stringify(sent),
        Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
          ParameterKey,
          ParameterValue,
        })),
        Capabilities: CAPABILITIES,
        ...(options.terminationProtection ? { EnableTerminationProtection: true } : {}),
        ...(options.tags
          ? { Tags: Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value })) }
          : {}),
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

  // What the helper created itself (after moto's rows) is listed to the local ListResources.
  const helperCreated = resources.slice(created.length);
  if (helperCreated.length > 0) {
    try {
      await recordStackResources(stackId, helperCreated);
    } catch (error) {
      throw fail(
        `recording the helper's resources failed: ${motoReason(error)}${await cleanup(stackId, undo)}`,
        error,
      );
    }
  }

  const handledTypes = HELPER_CREATED_TYPES;
  const skipped = new Set<string>(
    (pruned ?? []).filter((entry) => entry.type !== 'Output').map((entry) => entry.type),
  );
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
    ...(pruned ? { pruned } : {}),
    ...(sam ? { sam } : {}),
  };
}

/**
 * The two settings moto reads under another name than CloudFormation and that no API can set
 * afterwards: a table's SSESpecification (moto reads `Enabled`) and a log group's KMS key (moto
 * reads `kmsKeyId`); and an OpenAPI-defined REST API's Name (from info.title, as CloudFormation
 * names it) and Deployments (created through the API once the document is imported, appliers/openapi.ts);
 * Lambda aliases, which moto does not create: their permissions and event source mappings wait for
 * the appliers, other Refs to them become the alias ARN (appliers/lambda-alias.ts).
 * Everything else is sent as written.
 */
export function adaptForMoto(template: CfnTemplate, preview: IntrinsicResolver): CfnTemplate {
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
    if (isOpenApiRestApi(resource)) adaptOpenApiRestApi(logicalId, properties);
  }
  dropResources(adapted, [...openApiDeployments(adapted), ...aliasDependents(adapted)]);
  refAliasesByArn(adapted);
  return adapted;
}
