/** dynamodb: the configuration moto's CloudFormation ignores, applied through the service API (table in ../index.ts). */
import { UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import type { ApplyContext } from '../context.ts';
import { isRecord, number, truthy } from '../values.ts';

export async function applyTable(context: ApplyContext, logicalId: string) {
  const TableName = context.physicalId(logicalId);
  const pitr = context.property(logicalId, 'PointInTimeRecoverySpecification');
  if (isRecord(pitr) && pitr.PointInTimeRecoveryEnabled !== undefined) {
    const enabled = truthy(pitr.PointInTimeRecoveryEnabled);
    await context.clients.dynamoDb.send(
      new UpdateContinuousBackupsCommand({
        TableName,
        PointInTimeRecoverySpecification: {
          PointInTimeRecoveryEnabled: enabled,
          RecoveryPeriodInDays: number(pitr.RecoveryPeriodInDays),
        },
      }),
    );
    context.applied(logicalId, `point-in-time recovery ${enabled ? 'enabled' : 'disabled'}`);
  }
  if (truthy(context.property(logicalId, 'SSESpecification.SSEEnabled'))) {
    context.applied(logicalId, 'SSE with KMS (SSESpecification.Enabled in the template sent to moto)');
  }
}
