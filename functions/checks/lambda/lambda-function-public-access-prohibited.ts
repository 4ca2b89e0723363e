import { GetPolicyCommand } from '@aws-sdk/client-lambda';
import { asList, isPublicStatement, parsePolicy } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { LambdaClients } from './clients.ts';
import { invocationTargets, unlessNotConfigured } from './function-facts.ts';

/** PASS when no statement of the function's or any alias's resource policy is public. */
export const lambdaFunctionPublicAccessProhibited: CheckRule<LambdaClients> = async (context) => {
  const { clients, resource } = context;
  const targets = await invocationTargets(context, resource.physicalId);
  const publicStatements: { target: string; sid: string; actions: string[] }[] = [];
  let policies = 0;
  for (const target of targets) {
    // ResourceNotFoundException: this target has no resource policy, so nothing is public.
    const response = await unlessNotConfigured(() =>
      clients.lambda.send(
        new GetPolicyCommand({ FunctionName: resource.physicalId, Qualifier: target.qualifier }),
      ),
    );
    if (!response?.Policy) continue;
    policies++;
    for (const statement of parsePolicy(response.Policy).Statement) {
      if (isPublicStatement(statement)) {
        publicStatements.push({
          target: target.label,
          sid: statement.Sid ?? '(no Sid)',
          actions: asList(statement.Action),
        });
      }
    }
  }
  const evidence = { targets: targets.map((t) => t.label), policies };
  if (publicStatements.length > 0) {
    const where = [...new Set(publicStatements.map((s) => `${s.sid} on ${s.target}`))].join(', ');
    return {
      status: 'FAIL',
      message: `the resource policy lets anyone invoke the function: ${where}`,
      evidence: { ...evidence, publicStatements },
    };
  }
  return {
    status: 'PASS',
    message:
      policies === 0
        ? 'the function has no resource policy'
        : `no public statement in ${policies} resource polic${policies === 1 ? 'y' : 'ies'}`,
    evidence,
  };
};
