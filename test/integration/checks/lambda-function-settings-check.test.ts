import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createLambdaClients } from '../../../functions/checks/lambda/clients.ts';
import { rules } from '../../../functions/checks/lambda/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTestFunction, executionRoleArn, functionResource } from '../../support/lambda-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'lambda-function-settings-check';
const clients = createLambdaClients();

describe(`${CHECK} (moto)`, () => {
  it('passes a supported runtime with the registry defaults', async () => {
    await createTestFunction(clients.lambda, 'node22');

    const result = await runCheck(CHECK, rules, clients, functionResource('node22'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'runtime nodejs22.x and the configured settings match',
      evidence: { Runtime: 'nodejs22.x', Timeout: 3, MemorySize: 128 },
    });
  });

  it.each([
    ['nodejs20.x', '2026-04-30'],
    ['python3.9', '2025-12-15'],
  ])('fails the deprecated runtime %s, naming its deprecation date', async (runtime, date) => {
    const name = `old-${runtime.replace('.', '-')}`;
    await createTestFunction(clients.lambda, name, { Runtime: runtime as 'nodejs20.x' });

    const result = await runCheck(CHECK, rules, clients, functionResource(name));

    expect(result.status).toBe('FAIL');
    expect(result.message).toMatch(
      new RegExp(
        `^runtime ${runtime.replace('.', '\\.')} \\(deprecated by Lambda on ${date}\\) is not one of nodejs24\\.x, nodejs22\\.x`,
      ),
    );
  });

  it('reads runtime as a CSV list', async () => {
    await createTestFunction(clients.lambda, 'csv-runtime', { Runtime: 'python3.12' });

    const allowed = await runCheck(CHECK, rules, clients, functionResource('csv-runtime'), {
      params: { runtime: 'nodejs22.x, python3.12' },
    });
    const refused = await runCheck(CHECK, rules, clients, functionResource('csv-runtime'), {
      params: { runtime: 'nodejs22.x,nodejs24.x' },
    });

    expect(allowed.status).toBe('PASS');
    expect(refused.status).toBe('FAIL');
  });

  it('passes role, timeout and memorySize when each equals the configured value', async () => {
    await createTestFunction(clients.lambda, 'tuned', { Timeout: 30, MemorySize: 1024 });

    const result = await runCheck(CHECK, rules, clients, functionResource('tuned'), {
      params: { role: await executionRoleArn(), timeout: '30', memorySize: 1024 },
    });

    expect(result.status).toBe('PASS');
  });

  it('fails and lists every configured setting that differs', async () => {
    await createTestFunction(clients.lambda, 'mistuned', { Timeout: 30, MemorySize: 1024 });

    const result = await runCheck(CHECK, rules, clients, functionResource('mistuned'), {
      params: { role: 'arn:aws:iam::123456789012:role/other', timeout: 10, memorySize: 512 },
    });

    expect(result.status).toBe('FAIL');
    expect(result.message).toBe(
      `role is ${await executionRoleArn()}, expected arn:aws:iam::123456789012:role/other; ` +
        'timeout is 30 s, expected 10 s; memory size is 1024 MB, expected 512 MB',
    );
  });

  it('is not applicable to a container-image function', async () => {
    await createTestFunction(clients.lambda, 'image-fn', {
      PackageType: 'Image',
      Code: { ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest' },
      Runtime: undefined,
      Handler: undefined,
    });

    const result = await runCheck(CHECK, rules, clients, functionResource('image-fn'));

    expect(result).toMatchObject({ status: 'NOT_APPLICABLE', evidence: { PackageType: 'Image' } });
  });

  it('is an ERROR when the runtime list is configured empty', async () => {
    await createTestFunction(clients.lambda, 'no-runtimes');

    const result = await runCheck(CHECK, rules, clients, functionResource('no-runtimes'), {
      params: { runtime: [] },
    });

    expect(result).toMatchObject({
      status: 'ERROR',
      message: 'parameter runtime (the allowed runtimes) is required',
    });
  });

  it('is an ERROR when timeout is not a number', async () => {
    await createTestFunction(clients.lambda, 'bad-timeout');

    const result = await runCheck(CHECK, rules, clients, functionResource('bad-timeout'), {
      params: { timeout: 'soon' },
    });

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('timeout must be a number');
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
