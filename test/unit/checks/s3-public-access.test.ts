import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../functions/checks/evaluators/policy.ts';
import {
  effectiveBlockPublicAccess,
  PUBLIC_ACCESS,
  publicAclGrants,
  publicPolicyStatements,
  S3_SAYS_PUBLIC,
} from '../../../functions/checks/s3/public-access.ts';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

describe('effectiveBlockPublicAccess', () => {
  it('is all off when neither level has a configuration', () => {
    expect(effectiveBlockPublicAccess(undefined, undefined)).toEqual({
      BlockPublicAcls: false,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
  });

  it('turns a flag on when either level turns it on', () => {
    const effective = effectiveBlockPublicAccess(
      { IgnorePublicAcls: true, RestrictPublicBuckets: false },
      { RestrictPublicBuckets: true, BlockPublicAcls: false },
    );

    expect(effective).toEqual({
      BlockPublicAcls: false,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: true,
    });
  });
});

describe('publicAclGrants', () => {
  const grants = [
    { Grantee: { Type: 'CanonicalUser' as const, ID: 'owner' }, Permission: 'FULL_CONTROL' as const },
    { Grantee: { Type: 'Group' as const, URI: ALL_USERS }, Permission: 'READ' as const },
    { Grantee: { Type: 'Group' as const, URI: AUTHENTICATED_USERS }, Permission: 'WRITE_ACP' as const },
    { Grantee: { Type: 'Group' as const, URI: LOG_DELIVERY }, Permission: 'WRITE' as const },
  ];

  it('keeps public-group grants with a read permission', () => {
    expect(publicAclGrants(grants, PUBLIC_ACCESS.read.aclPermissions)).toEqual(['AllUsers:READ']);
  });

  it('keeps public-group grants with a write permission, never the owner or LogDelivery', () => {
    expect(publicAclGrants(grants, PUBLIC_ACCESS.write.aclPermissions)).toEqual([
      'AuthenticatedUsers:WRITE_ACP',
    ]);
  });

  it('is empty without grants', () => {
    expect(publicAclGrants(undefined, PUBLIC_ACCESS.read.aclPermissions)).toEqual([]);
  });
});

describe('publicPolicyStatements', () => {
  const policy = parsePolicy(
    {
      Statement: [
        { Sid: 'PublicGet', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
        {
          Sid: 'PinnedPut',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 's3:PutObject',
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
        },
        { Effect: 'Allow', Principal: { AWS: ['*'] }, NotAction: ['s3:Get*', 's3:List*'], Resource: '*' },
        {
          Sid: 'Service',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:*',
          Resource: '*',
        },
        { Sid: 'NoBucketDeletes', Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: '*' },
      ],
    },
    'bucket policy',
  );

  it('without an AWS verdict, applies the public-statement rule (conditions pin, services are not public)', () => {
    expect(publicPolicyStatements(policy, PUBLIC_ACCESS.read.policyActions, undefined)).toEqual([
      'PublicGet',
    ]);
    expect(publicPolicyStatements(policy, PUBLIC_ACCESS.write.policyActions, undefined)).toEqual([
      'Statement[2]',
    ]);
  });

  it('with IsPublic true, names the statements the evaluator attributes it to', () => {
    expect(publicPolicyStatements(policy, PUBLIC_ACCESS.write.policyActions, true)).toEqual(['Statement[2]']);
  });

  it('with IsPublic true and no statement the evaluator finds public, S3’s answer stands: never a pass', () => {
    const pinnedOnly = parsePolicy(
      {
        Statement: [
          policy.statements[1] && {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:GetObject',
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
          },
        ],
      },
      'bucket policy',
    );

    expect(publicPolicyStatements(pinnedOnly, PUBLIC_ACCESS.read.policyActions, true)).toEqual([
      S3_SAYS_PUBLIC,
    ]);
    expect(publicPolicyStatements(pinnedOnly, PUBLIC_ACCESS.write.policyActions, true)).toEqual([
      S3_SAYS_PUBLIC,
    ]);
    expect(publicPolicyStatements(pinnedOnly, PUBLIC_ACCESS.read.policyActions, undefined)).toEqual([]);
  });

  it('with IsPublic false, finds nothing', () => {
    expect(publicPolicyStatements(policy, PUBLIC_ACCESS.read.policyActions, false)).toEqual([]);
  });
});
