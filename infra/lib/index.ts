/**
 * fitgate, the package: the FitnessGate construct and what its props and outputs are made of.
 *
 *   import { FitnessGate } from 'fitgate';
 *   const gate = new FitnessGate(this, 'FitnessGate', { policy: { minFitness: 60 } });
 *   gate.guard(deploymentGroup);
 */

export type {
  CheckFunctionDeclaration,
  MetricFunction,
  MetricStatConfig,
} from '../../functions/checks/user-defined.ts';
export type {
  CheckSettingsConfig,
  GateConfig,
  GateConfigInput,
  GatePolicy,
  Suppression,
} from '../../functions/shared/config.ts';
export type { CheckTaskInput, CustomCheckInput } from '../../statemachine/state.ts';
export { MIN_AWS_CDK_LIB } from './cdk-compat.ts';
export {
  type CustomCheck,
  DEFAULT_EXECUTION_TIMEOUT,
  DEFAULT_METRIC_NAMESPACE,
  FitnessGate,
  type FitnessGateProps,
  type GuardableDeploymentGroup,
  HOOK_NAME_PREFIX,
  HOOK_TRIGGERS,
  MAX_EXECUTION_TIMEOUT,
  MAX_GATE_NAME_LENGTH,
} from './fitness-gate.ts';
export { gateExportName, HISTORY_TABLE_OUTPUT, STATE_MACHINE_OUTPUT } from './gate-outputs.ts';
