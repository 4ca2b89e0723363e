/**
 * secretsmanager: moto's CloudFormation does not create AWS::SecretsManager::Secret (nor its
 * ResourcePolicy), so the helper creates them through the service API. A generated secret gets a
 * placeholder value (a test value, never a real secret); rotation schedules need the rotation Lambda
 * to run, which moto cannot do without Docker, so they are listed as not applied.
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-secrets-manager';
import type { ApplyContext } from '../context.ts';
import { policyText, text } from '../values.ts';

export async function applySecret(context: ApplyContext, logicalId: string) {
  const Name = text(context.property(logicalId, 'Name')) ?? context.generatedName(logicalId, 512);
  const { secretsManager } = context.clients;
  const { ARN } = await secretsManager.send(
    new CreateSecretCommand({
      Name,
      Description: text(context.property(logicalId, 'Description')),
      KmsKeyId: text(context.property(logicalId, 'KmsKeyId')),
      SecretString: text(context.property(logicalId, 'SecretString')) ?? 'fitgate-emulated-placeholder',
    }),
  );
  const arn = String(ARN);
  context.created(logicalId, 'AWS::SecretsManager::Secret', arn, () =>
    secretsManager.send(new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true })),
  );
  context.applied(logicalId, `secret ${Name}`);
}

export async function applySecretPolicy(context: ApplyContext, logicalId: string) {
  const SecretId = context.requiredText(logicalId, 'SecretId');
  await context.clients.secretsManager.send(
    new PutResourcePolicyCommand({
      SecretId,
      ResourcePolicy: policyText(context.required(logicalId, 'ResourcePolicy')),
    }),
  );
  context.created(logicalId, 'AWS::SecretsManager::ResourcePolicy', SecretId);
  context.applied(logicalId, `resource policy of ${SecretId}`);
}

export async function noteRotationSchedule(context: ApplyContext, logicalId: string) {
  context.notApplied(logicalId, 'RotationSchedule (moto runs the rotation Lambda only with Docker)');
}
