import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { MalformedDataError } from '../evaluators/malformed.ts';
import { type PublicDefinition, parsePolicy, publicGrants } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { KmsClients } from './clients.ts';

/**
 * kms:CallerAccount pins the caller to one account: AWS managed key policies grant `{"AWS":"*"}`
 * with kms:CallerAccount and kms:ViaService
 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account).
 */
export const KMS_PUBLIC_DEFINITION: PublicDefinition = { extraPinningKeys: ['kms:CallerAccount'] };

/** PASS when no statement of the key's `default` policy is public (evaluators/policy/public.ts). */
export const kmsKeyPolicyNoPublicAccess: CheckRule<KmsClients> = async ({ clients, resource }) => {
  // AWS fills in PolicyName when it is omitted; moto answers NotFoundException, so name it.
  const response = await clients.kms.send(
    new GetKeyPolicyCommand({ KeyId: resource.physicalId, PolicyName: 'default' }),
  );
  if (!response.Policy)
    throw new MalformedDataError(`GetKeyPolicy returned no policy for key ${resource.physicalId}`);
  const policy = parsePolicy(response.Policy, `the key policy of ${resource.physicalId}`);
  const publicStatements = publicGrants(policy, KMS_PUBLIC_DEFINITION);
  if (publicStatements.length > 0) {
    return {
      status: 'FAIL',
      message: `the key policy grants access to anyone: ${publicStatements.map((s) => `${s.statement} (${s.who})`).join(', ')}`,
      evidence: { publicStatements },
    };
  }
  return {
    status: 'PASS',
    message: `none of ${policy.statements.length} key policy statement(s) is public`,
    evidence: { statements: policy.statements.length },
  };
};
