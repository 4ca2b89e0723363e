import type { CheckRule } from '../types.ts';
import type { StackClients } from './clients.ts';
import { describeStack } from './describe-stack.ts';

/** PASS when the root stack has termination protection (a nested stack follows its root). */
export const cloudformationTerminationProtectionCheck: CheckRule<StackClients> = async (context) => {
  const stack = await describeStack(context, context.resource.physicalId);
  const root =
    stack.RootId && stack.RootId !== stack.StackId ? await describeStack(context, stack.RootId) : stack;
  const evidence = { stack: root.StackName, nested: root !== stack };
  if (root.EnableTerminationProtection !== true) {
    return {
      status: 'FAIL',
      message: `termination protection is off for ${root === stack ? 'the stack' : `the root stack ${root.StackName}`}`,
      evidence,
    };
  }
  return {
    status: 'PASS',
    message: `termination protection is on for ${root === stack ? 'the stack' : `the root stack ${root.StackName}`}`,
    evidence,
  };
};
