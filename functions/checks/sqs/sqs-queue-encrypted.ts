import type { CheckRule } from '../types.ts';
import type { SqsClients } from './clients.ts';
import { queueAttributes } from './queue-attributes.ts';

/** PASS when the queue uses a KMS key or SQS-managed server-side encryption. */
export const sqsQueueEncrypted: CheckRule<SqsClients> = async (context) => {
  const { KmsMasterKeyId, SqsManagedSseEnabled } = await queueAttributes(context);
  if (KmsMasterKeyId) {
    return {
      status: 'PASS',
      message: `encrypted with KMS key ${KmsMasterKeyId}`,
      evidence: { KmsMasterKeyId },
    };
  }
  if (SqsManagedSseEnabled === 'true') {
    return {
      status: 'PASS',
      message: 'encrypted with SQS-managed keys (SSE-SQS)',
      evidence: { SqsManagedSseEnabled },
    };
  }
  return {
    status: 'FAIL',
    message: 'the queue is not encrypted at rest',
    evidence: { SqsManagedSseEnabled: SqsManagedSseEnabled ?? 'absent' },
  };
};
