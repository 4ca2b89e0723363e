import type { SQSClient } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../../shared/clients.ts';

/** The clients the SQS checks use; tests hand in clients pointed at the emulator or a named mock. */
export interface SqsClients {
  readonly sqs: SQSClient;
}

export function createSqsClients(): SqsClients {
  return { sqs: createSqsClient() };
}
