import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createLambdaClients } from '../../../functions/checks/lambda/clients.ts';
import { rules } from '../../../functions/checks/lambda/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTestFunction, functionResource } from '../../support/lambda-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'lambda-function-xray-enabled';
const clients = createLambdaClients();

describe(`${CHECK} (moto)`, () => {
  it('passes active tracing', async () => {
    await createTestFunction(clients.lambda, 'traced', { TracingConfig: { Mode: 'Active' } });

    const result = await runCheck(CHECK, rules, clients, functionResource('traced'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'tracing mode is Active',
      evidence: { TracingMode: 'Active' },
    });
  });

  it('fails the default PassThrough mode', async () => {
    await createTestFunction(clients.lambda, 'untraced');

    const result = await runCheck(CHECK, rules, clients, functionResource('untraced'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'tracing mode is PassThrough' });
  });

  it('is an ERROR when the function does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, functionResource('missing-function'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('ResourceNotFoundException');
  });
});

describe(`${CHECK} (SDK mock: moto always returns TracingConfig and enforces no IAM)`, () => {
  it('fails a configuration without TracingConfig as PassThrough', async () => {
    const lambda = new LambdaClient({});
    mockClient(lambda).on(GetFunctionConfigurationCommand).resolves({ FunctionName: 'fn' });

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'tracing mode is PassThrough' });
  });

  it('is an ERROR naming lambda:GetFunctionConfiguration when access is denied', async () => {
    const lambda = new LambdaClient({});
    mockClient(lambda).on(GetFunctionConfigurationCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('lambda:GetFunctionConfiguration');
  });
});
