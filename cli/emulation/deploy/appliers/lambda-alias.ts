/**
 * Lambda aliases (what SAM's AutoPublishAlias and every CodeDeploy-shifted function have). moto's
 * CloudFormation does not create AWS::Lambda::Alias, and a Permission or EventSourceMapping on an
 * alias then fails the whole CreateStack (its Ref resolves to nothing). So those are left out of
 * CreateStack, every other Ref to an alias is sent as the alias ARN (what Ref returns), and after
 * the stack exists the helper creates the aliases, then their permissions and event source mappings,
 * through the Lambda API. An alias's UpdatePolicy (CodeDeploy traffic shifting) has no emulator:
 * the CodeDeploy stand-in gates deployments instead; it is reported in notApplied.
 *
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-alias.html
 */
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
  paginateListVersionsByFunction,
} from '@aws-sdk/client-lambda';
import type { CfnResource, CfnTemplate } from '../../template.ts';
import type { ApplyContext } from '../context.ts';
import { coerce, isRecord, text } from '../values.ts';

const ALIAS = 'AWS::Lambda::Alias';
const DEFERRED_TYPES = new Set(['AWS::Lambda::Permission', 'AWS::Lambda::EventSourceMapping']);

function refTarget(value: unknown): string | undefined {
  return isRecord(value) && typeof value.Ref === 'string' ? value.Ref : undefined;
}

/** The alias a Permission or EventSourceMapping is attached to, if its FunctionName is a Ref to one. */
function aliasTarget(template: CfnTemplate, resource: CfnResource): string | undefined {
  const target = refTarget(resource.Properties?.FunctionName);
  return target && template.Resources[target]?.Type === ALIAS ? target : undefined;
}

/** Permissions and event source mappings on aliases: left out of CreateStack, created by the appliers. */
export function aliasDependents(template: CfnTemplate): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => DEFERRED_TYPES.has(resource.Type) && aliasTarget(template, resource))
    .map(([logicalId]) => logicalId);
}

/** What Ref returns for an alias, as an expression moto resolves: the alias ARN. */
function aliasArn(alias: CfnResource): unknown {
  const functionName = alias.Properties?.FunctionName;
  const name = text(alias.Properties?.Name) ?? '';
  const target = refTarget(functionName);
  const functionPart = target ? `\${${target}}` : (text(functionName) ?? '');
  return {
    'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${functionPart}:${name}`,
  };
}

/** Replaces every Ref to an alias in the template sent to moto with the alias ARN. */
export function refAliasesByArn(template: CfnTemplate): void {
  const aliases = new Map(
    Object.entries(template.Resources).filter(([, resource]) => resource.Type === ALIAS),
  );
  if (aliases.size === 0) return;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!isRecord(value)) return value;
    const target = refTarget(value);
    const alias = target ? aliases.get(target) : undefined;
    if (alias) return aliasArn(alias);
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewrite(item)]));
  };
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    template.Resources[logicalId] = rewrite(resource) as CfnResource;
  }
  if (template.Outputs) (template as { Outputs?: unknown }).Outputs = rewrite(template.Outputs);
}

/** The version an alias points at: a number, or the one moto published for `GetAtt <Version>.Version`. */
async function aliasVersion(context: ApplyContext, logicalId: string, functionName: string): Promise<string> {
  const declared = context.resolver.template.Resources[logicalId]?.Properties?.FunctionVersion;
  const getAtt = isRecord(declared) ? declared['Fn::GetAtt'] : undefined;
  if (!Array.isArray(getAtt) || getAtt[1] !== 'Version')
    return context.requiredText(logicalId, 'FunctionVersion');
  let latest = 0;
  for await (const page of paginateListVersionsByFunction(
    { client: context.clients.lambda },
    { FunctionName: functionName },
  )) {
    for (const version of page.Versions ?? []) {
      const number = Number(version.Version);
      if (Number.isInteger(number) && number > latest) latest = number;
    }
  }
  return latest > 0 ? String(latest) : '$LATEST';
}

export async function applyAlias(context: ApplyContext, logicalId: string, resource: CfnResource) {
  const functionName = context.requiredText(logicalId, 'FunctionName');
  const name = context.requiredText(logicalId, 'Name');
  const alias = await context.clients.lambda.send(
    new CreateAliasCommand({
      FunctionName: functionName,
      Name: name,
      FunctionVersion: await aliasVersion(context, logicalId, functionName),
      Description: text(context.property(logicalId, 'Description')),
    }),
  );
  context.created(logicalId, ALIAS, alias.AliasArn ?? `${functionName}:${name}`);
  context.applied(logicalId, `alias ${name} → version ${alias.FunctionVersion} created through the API`);
  if (isRecord(resource.UpdatePolicy)) {
    context.notApplied(logicalId, `UpdatePolicy ${Object.keys(resource.UpdatePolicy).join(', ')}`);
  }
}

/** A Permission or EventSourceMapping on an alias, once the alias exists. */
export async function applyAliasDependent(context: ApplyContext, logicalId: string, resource: CfnResource) {
  const alias = aliasTarget(context.resolver.template, resource);
  if (!alias) return;
  const aliasArnValue = context.physicalId(alias);
  const { lambda } = context.clients;
  if (resource.Type === 'AWS::Lambda::Permission') {
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: aliasArnValue,
        StatementId: logicalId,
        Action: context.requiredText(logicalId, 'Action'),
        Principal: context.requiredText(logicalId, 'Principal'),
        SourceArn: text(context.property(logicalId, 'SourceArn')),
        SourceAccount: text(context.property(logicalId, 'SourceAccount')),
        PrincipalOrgID: text(context.property(logicalId, 'PrincipalOrgID')),
        EventSourceToken: text(context.property(logicalId, 'EventSourceToken')),
        FunctionUrlAuthType: text(context.property(logicalId, 'FunctionUrlAuthType')) as 'NONE',
      }),
    );
    context.created(logicalId, resource.Type, logicalId);
  } else {
    const properties = coerce(
      context.resolver.resolve(resource.Properties ?? {}, `${logicalId}.Properties`),
      new Set([
        'BatchSize',
        'MaximumBatchingWindowInSeconds',
        'MaximumRetryAttempts',
        'ParallelizationFactor',
      ]),
      new Set(['Enabled', 'BisectBatchOnFunctionError']),
    ) as Record<string, unknown>;
    // CloudFormation's property names are the API's, save FunctionName (the alias ARN here) and
    // Tags (a list of Key/Value in CloudFormation, a map in the API).
    const { Tags: tags, ...rest } = properties;
    const mapping = await lambda.send(
      new CreateEventSourceMappingCommand({
        ...(rest as Partial<CreateEventSourceMappingCommandInput>),
        ...(Array.isArray(tags)
          ? {
              Tags: Object.fromEntries(
                tags.filter(isRecord).map((tag) => [String(tag.Key), String(tag.Value)]),
              ),
            }
          : {}),
        FunctionName: aliasArnValue,
      }),
    );
    context.created(logicalId, resource.Type, mapping.UUID ?? logicalId);
  }
  context.applied(logicalId, `${resource.Type.split('::')[2]} on alias ${alias} created through the API`);
}
