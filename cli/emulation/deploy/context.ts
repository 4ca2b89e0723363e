/**
 * What every applier works with: the resolved template, the SDK clients, and the record of what was
 * applied, not applied or created (and how to undo it).
 */
import { createHash } from 'node:crypto';
import { GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import {
  createApiGatewayClient,
  createApiGatewayV2Client,
  createAutoScalingClient,
  createCloudWatchClient,
  createDynamoDbClient,
  createIamClient,
  createKmsClient,
  createLambdaClient,
  createS3Client,
  createSecretsManagerClient,
  createSfnClient,
  createSnsClient,
  createSqsClient,
} from '../../../functions/shared/clients.ts';
import { type CfnResource, type IntrinsicResolver, TemplateResolveError } from '../template.ts';
import type { DeployedResource } from './index.ts';
import { motoReason } from './moto-errors.ts';

export type Undo = () => Promise<unknown>;

export class ApplyError extends Error {
  constructor(logicalId: string, type: string, cause: unknown) {
    const reason = cause instanceof TemplateResolveError ? cause.message : motoReason(cause);
    super(`configuring ${logicalId} (${type}) failed: ${reason}`, { cause });
    this.name = 'ApplyError';
  }
}

export class ApplyContext {
  readonly clients = {
    apiGateway: createApiGatewayClient(),
    apiGatewayV2: createApiGatewayV2Client(),
    autoScaling: createAutoScalingClient(),
    cloudWatch: createCloudWatchClient(),
    dynamoDb: createDynamoDbClient(),
    iam: createIamClient(),
    kms: createKmsClient(),
    lambda: createLambdaClient(),
    s3: createS3Client(),
    secretsManager: createSecretsManagerClient(),
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

export interface ApplyStep {
  readonly type: string;
  /** True for types moto's CloudFormation creates (the step configures them); false for types the step creates. */
  readonly needsStackResource: boolean;
  apply(context: ApplyContext, logicalId: string, resource: CfnResource): Promise<void>;
}
