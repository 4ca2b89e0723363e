import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { createClients } from '../../shared/clients.ts';

/**
 * The clients the stack-wide checks use: the stack itself (CloudFormation) and, for the deployment
 * checks, the deployment (CodeDeploy), its target version (Lambda) and that version's metrics.
 */
export interface StackClients {
  readonly cloudFormation: CloudFormationClient;
  readonly codeDeploy: CodeDeployClient;
  readonly lambda: LambdaClient;
  readonly cloudWatch: CloudWatchClient;
}

export function createStackClients(): StackClients {
  return {
    cloudFormation: createClients.cloudFormation(),
    codeDeploy: createClients.codeDeploy(),
    lambda: createClients.lambda(),
    cloudWatch: createClients.cloudWatch(),
  };
}
