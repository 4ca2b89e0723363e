/**
 * SDK clients, created once per Lambda container at module scope and handed to `makeHandler`.
 * The SDK reads AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> itself, so the same code talks to AWS,
 * to moto and to the CodeDeploy stand-in; only S3 needs path-style addressing on a local endpoint,
 * and S3 Control must not prefix the account id to a local host.
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

/** True when the SDK points at a local emulator rather than AWS. */
export function usesLocalEndpoint(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AWS_ENDPOINT_URL);
}

export function createS3Client(region?: string): S3Client {
  return new S3Client({ region, forcePathStyle: usesLocalEndpoint() });
}

export function createS3ControlClient(region?: string): S3ControlClient {
  if (!usesLocalEndpoint()) return new S3ControlClient({ region });
  const endpoint = new URL(process.env.AWS_ENDPOINT_URL_S3_CONTROL ?? String(process.env.AWS_ENDPOINT_URL));
  // S3 Control's endpoint rules put `<AccountId>.` in front of the host, which a loopback endpoint cannot
  // resolve (on 127.0.0.1 the URL is not even valid, so a later middleware never runs): pin the endpoint.
  return new S3ControlClient({ region, endpointProvider: () => ({ url: endpoint }) });
}

// One factory per client, each its own export, so a Lambda bundle carries only the SDK clients it uses.
export const createApiGatewayClient = () => new APIGatewayClient({});
export const createApiGatewayV2Client = () => new ApiGatewayV2Client({});
export const createAutoScalingClient = () => new ApplicationAutoScalingClient({});
export const createBackupClient = () => new BackupClient({});
export const createCloudFormationClient = () => new CloudFormationClient({});
export const createCloudWatchClient = () => new CloudWatchClient({});
export const createCloudWatchLogsClient = () => new CloudWatchLogsClient({});
export const createCodeDeployClient = () => new CodeDeployClient({});
export const createDynamoDbClient = () => new DynamoDBClient({});
export const createEventBridgeClient = () => new EventBridgeClient({});
export const createIamClient = () => new IAMClient({});
export const createKmsClient = () => new KMSClient({});
export const createLambdaClient = () => new LambdaClient({});
export const createSecretsManagerClient = () => new SecretsManagerClient({});
export const createSfnClient = () => new SFNClient({});
export const createSnsClient = () => new SNSClient({});
// Queue URLs from CloudFormation name the AWS host; on a local endpoint the SDK must not follow them.
export const createSqsClient = () => new SQSClient({ useQueueUrlAsEndpoint: !usesLocalEndpoint() });
