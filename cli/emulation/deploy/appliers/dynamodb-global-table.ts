/**
 * dynamodb: moto's CloudFormation does not create AWS::DynamoDB::GlobalTable (what CDK's TableV2
 * synthesizes), so the helper creates its replica in the stack's region as a table, with that
 * replica's point-in-time recovery, deletion protection and the table's encryption.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import type { ApplyContext } from '../context.ts';
import { isRecord, list, optionalBoolean, text, truthy } from '../values.ts';

export async function applyGlobalTable(context: ApplyContext, logicalId: string) {
  const TableName = text(context.property(logicalId, 'TableName')) ?? context.generatedName(logicalId);
  const region = String(context.resolver.resolve({ Ref: 'AWS::Region' }, `${logicalId}.Replicas`));
  const replica = list(context.property(logicalId, 'Replicas')).find(
    (item) => isRecord(item) && (item.Region === undefined || item.Region === region),
  ) as Record<string, unknown> | undefined;
  const sse = context.property(logicalId, 'SSESpecification');
  const replicaKey = isRecord(replica?.SSESpecification)
    ? text(replica.SSESpecification.KMSMasterKeyId)
    : undefined;
  const { dynamoDb } = context.clients;
  await dynamoDb.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: context.required(logicalId, 'AttributeDefinitions'),
      KeySchema: context.required(logicalId, 'KeySchema'),
      BillingMode: text(context.property(logicalId, 'BillingMode')) ?? 'PROVISIONED',
      GlobalSecondaryIndexes: context.property(logicalId, 'GlobalSecondaryIndexes'),
      StreamSpecification: context.property(logicalId, 'StreamSpecification'),
      DeletionProtectionEnabled: optionalBoolean(replica?.DeletionProtectionEnabled),
      ...(isRecord(sse) && truthy(sse.SSEEnabled)
        ? {
            SSESpecification: {
              Enabled: true,
              SSEType: text(sse.SSEType) ?? 'KMS',
              KMSMasterKeyId: replicaKey,
            },
          }
        : {}),
    } as CreateTableCommandInput),
  );
  context.created(logicalId, 'AWS::DynamoDB::GlobalTable', TableName, () =>
    dynamoDb.send(new DeleteTableCommand({ TableName })),
  );
  const pitr = isRecord(replica?.PointInTimeRecoverySpecification)
    ? truthy(replica.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled)
    : false;
  if (pitr) {
    await dynamoDb.send(
      new UpdateContinuousBackupsCommand({
        TableName,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
  }
  context.applied(logicalId, `global table ${TableName} (replica in ${region}${pitr ? ', PITR' : ''})`);
}
