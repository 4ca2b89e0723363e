import { DescribeContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import type { CheckRule } from '../types.ts';
import type { DynamoDbClients } from './clients.ts';

/** PASS when point-in-time recovery is ENABLED. */
export const dynamodbPitrEnabled: CheckRule<DynamoDbClients> = async ({ resource, clients }) => {
  const response = await clients.dynamoDb.send(
    new DescribeContinuousBackupsCommand({ TableName: resource.physicalId }),
  );
  const pitr = response.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  const status = pitr?.PointInTimeRecoveryStatus ?? 'DISABLED';
  if (status !== 'ENABLED') {
    return {
      status: 'FAIL',
      message: `point-in-time recovery is ${status}`,
      evidence: { PointInTimeRecoveryStatus: status },
    };
  }
  return {
    status: 'PASS',
    message: 'point-in-time recovery is ENABLED',
    evidence: { PointInTimeRecoveryStatus: status, RecoveryPeriodInDays: pitr?.RecoveryPeriodInDays },
  };
};
