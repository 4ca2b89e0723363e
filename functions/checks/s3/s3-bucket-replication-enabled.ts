import { GetBucketReplicationCommand } from '@aws-sdk/client-s3';
import { textParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import { bucketRegion, unlessNotConfigured } from './bucket-facts.ts';
import type { S3Clients } from './clients.ts';

const REPLICATION_TYPES = ['CROSS-REGION', 'SAME-REGION'];

/** `arn:aws:s3:::name` → `name` (replication destinations are bucket ARNs). */
const bucketOfArn = (arn: string) => arn.replace(/^arn:[^:]+:s3:::/, '');

/** PASS when a replication rule is Enabled (to another / the same region, with `ReplicationType`). */
export const s3BucketReplicationEnabled: CheckRule<S3Clients> = async (context) => {
  const { resource, params, clients, memo } = context;
  const replicationType = textParam(params.ReplicationType)?.toUpperCase();
  if (replicationType !== undefined && !REPLICATION_TYPES.includes(replicationType)) {
    return {
      status: 'ERROR',
      message: `ReplicationType must be CROSS-REGION or SAME-REGION, not ${replicationType}`,
    };
  }
  const answer = await memo(`replication:${resource.physicalId}`, () =>
    unlessNotConfigured(
      clients.s3.send(new GetBucketReplicationCommand({ Bucket: resource.physicalId })),
      'ReplicationConfigurationNotFoundError',
    ),
  );
  if (!answer) return { status: 'FAIL', message: 'no replication configuration' };
  const destinations = (answer.ReplicationConfiguration?.Rules ?? [])
    .filter((rule) => rule.Status === 'Enabled')
    .map((rule) => bucketOfArn(rule.Destination?.Bucket ?? ''));
  if (destinations.length === 0) return { status: 'FAIL', message: 'every replication rule is disabled' };
  if (replicationType === undefined) {
    return {
      status: 'PASS',
      message: `replicates to ${destinations.join(', ')}`,
      evidence: { destinations },
    };
  }
  const sourceRegion = await bucketRegion(context, resource.physicalId);
  const regions = await Promise.all(destinations.map((destination) => bucketRegion(context, destination)));
  const wantCrossRegion = replicationType === 'CROSS-REGION';
  const matching = destinations.filter((_, i) => (regions[i] !== sourceRegion) === wantCrossRegion);
  const evidence = {
    sourceRegion,
    destinations: destinations.map((bucket, i) => ({ bucket, region: regions[i] })),
  };
  if (matching.length === 0) {
    return {
      status: 'FAIL',
      message: `no enabled rule replicates ${wantCrossRegion ? 'to another region' : `within ${sourceRegion}`}`,
      evidence,
    };
  }
  return { status: 'PASS', message: `replicates ${replicationType} to ${matching.join(', ')}`, evidence };
};
