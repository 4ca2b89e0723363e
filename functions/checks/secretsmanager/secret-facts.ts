/** One DescribeSecret and one GetResourcePolicy per work item; the physical id is the secret's ARN. */
import {
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  GetResourcePolicyCommand,
} from '@aws-sdk/client-secrets-manager';
import { type Policy, parsePolicy } from '../evaluators/policy.ts';
import type { CheckContext } from '../types.ts';
import type { SecretsManagerClients } from './clients.ts';

type SecretContext = Pick<CheckContext<SecretsManagerClients>, 'resource' | 'clients' | 'memo'>;

export function describeSecret({
  resource,
  clients,
  memo,
}: SecretContext): Promise<DescribeSecretCommandOutput> {
  return memo(`secret:${resource.physicalId}`, () =>
    clients.secretsManager.send(new DescribeSecretCommand({ SecretId: resource.physicalId })),
  );
}

/** The secret's resource policy, or undefined when it has none (GetResourcePolicy answers without one). */
export function secretPolicy({ resource, clients, memo }: SecretContext): Promise<Policy | undefined> {
  return memo(`secret-policy:${resource.physicalId}`, async () => {
    const { ResourcePolicy } = await clients.secretsManager.send(
      new GetResourcePolicyCommand({ SecretId: resource.physicalId }),
    );
    return ResourcePolicy
      ? parsePolicy(ResourcePolicy, `the resource policy of secret ${resource.physicalId}`)
      : undefined;
  });
}
