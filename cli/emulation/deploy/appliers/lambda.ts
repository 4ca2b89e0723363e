/** lambda: the configuration moto's CloudFormation ignores, applied through the service API (table in ../index.ts). */
import { GetFunctionCommand, TagResourceCommand } from '@aws-sdk/client-lambda';
import type { CfnResource } from '../../template.ts';
import type { ApplyContext } from '../context.ts';

export const FUNCTION_PROPERTIES_NOT_APPLIED = ['DeadLetterConfig', 'LoggingConfig', 'KmsKeyArn'];

export async function applyFunction(context: ApplyContext, logicalId: string, resource: CfnResource) {
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
