import type { SFNClient } from '@aws-sdk/client-sfn';
import { createSfnClient } from '../../shared/clients.ts';

/** The clients the Step Functions checks use; tests hand in clients pointed at the emulator or a named mock. */
export interface StepFunctionsClients {
  readonly sfn: SFNClient;
}

export function createStepFunctionsClients(): StepFunctionsClients {
  return { sfn: createSfnClient() };
}
