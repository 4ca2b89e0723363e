import { findSecrets } from '../evaluators/secrets.ts';
import type { CheckRule } from '../types.ts';
import type { LambdaClients } from './clients.ts';
import { functionConfiguration } from './function-facts.ts';

/** PASS when the secret detector finds nothing in the environment variables (names and kinds only in evidence). */
export const lambdaFunctionNoSecretsInEnv: CheckRule<LambdaClients> = async (context) => {
  const config = await functionConfiguration(context, context.resource.physicalId);
  const variables = config.Environment?.Variables ?? {};
  const names = Object.keys(variables);
  if (names.length === 0) return { status: 'PASS', message: 'the function has no environment variables' };
  const findings = findSecrets(variables);
  if (findings.length > 0) {
    return {
      status: 'FAIL',
      message: `environment variables look like secrets: ${findings.map((f) => `${f.key} (${f.kind})`).join(', ')}`,
      evidence: { findings, variables: names.length },
    };
  }
  return {
    status: 'PASS',
    message: `none of ${names.length} environment variable(s) looks like a secret`,
    evidence: { variables: names.length },
  };
};
