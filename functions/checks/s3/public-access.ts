/**
 * Public read / public write of a bucket (the README's check catalog: s3-bucket-public-read/write-prohibited): the two
 * checks differ only in the ACL permissions and policy actions that count, so they share this logic.
 * Block Public Access is effective when set at the bucket OR the account level.
 */
import type { Grant } from '@aws-sdk/client-s3';
import {
  isPublicStatement,
  type PolicyDocument,
  parsePolicy,
  principalIsEveryone,
  statementGrantsAnyOf,
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

export const PUBLIC_ACCESS: Readonly<
  Record<
    PublicAccessKind,
    { readonly aclPermissions: readonly string[]; readonly policyActions: readonly string[] }
  >
> = {
  read: { aclPermissions: ['READ', 'READ_ACP', 'FULL_CONTROL'], policyActions: ['s3:Get*', 's3:List*'] },
  write: { aclPermissions: ['WRITE', 'WRITE_ACP', 'FULL_CONTROL'], policyActions: ['s3:Put*', 's3:Delete*'] },
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
 * Statements (by Sid, else `Statement[i]`) that open one of `actions` to the public. When AWS has
 * judged the policy (`awsSaysPublic`), its verdict wins over our condition analysis; without one,
 * the shared public-statement rule decides.
 */
export function publicPolicyStatements(
  policy: PolicyDocument,
  actions: readonly string[],
  awsSaysPublic: boolean | undefined,
): string[] {
  if (awsSaysPublic === false) return [];
  return policy.Statement.flatMap((statement, index) => {
    const opensToEveryone =
      awsSaysPublic === true
        ? statement.Effect === 'Allow' && principalIsEveryone(statement.Principal)
        : isPublicStatement(statement);
    return opensToEveryone && statementGrantsAnyOf(statement, actions)
      ? [statement.Sid ?? `Statement[${index}]`]
      : [];
  });
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
      policyStatements = publicPolicyStatements(parsePolicy(policy), policyActions, policyStatusIsPublic);
    }
  }
  const evidence = { blockPublicAccess, aclGrants, policyStatements, policyStatusIsPublic };
  const verb = kind === 'read' ? 'readable' : 'writable';
  if (aclGrants.length > 0 || policyStatements.length > 0) {
    const through = [
      ...(aclGrants.length > 0 ? [`ACL grant ${aclGrants.join(', ')}`] : []),
      ...(policyStatements.length > 0 ? [`policy statement ${policyStatements.join(', ')}`] : []),
    ];
    return { status: 'FAIL', message: `publicly ${verb} through ${through.join(' and ')}`, evidence };
  }
  const message =
    blockPublicAccess.IgnorePublicAcls && blockPublicAccess.RestrictPublicBuckets
      ? `not publicly ${verb}: Block Public Access ignores public ACLs and restricts public policies`
      : `not publicly ${verb}: no public ${kind} grant in the ACL or bucket policy`;
  return { status: 'PASS', message, evidence };
}
