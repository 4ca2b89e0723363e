import { DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import type { CheckContext } from '../types.ts';
import type { StackClients } from './clients.ts';

/** The stack does not exist (or is not visible to the auditor). */
export class StackMissingError extends Error {
  constructor(stackId: string) {
    super(`stack ${stackId} does not exist`);
    this.name = 'StackMissingError';
  }
}

/** One DescribeStacks per stack and work item; the stack pseudo-resource's physical id is its ARN. */
export function describeStack(
  { clients, memo }: CheckContext<StackClients>,
  stackId: string,
): Promise<Stack> {
  return memo(`stack:${stackId}`, async () => {
    const { Stacks } = await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: stackId }));
    const stack = Stacks?.[0];
    if (!stack) throw new StackMissingError(stackId);
    return stack;
  });
}
