import type { KMSClient } from '@aws-sdk/client-kms';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createKmsClient, createSecretsManagerClient } from '../../shared/clients.ts';

/** The clients the Secrets Manager checks use; tests hand in clients pointed at the emulator or a named mock. */
export interface SecretsManagerClients {
  readonly secretsManager: SecretsManagerClient;
  /** Tells an AWS managed key from a customer managed one (DescribeKey). */
  readonly kms: KMSClient;
}

export function createSecretsManagerClients(): SecretsManagerClients {
  return { secretsManager: createSecretsManagerClient(), kms: createKmsClient() };
}
