import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { isAwsError } from '../../shared/errors.ts';
import { listParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import { bucketEncryptionRules, type S3CheckContext } from './bucket-facts.ts';
import type { S3Clients } from './clients.ts';

const KMS_ALGORITHMS = new Set(['aws:kms', 'aws:kms:dsse']);
/** S3's answer when a KMS rule names no key. */
const AWS_MANAGED_S3_KEY = 'alias/aws/s3';

/** The key ARN behind a key id, key ARN or alias; `undefined` when no such key exists. */
function keyArnOf(context: S3CheckContext, keyId: string): Promise<string | undefined> {
  return context.memo(`kmsKeyArn:${keyId}`, async () => {
    try {
      const answer = await context.clients.kms.send(new DescribeKeyCommand({ KeyId: keyId }));
      return answer.KeyMetadata?.Arn;
    } catch (error) {
      if (isAwsError(error, 'NotFoundException')) return undefined;
      throw error;
    }
  });
}

/**
 * PASS when every default-encryption rule uses aws:kms or aws:kms:dsse, with a key from `kmsKeyArns`
 * when that list is set (an absent key id means the AWS managed aws/s3 key).
 */
export const s3DefaultEncryptionKms: CheckRule<S3Clients> = async (context) => {
  const rules = await bucketEncryptionRules(context);
  if (!rules) return { status: 'FAIL', message: 'no default encryption configuration' };
  const defaults = rules.map((rule) => rule.ApplyServerSideEncryptionByDefault);
  const algorithms = defaults.map((applied) => applied?.SSEAlgorithm ?? 'none');
  const notKms = algorithms.filter((algorithm) => !KMS_ALGORITHMS.has(algorithm));
  if (defaults.length === 0 || notKms.length > 0) {
    return {
      status: 'FAIL',
      message: `default encryption is ${notKms.join(', ') || 'empty'}, not KMS`,
      evidence: { SSEAlgorithms: algorithms },
    };
  }
  const allowed = listParam(context.params.kmsKeyArns);
  const keyIds = defaults.map((applied) => applied?.KMSMasterKeyID || AWS_MANAGED_S3_KEY);
  if (allowed.length === 0) {
    return {
      status: 'PASS',
      message: `default encryption is ${algorithms.join(', ')}`,
      evidence: { keyIds },
    };
  }
  for (const keyId of keyIds) {
    if (allowed.includes(keyId)) continue;
    const keyArn = await keyArnOf(context, keyId);
    if (keyArn === undefined) {
      return { status: 'FAIL', message: `KMS key ${keyId} does not exist`, evidence: { keyIds } };
    }
    if (!allowed.includes(keyArn)) {
      const which = keyId === AWS_MANAGED_S3_KEY ? 'the AWS managed aws/s3 key' : `key ${keyArn}`;
      return {
        status: 'FAIL',
        message: `default encryption uses ${which}, which is not in kmsKeyArns`,
        evidence: { keyIds, keyArn },
      };
    }
  }
  return { status: 'PASS', message: 'default encryption uses an allowed KMS key', evidence: { keyIds } };
};
