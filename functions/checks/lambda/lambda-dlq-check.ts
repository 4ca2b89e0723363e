import { GetFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { booleanParam, listParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { LambdaClients } from './clients.ts';
import { functionConfiguration, invocationTargets, unlessNotConfigured } from './function-facts.ts';

interface FailureRoute {
  readonly target: string;
  readonly deadLetterTarget?: string;
  readonly onFailureDestination?: string;
  readonly routedTo?: string;
}

/**
 * PASS when failed async invocations of the function and of every alias go somewhere: the version's
 * DeadLetterConfig, or (with `acceptOnFailureDestination`) the target's OnFailure destination. With
 * `dlqArns`, that place must be one of them.
 */
export const lambdaDlqCheck: CheckRule<LambdaClients> = async (context) => {
  const { clients, params, resource } = context;
  const allowed = listParam(params.dlqArns);
  const acceptDestination = booleanParam(
    params.acceptOnFailureDestination,
    'acceptOnFailureDestination',
    true,
  );
  const isAllowed = (arn: string | undefined): arn is string =>
    Boolean(arn) && (allowed.length === 0 || allowed.includes(arn as string));

  const targets = await invocationTargets(context, resource.physicalId);
  const routes: FailureRoute[] = [];
  for (const target of targets) {
    const config = await functionConfiguration(context, resource.physicalId, target.qualifier);
    const deadLetterTarget = config.DeadLetterConfig?.TargetArn;
    let onFailureDestination: string | undefined;
    if (!isAllowed(deadLetterTarget) && acceptDestination) {
      // ResourceNotFoundException: this target has no async invocation config.
      const asyncConfig = await unlessNotConfigured(() =>
        clients.lambda.send(
          new GetFunctionEventInvokeConfigCommand({
            FunctionName: resource.physicalId,
            Qualifier: target.qualifier,
          }),
        ),
      );
      onFailureDestination = asyncConfig?.DestinationConfig?.OnFailure?.Destination;
    }
    const routedTo = isAllowed(deadLetterTarget)
      ? deadLetterTarget
      : isAllowed(onFailureDestination)
        ? onFailureDestination
        : undefined;
    routes.push({ target: target.label, deadLetterTarget, onFailureDestination, routedTo });
  }

  const unrouted = routes.filter((route) => route.routedTo === undefined);
  const evidence = { routes, ...(allowed.length > 0 ? { dlqArns: allowed } : {}) };
  if (unrouted.length > 0) {
    const what = acceptDestination ? 'dead-letter queue or on-failure destination' : 'dead-letter queue';
    const qualifierNote = allowed.length > 0 ? ' in dlqArns' : '';
    return {
      status: 'FAIL',
      message: `no ${what}${qualifierNote} for ${unrouted.map((route) => route.target).join(', ')}`,
      evidence,
    };
  }
  return {
    status: 'PASS',
    message: `failed async invocations are kept (${routes.map((r) => `${r.target} → ${r.routedTo}`).join(', ')})`,
    evidence,
  };
};
