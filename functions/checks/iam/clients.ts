import type { IAMClient } from '@aws-sdk/client-iam';
import { createIamClient } from '../../shared/clients.ts';

/** The clients the IAM checks use; tests hand in clients pointed at the emulator or a named mock. */
export interface IamClients {
  readonly iam: IAMClient;
}

export function createIamClients(): IamClients {
  return { iam: createIamClient() };
}
