import { makeFamilyHandler } from '../run.ts';
import { createKmsClients, type KmsClients } from './clients.ts';
import { cmkBackingKeyRotationEnabled } from './cmk-backing-key-rotation-enabled.ts';
import { kmsCmkNotScheduledForDeletion } from './kms-cmk-not-scheduled-for-deletion.ts';
import { kmsKeyPolicyNoPublicAccess } from './kms-key-policy-no-public-access.ts';

/** Rules of the kms family, by check id (the inventory test pins this against the registry). */
export const rules = {
  'kms-key-policy-no-public-access': kmsKeyPolicyNoPublicAccess,
  'kms-cmk-not-scheduled-for-deletion': kmsCmkNotScheduledForDeletion,
  'cmk-backing-key-rotation-enabled': cmkBackingKeyRotationEnabled,
};

export const makeHandler = (clients: KmsClients) => makeFamilyHandler('kms', rules, clients);

export const handler = makeHandler(createKmsClients());
