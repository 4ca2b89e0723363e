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
