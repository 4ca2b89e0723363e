import {
  DeleteFunctionConcurrencyCommand,
  GetFunctionConcurrencyCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createLambdaClients } from '../../../functions/checks/lambda/clients.ts';
import { rules } from '../../../functions/checks/lambda/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTestFunction, functionResource } from '../../support/lambda-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'lambda-concurrency-check';
const clients = createLambdaClients();

async function createWithReserved(name: string, reserved?: number) {
  await createTestFunction(clients.lambda, name);
  if (reserved !== undefined) {
    await clients.lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: reserved }),
    );
  }
}

describe(`${CHECK} (moto)`, () => {
  it('fails a function without reserved concurrency', async () => {
    await createWithReserved('unreserved');

    const result = await runCheck(CHECK, rules, clients, functionResource('unreserved'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'no reserved concurrency: the function can take the whole account pool',
      evidence: { ReservedConcurrentExecutions: null },
    });
  });

  it('passes reserved concurrency without limits', async () => {
    await createWithReserved('reserved', 25);

    const result = await runCheck(CHECK, rules, clients, functionResource('reserved'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'reserved concurrency is 25',
      evidence: { ReservedConcurrentExecutions: 25 },
    });
  });

  it('fails reserved concurrency 0, which throttles every invocation', async () => {
    await createWithReserved('switched-off', 0);

    const result = await runCheck(CHECK, rules, clients, functionResource('switched-off'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'reserved concurrency is 0, so every invocation is throttled',
    });
  });

  it('fails a reservation removed again', async () => {
    await createWithReserved('unreserved-later', 10);
    await clients.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'unreserved-later' }));

    const result = await runCheck(CHECK, rules, clients, functionResource('unreserved-later'));

    expect(result.status).toBe('FAIL');
  });

  it.each([
    [500, 'PASS'],
    [1000, 'PASS'],
    [499, 'FAIL'],
    [1001, 'FAIL'],
  ] as const)('with limits 500..1000, reserved %i is %s', async (reserved, expected) => {
    await createWithReserved(`limited-${reserved}`, reserved);

    const result = await runCheck(CHECK, rules, clients, functionResource(`limited-${reserved}`), {
      params: { ConcurrencyLimitLow: '500', ConcurrencyLimitHigh: 1000 },
    });

    expect(result.status).toBe(expected);
    if (expected === 'FAIL')
      expect(result.message).toBe(`reserved concurrency ${reserved} is outside 500..1000`);
  });

  it('applies a lone upper limit', async () => {
    await createWithReserved('upper-only', 50);

    const result = await runCheck(CHECK, rules, clients, functionResource('upper-only'), {
      params: { ConcurrencyLimitHigh: 10 },
    });

    expect(result).toMatchObject({ status: 'FAIL', message: 'reserved concurrency 50 is outside 0..10' });
  });

  it('is an ERROR when the function does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, functionResource('missing-function'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('ResourceNotFoundException');
  });
});

describe(`${CHECK} (SDK mock: moto enforces no IAM)`, () => {
  it('is an ERROR naming lambda:GetFunctionConcurrency when access is denied', async () => {
    const lambda = new LambdaClient({});
    mockClient(lambda).on(GetFunctionConcurrencyCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('lambda:GetFunctionConcurrency');
  });
});
