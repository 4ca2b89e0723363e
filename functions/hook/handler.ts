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
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient, ListTagsCommand } from '@aws-sdk/client-lambda';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { HookTrigger } from '../../statemachine/state.ts';
import { reportHookStatus } from '../shared/codedeploy.ts';
import { readDeploymentTarget } from '../shared/deployment-target.ts';
import { errorMessage, errorName, InvalidInputError, isAwsError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import {
  executionInput,
  executionName,
  functionArnOf,
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
}

export interface HookResult {
  readonly executionName: string;
  readonly started: boolean;
  /** The stack the deployment belongs to, once resolved. */
  readonly stackName?: string;
  readonly note?: string;
}

/**
 * Reads retry throttling and transient errors with the SDK's standard mode: exponential backoff with
 * full jitter, from a 500 ms base for throttling, so four retries wait at most 1 + 2 + 4 + 8 s, inside
 * the hook's 30 s timeout. Many deployments through one shared gate at once must not fail on a
 * throttled GetDeployment. https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export const HOOK_MAX_ATTEMPTS = 5;

/** The hook's SDK clients, as the deployed function creates them. */
export function hookClients(): Pick<HookDeps, 'sfn' | 'codeDeploy' | 'lambda' | 'cloudFormation'> {
  const retrying = { maxAttempts: HOOK_MAX_ATTEMPTS, retryMode: 'standard' } as const;
  return {
    sfn: new SFNClient(retrying),
    codeDeploy: new CodeDeployClient(retrying),
    lambda: new LambdaClient(retrying),
    cloudFormation: new CloudFormationClient(retrying),
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
      await deps.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: deps.stateMachineArn,
          name,
          input: JSON.stringify(executionInput(stackName, trigger, hook)),
        }),
      );
      logger.info('fitness execution started', { trigger });
      return { executionName: name, started: true, stackName };
    } catch (error) {
      if (isAwsError(error, 'ExecutionAlreadyExists')) {
        // A retried invocation of the same hook: the first one already started the execution.
        logger.info('fitness execution already started');
        return {
          executionName: name,
          started: false,
          ...(stackName ? { stackName } : {}),
          note: 'execution already started',
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
});
