import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createLambdaClients } from '../../../functions/checks/lambda/clients.ts';
import { rules } from '../../../functions/checks/lambda/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTestFunction, functionResource } from '../../support/lambda-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'lambda-function-no-secrets-in-env';
const clients = createLambdaClients();
// Credential-shaped fixtures, built at run time so no scanner mistakes this file for a leak.
const ACCESS_KEY_ID = ['AKIA', 'Z7EXAMPLE0FITGATE'].join('').slice(0, 20);
const DB_PASSWORD = ['hunter', '2-but-longer'].join('');

const withEnvironment = (name: string, variables: Record<string, string>) =>
  createTestFunction(clients.lambda, name, { Environment: { Variables: variables } });

describe(`${CHECK} (moto)`, () => {
  it('passes a function without environment variables', async () => {
    await createTestFunction(clients.lambda, 'no-env');

    const result = await runCheck(CHECK, rules, clients, functionResource('no-env'));

    expect(result).toMatchObject({ status: 'PASS', message: 'the function has no environment variables' });
  });

  it('passes names, ARNs and references to secrets', async () => {
    await withEnvironment('references', {
      TABLE_NAME: 'orders',
      DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf',
      API_TOKEN_PARAMETER: '/fitgate/api-token',
      POWERTOOLS_SERVICE_NAME: 'orders',
      EMPTY_PASSWORD: '',
    });

    const result = await runCheck(CHECK, rules, clients, functionResource('references'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'none of 5 environment variable(s) looks like a secret',
    });
  });

  it('fails credential-shaped values and secret-named literals, naming variables but never values', async () => {
    await withEnvironment('leaky', {
      TABLE_NAME: 'orders',
      AWS_KEY: ACCESS_KEY_ID,
      DB_PASSWORD,
    });

    const result = await runCheck(CHECK, rules, clients, functionResource('leaky'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message:
        'environment variables look like secrets: AWS_KEY (aws-access-key-id), DB_PASSWORD (secret-named-literal)',
      evidence: {
        findings: [
          { key: 'AWS_KEY', kind: 'aws-access-key-id' },
          { key: 'DB_PASSWORD', kind: 'secret-named-literal' },
        ],
        variables: 3,
      },
    });
    const serialised = JSON.stringify(result);
    expect(serialised).not.toContain(ACCESS_KEY_ID);
    expect(serialised).not.toContain(DB_PASSWORD);
  });

  it('is an ERROR when the function does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, functionResource('missing-function'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('ResourceNotFoundException');
  });
});

describe(`${CHECK} (SDK mock: moto enforces no IAM)`, () => {
  it('is an ERROR naming lambda:GetFunctionConfiguration when access is denied', async () => {
    const lambda = new LambdaClient({});
    mockClient(lambda).on(GetFunctionConfigurationCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('lambda:GetFunctionConfiguration');
  });
});
