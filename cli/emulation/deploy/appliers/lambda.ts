/** lambda: the configuration moto's CloudFormation ignores, applied through the service API (table in ../index.ts). */
import type { CfnResource } from '../../template.ts';
import type { ApplyContext } from '../context.ts';

export const FUNCTION_PROPERTIES_NOT_APPLIED = ['DeadLetterConfig', 'LoggingConfig', 'KmsKeyArn'];

export async function applyFunction(context: ApplyContext, logicalId: string, resource: CfnResource) {
  const tracing = context.property(logicalId, 'TracingConfig.Mode');
  if (tracing !== undefined && tracing !== 'PassThrough')
    context.notApplied(logicalId, `TracingConfig ${tracing}`);
  for (const name of FUNCTION_PROPERTIES_NOT_APPLIED) {
    if (resource.Properties?.[name] !== undefined) context.notApplied(logicalId, name);
  }
}
