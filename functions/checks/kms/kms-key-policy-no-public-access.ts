import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { asList, isPublicStatement, parsePolicy } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { KmsClients } from './clients.ts';

/** PASS when no statement of the key's `default` policy is public. */
export const kmsKeyPolicyNoPublicAccess: CheckRule<KmsClients> = async ({ clients, resource }) => {
  // AWS fills in PolicyName when it is omitted; moto answers NotFoundException, so name it.
  const response = await clients.kms.send(
    new GetKeyPolicyCommand({ KeyId: resource.physicalId, PolicyName: 'default' }),
  );
  if (!response.Policy) throw new TypeError(`GetKeyPolicy returned no policy for ${resource.physicalId}`);
  const statements = parsePolicy(response.Policy).Statement;
  const publicStatements = statements
    .filter(isPublicStatement)
    .map((statement) => ({ sid: statement.Sid ?? '(no Sid)', actions: asList(statement.Action) }));
  if (publicStatements.length > 0) {
    return {
      status: 'FAIL',
      message: `the key policy grants access to anyone: ${publicStatements.map((s) => s.sid).join(', ')}`,
      evidence: { publicStatements },
    };
  }
  return {
    status: 'PASS',
    message: `none of ${statements.length} key policy statement(s) is public`,
    evidence: { statements: statements.length },
  };
};
