import { resourcePolicyPublicity } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { SecretsManagerClients } from './clients.ts';
import { secretPolicy } from './secret-facts.ts';

/**
 * PASS when the secret has no resource policy, or none of its statements is public by AWS's definition
 * (evaluators/policy/public.ts); Secrets Manager's own BlockPublicPolicy check applies the same idea
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html).
 */
export const secretsmanagerSecretNotPublic: CheckRule<SecretsManagerClients> = async (context) =>
  resourcePolicyPublicity(await secretPolicy(context), 'secret');
