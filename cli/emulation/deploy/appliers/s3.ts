/** s3: the configuration moto's CloudFormation ignores, applied through the service API (table in ../index.ts). */
import {
  type BucketCannedACL,
  GetBucketAclCommand,
  type LifecycleRule,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type ReplicationRule,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import { type CfnResource, TemplateResolveError } from '../../template.ts';
import type { ApplyContext } from '../context.ts';
import { isRecord, list, number, policyText, text, truthy } from '../values.ts';

// x-amz-acl takes more canned ACLs than the SDK's BucketCannedACL type lists.
export const CANNED_ACLS: Record<string, string> = {
  Private: 'private',
  PublicRead: 'public-read',
  PublicReadWrite: 'public-read-write',
  AuthenticatedRead: 'authenticated-read',
  LogDeliveryWrite: 'log-delivery-write',
  BucketOwnerRead: 'bucket-owner-read',
  BucketOwnerFullControl: 'bucket-owner-full-control',
  AwsExecRead: 'aws-exec-read',
};

export const BUCKET_PROPERTIES_NOT_APPLIED = [
  'AccelerateConfiguration',
  'AnalyticsConfigurations',
  'CorsConfiguration',
  'IntelligentTieringConfigurations',
  'InventoryConfigurations',
  'MetricsConfigurations',
  'NotificationConfiguration',
  'ObjectLockConfiguration',
  'ObjectLockEnabled',
  'WebsiteConfiguration',
];

/** ACL, versioning, encryption with bucket key, lifecycle: everything later steps may rely on. */
export async function applyBucketBasics(context: ApplyContext, logicalId: string, resource: CfnResource) {
  const bucket = context.physicalId(logicalId);
  const { s3 } = context.clients;
  const acl = context.property(logicalId, 'AccessControl');
  if (typeof acl === 'string') {
    const canned = CANNED_ACLS[acl];
    if (!canned) throw new TemplateResolveError(`${logicalId}.AccessControl`, `unknown canned ACL ${acl}`);
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: canned as BucketCannedACL }));
    context.applied(logicalId, `ACL ${canned}`);
  }
  const versioning = context.property(logicalId, 'VersioningConfiguration.Status');
  if (typeof versioning === 'string') {
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: versioning as 'Enabled' | 'Suspended' },
      }),
    );
    context.applied(logicalId, `versioning ${versioning}`);
  }
  const encryption = list(context.property(logicalId, 'BucketEncryption.ServerSideEncryptionConfiguration'));
  if (
    encryption.some((rule) => isRecord(rule) && rule.BucketKeyEnabled !== undefined) ||
    encryption.length > 1
  ) {
    const Rules: ServerSideEncryptionRule[] = encryption.filter(isRecord).map((rule) => {
      const byDefault = isRecord(rule.ServerSideEncryptionByDefault)
        ? rule.ServerSideEncryptionByDefault
        : {};
      return {
        ApplyServerSideEncryptionByDefault: {
          SSEAlgorithm: text(byDefault.SSEAlgorithm) as 'AES256',
          KMSMasterKeyID: text(byDefault.KMSMasterKeyID),
        },
        BucketKeyEnabled: rule.BucketKeyEnabled === undefined ? undefined : truthy(rule.BucketKeyEnabled),
      };
    });
    await s3.send(
      new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules } }),
    );
    const first = Rules[0];
    context.applied(
      logicalId,
      `encryption ${first?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm}` +
        (first?.BucketKeyEnabled ? ' with bucket key' : ''),
    );
  }
  const lifecycle = list(context.property(logicalId, 'LifecycleConfiguration.Rules'));
  if (lifecycle.length > 0) {
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: lifecycle.filter(isRecord).map(lifecycleRule) },
      }),
    );
    context.applied(logicalId, `lifecycle ${lifecycle.length} rule(s)`);
  }
  for (const name of BUCKET_PROPERTIES_NOT_APPLIED) {
    if (resource.Properties?.[name] !== undefined) context.notApplied(logicalId, name);
  }
}

/** Settings that need other buckets or policies in place: logging, replication, ownership, public access block. */
export async function applyBucketLateSettings(context: ApplyContext, logicalId: string) {
  const bucket = context.physicalId(logicalId);
  const { s3 } = context.clients;
  const logging = context.property(logicalId, 'LoggingConfiguration');
  if (isRecord(logging)) {
    const target = text(logging.DestinationBucketName) ?? bucket;
    const prefix = text(logging.LogFilePrefix) ?? '';
    const putLogging = () =>
      s3.send(
        new PutBucketLoggingCommand({
          Bucket: bucket,
          BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: prefix } },
        }),
      );
    try {
      await putLogging();
      context.applied(logicalId, `logging to ${target}/${prefix}`);
    } catch (error) {
      if ((error as Error).name !== 'InvalidTargetBucketForLogging') throw error;
      // As on AWS: without a bucket policy for logging.s3.amazonaws.com, the target needs the
      // log-delivery group's WRITE and READ_ACP grants. Existing grants are kept.
      await grantLogDelivery(context, target);
      await putLogging();
      context.applied(logicalId, `logging to ${target}/${prefix} (log-delivery ACL granted on ${target})`);
    }
  }
  const replication = context.property(logicalId, 'ReplicationConfiguration');
  if (isRecord(replication)) {
    const Rules = list(replication.Rules).filter(isRecord).map(replicationRule);
    await s3.send(
      new PutBucketReplicationCommand({
        Bucket: bucket,
        ReplicationConfiguration: { Role: text(replication.Role), Rules },
      }),
    );
    context.applied(logicalId, `replication ${Rules.length} rule(s)`);
  }
  const ownership = list(context.property(logicalId, 'OwnershipControls.Rules')).filter(isRecord);
  if (ownership.length > 0) {
    await s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: bucket,
        OwnershipControls: {
          Rules: ownership.map((rule) => ({
            ObjectOwnership: text(rule.ObjectOwnership) as 'BucketOwnerEnforced',
          })),
        },
      }),
    );
    context.applied(
      logicalId,
      `object ownership ${ownership.map((rule) => text(rule.ObjectOwnership)).join(',')}`,
    );
  }
  const block = context.property(logicalId, 'PublicAccessBlockConfiguration');
  if (isRecord(block)) {
    const flags = {
      BlockPublicAcls: truthy(block.BlockPublicAcls),
      IgnorePublicAcls: truthy(block.IgnorePublicAcls),
      BlockPublicPolicy: truthy(block.BlockPublicPolicy),
      RestrictPublicBuckets: truthy(block.RestrictPublicBuckets),
    };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: flags }));
    const on = Object.entries(flags)
      .filter(([, value]) => value)
      .map(([name]) => name);
    context.applied(logicalId, `public access block ${on.length > 0 ? on.join(',') : 'all off'}`);
  }
}

export const LOG_DELIVERY_GROUP = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

export async function grantLogDelivery(context: ApplyContext, target: string) {
  const { s3 } = context.clients;
  const acl = await s3.send(new GetBucketAclCommand({ Bucket: target }));
  const grants = [...(acl.Grants ?? [])];
  for (const permission of ['WRITE', 'READ_ACP'] as const) {
    if (
      !grants.some((grant) => grant.Grantee?.URI === LOG_DELIVERY_GROUP && grant.Permission === permission)
    ) {
      grants.push({ Grantee: { Type: 'Group', URI: LOG_DELIVERY_GROUP }, Permission: permission });
    }
  }
  await s3.send(
    new PutBucketAclCommand({ Bucket: target, AccessControlPolicy: { Owner: acl.Owner, Grants: grants } }),
  );
}

export function lifecycleRule(rule: Record<string, unknown>): LifecycleRule {
  const prefix = text(rule.Prefix);
  const tags = list(rule.TagFilters)
    .filter(isRecord)
    .map((tag) => ({ Key: text(tag.Key), Value: text(tag.Value) }));
  const greater = number(rule.ObjectSizeGreaterThan);
  const less = number(rule.ObjectSizeLessThan);
  const conditions = [prefix, greater, less].filter((value) => value !== undefined).length + tags.length;
  let Filter: LifecycleRule['Filter'];
  if (conditions > 1) {
    Filter = {
      And: { Prefix: prefix, Tags: tags, ObjectSizeGreaterThan: greater, ObjectSizeLessThan: less },
    };
  } else if (tags.length === 1) {
    Filter = { Tag: tags[0] };
  } else if (greater !== undefined) {
    Filter = { ObjectSizeGreaterThan: greater };
  } else if (less !== undefined) {
    Filter = { ObjectSizeLessThan: less };
  } else {
    Filter = { Prefix: prefix ?? '' };
  }
  const expirationDays = number(rule.ExpirationInDays);
  const expirationDate = text(rule.ExpirationDate);
  const deleteMarker =
    rule.ExpiredObjectDeleteMarker === undefined ? undefined : truthy(rule.ExpiredObjectDeleteMarker);
  const transitions = [...list(rule.Transitions), ...(rule.Transition ? [rule.Transition] : [])].filter(
    isRecord,
  );
  const noncurrentTransitions = [
    ...list(rule.NoncurrentVersionTransitions),
    ...(rule.NoncurrentVersionTransition ? [rule.NoncurrentVersionTransition] : []),
  ].filter(isRecord);
  const noncurrent = isRecord(rule.NoncurrentVersionExpiration)
    ? {
        NoncurrentDays: number(rule.NoncurrentVersionExpiration.NoncurrentDays),
        NewerNoncurrentVersions: number(rule.NoncurrentVersionExpiration.NewerNoncurrentVersions),
      }
    : rule.NoncurrentVersionExpirationInDays !== undefined
      ? { NoncurrentDays: number(rule.NoncurrentVersionExpirationInDays) }
      : undefined;
  const abort = isRecord(rule.AbortIncompleteMultipartUpload)
    ? { DaysAfterInitiation: number(rule.AbortIncompleteMultipartUpload.DaysAfterInitiation) }
    : undefined;
  return {
    ID: text(rule.Id),
    Status: (text(rule.Status) ?? 'Enabled') as 'Enabled',
    Filter,
    Expiration:
      expirationDays !== undefined || expirationDate !== undefined || deleteMarker !== undefined
        ? {
            Days: expirationDays,
            Date: expirationDate ? new Date(expirationDate) : undefined,
            ExpiredObjectDeleteMarker: deleteMarker,
          }
        : undefined,
    Transitions:
      transitions.length > 0
        ? transitions.map((transition) => ({
            StorageClass: text(transition.StorageClass) as 'GLACIER',
            Days: number(transition.TransitionInDays),
            Date: text(transition.TransitionDate) ? new Date(String(transition.TransitionDate)) : undefined,
          }))
        : undefined,
    NoncurrentVersionExpiration: noncurrent,
    NoncurrentVersionTransitions:
      noncurrentTransitions.length > 0
        ? noncurrentTransitions.map((transition) => ({
            StorageClass: text(transition.StorageClass) as 'GLACIER',
            NoncurrentDays: number(transition.TransitionInDays),
            NewerNoncurrentVersions: number(transition.NewerNoncurrentVersions),
          }))
        : undefined,
    AbortIncompleteMultipartUpload: abort,
  };
}

/** CloudFormation's replication rule differs from the API's in three names: Id, TagFilter, TagFilters. */
export function replicationRule(rule: Record<string, unknown>): ReplicationRule {
  const { Id, Filter, Priority, ...rest } = rule;
  let filter: unknown = Filter;
  if (isRecord(Filter)) {
    const { TagFilter, And, ...filterRest } = Filter;
    filter = {
      ...filterRest,
      ...(TagFilter !== undefined ? { Tag: TagFilter } : {}),
      ...(isRecord(And)
        ? { And: { Prefix: And.Prefix, ...(And.TagFilters !== undefined ? { Tags: And.TagFilters } : {}) } }
        : {}),
    };
  }
  return {
    ...rest,
    ID: text(Id),
    Priority: number(Priority),
    ...(filter !== undefined ? { Filter: filter } : {}),
  } as ReplicationRule;
}

export async function applyBucketPolicy(context: ApplyContext, logicalId: string) {
  const bucket = context.requiredText(logicalId, 'Bucket');
  const policy = context.required(logicalId, 'PolicyDocument');
  await context.clients.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policyText(policy) }));
  context.created(logicalId, 'AWS::S3::BucketPolicy', bucket);
  context.applied(logicalId, `bucket policy on ${bucket}`);
}
