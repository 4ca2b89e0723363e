import { asList, isTlsOnlyStatement, parsePolicy, wildcardMatch } from '../evaluators/policy.ts';
import type { CheckRule } from '../types.ts';
import { bucketPolicy } from './bucket-facts.ts';
import type { S3Clients } from './clients.ts';

/** PASS when one TLS-only Deny statement covers both the bucket and its objects. */
export const s3BucketSslRequestsOnly: CheckRule<S3Clients> = async (context) => {
  const policy = await bucketPolicy(context);
  if (policy === undefined) return { status: 'FAIL', message: 'bucket has no policy' };
  const bucketArn = `arn:aws:s3:::${context.resource.physicalId}`;
  const targets = [bucketArn, `${bucketArn}/*`];
  const tlsOnly = parsePolicy(policy).Statement.filter((statement) =>
    isTlsOnlyStatement(statement, ['s3:*']),
  );
  if (tlsOnly.length === 0) {
    return {
      status: 'FAIL',
      message: 'no statement denies requests without TLS (aws:SecureTransport=false)',
    };
  }
  const covers = (resources: string[], target: string) => resources.some((r) => wildcardMatch(r, target));
  if (tlsOnly.some((statement) => targets.every((t) => covers(asList(statement.Resource), t)))) {
    return { status: 'PASS', message: 'policy denies requests without TLS to the bucket and its objects' };
  }
  const covered = targets.filter((t) => tlsOnly.some((statement) => covers(asList(statement.Resource), t)));
  return {
    status: 'FAIL',
    message: `no TLS-only statement covers both ${targets.join(' and ')}`,
    evidence: { coveredResources: covered },
  };
};
