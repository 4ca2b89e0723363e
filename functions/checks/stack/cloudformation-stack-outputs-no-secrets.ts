import { findSecrets } from '../evaluators/secrets.ts';
import type { CheckRule } from '../types.ts';
import type { StackClients } from './clients.ts';
import { describeStack } from './describe-stack.ts';

/** PASS when the secret detector finds nothing in the stack's output values; findings name keys only. */
export const cloudformationStackOutputsNoSecrets: CheckRule<StackClients> = async (context) => {
  const { Outputs } = await describeStack(context, context.resource.physicalId);
  const values = Object.fromEntries(
    (Outputs ?? []).map((output, index) => [output.OutputKey ?? `#${index}`, output.OutputValue]),
  );
  const findings = findSecrets(values);
  if (findings.length > 0) {
    return {
      status: 'FAIL',
      message: `stack outputs ${findings.map((finding) => finding.key).join(', ')} look like secrets`,
      evidence: { findings },
    };
  }
  return {
    status: 'PASS',
    message: `none of the ${Object.keys(values).length} stack outputs looks like a secret`,
  };
};
