/**
 * CodeDeploy pre-/post-traffic hook: starts the fitness state machine and returns at once. The state
 * machine reports the verdict to CodeDeploy. If the execution cannot even be started, the hook
 * reports Failed itself, so a deployment never waits an hour for a status that will not come.
 */
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { HookTrigger } from '../../statemachine/state.ts';
import { armDeadline, type DeadlineNetDeps } from '../deadline/arm.ts';
import { deadlineNetConfig, executionArnOf } from '../deadline/core.ts';
import {
  createCodeDeployClient,
  createSchedulerClient,
  createSfnClient,
  TIMEOUTS,
} from '../shared/clients.ts';
import { reportHookStatus } from '../shared/codedeploy.ts';
import { errorMessage, errorName, InvalidInputError, isAwsError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { executionInput, executionName, type HookEvent, parseHookEvent, parseHookTrigger } from './core.ts';

export interface HookDeps {
  readonly sfn: SFNClient;
  readonly codeDeploy: CodeDeployClient;
  readonly stateMachineArn: string | undefined;
  readonly stackName: string | undefined;
  readonly trigger: string | undefined;
  /** The deadline net (a one-off schedule per execution); unset, only the EventBridge net guards. */
  readonly deadlineNet?: DeadlineNetDeps;
}

export interface HookResult {
  readonly executionName: string;
  readonly started: boolean;
  readonly note?: string;
  /** The deadline net's schedule for this execution, or why there is none. */
  readonly deadline?: string;
}

/**
 * Arms the deadline net for an execution that exists. It never fails the hook: the execution runs
 * and the EventBridge net still guards it, so a Scheduler outage is logged, not turned into a Failed.
 */
async function armDeadlineNet(
  deadlineNet: DeadlineNetDeps | undefined,
  hook: HookEvent,
  execution: { name: string; arn: string; startDate: Date },
): Promise<string> {
  if (!deadlineNet) {
    logger.warn('no deadline net configured: only the EventBridge safety net guards this execution');
    return 'no deadline net configured';
  }
  try {
    const armed = await armDeadline(deadlineNet, execution, hook);
    logger.info('deadline net armed', { ...armed });
    return `${armed.scheduleName} ${armed.due} (${armed.outcome})`;
  } catch (error) {
    logger.error('could not arm the deadline net', { error: `${errorName(error)}: ${errorMessage(error)}` });
    return `not armed: ${errorName(error)}: ${errorMessage(error)}`;
  }
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
      const started = await deps.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: deps.stateMachineArn,
          name,
          input: JSON.stringify(executionInput(deps.stackName, trigger, hook)),
        }),
      );
      logger.info('fitness execution started', { trigger });
      const deadline = await armDeadlineNet(deps.deadlineNet, hook, {
        name,
        arn: started.executionArn ?? executionArnOf(deps.stateMachineArn, name),
        startDate: started.startDate ?? new Date(),
      });
      return { executionName: name, started: true, deadline };
    } catch (error) {
      if (isAwsError(error, 'ExecutionAlreadyExists') && deps.stateMachineArn) {
        // A retried invocation of the same hook: the first one already started the execution. Its
        // schedule normally exists too; if that invocation died before arming it, arm it now (later).
        logger.info('fitness execution already started');
        const deadline = await armDeadlineNet(deps.deadlineNet, hook, {
          name,
          arn: executionArnOf(deps.stateMachineArn, name),
          startDate: new Date(),
        });
        return { executionName: name, started: false, note: 'execution already started', deadline };
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
  sfn: createSfnClient(TIMEOUTS.reporter),
  codeDeploy: createCodeDeployClient(TIMEOUTS.reporter),
  stateMachineArn: process.env.STATE_MACHINE_ARN,
  stackName: process.env.GUARDED_STACK_NAME,
  trigger: process.env.HOOK_TRIGGER,
  ...deadlineNetFromEnv(),
});

function deadlineNetFromEnv(): Pick<HookDeps, 'deadlineNet'> {
  const config = deadlineNetConfig(process.env);
  return config ? { deadlineNet: { ...config, scheduler: createSchedulerClient() } } : {};
}
