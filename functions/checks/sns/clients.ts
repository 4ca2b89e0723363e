import type { SNSClient } from '@aws-sdk/client-sns';
import { createSnsClient } from '../../shared/clients.ts';

/** The clients the SNS checks use; tests hand in clients pointed at the emulator or a named mock. */
export interface SnsClients {
  readonly sns: SNSClient;
}

export function createSnsClients(): SnsClients {
  return { sns: createSnsClient() };
}
