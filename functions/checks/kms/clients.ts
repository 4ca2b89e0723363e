import type { KMSClient } from '@aws-sdk/client-kms';
import { createKmsClient } from '../../shared/clients.ts';

/** The clients the KMS checks use; tests hand in clients pointed at the emulator or a named mock. */
export interface KmsClients {
  readonly kms: KMSClient;
}

export function createKmsClients(): KmsClients {
  return { kms: createKmsClient() };
}
