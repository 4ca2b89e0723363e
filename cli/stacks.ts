/**
 * Finding things in CloudFormation for the CLI: the audited stack, and the deployed gate's state
 * machine and history table from the outputs of the stack that holds the FitnessGate (the sample
 * service embeds it, so by default that is the audited stack itself).
 */
import { type CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { errorMessage, isAwsError } from '../functions/shared/errors.ts';
import { HISTORY_TABLE_OUTPUT, STATE_MACHINE_OUTPUT } from '../infra/lib/gate-outputs.ts';
import { CliError } from './errors.ts';

/** The CfnOutputs the FitnessGate declares in its stack and in the stacks it guards from another one. */
export { HISTORY_TABLE_OUTPUT, STATE_MACHINE_OUTPUT };

/** The region the SDK uses, for messages and console links. */
export async function regionOf(client: { config: { region: () => Promise<string> } }): Promise<string> {
  try {
    return await client.config.region();
  } catch {
    return process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'the configured region';
  }
}

function isMissingStack(error: unknown): boolean {
  return isAwsError(error, 'ValidationError') && /does not exist/i.test(errorMessage(error));
}

/** The stack, or undefined when it does not exist; other errors (credentials, network) propagate. */
export async function findStack(
  cloudFormation: CloudFormationClient,
  stackName: string,
): Promise<Stack | undefined> {
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    return stack && stack.StackStatus !== 'DELETE_COMPLETE' ? stack : undefined;
  } catch (error) {
    if (isMissingStack(error)) return undefined;
    throw error;
  }
}

/** The stack, or a one-line CliError naming it and the region. */
export async function requireStack(cloudFormation: CloudFormationClient, stackName: string): Promise<Stack> {
  const stack = await findStack(cloudFormation, stackName);
  if (!stack) throw new CliError(`stack ${stackName} does not exist in ${await regionOf(cloudFormation)}`);
  return stack;
}

/**
 * An output by key. CDK names a stack-level CfnOutput exactly; one declared inside a construct
 * gets a hash suffix, so a key that starts with the name matches too when it is the only one.
 */
export function stackOutput(stack: Stack, key: string): string | undefined {
  const outputs = stack.Outputs ?? [];
  const exact = outputs.find((output) => output.OutputKey === key);
  if (exact?.OutputValue) return exact.OutputValue;
  const prefixed = outputs.filter((output) => output.OutputKey?.startsWith(key) && output.OutputValue);
  return prefixed.length === 1 ? prefixed[0]?.OutputValue : undefined;
}
