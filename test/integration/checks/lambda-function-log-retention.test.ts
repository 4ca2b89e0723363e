import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createLambdaClients } from '../../../functions/checks/lambda/clients.ts';
import { rules } from '../../../functions/checks/lambda/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTestFunction, functionResource } from '../../support/lambda-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'lambda-function-log-retention';
const clients = createLambdaClients();

async function createLogGroup(name: string, retentionInDays?: number) {
  await clients.cloudWatchLogs.send(new CreateLogGroupCommand({ logGroupName: name }));
  if (retentionInDays !== undefined) {
    await clients.cloudWatchLogs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays }));
  }
}

describe(`${CHECK} (moto)`, () => {
  it('passes a default log group with a retention', async () => {
    await createTestFunction(clients.lambda, 'kept');
    await createLogGroup('/aws/lambda/kept', 7);

    const result = await runCheck(CHECK, rules, clients, functionResource('kept'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'log group /aws/lambda/kept keeps logs 7 day(s)',
      evidence: { logGroupName: '/aws/lambda/kept', retentionInDays: 7, minRetentionDays: 1 },
    });
  });

  it('fails when the log group does not exist yet', async () => {
    await createTestFunction(clients.lambda, 'no-group');

    const result = await runCheck(CHECK, rules, clients, functionResource('no-group'));

    expect(result).toMatchObject({ status: 'FAIL', evidence: { logGroupName: '/aws/lambda/no-group' } });
    expect(result.message).toMatch(/^log group \/aws\/lambda\/no-group does not exist/);
  });

  it('fails a log group that never expires (unlike Config, for cost)', async () => {
    await createTestFunction(clients.lambda, 'forever');
    await createLogGroup('/aws/lambda/forever');

    const result = await runCheck(CHECK, rules, clients, functionResource('forever'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'log group /aws/lambda/forever never expires its logs',
      evidence: { retentionInDays: null },
    });
  });

  it('fails a retention below minRetentionDays', async () => {
    await createTestFunction(clients.lambda, 'short');
    await createLogGroup('/aws/lambda/short', 7);

    const result = await runCheck(CHECK, rules, clients, functionResource('short'), {
      params: { minRetentionDays: 14 },
    });

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'log group /aws/lambda/short keeps logs 7 day(s), less than 14',
    });
  });

  it('does not take a longer group found by the prefix search for the function’s own', async () => {
    await createTestFunction(clients.lambda, 'api');
    await createLogGroup('/aws/lambda/api-worker', 30);

    const result = await runCheck(CHECK, rules, clients, functionResource('api'));

    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('does not exist');
  });

  it('is an ERROR when the function does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, functionResource('missing-function'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('ResourceNotFoundException');
  });
});

describe(`${CHECK} (SDK mock: moto does not return LoggingConfig and enforces no IAM)`, () => {
  it('looks up the custom LoggingConfig.LogGroup in moto', async () => {
    await createLogGroup('/shared/app-logs', 30);
    const lambda = new LambdaClient({});
    mockClient(lambda)
      .on(GetFunctionConfigurationCommand)
      .resolves({
        FunctionName: 'custom',
        LoggingConfig: { LogGroup: '/shared/app-logs', LogFormat: 'JSON' },
      });

    const result = await runCheck(CHECK, rules, { ...clients, lambda }, functionResource('custom'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'log group /shared/app-logs keeps logs 30 day(s)',
    });
  });

  it('is an ERROR naming logs:DescribeLogGroups when access is denied', async () => {
    await createTestFunction(clients.lambda, 'logs-denied');
    const cloudWatchLogs = new CloudWatchLogsClient({});
    mockClient(cloudWatchLogs).on(DescribeLogGroupsCommand).rejects(accessDenied());

    const result = await runCheck(
      CHECK,
      rules,
      { ...clients, cloudWatchLogs },
      functionResource('logs-denied'),
    );

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('logs:DescribeLogGroups');
  });
});
