import type { CheckRule } from '../types.ts';
import type { LambdaClients } from './clients.ts';
import { functionConfiguration } from './function-facts.ts';

/** PASS when X-Ray tracing is Active (PassThrough only forwards an upstream decision). */
export const lambdaFunctionXrayEnabled: CheckRule<LambdaClients> = async (context) => {
  const config = await functionConfiguration(context, context.resource.physicalId);
  const mode = config.TracingConfig?.Mode ?? 'PassThrough';
  return {
    status: mode === 'Active' ? 'PASS' : 'FAIL',
    message: `tracing mode is ${mode}`,
    evidence: { TracingMode: mode },
  };
};
