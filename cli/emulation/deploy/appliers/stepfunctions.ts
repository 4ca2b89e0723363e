/** stepfunctions: the configuration moto's CloudFormation ignores, applied through the service API (table in ../index.ts). */
import { UpdateStateMachineCommand } from '@aws-sdk/client-sfn';
import type { ApplyContext } from '../context.ts';
import { isRecord, list, number, text, truthy } from '../values.ts';

export async function applyStateMachine(context: ApplyContext, logicalId: string) {
  const logging = context.property(logicalId, 'LoggingConfiguration');
  const tracing = context.property(logicalId, 'TracingConfiguration');
  const encryption = context.property(logicalId, 'EncryptionConfiguration');
  if (!isRecord(logging) && !isRecord(tracing) && !isRecord(encryption)) return;
  await context.clients.sfn.send(
    new UpdateStateMachineCommand({
      stateMachineArn: context.physicalId(logicalId),
      loggingConfiguration: isRecord(logging)
        ? {
            level: text(logging.Level) as 'ALL',
            includeExecutionData:
              logging.IncludeExecutionData === undefined ? undefined : truthy(logging.IncludeExecutionData),
            destinations: list(logging.Destinations)
              .filter(isRecord)
              .map((destination) => ({
                cloudWatchLogsLogGroup: {
                  logGroupArn: isRecord(destination.CloudWatchLogsLogGroup)
                    ? text(destination.CloudWatchLogsLogGroup.LogGroupArn)
                    : undefined,
                },
              })),
          }
        : undefined,
      tracingConfiguration: isRecord(tracing) ? { enabled: truthy(tracing.Enabled) } : undefined,
      encryptionConfiguration: isRecord(encryption)
        ? {
            type: text(encryption.Type) as 'AWS_OWNED_KEY',
            kmsKeyId: text(encryption.KmsKeyId),
            kmsDataKeyReusePeriodSeconds: number(encryption.KmsDataKeyReusePeriodSeconds),
          }
        : undefined,
    }),
  );
  const parts = [
    isRecord(logging) ? `logging ${text(logging.Level)}` : undefined,
    isRecord(tracing) ? `tracing ${truthy(tracing.Enabled) ? 'on' : 'off'}` : undefined,
    isRecord(encryption) ? `encryption ${text(encryption.Type)}` : undefined,
  ].filter(Boolean);
  context.applied(logicalId, parts.join(', '));
}
