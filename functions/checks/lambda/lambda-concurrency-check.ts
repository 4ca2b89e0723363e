import { GetFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { numberParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { LambdaClients } from './clients.ts';

/**
 * PASS when reserved concurrency is set, above 0 (0 throttles every invocation) and within
 * `ConcurrencyLimitLow`..`ConcurrencyLimitHigh` when those are given.
 */
export const lambdaConcurrencyCheck: CheckRule<LambdaClients> = async ({ clients, params, resource }) => {
  const low = numberParam(params.ConcurrencyLimitLow, 'ConcurrencyLimitLow');
  const high = numberParam(params.ConcurrencyLimitHigh, 'ConcurrencyLimitHigh');
  const response = await clients.lambda.send(
    new GetFunctionConcurrencyCommand({ FunctionName: resource.physicalId }),
  );
  const reserved = response.ReservedConcurrentExecutions;
  if (reserved === undefined) {
    return {
      status: 'FAIL',
      message: 'no reserved concurrency: the function can take the whole account pool',
      evidence: { ReservedConcurrentExecutions: null },
    };
  }
  const evidence = {
    ReservedConcurrentExecutions: reserved,
    ConcurrencyLimitLow: low,
    ConcurrencyLimitHigh: high,
  };
  if (reserved === 0) {
    return {
      status: 'FAIL',
      message: 'reserved concurrency is 0, so every invocation is throttled',
      evidence,
    };
  }
  if ((low !== undefined && reserved < low) || (high !== undefined && reserved > high)) {
    return {
      status: 'FAIL',
      message: `reserved concurrency ${reserved} is outside ${low ?? 0}..${high ?? '∞'}`,
      evidence,
    };
  }
  return { status: 'PASS', message: `reserved concurrency is ${reserved}`, evidence };
};
