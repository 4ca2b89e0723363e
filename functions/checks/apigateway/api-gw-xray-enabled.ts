import type { CheckRule } from '../types.ts';
import type { ApiGatewayClients } from './clients.ts';
import { loadStage } from './stage.ts';

/** PASS when the stage has X-Ray tracing on. */
export const apiGwXrayEnabled: CheckRule<ApiGatewayClients> = async (context) => {
  const { identity, stage } = await loadStage(context);
  if (stage.tracingEnabled !== true) {
    return { status: 'FAIL', message: 'X-Ray tracing is off for the stage', evidence: identity };
  }
  return { status: 'PASS', message: 'X-Ray tracing is on for the stage', evidence: identity };
};
