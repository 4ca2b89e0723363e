import { parsePolicy, partitionOf, tlsEnforcement } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import { bucketPolicy } from './bucket-facts.ts';
import type { S3Clients } from './clients.ts';

/**
 * PASS when the bucket policy denies every request over HTTP, to the bucket and to its objects, for
 * every principal and every S3 action, whatever the rest of the policy says (evaluators/policy/tls.ts).
 */
export const s3BucketSslRequestsOnly: CheckRule<S3Clients> = async (context) => {
  const bucket = context.resource.physicalId;
  const text = await bucketPolicy(context);
  if (text === undefined)
    return { status: 'FAIL', message: 'bucket has no policy, so nothing denies HTTP requests' };
  const bucketArn = `arn:${partitionOf(context.stack.stackId)}:s3:::${bucket}`;
  const required = [bucketArn, `${bucketArn}/*`];
  const verdict = tlsEnforcement(parsePolicy(text, `the bucket policy of ${bucket}`), ['s3:*'], required);
  const evidence = { denyingStatements: verdict.denyingStatements, uncovered: verdict.uncovered };
  if (verdict.uncovered.length === 0) {
    return {
      status: 'PASS',
      message: `the policy denies every request without TLS to the bucket and its objects (${verdict.denyingStatements.join(', ')})`,
      evidence,
    };
  }
  return {
    status: 'FAIL',
    message:
      verdict.denyingStatements.length === 0
        ? 'no statement denies every request without TLS (Deny to "*" on s3:* when aws:SecureTransport is false)'
        : `requests without TLS are not denied for ${verdict.uncovered.join(' and ')}`,
    evidence,
  };
};
