import { booleanParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import { accountPublicAccessBlock, type BlockPublicAccessSettings } from './bucket-facts.ts';
import type { S3Clients } from './clients.ts';

const FLAGS: readonly (keyof BlockPublicAccessSettings)[] = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
];

/**
 * Runs on the stack: PASS when the account of the stack turns on every Block Public Access flag the
 * parameters require (each defaults to true; `false` drops the requirement).
 */
export const s3AccountLevelPublicAccessBlocksPeriodic: CheckRule<S3Clients> = async (context) => {
  const settings = await accountPublicAccessBlock(context);
  const required = FLAGS.filter((flag) => booleanParam(context.params[flag], flag, true));
  const off = required.filter((flag) => settings?.[flag] !== true);
  const evidence = { accountId: context.stack.accountId, PublicAccessBlockConfiguration: settings ?? null };
  if (!settings && off.length > 0) {
    return { status: 'FAIL', message: 'no account-level Block Public Access configuration', evidence };
  }
  if (off.length > 0) {
    return {
      status: 'FAIL',
      message: `account-level Block Public Access is off for ${off.join(', ')}`,
      evidence,
    };
  }
  const message =
    required.length > 0
      ? `account-level Block Public Access is on for ${required.join(', ')}`
      : 'no account-level Block Public Access flag is required';
  return { status: 'PASS', message, evidence };
};
