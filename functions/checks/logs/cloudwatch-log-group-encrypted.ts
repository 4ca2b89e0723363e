import { textParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { LogsClients } from './clients.ts';
import { describeLogGroup } from './log-group-facts.ts';

/** PASS when the group is encrypted with a KMS key (the one in `KmsKeyId`, when given). */
export const cloudwatchLogGroupEncrypted: CheckRule<LogsClients> = async (context) => {
  const { params, resource } = context;
  const logGroup = await describeLogGroup(context, resource.physicalId);
  if (!logGroup) return { status: 'ERROR', message: `log group ${resource.physicalId} does not exist` };
  const keyId = logGroup.kmsKeyId;
  if (!keyId) {
    return {
      status: 'FAIL',
      message: 'the log group is encrypted with a service-owned key, not a KMS key the account controls',
      evidence: { kmsKeyId: null },
    };
  }
  const required = textParam(params.KmsKeyId);
  if (required !== undefined && keyId !== required) {
    return {
      status: 'FAIL',
      message: `the log group is encrypted with ${keyId}, not with ${required}`,
      evidence: { kmsKeyId: keyId, KmsKeyId: required },
    };
  }
  return {
    status: 'PASS',
    message: `the log group is encrypted with ${keyId}`,
    evidence: { kmsKeyId: keyId },
  };
};
