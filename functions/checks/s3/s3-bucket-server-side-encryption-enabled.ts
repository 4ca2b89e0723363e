import type { CheckRule } from '../types.ts';
import { bucketEncryptionRules } from './bucket-facts.ts';
import type { S3Clients } from './clients.ts';

const SSE_ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

/** PASS when a default-encryption rule applies AES256, aws:kms or aws:kms:dsse. */
export const s3BucketServerSideEncryptionEnabled: CheckRule<S3Clients> = async (context) => {
  const rules = await bucketEncryptionRules(context);
  if (!rules) return { status: 'FAIL', message: 'no default encryption configuration' };
  const algorithms = rules.map((rule) => rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? 'none');
  const applied = algorithms.find((algorithm) => SSE_ALGORITHMS.has(algorithm));
  if (!applied) {
    return {
      status: 'FAIL',
      message: 'no default encryption rule applies a known algorithm',
      evidence: { SSEAlgorithms: algorithms },
    };
  }
  return {
    status: 'PASS',
    message: `default encryption is ${applied}`,
    evidence: { SSEAlgorithms: algorithms },
  };
};
