import {
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createLambdaClients } from '../../../functions/checks/lambda/clients.ts';
import { rules } from '../../../functions/checks/lambda/handler.ts';
import { runCheck, TEST_STACK } from '../../support/check-harness.ts';
import { createTestFunction, functionResource } from '../../support/lambda-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'lambda-sqs-visibility-timeout';
const clients = createLambdaClients();
const queueArn = (name: string) => `arn:aws:sqs:${TEST_STACK.region}:${TEST_STACK.accountId}:${name}`;

async function createQueue(name: string, visibilityTimeout: number) {
  await clients.sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: String(visibilityTimeout) } }),
  );
}

const mapQueue = (functionName: string, queueName: string) =>
  clients.lambda.send(
    new CreateEventSourceMappingCommand({ FunctionName: functionName, EventSourceArn: queueArn(queueName) }),
  );

describe(`${CHECK} (moto)`, () => {
  it('is not applicable to a function without event sources', async () => {
    await createTestFunction(clients.lambda, 'no-sources');

    const result = await runCheck(CHECK, rules, clients, functionResource('no-sources'));

    expect(result).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'the function has no SQS event source',
    });
  });

  it('passes a queue with exactly 6 × the function timeout', async () => {
    await createTestFunction(clients.lambda, 'consumer-ok', { Timeout: 10 });
    await createQueue('jobs-ok', 60);
    await mapQueue('consumer-ok', 'jobs-ok');

    const result = await runCheck(CHECK, rules, clients, functionResource('consumer-ok'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: '1 SQS source(s) give at least 6 × the function timeout',
      evidence: {
        queues: [
          {
            queueName: 'jobs-ok',
            target: '$unqualified',
            visibilityTimeout: 60,
            functionTimeout: 10,
            required: 60,
          },
        ],
      },
    });
  });

  it('fails a queue whose visibility timeout is below 6 × the function timeout', async () => {
    await createTestFunction(clients.lambda, 'consumer-short', { Timeout: 10 });
    await createQueue('jobs-short', 59);
    await mapQueue('consumer-short', 'jobs-short');

    const result = await runCheck(CHECK, rules, clients, functionResource('consumer-short'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'visibility timeout below 6 × the function timeout: jobs-short 59 s < 60 s',
    });
  });

  it('judges every SQS source and names only the short ones', async () => {
    await createTestFunction(clients.lambda, 'consumer-two', { Timeout: 5 });
    await createQueue('jobs-long', 300);
    await createQueue('jobs-instant', 0);
    await mapQueue('consumer-two', 'jobs-long');
    await mapQueue('consumer-two', 'jobs-instant');

    const result = await runCheck(CHECK, rules, clients, functionResource('consumer-two'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'visibility timeout below 6 × the function timeout: jobs-instant 0 s < 30 s',
    });
    expect(result.evidence?.queues).toHaveLength(2);
  });

  it('uses the timeout of the version behind an alias mapping, not $LATEST', async () => {
    const fn = await createTestFunction(clients.lambda, 'consumer-alias', { Timeout: 10, Publish: true });
    const alias = await clients.lambda.send(
      new CreateAliasCommand({ FunctionName: 'consumer-alias', Name: 'live', FunctionVersion: fn.Version }),
    );
    await clients.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'consumer-alias', Timeout: 20 }),
    );
    await createQueue('jobs-alias', 60);
    await mapQueue(alias.AliasArn ?? '', 'jobs-alias');

    const result = await runCheck(CHECK, rules, clients, functionResource('consumer-alias'));

    expect(result).toMatchObject({
      status: 'PASS',
      evidence: { queues: [{ functionTimeout: 10, required: 60 }] },
    });
  });

  it('is an ERROR when the function does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, functionResource('missing-function'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('ResourceNotFoundException');
  });
});

describe(`${CHECK} (SDK mock: moto validates sources at creation and enforces no IAM)`, () => {
  function lambdaWithMappings(eventSourceArns: readonly string[]) {
    const lambda = new LambdaClient({});
    const mock = mockClient(lambda);
    mock.on(ListAliasesCommand).resolves({ Aliases: [] });
    mock.on(GetFunctionConfigurationCommand).resolves({
      FunctionName: 'fn',
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
      Timeout: 10,
    });
    mock.on(ListEventSourceMappingsCommand).resolves({
      EventSourceMappings: eventSourceArns.map((EventSourceArn, index) => ({
        UUID: `m-${index}`,
        EventSourceArn,
        FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
      })),
    });
    return lambda;
  }

  it('is not applicable when the only sources are not SQS queues', async () => {
    const lambda = lambdaWithMappings([
      'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000',
      'arn:aws:kinesis:us-east-1:123456789012:stream/clicks',
    ]);

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('fn'));

    expect(result.status).toBe('NOT_APPLICABLE');
  });

  it('is an ERROR naming sqs:GetQueueAttributes when access is denied', async () => {
    const lambda = lambdaWithMappings([queueArn('jobs-denied')]);
    const sqs = new SQSClient({});
    const sqsMock = mockClient(sqs);
    sqsMock
      .on(GetQueueUrlCommand)
      .resolves({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs-denied' });
    sqsMock.on(GetQueueAttributesCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { ...clients, lambda, sqs }, functionResource('fn'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('sqs:GetQueueAttributes');
  });
});
