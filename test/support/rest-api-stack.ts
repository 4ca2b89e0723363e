/**
 * A REST API with stages, deployed the way the gate meets one: a CloudFormation stack (named like the
 * harness's TEST_STACK) that declares the RestApi and its Stage resources. moto provisions the RestApi
 * but not the Stages, so they are created with CreateDeployment, explicitly.
 */
import {
  type APIGatewayClient,
  CreateDeploymentCommand,
  GetResourcesCommand,
  type PatchOperation,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import {
  type CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourceCommand,
} from '@aws-sdk/client-cloudformation';
import { TEST_STACK } from './check-harness.ts';

export const API_LOGICAL_ID = 'OrdersApi';

export interface RestApiStackOptions {
  /** Stage logical id → stage name; each is declared in the template with `RestApiId: {Ref: OrdersApi}`. */
  readonly stages: Readonly<Record<string, string>>;
  /** Stages created on the API but declared with a RestApiId the template cannot resolve. */
  readonly importedStages?: Readonly<Record<string, string>>;
  readonly apiName?: string;
  /** Extra template resources (e.g. a second RestApi). */
  readonly extraResources?: Readonly<Record<string, unknown>>;
  /** Create the stages (default true); false leaves them declared but missing. */
  readonly deployStages?: boolean;
}

export interface RestApiStack {
  readonly stackId: string;
  readonly restApiId: string;
  readonly apiName: string;
}

export const stageResource = (logicalId: string, stageName: string) => ({
  logicalId,
  physicalId: stageName,
  type: 'AWS::ApiGateway::Stage',
});

export async function addMethod(apiGateway: APIGatewayClient, restApiId: string) {
  const { items } = await apiGateway.send(new GetResourcesCommand({ restApiId }));
  const rootId = items?.find((item) => item.path === '/')?.id;
  await apiGateway.send(
    new PutMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'GET', authorizationType: 'AWS_IAM' }),
  );
  await apiGateway.send(
    new PutIntegrationCommand({ restApiId, resourceId: rootId, httpMethod: 'GET', type: 'MOCK' }),
  );
}

export async function createRestApiStack(
  clients: { apiGateway: APIGatewayClient; cloudFormation: CloudFormationClient },
  options: RestApiStackOptions,
): Promise<RestApiStack> {
  const apiName = options.apiName ?? 'orders-api';
  const stageDeclarations = Object.fromEntries([
    ...Object.entries(options.stages).map(([logicalId, stageName]) => [
      logicalId,
      {
        Type: 'AWS::ApiGateway::Stage',
        Properties: { RestApiId: { Ref: API_LOGICAL_ID }, StageName: stageName, DeploymentId: 'd' },
      },
    ]),
    ...Object.entries(options.importedStages ?? {}).map(([logicalId, stageName]) => [
      logicalId,
      {
        Type: 'AWS::ApiGateway::Stage',
        Properties: {
          RestApiId: { 'Fn::ImportValue': 'shared-api-id' },
          StageName: stageName,
          DeploymentId: 'd',
        },
      },
    ]),
  ]);
  const template = {
    // Provisioned resources first: moto's DescribeStackResource fails past an unprovisioned one (a Stage).
    Resources: {
      [API_LOGICAL_ID]: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: apiName } },
      ...options.extraResources,
      ...stageDeclarations,
    },
  };
  const { StackId } = await clients.cloudFormation.send(
    new CreateStackCommand({ StackName: TEST_STACK.stackName, TemplateBody: JSON.stringify(template) }),
  );
  const { StackResourceDetail } = await clients.cloudFormation.send(
    new DescribeStackResourceCommand({ StackName: TEST_STACK.stackName, LogicalResourceId: API_LOGICAL_ID }),
  );
  const restApiId = String(StackResourceDetail?.PhysicalResourceId);
  await addMethod(clients.apiGateway, restApiId);
  if (options.deployStages !== false) {
    for (const stageName of [
      ...Object.values(options.stages),
      ...Object.values(options.importedStages ?? {}),
    ]) {
      await clients.apiGateway.send(new CreateDeploymentCommand({ restApiId, stageName }));
    }
  }
  return { stackId: String(StackId), restApiId, apiName };
}

/** Applies UpdateStage patch operations (the fixture for settings moto's CloudFormation ignores). */
export async function patchStage(
  apiGateway: APIGatewayClient,
  restApiId: string,
  stageName: string,
  patchOperations: PatchOperation[],
) {
  await apiGateway.send(new UpdateStageCommand({ restApiId, stageName, patchOperations }));
}
