import { listParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { SnsClients } from './clients.ts';
import { topicAttributes } from './topic-attributes.ts';

/** A key id, key ARN, alias or alias ARN names the same key when one ends with the other. */
function sameKey(configured: string, allowed: string): boolean {
  if (configured === allowed) return true;
  const [longer, shorter] =
    configured.length > allowed.length ? [configured, allowed] : [allowed, configured];
  return longer.endsWith(`/${shorter}`) || longer.endsWith(`:${shorter}`);
}

/** PASS when the topic has a KMS key (alias/aws/sns counts), which must be one of `kmsKeyIds` when given. */
export const snsEncryptedKms: CheckRule<SnsClients> = async (context) => {
  const { KmsMasterKeyId } = await topicAttributes(context);
  if (!KmsMasterKeyId) return { status: 'FAIL', message: 'the topic is not encrypted with a KMS key' };
  const allowed = listParam(context.params.kmsKeyIds);
  if (allowed.length > 0 && !allowed.some((key) => sameKey(KmsMasterKeyId, key))) {
    return {
      status: 'FAIL',
      message: `the topic uses KMS key ${KmsMasterKeyId}, which is not one of the allowed keys`,
      evidence: { KmsMasterKeyId },
    };
  }
  return {
    status: 'PASS',
    message: `encrypted with KMS key ${KmsMasterKeyId}`,
    evidence: { KmsMasterKeyId },
  };
};
