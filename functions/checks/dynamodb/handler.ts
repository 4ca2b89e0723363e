import { makeFamilyHandler } from '../run.ts';
import { createDynamoDbClients, type DynamoDbClients } from './clients.ts';
import { dynamodbAutoscalingEnabled } from './dynamodb-autoscaling-enabled.ts';
import { dynamodbPitrEnabled } from './dynamodb-pitr-enabled.ts';
import { dynamodbResourcesProtectedByBackupPlan } from './dynamodb-resources-protected-by-backup-plan.ts';
import { dynamodbTableDeletionProtectionEnabled } from './dynamodb-table-deletion-protection-enabled.ts';
import { dynamodbTableEncryptedKms } from './dynamodb-table-encrypted-kms.ts';
import { dynamodbThroughputLimitCheck } from './dynamodb-throughput-limit-check.ts';

/** Rules of the dynamodb family, by check id (the inventory test pins this against the registry). */
export const rules = {
  'dynamodb-table-encrypted-kms': dynamodbTableEncryptedKms,
  'dynamodb-pitr-enabled': dynamodbPitrEnabled,
  'dynamodb-resources-protected-by-backup-plan': dynamodbResourcesProtectedByBackupPlan,
  'dynamodb-autoscaling-enabled': dynamodbAutoscalingEnabled,
  'dynamodb-throughput-limit-check': dynamodbThroughputLimitCheck,
  'dynamodb-table-deletion-protection-enabled': dynamodbTableDeletionProtectionEnabled,
};

export const makeHandler = (clients: DynamoDbClients) => makeFamilyHandler('dynamodb', rules, clients);

export const handler = makeHandler(createDynamoDbClients());
