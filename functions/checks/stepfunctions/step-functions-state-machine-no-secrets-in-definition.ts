import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { findSecretsInJson } from '../evaluators/secrets.ts';
import type { CheckRule } from '../types.ts';
import type { StepFunctionsClients } from './clients.ts';

/**
 * PASS when the secret detector finds nothing in the definition. Findings name the JSON path and
 * the kind of secret, never the value.
 */
export const stepFunctionsStateMachineNoSecretsInDefinition: CheckRule<StepFunctionsClients> = async ({
  resource,
  clients,
  memo,
}) => {
  const { definition } = await memo(`state-machine:full:${resource.physicalId}`, () =>
    clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: resource.physicalId })),
  );
  const findings = findSecretsInJson(JSON.parse(definition ?? '{}'));
  if (findings.length > 0) {
    return {
      status: 'FAIL',
      message: `the definition holds ${findings.length} secret-like value(s) at ${findings.map((f) => f.key).join(', ')}`,
      evidence: { findings },
    };
  }
  return { status: 'PASS', message: 'no secret-like values in the definition' };
};
