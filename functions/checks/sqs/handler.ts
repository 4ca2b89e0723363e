import { makeFamilyHandler } from '../run.ts';
import { createSqsClients, type SqsClients } from './clients.ts';
import { sqsQueueDlqCheck } from './sqs-queue-dlq-check.ts';
import { sqsQueueEncrypted } from './sqs-queue-encrypted.ts';
import { sqsQueueNoPublicAccess } from './sqs-queue-no-public-access.ts';
import { sqsQueueSslRequestsOnly } from './sqs-queue-ssl-requests-only.ts';

/** Rules of the sqs family, by check id (the inventory test pins this against the registry). */
export const rules = {
  'sqs-queue-encrypted': sqsQueueEncrypted,
  'sqs-queue-no-public-access': sqsQueueNoPublicAccess,
  'sqs-queue-dlq-check': sqsQueueDlqCheck,
  'sqs-queue-ssl-requests-only': sqsQueueSslRequestsOnly,
};

export const makeHandler = (clients: SqsClients) => makeFamilyHandler('sqs', rules, clients);

export const handler = makeHandler(createSqsClients());
