import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import {
  createCloudFormationClient,
  createCloudWatchClient,
  createCodeDeployClient,
  createLambdaClient,
  TIMEOUTS,
} from '../../shared/clients.ts';

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
    cloudFormation: createCloudFormationClient(),
    codeDeploy: createCodeDeployClient(),
    // Invoke waits for the target version itself: a longer budget than the control-plane reads.
    lambda: createLambdaClient(TIMEOUTS.invoke),
    cloudWatch: createCloudWatchClient(),
  };
}
