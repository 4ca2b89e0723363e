/** apigateway: the configuration moto's CloudFormation ignores, applied through the service API (table in ../index.ts). */
import {
  CreateDeploymentCommand,
  type PatchOperation,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import type { ApplyContext } from '../context.ts';
import { isRecord, list, stringRecord, text, truthy } from '../values.ts';

export async function applyStage(context: ApplyContext, logicalId: string) {
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
export async function applyDeploymentStage(context: ApplyContext, logicalId: string) {
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

export const METHOD_SETTING_PATHS: Record<string, string> = {
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
export function stagePatches(settings: Record<string, unknown>): PatchOperation[] {
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

export function describePatches(patches: PatchOperation[]): string {
  return patches.map((patch) => `${patch.path}=${patch.value}`).join(', ');
}
