import {
  AddPermissionCommand,
  CreateAliasCommand,
  GetPolicyCommand,
  LambdaClient,
  ListAliasesCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createLambdaClients } from '../../../functions/checks/lambda/clients.ts';
import { rules } from '../../../functions/checks/lambda/handler.ts';
import { runCheck, TEST_STACK } from '../../support/check-harness.ts';
import { createTestFunction, functionResource } from '../../support/lambda-fixtures.ts';
import { accessDenied, serviceError } from '../../support/service-errors.ts';

const CHECK = 'lambda-function-public-access-prohibited';
const clients = createLambdaClients();

const allowInvoke = (functionName: string, statementId: string, extra: object = {}) =>
  clients.lambda.send(
    new AddPermissionCommand({
      FunctionName: functionName,
      StatementId: statementId,
      Action: 'lambda:InvokeFunction',
      Principal: '*',
      ...extra,
    }),
  );

describe(`${CHECK} (moto)`, () => {
  it('passes a function without a resource policy', async () => {
    await createTestFunction(clients.lambda, 'no-policy');

    const result = await runCheck(CHECK, rules, clients, functionResource('no-policy'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'the function has no resource policy',
      evidence: { targets: ['$unqualified'], policies: 0 },
    });
  });

  it('passes a service principal scoped by SourceArn and SourceAccount', async () => {
    await createTestFunction(clients.lambda, 'from-s3');
    await allowInvoke('from-s3', 'S3Invoke', {
      Principal: 's3.amazonaws.com',
      SourceArn: 'arn:aws:s3:::uploads',
      SourceAccount: TEST_STACK.accountId,
    });

    const result = await runCheck(CHECK, rules, clients, functionResource('from-s3'));

    expect(result).toMatchObject({ status: 'PASS', message: 'no public statement in 1 resource policy' });
  });

  it('passes a "*" principal pinned by AWS:SourceAccount', async () => {
    await createTestFunction(clients.lambda, 'pinned');
    await allowInvoke('pinned', 'AccountOnly', { SourceAccount: TEST_STACK.accountId });

    const result = await runCheck(CHECK, rules, clients, functionResource('pinned'));

    expect(result.status).toBe('PASS');
  });

  it('fails a "*" principal without a condition', async () => {
    await createTestFunction(clients.lambda, 'public');
    await allowInvoke('public', 'Anyone');

    const result = await runCheck(CHECK, rules, clients, functionResource('public'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'the resource policy lets anyone invoke the function: Anyone (Principal "*") on $unqualified',
      evidence: {
        publicStatements: [
          { target: '$unqualified', statement: 'Anyone', actions: ['lambda:InvokeFunction'] },
        ],
      },
    });
  });

  it('fails a public statement on an alias', async () => {
    const fn = await createTestFunction(clients.lambda, 'public-alias', { Publish: true });
    await clients.lambda.send(
      new CreateAliasCommand({ FunctionName: 'public-alias', Name: 'live', FunctionVersion: fn.Version }),
    );
    await allowInvoke('public-alias', 'AnyoneOnLive', { Qualifier: 'live' });

    const result = await runCheck(CHECK, rules, clients, functionResource('public-alias'));

    expect(result.status).toBe('FAIL');
    expect(result.evidence?.targets).toEqual(['$unqualified', 'live']);
    expect(result.evidence?.publicStatements).toContainEqual(
      expect.objectContaining({
        target: 'live',
        statement: 'AnyoneOnLive',
        actions: ['lambda:InvokeFunction'],
      }),
    );
  });

  it('is an ERROR when the function does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, functionResource('missing-function'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('ResourceNotFoundException');
  });
});

describe(`${CHECK} (SDK mock: moto mixes alias statements into the function policy and enforces no IAM)`, () => {
  it('names only the alias whose own policy is public', async () => {
    const lambda = new LambdaClient({});
    const mock = mockClient(lambda);
    mock.on(ListAliasesCommand).resolves({ Aliases: [{ Name: 'live' }, { Name: 'canary' }] });
    mock.on(GetPolicyCommand).rejects(serviceError('ResourceNotFoundException', 404, 'no policy'));
    mock.on(GetPolicyCommand, { FunctionName: 'fn', Qualifier: 'canary' }).resolves({
      Policy: JSON.stringify({
        Statement: { Sid: 'Open', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'lambda:InvokeFunction' },
      }),
    });

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'the resource policy lets anyone invoke the function: Open (AWS principal "*") on canary',
      evidence: { targets: ['$unqualified', 'live', 'canary'], policies: 1 },
    });
  });

  it('is an ERROR naming lambda:GetPolicy when access is denied', async () => {
    const lambda = new LambdaClient({});
    const mock = mockClient(lambda);
    mock.on(ListAliasesCommand).resolves({ Aliases: [] });
    mock.on(GetPolicyCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('lambda:GetPolicy');
  });
});
