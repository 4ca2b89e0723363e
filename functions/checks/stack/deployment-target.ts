/**
 * The Lambda version a CodeDeploy deployment shifts traffic to (functions/shared/deployment-target.ts),
 * read once per work item for the deployment-target checks.
 */
import { type DeploymentTarget, readDeploymentTarget } from '../../shared/deployment-target.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import type { StackClients } from './clients.ts';

export {
  type DeploymentTarget,
  DeploymentTargetError,
  parseAppSpec,
} from '../../shared/deployment-target.ts';

/** The target of the context's deployment, read once per work item. */
export function deploymentTarget(
  context: CheckContext<StackClients>,
  deploymentId: string,
): Promise<DeploymentTarget> {
  const { clients, memo } = context;
  return memo(`deployment-target:${deploymentId}`, () =>
    readDeploymentTarget(clients.codeDeploy, deploymentId),
  );
}

/** The deployment checks do not apply to an ad-hoc run, which has no deployment. */
export const NO_DEPLOYMENT: CheckOutcome = {
  status: 'NOT_APPLICABLE',
  message: 'no CodeDeploy deployment: this run was not started by a deployment hook',
};
