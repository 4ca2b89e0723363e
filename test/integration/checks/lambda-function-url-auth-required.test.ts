import {
  CreateAliasCommand,
  CreateFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  LambdaClient,
  ListAliasesCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createLambdaClients } from '../../../functions/checks/lambda/clients.ts';
import { rules } from '../../../functions/checks/lambda/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTestFunction, functionResource } from '../../support/lambda-fixtures.ts';
import { accessDenied, serviceError } from '../../support/service-errors.ts';

const CHECK = 'lambda-function-url-auth-required';
const clients = createLambdaClients();

const addUrl = (functionName: string, authType: 'NONE' | 'AWS_IAM') =>
  clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: functionName, AuthType: authType }));

describe(`${CHECK} (moto)`, () => {
  it('is not applicable to a function without a URL', async () => {
    await createTestFunction(clients.lambda, 'no-url');

    const result = await runCheck(CHECK, rules, clients, functionResource('no-url'));

    expect(result).toMatchObject({ status: 'NOT_APPLICABLE', message: 'the function has no function URL' });
  });

  it('passes a URL that requires IAM auth', async () => {
    await createTestFunction(clients.lambda, 'iam-url');
    await addUrl('iam-url', 'AWS_IAM');

    const result = await runCheck(CHECK, rules, clients, functionResource('iam-url'));

    expect(result).toMatchObject({ status: 'PASS', message: '1 function URL(s), all with AWS_IAM auth' });
  });

  it('fails a URL open to anyone (AuthType NONE)', async () => {
    await createTestFunction(clients.lambda, 'open-url');
    await addUrl('open-url', 'NONE');

    const result = await runCheck(CHECK, rules, clients, functionResource('open-url'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'function URL without IAM auth on $unqualified (NONE)',
    });
  });

  it('reports a URL once even when several targets return it (moto ignores Qualifier)', async () => {
    const fn = await createTestFunction(clients.lambda, 'aliased-url', { Publish: true });
    await clients.lambda.send(
      new CreateAliasCommand({ FunctionName: 'aliased-url', Name: 'live', FunctionVersion: fn.Version }),
    );
    await addUrl('aliased-url', 'NONE');

    const result = await runCheck(CHECK, rules, clients, functionResource('aliased-url'));

    expect(result.status).toBe('FAIL');
    expect(result.evidence?.functionUrls).toHaveLength(1);
  });

  it('is an ERROR when the function does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, functionResource('missing-function'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('ResourceNotFoundException');
  });
});

describe(`${CHECK} (SDK mock: moto keeps one URL per function and enforces no IAM)`, () => {
  function lambdaWithUrls(urls: Record<string, 'NONE' | 'AWS_IAM'>) {
    const lambda = new LambdaClient({});
    const mock = mockClient(lambda);
    mock.on(ListAliasesCommand).resolves({ Aliases: [{ Name: 'live' }] });
    mock.on(GetFunctionUrlConfigCommand).rejects(serviceError('ResourceNotFoundException', 404));
    for (const [qualifier, authType] of Object.entries(urls)) {
      mock
        .on(GetFunctionUrlConfigCommand, {
          FunctionName: 'fn',
          Qualifier: qualifier === '$unqualified' ? undefined : qualifier,
        })
        .resolves({ FunctionUrl: `https://${qualifier}.lambda-url.us-east-1.on.aws/`, AuthType: authType });
    }
    return lambda;
  }

  it('fails an alias URL open to anyone while the function URL requires IAM', async () => {
    const lambda = lambdaWithUrls({ $unqualified: 'AWS_IAM', live: 'NONE' });

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'function URL without IAM auth on live (NONE)' });
  });

  it('passes when only an alias has a URL and it requires IAM', async () => {
    const lambda = lambdaWithUrls({ live: 'AWS_IAM' });

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'));

    expect(result).toMatchObject({ status: 'PASS', evidence: { functionUrls: [{ targets: ['live'] }] } });
  });

  it('is an ERROR naming lambda:GetFunctionUrlConfig when access is denied', async () => {
    const lambda = new LambdaClient({});
    const mock = mockClient(lambda);
    mock.on(ListAliasesCommand).resolves({ Aliases: [] });
    mock.on(GetFunctionUrlConfigCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('lambda:GetFunctionUrlConfig');
  });
});
