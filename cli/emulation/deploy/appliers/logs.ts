/** logs: the configuration moto's CloudFormation ignores, applied through the service API (table in ../index.ts). */
import type { ApplyContext } from '../context.ts';

export async function applyLogGroup(context: ApplyContext, logicalId: string) {
  const key = context.property(logicalId, 'KmsKeyId');
  if (key !== undefined) context.applied(logicalId, `KMS key ${key} (kmsKeyId in the template sent to moto)`);
}
