import { GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import type { CheckRule } from '../types.ts';
import type { KmsClients } from './clients.ts';
import { DELETION_STATES, describeKey } from './key-facts.ts';

/**
 * N/A unless the key is a customer managed symmetric key with KMS-generated material (imported,
 * HMAC, asymmetric and custom-key-store keys cannot rotate automatically); then PASS when rotation is on.
 */
export const cmkBackingKeyRotationEnabled: CheckRule<KmsClients> = async (context) => {
  const { clients, resource } = context;
  const key = await describeKey(context, resource.physicalId);
  const kind = { KeyManager: key.KeyManager, KeySpec: key.KeySpec, Origin: key.Origin };
  if (key.KeyManager !== 'CUSTOMER' || key.KeySpec !== 'SYMMETRIC_DEFAULT' || key.Origin !== 'AWS_KMS') {
    return {
      status: 'NOT_APPLICABLE',
      message: `automatic rotation does not apply to a ${key.KeyManager} ${key.KeySpec} key of origin ${key.Origin}`,
      evidence: kind,
    };
  }
  if (DELETION_STATES.has(key.KeyState ?? '')) {
    // KMS refuses GetKeyRotationStatus on such keys; kms-cmk-not-scheduled-for-deletion reports them.
    return {
      status: 'NOT_APPLICABLE',
      message: `the key is ${key.KeyState}, so rotation no longer matters`,
      evidence: { ...kind, KeyState: key.KeyState },
    };
  }
  const rotation = await clients.kms.send(new GetKeyRotationStatusCommand({ KeyId: resource.physicalId }));
  const enabled = rotation.KeyRotationEnabled === true;
  return {
    status: enabled ? 'PASS' : 'FAIL',
    message: enabled
      ? `automatic rotation is enabled${rotation.RotationPeriodInDays ? ` every ${rotation.RotationPeriodInDays} days` : ''}`
      : 'automatic key rotation is disabled',
    evidence: { ...kind, KeyRotationEnabled: enabled, RotationPeriodInDays: rotation.RotationPeriodInDays },
  };
};
