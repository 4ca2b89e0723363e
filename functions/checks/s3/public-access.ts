/**
 * Public read / public write of a bucket (the README's check catalog: s3-bucket-public-read/write-prohibited): the two
 * checks differ only in the ACL permissions and policy actions that count, so they share this logic.
 * Block Public Access is effective when set at the bucket OR the account level.
 */
import type { Grant } from '@aws-sdk/client-s3';
import {
  grantReaches,
  type Policy,
  type PublicDefinition,
  type PublicGrant,
  parsePolicy,
  publicGrants,
} from '../evaluators/policy.ts';
import type { CheckOutcome } from '../types.ts';
import {
  accountPublicAccessBlock,
  type BlockPublicAccessSettings,
  bucketAcl,
  bucketPolicy,
  bucketPolicyIsPublic,
  bucketPublicAccessBlock,
  type S3CheckContext,
} from './bucket-facts.ts';

export type PublicAccessKind = 'read' | 'write';

/**
 * S3's own pinning keys, from "The meaning of public"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
 */
export const S3_PUBLIC_DEFINITION: PublicDefinition = {
  extraPinningKeys: [
    's3:x-amz-server-side-encryption-aws-kms-key-id',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
  ],
};

/**
 * S3's "bad actions": "s3:Get*, s3:List*, s3:AbortMultipartUpload, s3:Delete*, s3:Put*, and
 * s3:RestoreObject" (PublicAccessBlockConfiguration, Amazon S3 API Reference), split into the ones
 * that read and the ones that write.
 */
export const PUBLIC_ACCESS: Readonly<
  Record<
    PublicAccessKind,
    { readonly aclPermissions: readonly string[]; readonly policyActions: readonly string[] }
  >
> = {
  read: { aclPermissions: ['READ', 'READ_ACP', 'FULL_CONTROL'], policyActions: ['s3:Get*', 's3:List*'] },
  write: {
    aclPermissions: ['WRITE', 'WRITE_ACP', 'FULL_CONTROL'],
    policyActions: ['s3:Put*', 's3:Delete*', 's3:AbortMultipartUpload', 's3:RestoreObject'],
  },
};
const PUBLIC_GROUPS: Readonly<Record<string, string>> = {
  'http://acs.amazonaws.com/groups/global/AllUsers': 'AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers': 'AuthenticatedUsers',
};

export type EffectiveBlockPublicAccess = Required<BlockPublicAccessSettings>;

/** Each flag is on when the bucket or the account turns it on; no configuration means all off. */
export function effectiveBlockPublicAccess(
  bucket: BlockPublicAccessSettings | undefined,
  account: BlockPublicAccessSettings | undefined,
): EffectiveBlockPublicAccess {
  const on = (flag: keyof BlockPublicAccessSettings) => bucket?.[flag] === true || account?.[flag] === true;
  return {
    BlockPublicAcls: on('BlockPublicAcls'),
    IgnorePublicAcls: on('IgnorePublicAcls'),
    BlockPublicPolicy: on('BlockPublicPolicy'),
    RestrictPublicBuckets: on('RestrictPublicBuckets'),
  };
}

/** ACL grants to AllUsers/AuthenticatedUsers with one of `permissions`, as `AllUsers:READ`. */
export function publicAclGrants(
  grants: readonly Grant[] | undefined,
  permissions: readonly string[],
): string[] {
  return (grants ?? []).flatMap((grant) => {
    const group = PUBLIC_GROUPS[grant.Grantee?.URI ?? ''];
    const permission = grant.Permission ?? '';
    return group && permissions.includes(permission) ? [`${group}:${permission}`] : [];
  });
}

/**
 * The public statements of the bucket policy that reach `actions`, by the shared evaluator. When S3
 * itself has judged the policy (GetBucketPolicyStatus), a "not public" answer is S3's and wins; a
 * "public" answer is never overridden into a pass: if the evaluator attributes the publicness to
 * other actions, those statements are named, and if it finds no public statement at all, S3's answer
 * stands on its own (`S3 reports the policy public`).
 */
export const S3_SAYS_PUBLIC = 'S3 itself (GetBucketPolicyStatus IsPublic: true)';

export function publicPolicyStatements(
  policy: Policy,
  actions: readonly string[],
  awsSaysPublic: boolean | undefined,
): string[] {
  if (awsSaysPublic === false) return [];
  const grants: PublicGrant[] = publicGrants(policy, S3_PUBLIC_DEFINITION);
  const reaching = grants.filter((grant) => grantReaches(grant, actions)).map((grant) => grant.statement);
  if (awsSaysPublic === true && grants.length === 0) {
    return [S3_SAYS_PUBLIC];
  }
  return reaching;
}

/** The rule behind s3-bucket-public-read-prohibited and s3-bucket-public-write-prohibited. */
export async function assessPublicAccess(
  context: S3CheckContext,
  kind: PublicAccessKind,
): Promise<CheckOutcome> {
  const { aclPermissions, policyActions } = PUBLIC_ACCESS[kind];
  const [bucketBlock, accountBlock] = await Promise.all([
    bucketPublicAccessBlock(context),
    accountPublicAccessBlock(context),
  ]);
  const blockPublicAccess = effectiveBlockPublicAccess(bucketBlock, accountBlock);
  // What Block Public Access neutralises need not be read (nor granted to the auditor).
  const aclGrants = blockPublicAccess.IgnorePublicAcls
    ? []
    : publicAclGrants((await bucketAcl(context)).Grants, aclPermissions);
  let policyStatements: string[] = [];
  let policyStatusIsPublic: boolean | undefined;
  if (!blockPublicAccess.RestrictPublicBuckets) {
    const policy = await bucketPolicy(context);
    if (policy !== undefined) {
      policyStatusIsPublic = await bucketPolicyIsPublic(context);
      policyStatements = publicPolicyStatements(
        parsePolicy(policy, `the bucket policy of ${context.resource.physicalId}`),
        policyActions,
        policyStatusIsPublic,
      );
    }
  }
  const evidence = { blockPublicAccess, aclGrants, policyStatements, policyStatusIsPublic };
  const verb = kind === 'read' ? 'readable' : 'writable';
  if (aclGrants.length > 0 || policyStatements.length > 0) {
    const through = [
      ...(aclGrants.length > 0 ? [`ACL grant ${aclGrants.join(', ')}`] : []),
      ...(policyStatements.length > 0
        ? [
            policyStatements[0] === S3_SAYS_PUBLIC
              ? `the bucket policy, judged public by ${S3_SAYS_PUBLIC}`
              : `policy statement ${policyStatements.join(', ')}`,
          ]
        : []),
    ];
    return { status: 'FAIL', message: `publicly ${verb} through ${through.join(' and ')}`, evidence };
  }
  const message =
    blockPublicAccess.IgnorePublicAcls && blockPublicAccess.RestrictPublicBuckets
      ? `not publicly ${verb}: Block Public Access ignores public ACLs and restricts public policies`
      : `not publicly ${verb}: no public ${kind} grant in the ACL or bucket policy`;
  return { status: 'PASS', message, evidence };
}
