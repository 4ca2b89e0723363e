/** The CodeDeploy hook's pure core: validate the event, name and describe the execution. */
import { createHash } from 'node:crypto';
import { type ExecutionInput, type HookTrigger, isHookTrigger } from '../../statemachine/state.ts';
import { InvalidInputError } from '../shared/errors.ts';

export interface HookEvent {
  readonly deploymentId: string;
  readonly hookExecutionId: string;
}

/** CodeDeploy sends `{ DeploymentId, LifecycleEventHookExecutionId }`; anything else is refused clearly. */
export function parseHookEvent(event: unknown): HookEvent {
  if (typeof event !== 'object' || event === null) {
    throw new InvalidInputError(
      'hook event must be an object with DeploymentId and LifecycleEventHookExecutionId',
    );
  }
  const { DeploymentId, LifecycleEventHookExecutionId } = event as Record<string, unknown>;
  if (typeof DeploymentId !== 'string' || !/^d-[A-Z0-9]{9,}$/i.test(DeploymentId)) {
    throw new InvalidInputError(
      `hook event has no valid DeploymentId (got ${JSON.stringify(DeploymentId) ?? 'nothing'})`,
    );
  }
  if (typeof LifecycleEventHookExecutionId !== 'string' || LifecycleEventHookExecutionId.trim() === '') {
    throw new InvalidInputError('hook event has no LifecycleEventHookExecutionId');
  }
  return { deploymentId: DeploymentId, hookExecutionId: LifecycleEventHookExecutionId };
}

export function parseHookTrigger(value: string | undefined): HookTrigger {
  if (!isHookTrigger(value)) {
    throw new InvalidInputError(
      `HOOK_TRIGGER must be BeforeAllowTraffic or AfterAllowTraffic, got ${value ?? 'nothing'}`,
    );
  }
  return value;
}

/**
 * A deterministic execution name (≤ 80 chars of [A-Za-z0-9-_]): CodeDeploy may invoke the hook
 * again (Lambda retries async invocations), and the same name makes StartExecution idempotent.
 */
export function executionName(hook: HookEvent, trigger: HookTrigger): string {
  const digest = createHash('sha256').update(`${hook.deploymentId}\n${hook.hookExecutionId}`).digest('hex');
  const phase = trigger === 'BeforeAllowTraffic' ? 'pre' : 'post';
  const deployment = hook.deploymentId.replace(/[^A-Za-z0-9-_]/g, '').slice(0, 24);
  return `${deployment}-${phase}-${digest.slice(0, 40)}`;
}

export function executionInput(stackName: string, trigger: HookTrigger, hook: HookEvent): ExecutionInput {
  return { stackName, trigger, deploymentId: hook.deploymentId, hookExecutionId: hook.hookExecutionId };
}

// ── Which stack a deployment belongs to ─────────────────────────────────────────────────────────

/** The tag CloudFormation puts on every resource it creates that supports tags. */
export const STACK_NAME_TAG = 'aws:cloudformation:stack-name';

/**
 * GUARDED_STACKS: the JSON array of stack names and `*` patterns the gate guards (the construct's
 * guardedStacks). A hook without it cannot tell a guarded deployment from a stray one.
 */
export function parseGuardedStacks(value: string | undefined): readonly string[] {
  let patterns: unknown;
  try {
    patterns = JSON.parse(value ?? '');
  } catch {
    patterns = undefined;
  }
  if (
    !Array.isArray(patterns) ||
    patterns.length === 0 ||
    !patterns.every((pattern) => typeof pattern === 'string' && pattern.trim() !== '')
  ) {
    throw new InvalidInputError(
      `GUARDED_STACKS must be a JSON array of stack names or patterns, got ${value ?? 'nothing'}`,
    );
  }
  return patterns as string[];
}

/** Whether a stack name matches a guarded pattern: the name itself, or `*` as any run of characters. */
export function matchesStackPattern(stackName: string, pattern: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(stackName);
}

export function isGuardedStack(stackName: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => matchesStackPattern(stackName, pattern));
}

/**
 * The unqualified ARN of the deployment's function. The AppSpec names it by name or ARN; a Lambda
 * deployment's function lives in the account and region of the gate (the state machine's ARN says which).
 */
export function functionArnOf(functionName: string, stateMachineArn: string): string {
  const [, partition = 'aws', , region = '', account = ''] = stateMachineArn.split(':');
  if (functionName.startsWith('arn:')) return functionName.split(':').slice(0, 7).join(':');
  return `arn:${partition}:lambda:${region}:${account}:function:${functionName.split(':')[0]}`;
}

/** The stack that created a function, from its tags. */
export function stackNameFromTags(
  tags: Readonly<Record<string, string>> | undefined,
  functionArn: string,
): string {
  const stackName = tags?.[STACK_NAME_TAG];
  if (!stackName) {
    throw new InvalidInputError(
      `${functionArn} carries no ${STACK_NAME_TAG} tag: the gate audits stacks, and this function was not created by CloudFormation`,
    );
  }
  return stackName;
}

/** `arn:aws:cloudformation:<region>:<account>:stack/<name>/<id>` → `<name>`. */
export function stackNameOfArn(stackArn: string): string | undefined {
  const match = /:stack\/([^/]+)\//.exec(stackArn);
  return match?.[1];
}
