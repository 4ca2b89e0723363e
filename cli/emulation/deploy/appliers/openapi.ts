/**
 * REST and HTTP APIs defined by an OpenAPI document (`Body` or `BodyS3Location`: what SAM, CDK's
 * SpecRestApi and hand-written OpenAPI templates make). CloudFormation imports the document into the
 * API; moto's CloudFormation ignores it, and cannot deploy a REST API without methods
 * (NoMethodDefined), so the helper imports the document's paths, methods (routes) and integrations
 * through the API, with the authorization the document gives them (moto's own imports take
 * OpenAPI 3 only, SAM writes Swagger 2.0 for REST APIs, and drop authorization), then creates a REST
 * API's Deployments itself.
 *
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-restapi.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
 */

import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateIntegrationCommand, CreateRouteCommand } from '@aws-sdk/client-apigatewayv2';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { parse as parseYaml } from 'yaml';
import type { CfnResource, CfnTemplate } from '../../template.ts';
import type { ApplyContext } from '../context.ts';
import { isRecord, list, text } from '../values.ts';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const ANY_METHOD = 'x-amazon-apigateway-any-method';

/** True for a REST API whose methods come from an OpenAPI document. */
export function isOpenApiRestApi(resource: CfnResource | undefined): boolean {
  return (
    resource?.Type === 'AWS::ApiGateway::RestApi' &&
    (resource.Properties?.Body !== undefined || resource.Properties?.BodyS3Location !== undefined)
  );
}

function refTarget(value: unknown): string | undefined {
  return isRecord(value) && typeof value.Ref === 'string' ? value.Ref : undefined;
}

/** The Deployments of OpenAPI-defined APIs: moto's CloudFormation cannot create them, applyOpenApiDeployment does. */
export function openApiDeployments(template: CfnTemplate): string[] {
  return Object.entries(template.Resources)
    .filter(
      ([, resource]) =>
        resource.Type === 'AWS::ApiGateway::Deployment' &&
        isOpenApiRestApi(template.Resources[refTarget(resource.Properties?.RestApiId) ?? '']),
    )
    .map(([logicalId]) => logicalId);
}

/** What moto's CloudFormation needs of an OpenAPI-defined API: a Name (CloudFormation takes info.title). */
export function adaptOpenApiRestApi(logicalId: string, properties: Record<string, unknown>): void {
  if (properties.Name !== undefined) return;
  const info = isRecord(properties.Body) && isRecord(properties.Body.info) ? properties.Body.info : undefined;
  properties.Name = info?.title ?? logicalId;
}

async function openApiDocument(context: ApplyContext, logicalId: string): Promise<Record<string, unknown>> {
  const body = context.property(logicalId, 'Body');
  if (isRecord(body)) return body;
  if (typeof body === 'string') return parseYaml(body) as Record<string, unknown>;
  const location = context.property(logicalId, 'BodyS3Location');
  if (!isRecord(location)) return {};
  const object = await context.clients.s3.send(
    new GetObjectCommand({
      Bucket: text(location.Bucket),
      Key: text(location.Key),
      VersionId: text(location.Version ?? location.Etag),
    }),
  );
  return parseYaml((await object.Body?.transformToString()) ?? '{}') as Record<string, unknown>;
}

/** The authorizationType CloudFormation's import gives a method, from its security requirements. */
function authorizationOf(
  document: Record<string, unknown>,
  operation: Record<string, unknown>,
): { authorizationType: string; apiKeyRequired: boolean } {
  const schemes = {
    ...(isRecord(document.securityDefinitions) ? document.securityDefinitions : {}),
    ...(isRecord(document.components) && isRecord(document.components.securitySchemes)
      ? document.components.securitySchemes
      : {}),
  };
  const requirements = list(operation.security ?? document.security).filter(isRecord);
  let authorizationType = 'NONE';
  let apiKeyRequired = false;
  for (const name of requirements.flatMap((requirement) => Object.keys(requirement))) {
    const scheme = schemes[name];
    if (!isRecord(scheme)) continue;
    const authType = text(scheme['x-amazon-apigateway-authtype'])?.toLowerCase();
    const authorizer = isRecord(scheme['x-amazon-apigateway-authorizer'])
      ? scheme['x-amazon-apigateway-authorizer']
      : undefined;
    if (authType === 'awssigv4') authorizationType = 'AWS_IAM';
    else if (authType === 'cognito_user_pools' || text(authorizer?.type) === 'cognito_user_pools') {
      authorizationType = 'COGNITO_USER_POOLS';
    } else if (text(authorizer?.type)?.toLowerCase() === 'jwt') authorizationType = 'JWT';
    else if (authorizer) authorizationType = 'CUSTOM';
    else if (text(scheme.type) === 'apiKey' && text(scheme.name)?.toLowerCase() === 'x-api-key') {
      apiKeyRequired = true;
    }
  }
  return { authorizationType, apiKeyRequired };
}

/** Imports the API's OpenAPI paths: resources, methods (with their authorization) and integrations. */
export async function applyOpenApiBody(context: ApplyContext, logicalId: string, resource: CfnResource) {
  if (!isOpenApiRestApi(resource)) return;
  const restApiId = context.physicalId(logicalId);
  const document = await openApiDocument(context, logicalId);
  const { apiGateway } = context.clients;
  const existing = await apiGateway.send(new GetResourcesCommand({ restApiId, limit: 500 }));
  const idByPath = new Map((existing.items ?? []).map((item) => [item.path ?? '', item.id ?? '']));
  const resourceFor = async (path: string): Promise<string> => {
    const known = idByPath.get(path);
    if (known) return known;
    const cut = path.lastIndexOf('/');
    const parentId = await resourceFor(cut <= 0 ? '/' : path.slice(0, cut));
    const created = await apiGateway.send(
      new CreateResourceCommand({ restApiId, parentId, pathPart: path.slice(cut + 1) }),
    );
    idByPath.set(path, created.id ?? '');
    return created.id ?? '';
  };
  let methods = 0;
  for (const [path, item] of Object.entries(isRecord(document.paths) ? document.paths : {})) {
    if (!isRecord(item)) continue;
    const resourceId = await resourceFor(path === '' ? '/' : path.replace(/\/+$/, '') || '/');
    for (const [key, operation] of Object.entries(item)) {
      const httpMethod =
        key === ANY_METHOD ? 'ANY' : HTTP_METHODS.includes(key) ? key.toUpperCase() : undefined;
      if (!httpMethod || !isRecord(operation)) continue;
      await apiGateway.send(
        new PutMethodCommand({ restApiId, resourceId, httpMethod, ...authorizationOf(document, operation) }),
      );
      methods += 1;
      const integration = operation['x-amazon-apigateway-integration'];
      if (!isRecord(integration)) continue;
      await apiGateway.send(
        new PutIntegrationCommand({
          restApiId,
          resourceId,
          httpMethod,
          type: (text(integration.type) ?? 'mock').toUpperCase() as 'AWS_PROXY',
          integrationHttpMethod: text(integration.httpMethod),
          uri: text(integration.uri),
        }),
      );
    }
  }
  context.applied(logicalId, `OpenAPI body imported (${idByPath.size - 1} resources, ${methods} methods)`);
}

/** Creates a Deployment of an OpenAPI-defined API once its methods exist (moto's CloudFormation cannot). */
export async function applyOpenApiDeployment(context: ApplyContext, logicalId: string) {
  if (context.resolver.physicalId(logicalId)) return;
  const restApiLogicalId = refTarget(context.resolver.template.Resources[logicalId]?.Properties?.RestApiId);
  if (!isOpenApiRestApi(context.resolver.template.Resources[restApiLogicalId ?? ''])) return;
  const restApiId = context.requiredText(logicalId, 'RestApiId');
  const deployment = await context.clients.apiGateway.send(
    new CreateDeploymentCommand({
      restApiId,
      description: text(context.property(logicalId, 'Description')),
      stageName: text(context.property(logicalId, 'StageName')),
    }),
  );
  context.created(logicalId, 'AWS::ApiGateway::Deployment', deployment.id ?? '');
  context.applied(logicalId, `deployment of ${restApiLogicalId} created through the API`);
}

/**
 * An HTTP API defined by an OpenAPI document (what SAM's AWS::Serverless::HttpApi and HttpApi events
 * make): the helper creates the API (apigatewayv2.ts), then its routes, each with the integration and
 * the authorization type the document gives it; `$default` is the catch-all route.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html
 */
export async function applyOpenApiHttpBody(context: ApplyContext, logicalId: string, resource: CfnResource) {
  const properties = resource.Properties ?? {};
  if (properties.Body === undefined && properties.BodyS3Location === undefined) return;
  const ApiId = context.physicalId(logicalId);
  const document = await openApiDocument(context, logicalId);
  const { apiGatewayV2 } = context.clients;
  let routes = 0;
  for (const [path, item] of Object.entries(isRecord(document.paths) ? document.paths : {})) {
    if (!isRecord(item)) continue;
    for (const [key, operation] of Object.entries(item)) {
      const method = key === ANY_METHOD ? 'ANY' : HTTP_METHODS.includes(key) ? key.toUpperCase() : undefined;
      if (!method || !isRecord(operation)) continue;
      const integration = operation['x-amazon-apigateway-integration'];
      let target: string | undefined;
      if (isRecord(integration)) {
        const created = await apiGatewayV2.send(
          new CreateIntegrationCommand({
            ApiId,
            IntegrationType: (text(integration.type) ?? 'aws_proxy').toUpperCase() as 'AWS_PROXY',
            IntegrationMethod: text(integration.httpMethod),
            IntegrationUri: text(integration.uri),
            PayloadFormatVersion: text(integration.payloadFormatVersion),
          }),
        );
        target = `integrations/${created.IntegrationId}`;
      }
      const { authorizationType } = authorizationOf(document, operation);
      await apiGatewayV2.send(
        new CreateRouteCommand({
          ApiId,
          RouteKey: path === '/$default' && method === 'ANY' ? '$default' : `${method} ${path}`,
          AuthorizationType: (authorizationType === 'COGNITO_USER_POOLS'
            ? 'JWT'
            : authorizationType) as 'NONE',
          Target: target,
        }),
      );
      routes += 1;
    }
  }
  context.applied(logicalId, `OpenAPI body imported (${routes} routes)`);
}
