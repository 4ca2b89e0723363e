import { GetBucketOwnershipControlsCommand } from '@aws-sdk/client-s3';
import type { CheckRule } from '../types.ts';
import { unlessNotConfigured } from './bucket-facts.ts';
import type { S3Clients } from './clients.ts';

/** PASS when Object Ownership is BucketOwnerEnforced, which disables ACLs. */
export const s3BucketAclProhibited: CheckRule<S3Clients> = async ({ resource, clients, memo }) => {
  const answer = await memo(`ownershipControls:${resource.physicalId}`, () =>
    unlessNotConfigured(
      clients.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: resource.physicalId })),
      'OwnershipControlsNotFoundError',
    ),
  );
  if (!answer) return { status: 'FAIL', message: 'no Object Ownership setting, so ACLs are enabled' };
  const objectOwnership = answer.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? 'none';
  if (objectOwnership !== 'BucketOwnerEnforced') {
    return {
      status: 'FAIL',
      message: `Object Ownership is ${objectOwnership}, so ACLs are enabled`,
      evidence: { ObjectOwnership: objectOwnership },
    };
  }
  return { status: 'PASS', message: 'Object Ownership is BucketOwnerEnforced (ACLs disabled)' };
};
