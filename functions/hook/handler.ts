/**
 * CodeDeploy pre-/post-traffic hook: starts the fitness state machine and returns at once. The state
 * machine reports the verdict to CodeDeploy. If the execution cannot even be started, the hook
 * reports Failed itself, so a deployment never waits an hour for a status that will not come.
 */
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { HookTrigger } from '../../statemachine/state.ts';
import { createCodeDeployClient, createSfnClient } from '../shared/clients.ts';
import { reportHookStatus } from '../shared/codedeploy.ts';
import { errorMessage, errorName, InvalidInputError, isAwsError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { executionInput, executionName, parseHookEvent, parseHookTrigger } from './core.ts';

export interface HookDeps {
  readonly sfn: SFNClient;
  readonly codeDeploy: CodeDeployClient;
  readonly stateMachineArn: string | undefined;
  readonly stackName: string | undefined;
  readonly trigger: string | undefined;
}

export interface HookResult {
  readonly executionName: string;
  readonly started: boolean;
  readonly note?: string;
}

export function makeHandler(deps: HookDeps) {
  return async (event: unknown): Promise<HookResult> => {
    const hook = parseHookEvent(event);
    let name = 'not-started';
    try {
      const trigger: HookTrigger = parseHookTrigger(deps.trigger);
      name = executionName(hook, trigger);
      logger.appendKeys({ deploymentId: hook.deploymentId, executionName: name });
      if (!deps.stateMachineArn || !deps.stackName) {
        throw new InvalidInputError('the hook needs STATE_MACHINE_ARN and GUARDED_STACK_NAME');
      }
      await deps.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: deps.stateMachineArn,
          name,
          input: JSON.stringify(executionInput(deps.stackName, trigger, hook)),
        }),
      );
      logger.info('fitness execution started', { trigger });
      return { executionName: name, started: true };
    } catch (error) {
      if (isAwsError(error, 'ExecutionAlreadyExists')) {
        // A retried invocation of the same hook: the first one already started the execution.
        logger.info('fitness execution already started');
        return { executionName: name, started: false, note: 'execution already started' };
      }
      // Misconfiguration or a Step Functions outage: the deployment must not wait an hour for nothing.
      logger.error('could not start the fitness execution; reporting Failed', { error: errorMessage(error) });
      const outcome = await reportHookStatus(deps.codeDeploy, hook, 'Failed');
      return {
        executionName: name,
        started: false,
        note: `${errorName(error)}: ${errorMessage(error)} (Failed ${outcome})`,
      };
    }
  };
}

export const handler = makeHandler({
  sfn: createSfnClient(),
  codeDeploy: createCodeDeployClient(),
  stateMachineArn: process.env.STATE_MACHINE_ARN,
  stackName: process.env.GUARDED_STACK_NAME,
  trigger: process.env.HOOK_TRIGGER,
});
