/** kms: the configuration moto's CloudFormation ignores, applied through the service API (table in ../index.ts). */
import { PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import type { CfnResource } from '../../template.ts';
import type { ApplyContext } from '../context.ts';
import { isRecord, policyText } from '../values.ts';

export async function applyKeyPolicy(context: ApplyContext, logicalId: string, resource: CfnResource) {
  if (!isRecord(resource.Properties?.KeyPolicy)) return;
  const policy = context.required(logicalId, 'KeyPolicy');
  await context.clients.kms.send(
    new PutKeyPolicyCommand({
      KeyId: context.physicalId(logicalId),
      PolicyName: 'default',
      Policy: policyText(policy),
    }),
  );
  context.applied(logicalId, 'key policy');
}
