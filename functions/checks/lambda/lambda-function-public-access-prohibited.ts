import { GetPolicyCommand } from '@aws-sdk/client-lambda';
import { type PublicDefinition, type PublicGrant, parsePolicy, publicGrants } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import type { LambdaClients } from './clients.ts';
import { invocationTargets, unlessNotConfigured } from './function-facts.ts';

/**
 * Config's rule for Lambda: a service principal (s3.amazonaws.com, sns.amazonaws.com, …) without a
 * condition that limits the caller is public, since any account could point its own resource at the
 * function (https://docs.aws.amazon.com/config/latest/developerguide/lambda-function-public-access-prohibited.html).
 */
export const LAMBDA_PUBLIC_DEFINITION: PublicDefinition = { servicePrincipalsNeedSourceCondition: true };

/** PASS when no statement of the function's or any alias's resource policy is public. */
export const lambdaFunctionPublicAccessProhibited: CheckRule<LambdaClients> = async (context) => {
  const { clients, resource } = context;
  const targets = await invocationTargets(context, resource.physicalId);
  const publicStatements: (PublicGrant & { target: string })[] = [];
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
    const policy = parsePolicy(
      response.Policy,
      `the resource policy of ${resource.physicalId} (${target.label})`,
    );
    for (const grant of publicGrants(policy, LAMBDA_PUBLIC_DEFINITION)) {
      publicStatements.push({ target: target.label, ...grant });
    }
  }
  const evidence = { targets: targets.map((t) => t.label), policies };
  if (publicStatements.length > 0) {
    const where = [...new Set(publicStatements.map((s) => `${s.statement} (${s.who}) on ${s.target}`))].join(
      ', ',
    );
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
