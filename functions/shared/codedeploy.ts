import {
  type CodeDeployClient,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { isAwsError } from './errors.ts';

/**
 * Reports a hook's status. A second report for the same hook execution is refused by CodeDeploy
 * with LifecycleEventAlreadyCompletedException: the status is already in, so that counts as done.
 */
export async function reportHookStatus(
  codeDeploy: CodeDeployClient,
  hook: { deploymentId: string; hookExecutionId: string },
  status: 'Succeeded' | 'Failed',
): Promise<'reported' | 'already-completed'> {
  try {
    await codeDeploy.send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: hook.deploymentId,
        lifecycleEventHookExecutionId: hook.hookExecutionId,
        status,
      }),
    );
    return 'reported';
  } catch (error) {
    if (isAwsError(error, 'LifecycleEventAlreadyCompletedException')) return 'already-completed';
    throw error;
  }
}
