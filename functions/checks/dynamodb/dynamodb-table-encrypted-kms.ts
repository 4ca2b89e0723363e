import { listParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { DynamoDbClients } from './clients.ts';
import { describeTable } from './table-facts.ts';

const ACTIVE_SSE_STATUSES = new Set(['ENABLED', 'UPDATING']);

/** PASS when the table is encrypted with a KMS key (one of `kmsKeyArns`, when given). */
export const dynamodbTableEncryptedKms: CheckRule<DynamoDbClients> = async (context) => {
  const table = await describeTable(context, context.resource.physicalId);
  const sse = table.SSEDescription;
  if (!sse) {
    return {
      status: 'FAIL',
      message: 'the table uses the AWS owned key, not a KMS key the account controls',
      evidence: { SSEDescription: null },
    };
  }
  const evidence = { SSEType: sse.SSEType, Status: sse.Status, KMSMasterKeyArn: sse.KMSMasterKeyArn };
  if (sse.SSEType !== 'KMS' || !ACTIVE_SSE_STATUSES.has(sse.Status ?? '')) {
    return {
      status: 'FAIL',
      message: `server-side encryption is ${sse.SSEType ?? 'of no type'} with status ${sse.Status ?? 'unknown'}`,
      evidence,
    };
  }
  const allowedKeys = listParam(context.params.kmsKeyArns);
  if (allowedKeys.length > 0 && !allowedKeys.includes(sse.KMSMasterKeyArn ?? '')) {
    return {
      status: 'FAIL',
      message: `the table is encrypted with ${sse.KMSMasterKeyArn ?? 'an unnamed key'}, which is not in kmsKeyArns`,
      evidence: { ...evidence, kmsKeyArns: allowedKeys },
    };
  }
  return { status: 'PASS', message: `the table is encrypted with KMS key ${sse.KMSMasterKeyArn}`, evidence };
};
