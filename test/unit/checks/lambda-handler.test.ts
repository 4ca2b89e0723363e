import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
} from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { rules } from '../../../functions/checks/lambda/handler.ts';
import { registry } from '../../../functions/checks/registry.ts';
import { runWorkItem } from '../../../functions/checks/run.ts';
import { TEST_STACK } from '../../support/check-harness.ts';
import { functionResource } from '../../support/lambda-fixtures.ts';
import { serviceError } from '../../support/service-errors.ts';

describe('lambda family handler', () => {
  it('binds a rule to every lambda check of the registry, and to nothing else', () => {
    const checkIds = registry.filter((check) => check.family === 'lambda').map((check) => check.id);

    expect(Object.keys(rules).sort()).toEqual(checkIds.sort());
    expect(checkIds).toHaveLength(9);
  });

  it('runs the nine checks with one GetFunctionConfiguration and one ListAliases (SDK mock: counts calls)', async () => {
    const clients = {
      lambda: new LambdaClient({}),
      cloudWatchLogs: new CloudWatchLogsClient({}),
      sqs: new SQSClient({}),
    };
    const lambda = mockClient(clients.lambda);
    const notFound = serviceError('ResourceNotFoundException', 404);
    lambda.on(GetFunctionConfigurationCommand).resolves({
      FunctionName: 'api',
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:api',
      Runtime: 'nodejs22.x',
      PackageType: 'Zip',
      TracingConfig: { Mode: 'Active' },
      Timeout: 3,
    });
    lambda.on(ListAliasesCommand).resolves({ Aliases: [] });
    lambda.on(GetPolicyCommand).rejects(notFound);
    lambda.on(GetFunctionUrlConfigCommand).rejects(notFound);
    lambda.on(GetFunctionEventInvokeConfigCommand).rejects(notFound);
    lambda.on(GetFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 5 });
    lambda.on(ListEventSourceMappingsCommand).resolves({ EventSourceMappings: [] });
    mockClient(clients.cloudWatchLogs)
      .on(DescribeLogGroupsCommand)
      .resolves({ logGroups: [{ logGroupName: '/aws/lambda/api', retentionInDays: 14 }] });

    const outcome = await runWorkItem('lambda', rules, clients, {
      workItem: { family: 'lambda', resource: functionResource('api') },
      stack: TEST_STACK,
      trigger: 'adhoc',
    });

    expect(Object.fromEntries(outcome.results.map((result) => [result.checkId, result.status]))).toEqual({
      'lambda-function-public-access-prohibited': 'PASS',
      'lambda-function-settings-check': 'PASS',
      'lambda-function-url-auth-required': 'NOT_APPLICABLE',
      'lambda-function-no-secrets-in-env': 'PASS',
      'lambda-dlq-check': 'FAIL',
      'lambda-function-xray-enabled': 'PASS',
      'lambda-concurrency-check': 'PASS',
      'lambda-function-log-retention': 'PASS',
      'lambda-sqs-visibility-timeout': 'NOT_APPLICABLE',
    });
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(1);
    expect(lambda.commandCalls(ListAliasesCommand)).toHaveLength(1);
  });
});
