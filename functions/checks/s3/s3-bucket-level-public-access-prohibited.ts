import { listParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import { type BlockPublicAccessSettings, bucketPublicAccessBlock } from './bucket-facts.ts';
import type { S3Clients } from './clients.ts';

const FLAGS: readonly (keyof BlockPublicAccessSettings)[] = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
];

/** PASS when the bucket's own Block Public Access turns on all four flags; buckets public on purpose are N/A. */
export const s3BucketLevelPublicAccessProhibited: CheckRule<S3Clients> = async (context) => {
  const bucket = context.resource.physicalId;
  if (listParam(context.params.excludedPublicBuckets).includes(bucket)) {
    return { status: 'NOT_APPLICABLE', message: 'bucket is listed in excludedPublicBuckets' };
  }
  const settings = await bucketPublicAccessBlock(context);
  if (!settings) {
    return { status: 'FAIL', message: 'no bucket-level Block Public Access configuration' };
  }
  const off = FLAGS.filter((flag) => settings[flag] !== true);
  if (off.length > 0) {
    return {
      status: 'FAIL',
      message: `Block Public Access is off for ${off.join(', ')}`,
      evidence: { PublicAccessBlockConfiguration: settings },
    };
  }
  return { status: 'PASS', message: 'all four Block Public Access flags are on' };
};
