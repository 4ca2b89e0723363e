import {
  CreateAliasCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  LambdaClient,
  ListAliasesCommand,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createLambdaClients } from '../../../functions/checks/lambda/clients.ts';
import { rules } from '../../../functions/checks/lambda/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTestFunction, functionResource } from '../../support/lambda-fixtures.ts';
import { accessDenied, serviceError } from '../../support/service-errors.ts';

const CHECK = 'lambda-dlq-check';
const clients = createLambdaClients();
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:fn-dlq';
const FAILURES = 'arn:aws:sqs:us-east-1:123456789012:fn-failures';
const OTHER = 'arn:aws:sqs:us-east-1:123456789012:other';

const onFailure = (functionName: string, destination: string) =>
  clients.lambda.send(
    new PutFunctionEventInvokeConfigCommand({
      FunctionName: functionName,
      DestinationConfig: { OnFailure: { Destination: destination } },
    }),
  );

describe(`${CHECK} (moto)`, () => {
  it('fails a function without a DLQ or async config', async () => {
    await createTestFunction(clients.lambda, 'unrouted');

    const result = await runCheck(CHECK, rules, clients, functionResource('unrouted'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'no dead-letter queue or on-failure destination for $unqualified',
      evidence: { routes: [{ target: '$unqualified' }] },
    });
  });

  it('passes an async OnFailure destination (acceptOnFailureDestination defaults to true)', async () => {
    await createTestFunction(clients.lambda, 'destination');
    await onFailure('destination', FAILURES);

    const result = await runCheck(CHECK, rules, clients, functionResource('destination'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: `failed async invocations are kept ($unqualified → ${FAILURES})`,
    });
  });

  it('fails an OnFailure destination when acceptOnFailureDestination is false', async () => {
    await createTestFunction(clients.lambda, 'destination-refused');
    await onFailure('destination-refused', FAILURES);

    const result = await runCheck(CHECK, rules, clients, functionResource('destination-refused'), {
      params: { acceptOnFailureDestination: 'false' },
    });

    expect(result).toMatchObject({ status: 'FAIL', message: 'no dead-letter queue for $unqualified' });
  });

  it('holds the OnFailure destination to dlqArns', async () => {
    await createTestFunction(clients.lambda, 'destination-listed');
    await onFailure('destination-listed', FAILURES);

    const listed = await runCheck(CHECK, rules, clients, functionResource('destination-listed'), {
      params: { dlqArns: [OTHER, FAILURES] },
    });
    const unlisted = await runCheck(CHECK, rules, clients, functionResource('destination-listed'), {
      params: { dlqArns: OTHER },
    });

    expect(listed.status).toBe('PASS');
    expect(unlisted).toMatchObject({
      status: 'FAIL',
      message: 'no dead-letter queue or on-failure destination in dlqArns for $unqualified',
    });
  });

  it('checks each alias too', async () => {
    const fn = await createTestFunction(clients.lambda, 'aliased', { Publish: true });
    await clients.lambda.send(
      new CreateAliasCommand({ FunctionName: 'aliased', Name: 'live', FunctionVersion: fn.Version }),
    );
    await onFailure('aliased', FAILURES);

    const result = await runCheck(CHECK, rules, clients, functionResource('aliased'));

    expect(result.status).toBe('PASS');
    expect(result.evidence?.routes).toEqual([
      expect.objectContaining({ target: '$unqualified', routedTo: FAILURES }),
      expect.objectContaining({ target: 'live', routedTo: FAILURES }),
    ]);
  });

  it('is an ERROR when the function does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, functionResource('missing-function'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('ResourceNotFoundException');
  });
});

describe(`${CHECK} (SDK mock: moto never returns DeadLetterConfig, keeps one async config per function, enforces no IAM)`, () => {
  function lambdaWith(options: {
    readonly deadLetter?: Record<string, string>;
    readonly onFailure?: Record<string, string>;
    readonly aliases?: readonly string[];
  }) {
    const lambda = new LambdaClient({});
    const mock = mockClient(lambda);
    mock.on(ListAliasesCommand).resolves({ Aliases: (options.aliases ?? []).map((Name) => ({ Name })) });
    mock.on(GetFunctionConfigurationCommand).callsFake(({ Qualifier }) => {
      const target = options.deadLetter?.[Qualifier ?? '$unqualified'];
      return { FunctionName: 'fn', ...(target ? { DeadLetterConfig: { TargetArn: target } } : {}) };
    });
    mock.on(GetFunctionEventInvokeConfigCommand).callsFake(({ Qualifier }) => {
      const destination = options.onFailure?.[Qualifier ?? '$unqualified'];
      if (!destination) throw serviceError('ResourceNotFoundException', 404, 'no EventInvokeConfig');
      return { DestinationConfig: { OnFailure: { Destination: destination } } };
    });
    return { lambda, mock };
  }

  it('passes a dead-letter queue without reading the async config', async () => {
    const { lambda, mock } = lambdaWith({ deadLetter: { $unqualified: DLQ } });

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'));

    expect(result).toMatchObject({
      status: 'PASS',
      evidence: { routes: [{ deadLetterTarget: DLQ, routedTo: DLQ }] },
    });
    expect(mock.commandCalls(GetFunctionEventInvokeConfigCommand)).toHaveLength(0);
  });

  it('fails a dead-letter queue missing from dlqArns', async () => {
    const { lambda } = lambdaWith({ deadLetter: { $unqualified: DLQ } });

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'), {
      params: { dlqArns: [OTHER] },
    });

    expect(result).toMatchObject({ status: 'FAIL', evidence: { dlqArns: [OTHER] } });
  });

  it('passes a DLQ outside dlqArns when an allowed OnFailure destination catches failures', async () => {
    const { lambda } = lambdaWith({
      deadLetter: { $unqualified: DLQ },
      onFailure: { $unqualified: FAILURES },
    });

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'), {
      params: { dlqArns: [FAILURES] },
    });

    expect(result).toMatchObject({ status: 'PASS', evidence: { routes: [{ routedTo: FAILURES }] } });
  });

  it('fails an alias whose version has no DLQ and which has no OnFailure destination of its own', async () => {
    const { lambda } = lambdaWith({ aliases: ['live'], onFailure: { $unqualified: FAILURES } });

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'no dead-letter queue or on-failure destination for live',
    });
  });

  it('passes an alias whose published version carries the DLQ', async () => {
    const { lambda } = lambdaWith({ aliases: ['live'], deadLetter: { $unqualified: DLQ, live: DLQ } });

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'));

    expect(result.status).toBe('PASS');
  });

  it('is an ERROR naming lambda:GetFunctionEventInvokeConfig when access is denied', async () => {
    const { lambda, mock } = lambdaWith({});
    mock.on(GetFunctionEventInvokeConfigCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('lambda:GetFunctionEventInvokeConfig');
  });
});
