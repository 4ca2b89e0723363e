import { GetBucketLoggingCommand } from '@aws-sdk/client-s3';
import { textParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { S3Clients } from './clients.ts';

/** PASS when server access logging has a target bucket (and the required bucket/prefix, when given). */
export const s3BucketLoggingEnabled: CheckRule<S3Clients> = async ({ resource, params, clients, memo }) => {
  const logging = await memo(`logging:${resource.physicalId}`, () =>
    clients.s3.send(new GetBucketLoggingCommand({ Bucket: resource.physicalId })),
  );
  const target = logging.LoggingEnabled;
  if (!target?.TargetBucket) return { status: 'FAIL', message: 'server access logging is off' };
  const evidence = { TargetBucket: target.TargetBucket, TargetPrefix: target.TargetPrefix ?? '' };
  const requiredBucket = textParam(params.targetBucket);
  const requiredPrefix = textParam(params.targetPrefix);
  if (requiredBucket !== undefined && target.TargetBucket !== requiredBucket) {
    return {
      status: 'FAIL',
      message: `access logs go to ${target.TargetBucket}, not ${requiredBucket}`,
      evidence,
    };
  }
  if (requiredPrefix !== undefined && evidence.TargetPrefix !== requiredPrefix) {
    return {
      status: 'FAIL',
      message: `access log prefix is "${evidence.TargetPrefix}", not "${requiredPrefix}"`,
      evidence,
    };
  }
  return { status: 'PASS', message: `access logs go to ${target.TargetBucket}`, evidence };
};
