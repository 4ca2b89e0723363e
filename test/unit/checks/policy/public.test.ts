/**
 * AWS's definition of a public resource policy: S3's "The meaning of public" (its examples verbatim),
 * Config's "grants access only to fixed values", Lambda's service-principal rule, and the whole
 * policy judged (Deny statements that restrict the caller).
 */
import { describe, expect, it } from 'vitest';
import {
  grantReaches,
  isBoundedCidrSet,
  isFixedValue,
  type PublicDefinition,
  parsePolicy,
  publicGrants,
  resourcePolicyPublicity,
} from '../../../../functions/checks/evaluators/policy.ts';

const policyOf = (...statements: object[]) =>
  parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'test policy');
const isPublic = (definition: PublicDefinition, ...statements: object[]) =>
  publicGrants(policyOf(...statements), definition).length > 0;
const S3: PublicDefinition = {
  extraPinningKeys: [
    's3:x-amz-server-side-encryption-aws-kms-key-id',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
  ],
};
const LAMBDA: PublicDefinition = { servicePrincipalsNeedSourceCondition: true };
const put = { Resource: '*', Action: 's3:PutObject', Effect: 'Allow' };

describe('S3 "The meaning of public": the page’s examples', () => {
  it('a web identity federation principal is public', () => {
    expect(isPublic(S3, { Principal: { Federated: 'graph.facebook.com' }, ...put })).toBe(true);
  });

  it('Principal "*" is public', () => {
    expect(isPublic(S3, { Principal: '*', ...put })).toBe(true);
  });

  it('a wildcard aws:SourceVpc is public; a fixed one is not', () => {
    expect(
      isPublic(S3, { Principal: '*', ...put, Condition: { StringLike: { 'aws:SourceVpc': 'vpc-*' } } }),
    ).toBe(true);
    expect(
      isPublic(S3, {
        Principal: '*',
        ...put,
        Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-91237329' } },
      }),
    ).toBe(false);
  });

  it('one public statement makes the policy public (CloudTrail + Account-2 + "*")', () => {
    const grants = publicGrants(
      policyOf(
        {
          Sid: 'CloudTrail',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: '*',
        },
        {
          Sid: 'Account2',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::222222222222:root' },
          Action: 's3:GetObject',
          Resource: '*',
        },
        { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
      ),
      S3,
    );
    expect(grants.map((g) => g.statement)).toEqual(['Public']);
  });
});

describe('which principals are fixed', () => {
  it.each([
    [{ AWS: '*' }, true],
    [{ AWS: ['arn:aws:iam::111111111111:root', '*'] }, true],
    [{ AWS: 'arn:aws:iam::*:root' }, true],
    [{ AWS: '' }, true],
    [{ AWS: '111111111111' }, false],
    [{ AWS: 'arn:aws:iam::111111111111:role/app' }, false],
    [{ CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' }, false],
    [{ Service: 'cloudfront.amazonaws.com' }, false],
    [{ Federated: 'cognito-identity.amazonaws.com' }, true],
    [{ Federated: 'arn:aws:iam::111111111111:saml-provider/corp' }, false],
  ])('Principal %j is public: %s', (principal, expected) => {
    expect(
      isPublic(S3, { Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: '*' }),
    ).toBe(expected);
  });

  it('an Allow with NotPrincipal grants everyone else: public', () => {
    expect(
      isPublic(S3, {
        Effect: 'Allow',
        NotPrincipal: { AWS: 'arn:aws:iam::111111111111:root' },
        Action: 's3:GetObject',
        Resource: '*',
      }),
    ).toBe(true);
  });

  it('Deny statements never make a policy public', () => {
    expect(isPublic(S3, { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' })).toBe(false);
  });
});

describe('which conditions pin the caller to fixed values', () => {
  const open = (Condition: object, definition: PublicDefinition = S3) =>
    isPublic(definition, {
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: '*',
      Condition,
    });

  it.each([
    ['aws:SourceArn', 'arn:aws:sns:us-east-1:111111111111:topic'],
    ['aws:SourceAccount', '111111111111'],
    ['aws:SourceOwner', '111111111111'],
    ['aws:SourceVpce', 'vpce-1a2b3c4d'],
    ['aws:PrincipalOrgID', 'o-a1b2c3d4e5'],
    ['aws:PrincipalAccount', '111111111111'],
    ['aws:PrincipalArn', 'arn:aws:iam::111111111111:role/app'],
    ['aws:userid', 'AIDAEXAMPLEUSERID1234'],
    ['s3:x-amz-server-side-encryption-aws-kms-key-id', 'arn:aws:kms:us-east-1:111111111111:key/k'],
    ['s3:DataAccessPointAccount', '111111111111'],
  ])('StringEquals %s = %s pins', (key, value) => {
    expect(open({ StringEquals: { [key]: value } })).toBe(false);
  });

  it('keys are case-insensitive: AWS:SourceOwner as SNS writes it', () => {
    expect(open({ StringEquals: { 'AWS:SourceOwner': '111111111111' } })).toBe(false);
  });

  it.each([
    ['a wildcard', { StringLike: { 'aws:SourceAccount': '1111*' } }],
    ['a policy variable', { StringEquals: { 'aws:SourceAccount': '${aws:PrincipalAccount}' } }],
    ['IfExists', { StringEqualsIfExists: { 'aws:SourceAccount': '111111111111' } }],
    ['ForAllValues:', { 'ForAllValues:StringEquals': { 'aws:SourceAccount': '111111111111' } }],
    ['a negated operator', { StringNotEquals: { 'aws:SourceAccount': '111111111111' } }],
    ['Null', { Null: { 'aws:SourceAccount': 'false' } }],
    ['a key that does not identify the caller', { StringEquals: { 's3:prefix': 'public/' } }],
    ['Bool aws:SecureTransport', { Bool: { 'aws:SecureTransport': 'true' } }],
    ['one fixed and one wildcard value', { StringEquals: { 'aws:SourceAccount': ['111111111111', '*'] } }],
    ['an S3-only key outside S3', { StringEquals: { 's3:DataAccessPointAccount': '111111111111' } }],
  ])('%s does not pin', (_name, condition) => {
    expect(open(condition, _name === 'an S3-only key outside S3' ? {} : S3)).toBe(true);
  });

  it('ForAnyValue: on a fixed value pins (false when the key is absent)', () => {
    expect(open({ 'ForAnyValue:StringEquals': { 'aws:SourceVpce': ['vpce-1', 'vpce-2'] } })).toBe(false);
  });

  it('any one pinning clause pins, since clauses are ANDed', () => {
    expect(open({ StringLike: { 's3:prefix': '*' }, StringEquals: { 'aws:SourceVpc': 'vpc-1' } })).toBe(
      false,
    );
  });

  describe('ARN values', () => {
    it.each([
      ['arn:aws:execute-api:us-east-1:111111111111:abc123/*/GET/items', false],
      ['arn:aws:sns:*:111111111111:*', false],
      ['arn:aws:sns:us-east-1:*:topic', true],
      ['arn:aws:s3:::uploads', false],
      ['arn:aws:s3:::uploads-*', true],
      ['*', true],
    ])('ArnLike aws:SourceArn %s is public: %s', (arn, expected) => {
      expect(open({ ArnLike: { 'aws:SourceArn': arn } })).toBe(expected);
    });

    it('s3:DataAccessPointArn may wildcard the access point name when the account is fixed (the page’s note)', () => {
      expect(
        open({ StringLike: { 's3:DataAccessPointArn': 'arn:aws:s3:us-west-2:123456789012:accesspoint/*' } }),
      ).toBe(false);
      expect(open({ StringLike: { 's3:DataAccessPointArn': 'arn:aws:s3:us-west-2:*:accesspoint/*' } })).toBe(
        true,
      );
    });
  });

  it('aws:userid "AROLEID:*" names the sessions of one role: fixed', () => {
    expect(isFixedValue('aws:userid', 'AROAEXAMPLEROLEID1234:*')).toBe(true);
    expect(isFixedValue('aws:userid', '*:alice')).toBe(false);
  });

  it('an organization path is fixed when its organization id is', () => {
    expect(isFixedValue('aws:PrincipalOrgPaths', 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*')).toBe(true);
    expect(isFixedValue('aws:PrincipalOrgPaths', 'o-*/*')).toBe(false);
  });

  describe('CIDR sets (aws:SourceIp)', () => {
    it.each([
      [['203.0.113.0/24'], true],
      [['10.0.0.0/8', '2001:db8::/32'], true],
      [['0.0.0.0/0'], false],
      [['::/0'], false],
      [['0.0.0.0/1', '128.0.0.0/1'], false],
      [['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/2', '192.0.0.0/2'], false],
      [['0.0.0.0/1', '128.0.0.0/2'], true],
      [['not-an-ip'], false],
      [[], false],
    ])('%j leaves someone out: %s', (cidrs, bounded) => {
      expect(isBoundedCidrSet(cidrs)).toBe(bounded);
      expect(open({ IpAddress: { 'aws:SourceIp': cidrs } })).toBe(!bounded);
    });

    it('NotIpAddress on an Allow does not pin', () => {
      expect(open({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })).toBe(true);
    });
  });
});

describe('Lambda: a service principal needs a condition limiting the caller', () => {
  const invoke = {
    Effect: 'Allow',
    Action: 'lambda:InvokeFunction',
    Resource: 'arn:aws:lambda:us-east-1:111111111111:function:f',
  };

  it('s3.amazonaws.com without a source condition is public for Lambda, not for S3’s own definition', () => {
    const statement = { ...invoke, Principal: { Service: 's3.amazonaws.com' } };
    expect(isPublic(LAMBDA, statement)).toBe(true);
    expect(isPublic(S3, statement)).toBe(false);
  });

  it.each([
    [{ StringEquals: { 'AWS:SourceAccount': '111111111111' } }],
    [{ ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' } }],
    [{ ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:111111111111:abc123/*/*/' } }],
    [{ StringEquals: { 'lambda:EventSourceToken': 'amzn1.ask.skill.xyz' } }],
  ])('a service principal limited by %j is not public', (condition) => {
    expect(
      isPublic(LAMBDA, { ...invoke, Principal: { Service: 's3.amazonaws.com' }, Condition: condition }),
    ).toBe(false);
  });

  it('an org or VPC condition does not limit a service principal', () => {
    expect(
      isPublic(LAMBDA, {
        ...invoke,
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } },
      }),
    ).toBe(true);
  });

  it('an account principal needs no condition', () => {
    expect(isPublic(LAMBDA, { ...invoke, Principal: { AWS: 'arn:aws:iam::222222222222:root' } })).toBe(false);
  });
});

describe('the whole policy: Deny statements that restrict the caller', () => {
  const allowAll = {
    Sid: 'Anyone',
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::b/*',
  };

  it('a Deny to everyone not from a fixed VPC endpoint closes an open Allow', () => {
    const deny = {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
      Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
    };
    expect(isPublic(S3, allowAll, deny)).toBe(false);
  });

  it('a Deny with IfExists, a wildcard value or a narrower action does not', () => {
    const base = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' };
    expect(
      isPublic(S3, allowAll, {
        ...base,
        Condition: { StringNotEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } },
      }),
    ).toBe(true);
    expect(
      isPublic(S3, allowAll, { ...base, Condition: { StringNotLike: { 'aws:SourceVpce': 'vpce-*' } } }),
    ).toBe(true);
    expect(isPublic(S3, allowAll, { ...base, Action: 's3:PutObject' })).toBe(true);
    expect(isPublic(S3, allowAll, { ...base, Resource: 'arn:aws:s3:::b/private/*' })).toBe(true);
    expect(isPublic(S3, allowAll, { ...base, Condition: { Bool: { 'aws:SecureTransport': 'false' } } })).toBe(
      true,
    );
  });

  it('a Deny NotPrincipal naming fixed principals leaves only them', () => {
    expect(
      isPublic(S3, allowAll, {
        Effect: 'Deny',
        NotPrincipal: { AWS: 'arn:aws:iam::111111111111:role/reader' },
        Action: '*',
        Resource: '*',
      }),
    ).toBe(false);
  });

  it('an unconditional Deny of what the Allow grants neutralises it', () => {
    expect(isPublic(S3, allowAll, { Effect: 'Deny', Principal: '*', Action: 's3:Get*', Resource: '*' })).toBe(
      false,
    );
  });

  it('keeps the actions no Deny takes back', () => {
    const grants = publicGrants(
      policyOf(
        { ...allowAll, Action: ['s3:GetObject', 's3:PutObject'] },
        { Effect: 'Deny', Principal: '*', Action: 's3:Put*', Resource: '*' },
      ),
      S3,
    );
    expect(grants).toEqual([
      { statement: 'Anyone', index: 0, who: 'Principal "*"', actions: ['s3:GetObject'] },
    ]);
    expect(grantReaches(grants[0] as (typeof grants)[number], ['s3:Get*', 's3:List*'])).toBe(true);
    expect(grantReaches(grants[0] as (typeof grants)[number], ['s3:Put*', 's3:Delete*'])).toBe(false);
  });
});

describe('grantReaches: which actions a public grant opens', () => {
  it('Action patterns overlap the asked ones; NotAction reaches all it does not exclude', () => {
    expect(grantReaches({ actions: ['s3:*'] }, ['s3:Get*'])).toBe(true);
    expect(grantReaches({ actions: ['*'] }, ['s3:Put*'])).toBe(true);
    expect(grantReaches({ actions: ['s3:GetObject'] }, ['s3:Put*', 's3:Delete*'])).toBe(false);
    expect(grantReaches({ notActions: ['s3:Put*'] }, ['s3:Put*'])).toBe(false);
    expect(grantReaches({ notActions: ['s3:PutObject'] }, ['s3:Put*'])).toBe(true);
  });
});

describe('resourcePolicyPublicity', () => {
  it('passes no policy and a private one, fails a public one naming the statement', () => {
    expect(resourcePolicyPublicity(undefined, 'queue').status).toBe('PASS');
    expect(
      resourcePolicyPublicity(
        policyOf({ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sqs:*', Resource: '*' }),
        'queue',
      ).status,
    ).toBe('PASS');
    expect(
      resourcePolicyPublicity(
        policyOf({ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }),
        'queue',
      ),
    ).toMatchObject({ status: 'FAIL', message: expect.stringContaining('Open (Principal "*")') });
  });
});
