import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { listParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { SecretsManagerClients } from './clients.ts';
import { describeSecret } from './secret-facts.ts';

const AWS_MANAGED_ALIAS = 'alias/aws/secretsmanager';

/**
 * PASS when the secret is encrypted with a customer managed key (in `kmsKeyArns` when given). No
 * KmsKeyId, or the `aws/secretsmanager` key, is the AWS managed key
 * (https://docs.aws.amazon.com/config/latest/developerguide/secretsmanager-using-cmk.html).
 */
export const secretsmanagerUsingCmk: CheckRule<SecretsManagerClients> = async (context) => {
  const secret = await describeSecret(context);
  const keyId = secret.KmsKeyId;
  if (!keyId || keyId === AWS_MANAGED_ALIAS || keyId.endsWith(`:${AWS_MANAGED_ALIAS}`)) {
    return {
      status: 'FAIL',
      message: 'the secret is encrypted with the AWS managed key aws/secretsmanager',
      evidence: { KmsKeyId: keyId ?? null },
    };
  }
  const { KeyMetadata } = await context.memo(`kms-key:${keyId}`, () =>
    context.clients.kms.send(new DescribeKeyCommand({ KeyId: keyId })),
  );
  const evidence = { KmsKeyId: keyId, KeyArn: KeyMetadata?.Arn, KeyManager: KeyMetadata?.KeyManager };
  if (KeyMetadata?.KeyManager !== 'CUSTOMER') {
    return {
      status: 'FAIL',
      message: `key ${keyId} is not a customer managed key (KeyManager ${KeyMetadata?.KeyManager})`,
      evidence,
    };
  }
  const allowed = listParam(context.params.kmsKeyArns);
  if (allowed.length > 0 && !allowed.includes(String(KeyMetadata.Arn)) && !allowed.includes(keyId)) {
    return { status: 'FAIL', message: `key ${KeyMetadata.Arn} is not one of the allowed keys`, evidence };
  }
  return { status: 'PASS', message: `encrypted with customer managed key ${KeyMetadata.Arn}`, evidence };
};
