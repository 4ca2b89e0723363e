/**
 * HTTP and WebSocket APIs (API Gateway v2). A Stage's physical id is its name, so its API comes from
 * the stack: the Stage's `ApiId` in the template (a literal id, or a Ref resolved through
 * ListStackResources); failing that, the one v2 API of the stack that has a stage of that name.
 */
import {
  GetApiCommand,
  type GetApiCommandOutput,
  GetRoutesCommand,
  GetStageCommand,
  type GetStageCommandOutput,
  type Route,
} from '@aws-sdk/client-apigatewayv2';
import { isAwsError } from '../../shared/errors.ts';
import { declaredReference, stackResources } from '../stack-lookup.ts';
import type { CheckContext } from '../types.ts';
import type { ApiGatewayClients } from './clients.ts';
import { StageApiNotFoundError } from './stage.ts';

const HTTP_STAGE = 'AWS::ApiGatewayV2::Stage';
const HTTP_API = 'AWS::ApiGatewayV2::Api';

type V2Context = Pick<CheckContext<ApiGatewayClients>, 'resource' | 'stack' | 'memo' | 'clients'>;

export type HttpStageIdentity = { readonly apiId: string; readonly stageName: string };

function apiIdFromTemplate(context: V2Context): Promise<string | undefined> | undefined {
  return context.resource.type === HTTP_STAGE ? declaredReference(context, 'ApiId') : undefined;
}

async function apiIdByStageName(context: V2Context, stageName: string): Promise<string> {
  const rows = await stackResources(context, context.stack.stackName);
  const apiIds = rows
    .filter((row) => row.ResourceType === HTTP_API && row.PhysicalResourceId)
    .map((row) => String(row.PhysicalResourceId));
  const matches: string[] = [];
  for (const apiId of apiIds) {
    try {
      await context.clients.apiGatewayV2.send(new GetStageCommand({ ApiId: apiId, StageName: stageName }));
      matches.push(apiId);
    } catch (error) {
      if (!isAwsError(error, 'NotFoundException')) throw error;
    }
  }
  if (matches.length === 1 && matches[0]) return matches[0];
  throw new StageApiNotFoundError(
    matches.length === 0
      ? `no HTTP or WebSocket API of stack ${context.stack.stackName} has a stage named ${stageName}`
      : `stage ${stageName} exists on several APIs of stack ${context.stack.stackName} (${matches.join(', ')}) and the template does not say which`,
  );
}

/** One GetStage per work item, shared by the v2 stage checks. */
export function loadHttpStage(
  context: V2Context,
): Promise<{ identity: HttpStageIdentity; stage: GetStageCommandOutput }> {
  const stageName = context.resource.physicalId;
  return context.memo(`http-stage:${context.resource.logicalId}:${stageName}`, async () => {
    const apiId = (await apiIdFromTemplate(context)) ?? (await apiIdByStageName(context, stageName));
    const stage = await context.clients.apiGatewayV2.send(
      new GetStageCommand({ ApiId: apiId, StageName: stageName }),
    );
    return { identity: { apiId, stageName }, stage };
  });
}

/** The API (its protocol) and every route of it, for the authorization check. */
export function loadHttpApi(context: V2Context): Promise<{ api: GetApiCommandOutput; routes: Route[] }> {
  const apiId = context.resource.physicalId;
  return context.memo(`http-api:${apiId}`, async () => {
    const api = await context.clients.apiGatewayV2.send(new GetApiCommand({ ApiId: apiId }));
    const routes: Route[] = [];
    let nextToken: string | undefined;
    do {
      const page = await context.clients.apiGatewayV2.send(
        new GetRoutesCommand({ ApiId: apiId, NextToken: nextToken }),
      );
      routes.push(...(page.Items ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return { api, routes };
  });
}
