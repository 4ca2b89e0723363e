import type { CheckRule } from '../types.ts';
import type { StepFunctionsClients } from './clients.ts';
import { describeStateMachineMetadata } from './state-machine.ts';

/** PASS when `tracingConfiguration.enabled === true`. */
export const stepFunctionsStateMachineXrayEnabled: CheckRule<StepFunctionsClients> = async (context) => {
  const { tracingConfiguration } = await describeStateMachineMetadata(context);
  if (tracingConfiguration?.enabled !== true) {
    return { status: 'FAIL', message: 'X-Ray tracing is off' };
  }
  return { status: 'PASS', message: 'X-Ray tracing is on' };
};
