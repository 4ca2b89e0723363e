import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  createCloudFormationClient,
  createCloudWatchClient,
  createCodeDeployClient,
  createS3Client,
} from '../../shared/clients.ts';

/**
 * The clients the metric evaluator uses: the metrics (CloudWatch), the deployment (its creation time
 * and target version, CodeDeploy), the stack's tags (CloudFormation) and CI's documents (S3).
 */
export interface MetricClients {
  readonly cloudWatch: CloudWatchClient;
  readonly codeDeploy: CodeDeployClient;
  readonly cloudFormation: CloudFormationClient;
  readonly s3: S3Client;
}

export function createMetricClients(): MetricClients {
  return {
    cloudWatch: createCloudWatchClient(),
    codeDeploy: createCodeDeployClient(),
    cloudFormation: createCloudFormationClient(),
    s3: createS3Client(),
  };
}
