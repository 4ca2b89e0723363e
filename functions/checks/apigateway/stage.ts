/**
 * A stage's physical id is only its name (`prod`), so the REST API it belongs to comes from the stack:
 * the Stage's `RestApiId` in the template (a literal id, or a Ref resolved through ListStackResources);
 * failing that, the one REST API of the stack (or its nested stacks) that has a stage of that name.
 * ListStackResources rather than DescribeStackResource: moto 5.2.1 answers the latter with HTTP 500 when
 * an unprovisioned resource (such as a Stage) precedes the one asked for.
 */
import { GetStageCommand, type GetStageCommandOutput } from '@aws-sdk/client-api-gateway';
import { isAwsError } from '../../shared/errors.ts';
import { declaredReference, stackResources } from '../stack-lookup.ts';
import type { CheckContext } from '../types.ts';
import type { ApiGatewayClients } from './clients.ts';

const STAGE_TYPE = 'AWS::ApiGateway::Stage';
const REST_API_TYPE = 'AWS::ApiGateway::RestApi';
const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';
const MAX_NESTING = 5;

// A type, not an interface, so that it can stand as check evidence (a plain record).
export type StageIdentity = {
  readonly restApiId: string;
  readonly stageName: string;
};

/** The stack does not tell which REST API a stage belongs to. */
export class StageApiNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageApiNotFoundError';
  }
}

type StageContext = Pick<
  CheckContext<Pick<ApiGatewayClients, 'apiGateway' | 'cloudFormation'>>,
  'resource' | 'stack' | 'memo' | 'clients'
>;

function restApiIdFromTemplate(context: StageContext) {
  return context.resource.type === STAGE_TYPE ? declaredReference(context, 'RestApiId') : undefined;
}

async function stageExists({ clients }: StageContext, restApiId: string, stageName: string) {
  try {
    await clients.apiGateway.send(new GetStageCommand({ restApiId, stageName }));
    return true;
  } catch (error) {
    if (isAwsError(error, 'NotFoundException')) return false;
    throw error;
  }
}

/** The REST API ids of a stack and of its nested stacks (ListStackResources lists one level). */
async function stackRestApiIds(context: StageContext, stackName: string, depth = 0): Promise<string[]> {
  const restApiIds: string[] = [];
  for (const summary of await stackResources(context, stackName)) {
    if (!summary.PhysicalResourceId) continue;
    if (summary.ResourceType === REST_API_TYPE) restApiIds.push(summary.PhysicalResourceId);
    if (summary.ResourceType === NESTED_STACK_TYPE && depth < MAX_NESTING) {
      restApiIds.push(...(await stackRestApiIds(context, summary.PhysicalResourceId, depth + 1)));
    }
  }
  return restApiIds;
}

/** The stack's REST APIs that have a stage of this name; the stage is found only if exactly one does. */
async function restApiIdByStageName(context: StageContext, stageName: string): Promise<string> {
  const { stack } = context;
  const restApiIds = await stackRestApiIds(context, stack.stackName);
  const matches: string[] = [];
  for (const restApiId of restApiIds) {
    if (await stageExists(context, restApiId, stageName)) matches.push(restApiId);
  }
  if (matches.length === 1 && matches[0]) return matches[0];
  throw new StageApiNotFoundError(
    matches.length === 0
      ? `no REST API of stack ${stack.stackName} has a stage named ${stageName}`
      : `stage ${stageName} exists on several REST APIs of stack ${stack.stackName} (${matches.join(', ')}) and the template does not say which`,
  );
}

/** The REST API id and stage name of the context's Stage resource (one lookup per work item). */
export function stageIdentity(context: StageContext): Promise<StageIdentity> {
  const stageName = context.resource.physicalId;
  return context.memo(`stage-identity:${context.resource.logicalId}:${stageName}`, async () => ({
    restApiId: (await restApiIdFromTemplate(context)) ?? (await restApiIdByStageName(context, stageName)),
    stageName,
  }));
}

/** One GetStage per work item, shared by every stage check. */
export function loadStage(
  context: StageContext,
): Promise<{ identity: StageIdentity; stage: GetStageCommandOutput }> {
  return context.memo(`stage:${context.resource.logicalId}:${context.resource.physicalId}`, async () => {
    const identity = await stageIdentity(context);
    const stage = await context.clients.apiGateway.send(new GetStageCommand(identity));
    return { identity, stage };
  });
}
