/**
 * apigatewayv2: moto's CloudFormation creates no HTTP or WebSocket API resources, so the helper
 * creates the API, its authorizers, routes and stages through the service API, in that order.
 */
import {
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  type ProtocolType,
} from '@aws-sdk/client-apigatewayv2';
import { TemplateResolveError } from '../../template.ts';
import type { ApplyContext } from '../context.ts';
import { isRecord, list, number, optionalBoolean, text } from '../values.ts';

/** A property that may name what the emulator does not hold (an integration, a VPC link): left out, and said. */
function optional(context: ApplyContext, logicalId: string, path: string): unknown {
  try {
    return context.property(logicalId, path);
  } catch (error) {
    if (!(error instanceof TemplateResolveError)) throw error;
    context.notApplied(logicalId, `${path} (${error.message})`);
    return undefined;
  }
}

export async function applyHttpApi(context: ApplyContext, logicalId: string) {
  const { apiGatewayV2 } = context.clients;
  const Name = text(context.property(logicalId, 'Name')) ?? context.generatedName(logicalId, 128);
  const ProtocolType = (text(context.property(logicalId, 'ProtocolType')) ?? 'HTTP') as ProtocolType;
  const { ApiId } = await apiGatewayV2.send(
    new CreateApiCommand({
      Name,
      ProtocolType,
      RouteSelectionExpression:
        text(context.property(logicalId, 'RouteSelectionExpression')) ??
        (ProtocolType === 'WEBSOCKET' ? '$request.body.action' : undefined),
      Description: text(context.property(logicalId, 'Description')),
    }),
  );
  const apiId = String(ApiId);
  context.created(logicalId, 'AWS::ApiGatewayV2::Api', apiId, () =>
    apiGatewayV2.send(new DeleteApiCommand({ ApiId: apiId })),
  );
  context.applied(logicalId, `${ProtocolType} API ${Name}`);
}

export async function applyHttpAuthorizer(context: ApplyContext, logicalId: string) {
  const ApiId = context.requiredText(logicalId, 'ApiId');
  const { AuthorizerId } = await context.clients.apiGatewayV2.send(
    new CreateAuthorizerCommand({
      ApiId,
      Name: text(context.property(logicalId, 'Name')) ?? logicalId,
      AuthorizerType: (text(context.property(logicalId, 'AuthorizerType')) ?? 'REQUEST') as never,
      AuthorizerUri: text(context.property(logicalId, 'AuthorizerUri')),
      IdentitySource: list(context.property(logicalId, 'IdentitySource')).map(String),
    }),
  );
  context.created(logicalId, 'AWS::ApiGatewayV2::Authorizer', String(AuthorizerId));
}

export async function applyHttpRoute(context: ApplyContext, logicalId: string) {
  const ApiId = context.requiredText(logicalId, 'ApiId');
  const RouteKey = context.requiredText(logicalId, 'RouteKey');
  const { RouteId } = await context.clients.apiGatewayV2.send(
    new CreateRouteCommand({
      ApiId,
      RouteKey,
      AuthorizationType: text(context.property(logicalId, 'AuthorizationType')) as never,
      AuthorizerId: text(optional(context, logicalId, 'AuthorizerId')),
      Target: text(optional(context, logicalId, 'Target')),
    }),
  );
  context.created(logicalId, 'AWS::ApiGatewayV2::Route', String(RouteId));
  context.applied(logicalId, `route ${RouteKey}`);
}

export async function applyHttpStage(context: ApplyContext, logicalId: string) {
  const ApiId = context.requiredText(logicalId, 'ApiId');
  const StageName = context.requiredText(logicalId, 'StageName');
  const logs = optional(context, logicalId, 'AccessLogSettings');
  const route = context.property(logicalId, 'DefaultRouteSettings');
  await context.clients.apiGatewayV2.send(
    new CreateStageCommand({
      ApiId,
      StageName,
      AutoDeploy: optionalBoolean(context.property(logicalId, 'AutoDeploy')),
      AccessLogSettings: isRecord(logs)
        ? { DestinationArn: text(logs.DestinationArn), Format: text(logs.Format) }
        : undefined,
      DefaultRouteSettings: isRecord(route)
        ? {
            ThrottlingBurstLimit: number(route.ThrottlingBurstLimit),
            ThrottlingRateLimit: number(route.ThrottlingRateLimit),
            DetailedMetricsEnabled: optionalBoolean(route.DetailedMetricsEnabled),
          }
        : undefined,
    }),
  );
  context.created(logicalId, 'AWS::ApiGatewayV2::Stage', StageName);
  context.applied(logicalId, `stage ${StageName}`);
}
