import { makeFamilyHandler } from '../run.ts';
import { createStackClients, type StackClients } from './clients.ts';
import { cloudformationStackDriftDetectionCheck } from './cloudformation-stack-drift-detection-check.ts';
import { cloudformationStackOutputsNoSecrets } from './cloudformation-stack-outputs-no-secrets.ts';
import { cloudformationTerminationProtectionCheck } from './cloudformation-termination-protection-check.ts';
import { deploymentCanaryJudgment } from './deployment-canary-judgment.ts';
import { deploymentTargetDurationRegression } from './deployment-target-duration-regression.ts';
import { deploymentTargetErrorRate } from './deployment-target-error-rate.ts';
import { deploymentTargetSmokeInvoke } from './deployment-target-smoke-invoke.ts';
import { deploymentTargetThrottles } from './deployment-target-throttles.ts';

/** Rules of the stack family, by check id (the inventory test pins this against the registry). */
export const rules = {
  'cloudformation-termination-protection-check': cloudformationTerminationProtectionCheck,
  'cloudformation-stack-outputs-no-secrets': cloudformationStackOutputsNoSecrets,
  'cloudformation-stack-drift-detection-check': cloudformationStackDriftDetectionCheck,
  'deployment-target-smoke-invoke': deploymentTargetSmokeInvoke,
  'deployment-target-error-rate': deploymentTargetErrorRate,
  'deployment-target-throttles': deploymentTargetThrottles,
  'deployment-target-duration-regression': deploymentTargetDurationRegression,
  'deployment-canary-judgment': deploymentCanaryJudgment,
};

export const makeHandler = (clients: StackClients) => makeFamilyHandler('stack', rules, clients);

export const handler = makeHandler(createStackClients());
