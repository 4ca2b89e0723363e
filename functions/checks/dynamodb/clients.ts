import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import type { BackupClient } from '@aws-sdk/client-backup';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAutoScalingClient, createBackupClient, createDynamoDbClient } from '../../shared/clients.ts';

/** The clients the DynamoDB checks use; tests hand in clients pointed at the emulator or a named mock. */
export interface DynamoDbClients {
  readonly dynamoDb: DynamoDBClient;
  readonly autoScaling: ApplicationAutoScalingClient;
  readonly backup: BackupClient;
}

export function createDynamoDbClients(): DynamoDbClients {
  return {
    dynamoDb: createDynamoDbClient(),
    autoScaling: createAutoScalingClient(),
    backup: createBackupClient(),
  };
}
