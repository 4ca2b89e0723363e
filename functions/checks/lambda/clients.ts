import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createCloudWatchLogsClient, createLambdaClient, createSqsClient } from '../../shared/clients.ts';

/** The clients the Lambda checks use; tests hand in clients pointed at the emulator or a named mock. */
export interface LambdaClients {
  readonly lambda: LambdaClient;
  readonly cloudWatchLogs: CloudWatchLogsClient;
  readonly sqs: SQSClient;
}

export function createLambdaClients(): LambdaClients {
  return {
    lambda: createLambdaClient(),
    cloudWatchLogs: createCloudWatchLogsClient(),
    sqs: createSqsClient(),
  };
}
