/**
 * Whether an execution really gates a CodeDeploy hook. Anyone allowed to start the state machine can
 * write `trigger: BeforeAllowTraffic` and a pair of ids into the input; such a run must not become
 * an accepted release, a baseline or a status sent to CodeDeploy. So the claim is checked against
 * CodeDeploy before the gate treats the run as a hook run:
 *
 *   GetDeployment        the deployment exists, is a Lambda deployment and is InProgress;
 *   ListDeploymentTargets + GetDeploymentTarget
 *                        the lifecycle event the trigger names (BeforeAllowTraffic or
 *                        AfterAllowTraffic) is InProgress on the deployment's Lambda target, i.e.
 *                        CodeDeploy is waiting for that hook right now;
 *   the AppSpec          the function whose traffic shifts is a resource of the audited stack (or of
 *                        its nested stacks), so a run cannot vouch for one stack by auditing another.
 *
 * CodeDeploy has no read API that lists hook execution ids (only PutLifecycleEventHookExecutionStatus
 * takes one), so the id itself is checked by CodeDeploy when the verdict is reported: a wrong id is
 * refused there. Anything else makes the run ad-hoc, with a note.
 *   https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeployment.html
 *   https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeploymentTarget.html
 *   https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_LifecycleEvent.html
 */
import {
  type CodeDeployClient,
  type DeploymentInfo,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  type RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import { type Deployment, type HookTrigger, isHookTrigger } from '../../statemachine/state.ts';
import { parseAppSpec } from '../checks/stack/deployment-target.ts';
import { errorMessage, isAwsError } from '../shared/errors.ts';

/** What the execution input claims: a hook trigger and the ids CodeDeploy handed the hook. */
export interface HookClaim {
  readonly trigger: HookTrigger;
  readonly deploymentId: string;
  readonly hookExecutionId: string;
}

/** The claim checked: a live hook (with the function whose traffic shifts), or why it is not one. */
export type HookVerdict =
  | { readonly live: true; readonly deployment: Required<Deployment>; readonly functionName: string }
  | { readonly live: false; readonly reason: string };

/** The claim an input makes, or undefined when it makes none (or a malformed one). */
export function hookClaimOf(input: unknown): HookClaim | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const { trigger, deploymentId, hookExecutionId } = input as Record<string, unknown>;
  if (!isHookTrigger(trigger) || typeof deploymentId !== 'string' || typeof hookExecutionId !== 'string')
    return undefined;
  if (deploymentId.trim() === '' || hookExecutionId.trim() === '') return undefined;
  return { trigger, deploymentId, hookExecutionId };
}

function appSpecContent(revision: RevisionLocation | undefined): string | undefined {
  return revision?.appSpecContent?.content ?? revision?.string?.content ?? undefined;
}

const notLive = (reason: string): HookVerdict => ({ live: false, reason });

/**
 * Asks CodeDeploy whether the claimed hook is waiting now. Answers that the deployment does not
 * exist are a verdict; any other failure (throttling, access denied) propagates: the gate cannot
 * tell, so it fails closed.
 */
export async function verifyHookClaim(codeDeploy: CodeDeployClient, claim: HookClaim): Promise<HookVerdict> {
  const { deploymentId, trigger } = claim;
  let deployment: DeploymentInfo | undefined;
  try {
    deployment = (await codeDeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
  } catch (error) {
    if (isAwsError(error, 'DeploymentDoesNotExistException', 'InvalidDeploymentIdException')) {
      return notLive(`CodeDeploy has no deployment ${deploymentId} (${errorMessage(error).slice(0, 120)})`);
    }
    throw error;
  }
  if (!deployment) return notLive(`CodeDeploy returned nothing for deployment ${deploymentId}`);
  if (deployment.computePlatform !== 'Lambda') {
    return notLive(
      `deployment ${deploymentId} is a ${deployment.computePlatform ?? 'unknown'} deployment, not Lambda`,
    );
  }
  if (deployment.status !== 'InProgress') {
    return notLive(
      `deployment ${deploymentId} is ${deployment.status ?? 'of unknown status'}, not InProgress`,
    );
  }

  const { targetIds = [] } = await codeDeploy.send(new ListDeploymentTargetsCommand({ deploymentId }));
  let waiting = false;
  for (const targetId of targetIds) {
    const { deploymentTarget } = await codeDeploy.send(
      new GetDeploymentTargetCommand({ deploymentId, targetId }),
    );
    const events = deploymentTarget?.lambdaTarget?.lifecycleEvents ?? [];
    if (events.some((event) => event.lifecycleEventName === trigger && event.status === 'InProgress'))
      waiting = true;
  }
  if (!waiting) return notLive(`deployment ${deploymentId} is not waiting for its ${trigger} hook`);

  let content = appSpecContent(deployment.revision);
  if (!content && deployment.applicationName && deployment.revision) {
    const stored = await codeDeploy.send(
      new GetApplicationRevisionCommand({
        applicationName: deployment.applicationName,
        revision: deployment.revision,
      }),
    );
    content = appSpecContent(stored.revision);
  }
  let functionName: string;
  try {
    functionName = parseAppSpec(content ?? '').functionName;
  } catch (error) {
    return notLive(
      `deployment ${deploymentId} names no Lambda function (${errorMessage(error).slice(0, 120)})`,
    );
  }
  return { live: true, deployment: { deploymentId, hookExecutionId: claim.hookExecutionId }, functionName };
}

/** A function's name from a name, a partial or a full ARN, with or without a qualifier. */
function bareFunctionName(nameOrArn: string): string {
  const arn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(nameOrArn);
  if (arn?.[1]) return arn[1];
  const partial = /^(?:\d{12}:)?(?:function:)?([^:]+)/.exec(nameOrArn);
  return partial?.[1] ?? nameOrArn;
}

/** True when the deployment's function is among the functions the stack (or its nested stacks) lists. */
export function functionInStack(functionName: string, stackFunctions: readonly string[]): boolean {
  const wanted = bareFunctionName(functionName);
  return stackFunctions.some((physicalId) => bareFunctionName(physicalId) === wanted);
}

/**
 * A failure of a run that gates no CodeDeploy hook (ad-hoc, or a hook claim CodeDeploy did not
 * confirm). The state machine's catch-all reports nothing to CodeDeploy for this error name.
 */
export class AdHocAuditError extends Error {
  constructor(cause: unknown) {
    const name = cause instanceof Error ? cause.name : 'Error';
    super(`${errorMessage(cause)}${name && name !== 'Error' ? ` (${name})` : ''}`, { cause });
    this.name = 'AdHocAuditError';
  }
}
