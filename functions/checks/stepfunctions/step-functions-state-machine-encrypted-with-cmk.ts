import type { CheckRule } from '../types.ts';
import type { StepFunctionsClients } from './clients.ts';
import { describeStateMachineMetadata } from './state-machine.ts';

/** PASS when the machine is encrypted with a customer managed KMS key. */
export const stepFunctionsStateMachineEncryptedWithCmk: CheckRule<StepFunctionsClients> = async (context) => {
  const { encryptionConfiguration } = await describeStateMachineMetadata(context);
  const type = encryptionConfiguration?.type ?? 'AWS_OWNED_KEY';
  const kmsKeyId = encryptionConfiguration?.kmsKeyId;
  if (type !== 'CUSTOMER_MANAGED_KMS_KEY' || !kmsKeyId) {
    return {
      status: 'FAIL',
      message: `the state machine is encrypted with ${type === 'CUSTOMER_MANAGED_KMS_KEY' ? 'no named key' : 'an AWS owned key'}`,
      evidence: { type },
    };
  }
  return {
    status: 'PASS',
    message: `encrypted with customer managed key ${kmsKeyId}`,
    evidence: { type, kmsKeyId },
  };
};
