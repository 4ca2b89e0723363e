import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { createStackClients } from '../../../functions/checks/stack/clients.ts';
import { rules } from '../../../functions/checks/stack/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { stackResource } from '../../support/deployments.ts';

const CHECK = 'cloudformation-stack-outputs-no-secrets';
const clients = createStackClients();
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';

async function createStack(name: string, outputs: Record<string, string>): Promise<string> {
  const template = {
    Resources: { Queue: { Type: 'AWS::SQS::Queue' } },
    Outputs: Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { Value: value }])),
  };
  const { StackId } = await clients.cloudFormation.send(
    new CreateStackCommand({ StackName: name, TemplateBody: JSON.stringify(template) }),
  );
  return String(StackId);
}

describe(`${CHECK} (moto)`, () => {
  it('passes outputs that name resources and secret ARNs', async () => {
    const stackId = await createStack('clean-outputs', {
      ApiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/',
      DbSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf',
    });

    const result = await runCheck(CHECK, rules, clients, stackResource(stackId));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'none of the 2 stack outputs looks like a secret',
    });
  });

  it('passes a stack without outputs', async () => {
    const stackId = await createStack('no-outputs', {});

    const result = await runCheck(CHECK, rules, clients, stackResource(stackId));

    expect(result.status).toBe('PASS');
  });

  it('fails an access key and a password output, naming keys but not values', async () => {
    const stackId = await createStack('leaky-outputs', {
      DeployKey: ACCESS_KEY,
      AdminPassword: 'correct-horse-battery',
      BucketName: 'orders-bucket',
    });

    const result = await runCheck(CHECK, rules, clients, stackResource(stackId));

    expect(result.status).toBe('FAIL');
    expect(result.evidence).toEqual({
      findings: [
        { key: 'DeployKey', kind: 'aws-access-key-id' },
        { key: 'AdminPassword', kind: 'secret-named-literal' },
      ],
    });
    expect(JSON.stringify(result)).not.toContain(ACCESS_KEY);
    expect(JSON.stringify(result)).not.toContain('correct-horse');
  });

  it('is an ERROR when the stack does not exist', async () => {
    const result = await runCheck(
      CHECK,
      rules,
      clients,
      stackResource(
        'arn:aws:cloudformation:us-east-1:123456789012:stack/gone/00000000-0000-0000-0000-000000000001',
      ),
    );

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('ValidationError');
  });
});
