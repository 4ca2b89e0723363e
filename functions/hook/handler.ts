/**
 * CodeDeploy pre-/post-traffic hook: finds the stack to audit from the deployment itself, starts the
 * fitness state machine and returns at once. The state machine reports the verdict to CodeDeploy. If
 * the execution cannot even be started, the hook reports Failed itself, so a deployment never waits
 * an hour for a status that will not come.
 *
 * The stack is never configured: GetDeployment (and GetApplicationRevision when the AppSpec is not
 * inline) names the deployment's function, the function's `aws:cloudformation:stack-name` tag names
 * its stack, and DescribeStacks the root when that stack is nested. So one gate serves any number of
 * stacks, and a deployment of a stack the gate does not guard is refused with a reason.
 */
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { type LambdaClient, ListTagsCommand } from '@aws-sdk/client-lambda';
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { HookTrigger } from '../../statemachine/state.ts';
import { armDeadline, type DeadlineNetDeps } from '../deadline/arm.ts';
import { deadlineNetConfig, executionArnOf } from '../deadline/core.ts';
import {
  createCloudFormationClient,
  createCodeDeployClient,
  createLambdaClient,
  createSchedulerClient,
  createSfnClient,
  TIMEOUTS,
} from '../shared/clients.ts';
import { reportHookStatus } from '../shared/codedeploy.ts';
import { readDeploymentTarget } from '../shared/deployment-target.ts';
import { errorMessage, errorName, InvalidInputError, isAwsError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import {
  executionInput,
  executionName,
  functionArnOf,
  type HookEvent,
  isGuardedStack,
  parseGuardedStacks,
  parseHookEvent,
  parseHookTrigger,
  stackNameFromTags,
  stackNameOfArn,
} from './core.ts';

export interface HookDeps {
  readonly sfn: SFNClient;
  readonly codeDeploy: CodeDeployClient;
  readonly lambda: LambdaClient;
  readonly cloudFormation: CloudFormationClient;
  readonly stateMachineArn: string | undefined;
  /** GUARDED_STACKS: a JSON array of stack names and `*` patterns. */
  readonly guardedStacks: string | undefined;
  readonly trigger: string | undefined;
  /** The deadline net (a one-off schedule per execution); unset, only the EventBridge net guards. */
  readonly deadlineNet?: DeadlineNetDeps;
}

export interface HookResult {
  readonly executionName: string;
  readonly started: boolean;
  /** The stack the deployment belongs to, once resolved. */
  readonly stackName?: string;
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

/**
 * Reads retry throttling and transient errors with the SDK's standard mode: exponential backoff with
 * full jitter, from a 500 ms base for throttling, so four retries wait at most 1 + 2 + 4 + 8 s. Many
 * deployments through one shared gate at once must not fail on a throttled GetDeployment.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export const HOOK_MAX_ATTEMPTS = 5;

/** The hook's SDK clients, as the deployed function creates them: the reporter's timeouts, more attempts. */
export function hookClients(): Pick<HookDeps, 'sfn' | 'codeDeploy' | 'lambda' | 'cloudFormation'> {
  const budget = { ...TIMEOUTS.reporter, maxAttempts: HOOK_MAX_ATTEMPTS };
  return {
    sfn: createSfnClient(budget),
    codeDeploy: createCodeDeployClient(budget),
    lambda: createLambdaClient(budget),
    cloudFormation: createCloudFormationClient(budget),
  };
}

/** The root stack of the deployment's function, if the gate guards it. */
async function stackOfDeployment(
  deps: HookDeps,
  deploymentId: string,
  stateMachineArn: string,
  guarded: readonly string[],
): Promise<string> {
  const target = await readDeploymentTarget(deps.codeDeploy, deploymentId);
  const functionArn = functionArnOf(target.functionName, stateMachineArn);
  const { Tags } = await deps.lambda.send(new ListTagsCommand({ Resource: functionArn }));
  const ownStack = stackNameFromTags(Tags, functionArn);
  // A nested stack's resources are audited with their root, the stack a team deploys.
  const { Stacks } = await deps.cloudFormation.send(new DescribeStacksCommand({ StackName: ownStack }));
  const rootId = Stacks?.[0]?.RootId;
  const stackName = (rootId && stackNameOfArn(rootId)) || ownStack;
  if (!isGuardedStack(stackName, guarded)) {
    throw new InvalidInputError(
      `stack ${stackName} (of ${target.functionName}) is not guarded by this gate, which guards ${guarded.join(', ')}`,
    );
  }
  return stackName;
}

export function makeHandler(deps: HookDeps) {
  return async (event: unknown): Promise<HookResult> => {
    const hook = parseHookEvent(event);
    let name = 'not-started';
    let stackName: string | undefined;
    try {
      const trigger: HookTrigger = parseHookTrigger(deps.trigger);
      name = executionName(hook, trigger);
      logger.appendKeys({ deploymentId: hook.deploymentId, executionName: name });
      if (!deps.stateMachineArn) throw new InvalidInputError('the hook needs STATE_MACHINE_ARN');
      const guarded = parseGuardedStacks(deps.guardedStacks);
      stackName = await stackOfDeployment(deps, hook.deploymentId, deps.stateMachineArn, guarded);
      logger.appendKeys({ stackName });
      const started = await deps.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: deps.stateMachineArn,
          name,
          input: JSON.stringify(executionInput(stackName, trigger, hook)),
        }),
      );
      logger.info('fitness execution started', { trigger });
      const deadline = await armDeadlineNet(deps.deadlineNet, hook, {
        name,
        arn: started.executionArn ?? executionArnOf(deps.stateMachineArn, name),
        startDate: started.startDate ?? new Date(),
      });
      return { executionName: name, started: true, stackName, deadline };
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
        return {
          executionName: name,
          started: false,
          ...(stackName ? { stackName } : {}),
          note: 'execution already started',
          deadline,
        };
      }
      // Misconfiguration, a stack the gate does not guard, or an outage: the deployment must not wait an hour for nothing.
      logger.error('could not start the fitness execution; reporting Failed', { error: errorMessage(error) });
      const outcome = await reportHookStatus(deps.codeDeploy, hook, 'Failed');
      return {
        executionName: name,
        started: false,
        ...(stackName ? { stackName } : {}),
        note: `${errorName(error)}: ${errorMessage(error)} (Failed ${outcome})`,
      };
    }
  };
}

export const handler = makeHandler({
  ...hookClients(),
  stateMachineArn: process.env.STATE_MACHINE_ARN,
  guardedStacks: process.env.GUARDED_STACKS,
  trigger: process.env.HOOK_TRIGGER,
  ...deadlineNetFromEnv(),
});

function deadlineNetFromEnv(): Pick<HookDeps, 'deadlineNet'> {
  const config = deadlineNetConfig(process.env);
  return config ? { deadlineNet: { ...config, scheduler: createSchedulerClient() } } : {};
}
