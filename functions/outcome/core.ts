/**
 * The outcome tracker's pure core: what a CodeDeploy deployment state-change event says about a
 * deployment. CodeDeploy sends `CodeDeploy Deployment State-change Notification` events to
 * EventBridge with `detail.state` START, SUCCESS, FAILURE, STOP or READY (READY: blue/green only);
 * see https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-cloudwatch-events.html and
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-codedeploy.html
 */
import type { DeploymentOutcome } from '../../statemachine/state.ts';
import { InvalidInputError } from '../shared/errors.ts';

export const CODEDEPLOY_SOURCE = 'aws.codedeploy';
export const DEPLOYMENT_STATE_CHANGE = 'CodeDeploy Deployment State-change Notification';

/** The states that end a deployment, and what they make of the gate's runs. */
export const FINAL_STATES = {
  SUCCESS: 'SUCCEEDED',
  FAILURE: 'FAILED',
  STOP: 'STOPPED',
} as const satisfies Record<string, DeploymentOutcome>;
export type FinalState = keyof typeof FINAL_STATES;

export interface DeploymentStateChangeEvent {
  readonly source?: string;
  readonly 'detail-type'?: string;
  readonly time?: string;
  readonly detail?: {
    readonly deploymentId?: string;
    readonly state?: string;
    readonly application?: string;
    readonly deploymentGroup?: string;
  };
}

export interface DeploymentStateChange {
  readonly deploymentId: string;
  /** The outcome when the state ends the deployment; absent for START and READY. */
  readonly outcome?: (typeof FINAL_STATES)[FinalState];
  /** When CodeDeploy said so (the event's time). */
  readonly at: string;
}

function isFinalState(state: string | undefined): state is FinalState {
  return state !== undefined && Object.hasOwn(FINAL_STATES, state);
}

/**
 * The deployment an event is about, and its outcome when the state ends it (not START, READY). An
 * event that is not a CodeDeploy deployment state change is refused.
 */
export function deploymentStateChange(event: unknown): DeploymentStateChange {
  const change = event as DeploymentStateChangeEvent | null;
  if (
    typeof change !== 'object' ||
    change === null ||
    change.source !== CODEDEPLOY_SOURCE ||
    change['detail-type'] !== DEPLOYMENT_STATE_CHANGE
  ) {
    throw new InvalidInputError(`the outcome tracker takes ${DEPLOYMENT_STATE_CHANGE} events only`);
  }
  const { deploymentId, state } = change.detail ?? {};
  if (typeof deploymentId !== 'string' || deploymentId === '') {
    throw new InvalidInputError('the deployment state-change event names no deploymentId');
  }
  const time =
    typeof change.time === 'string' && !Number.isNaN(Date.parse(change.time)) ? change.time : undefined;
  return {
    deploymentId,
    ...(isFinalState(state) ? { outcome: FINAL_STATES[state] } : {}),
    at: time ? new Date(time).toISOString() : new Date().toISOString(),
  };
}
