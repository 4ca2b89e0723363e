/**
 * The facts several S3 checks read, each loaded once per work item through `memo`: one
 * GetPublicAccessBlock, one GetBucketPolicy, … per bucket, however many checks look at it.
 * "Not configured" answers (docs/adding-a-check.md) come back as `undefined`; every other error propagates, so
 * run.ts can map AccessDenied and throttling.
 */
import {
  GetBucketAclCommand,
  type GetBucketAclCommandOutput,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketVersioningCommand,
  type GetBucketVersioningCommandOutput,
  GetPublicAccessBlockCommand,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { isAwsError } from '../../shared/errors.ts';
import type { CheckContext } from '../types.ts';
import type { S3Clients } from './clients.ts';

export type S3CheckContext = Pick<CheckContext<S3Clients>, 'resource' | 'clients' | 'memo' | 'stack'>;

/** The four Block Public Access flags, as both the bucket and the account level report them. */
export interface BlockPublicAccessSettings {
  readonly BlockPublicAcls?: boolean;
  readonly IgnorePublicAcls?: boolean;
  readonly BlockPublicPolicy?: boolean;
  readonly RestrictPublicBuckets?: boolean;
}

/** Resolves to `undefined` when the call fails with one of the "not configured" error names. */
export async function unlessNotConfigured<T>(
  load: Promise<T>,
  ...notConfigured: string[]
): Promise<T | undefined> {
  try {
    return await load;
  } catch (error) {
    if (isAwsError(error, ...notConfigured)) return undefined;
    throw error;
  }
}

/** GetBucketLocation says null/"" for us-east-1 and "EU" for eu-west-1. */
export function regionOfLocation(locationConstraint: string | null | undefined): string {
  if (!locationConstraint) return 'us-east-1';
  if (locationConstraint === 'EU') return 'eu-west-1';
  return locationConstraint;
}

export function bucketPublicAccessBlock(
  context: S3CheckContext,
): Promise<BlockPublicAccessSettings | undefined> {
  const bucket = context.resource.physicalId;
  return context.memo(`publicAccessBlock:${bucket}`, async () => {
    const answer = await unlessNotConfigured(
      context.clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })),
      'NoSuchPublicAccessBlockConfiguration',
    );
    return answer?.PublicAccessBlockConfiguration ?? (answer ? {} : undefined);
  });
}

/** The account-level settings of the audited stack's account (S3 Control). */
export function accountPublicAccessBlock(
  context: S3CheckContext,
): Promise<BlockPublicAccessSettings | undefined> {
  const accountId = context.stack.accountId;
  return context.memo(`accountPublicAccessBlock:${accountId}`, async () => {
    const answer = await unlessNotConfigured(
      context.clients.s3Control.send(new GetAccountPublicAccessBlockCommand({ AccountId: accountId })),
      'NoSuchPublicAccessBlockConfiguration',
    );
    return answer?.PublicAccessBlockConfiguration ?? (answer ? {} : undefined);
  });
}

export function bucketAcl(context: S3CheckContext): Promise<GetBucketAclCommandOutput> {
  const bucket = context.resource.physicalId;
  return context.memo(`acl:${bucket}`, () =>
    context.clients.s3.send(new GetBucketAclCommand({ Bucket: bucket })),
  );
}

/** The bucket policy as JSON text; `undefined` when the bucket has none. */
export function bucketPolicy(context: S3CheckContext): Promise<string | undefined> {
  const bucket = context.resource.physicalId;
  return context.memo(`policy:${bucket}`, async () => {
    const answer = await unlessNotConfigured(
      context.clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })),
      'NoSuchBucketPolicy',
    );
    return answer?.Policy || undefined;
  });
}

/**
 * AWS's own verdict on the bucket policy (`PolicyStatus.IsPublic`); `undefined` when there is no
 * policy or no verdict (moto answers `{PolicyStatus:{}}`), so callers fall back to the statement rule.
 */
export function bucketPolicyIsPublic(context: S3CheckContext): Promise<boolean | undefined> {
  const bucket = context.resource.physicalId;
  return context.memo(`policyStatus:${bucket}`, async () => {
    const answer = await unlessNotConfigured(
      context.clients.s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket })),
      'NoSuchBucketPolicy',
    );
    return answer?.PolicyStatus?.IsPublic;
  });
}

export function bucketVersioning(context: S3CheckContext): Promise<GetBucketVersioningCommandOutput> {
  const bucket = context.resource.physicalId;
  return context.memo(`versioning:${bucket}`, () =>
    context.clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket })),
  );
}

/** The default-encryption rules; `undefined` when the bucket has no encryption configuration. */
export function bucketEncryptionRules(
  context: S3CheckContext,
): Promise<readonly ServerSideEncryptionRule[] | undefined> {
  const bucket = context.resource.physicalId;
  return context.memo(`encryption:${bucket}`, async () => {
    const answer = await unlessNotConfigured(
      context.clients.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })),
      'ServerSideEncryptionConfigurationNotFoundError',
    );
    return answer ? (answer.ServerSideEncryptionConfiguration?.Rules ?? []) : undefined;
  });
}

/** The region a bucket lives in (any bucket: the audited one or a replication destination). */
export function bucketRegion(context: S3CheckContext, bucket: string): Promise<string> {
  return context.memo(`location:${bucket}`, async () => {
    const answer = await context.clients.s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
    return regionOfLocation(answer.LocationConstraint);
  });
}
