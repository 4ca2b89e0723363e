import { GetBucketLifecycleConfigurationCommand } from '@aws-sdk/client-s3';
import type { CheckRule } from '../types.ts';
import { bucketVersioning, unlessNotConfigured } from './bucket-facts.ts';
import type { S3Clients } from './clients.ts';

/** For a versioned bucket: PASS when a lifecycle rule is Enabled. Unversioned buckets are N/A. */
export const s3VersionLifecyclePolicyCheck: CheckRule<S3Clients> = async (context) => {
  const { resource, clients, memo } = context;
  const versioning = await bucketVersioning(context);
  if (versioning.Status !== 'Enabled') {
    return { status: 'NOT_APPLICABLE', message: `versioning is ${versioning.Status ?? 'never enabled'}` };
  }
  const answer = await memo(`lifecycle:${resource.physicalId}`, () =>
    unlessNotConfigured(
      clients.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: resource.physicalId })),
      'NoSuchLifecycleConfiguration',
    ),
  );
  if (!answer) return { status: 'FAIL', message: 'versioned bucket has no lifecycle configuration' };
  const enabled = (answer.Rules ?? []).filter((rule) => rule.Status === 'Enabled');
  if (enabled.length === 0) return { status: 'FAIL', message: 'every lifecycle rule is disabled' };
  const expiresNoncurrent = enabled.some((rule) => rule.NoncurrentVersionExpiration !== undefined);
  const evidence = { enabledRules: enabled.map((rule) => rule.ID ?? ''), expiresNoncurrent };
  return {
    status: 'PASS',
    message: expiresNoncurrent
      ? 'an enabled lifecycle rule expires noncurrent versions'
      : 'an enabled lifecycle rule exists (advisable: add NoncurrentVersionExpiration)',
    evidence,
  };
};
