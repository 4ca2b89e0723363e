import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  createApiGatewayClient,
  createCloudFormationClient,
  createCloudWatchClient,
  createSqsClient,
} from '../../shared/clients.ts';

/**
 * The clients the CloudWatch alarm checks use. Alarm coverage also names what it watches: a stage's
 * API name (API Gateway, through the stack) and whether a queue is a dead-letter queue (SQS).
 */
export interface CloudWatchClients {
  readonly cloudWatch: CloudWatchClient;
  readonly apiGateway: APIGatewayClient;
  readonly cloudFormation: CloudFormationClient;
  readonly sqs: SQSClient;
}

export function createCloudWatchClients(): CloudWatchClients {
  return {
    cloudWatch: createCloudWatchClient(),
    apiGateway: createApiGatewayClient(),
    cloudFormation: createCloudFormationClient(),
    sqs: createSqsClient(),
  };
}
