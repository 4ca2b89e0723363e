import { makeFamilyHandler } from '../run.ts';
import { createStepFunctionsClients, type StepFunctionsClients } from './clients.ts';
import { stepFunctionsStateMachineEncryptedWithCmk } from './step-functions-state-machine-encrypted-with-cmk.ts';
import { stepFunctionsStateMachineLoggingEnabled } from './step-functions-state-machine-logging-enabled.ts';
import { stepFunctionsStateMachineNoSecretsInDefinition } from './step-functions-state-machine-no-secrets-in-definition.ts';
import { stepFunctionsStateMachineXrayEnabled } from './step-functions-state-machine-xray-enabled.ts';

/** Rules of the stepfunctions family, by check id (the inventory test pins this against the registry). */
export const rules = {
  'step-functions-state-machine-logging-enabled': stepFunctionsStateMachineLoggingEnabled,
  'step-functions-state-machine-xray-enabled': stepFunctionsStateMachineXrayEnabled,
  'step-functions-state-machine-encrypted-with-cmk': stepFunctionsStateMachineEncryptedWithCmk,
  'step-functions-state-machine-no-secrets-in-definition': stepFunctionsStateMachineNoSecretsInDefinition,
};

export const makeHandler = (clients: StepFunctionsClients) =>
  makeFamilyHandler('stepfunctions', rules, clients);

export const handler = makeHandler(createStepFunctionsClients());
