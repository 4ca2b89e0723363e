/**
 * The IAM policy grammar and IAM's matching, from the IAM User Guide's own examples
 * (reference_policies_grammar, _elements_action, _elements_resource, _elements_principal).
 */
import { describe, expect, it } from 'vitest';
import {
  evaluatePolicy,
  MalformedPolicyError,
  parsePolicy,
  patternCovers,
  patternsOverlap,
  requestContext,
  wildcardMatch,
} from '../../../../functions/checks/evaluators/policy.ts';

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('parsePolicy', () => {
  it('normalises strings and lists, keeps Sids, names unnamed statements by index', () => {
    const policy = parsePolicy(
      doc(
        { Sid: 'One', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
        { Effect: 'Deny', NotPrincipal: { AWS: ['111111111111'] }, NotAction: ['s3:*'], NotResource: '*' },
      ),
      'bucket policy of b',
    );

    expect(policy.statements[0]).toMatchObject({
      label: 'One',
      effect: 'Allow',
      principal: '*',
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::b/*'],
    });
    expect(policy.statements[1]).toMatchObject({
      label: 'Statement[1]',
      notPrincipal: { AWS: ['111111111111'] },
      notActions: ['s3:*'],
      notResources: ['*'],
    });
  });

  it('accepts a single statement object and URL-encoded documents (IAM)', () => {
    const encoded = encodeURIComponent(
      JSON.stringify({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }),
    );

    expect(parsePolicy(encoded, 'role policy').statements).toHaveLength(1);
  });

  it('reads condition values of every JSON scalar type as text', () => {
    const policy = parsePolicy(
      doc({
        Effect: 'Deny',
        Principal: '*',
        Action: '*',
        Condition: { Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 's3:TlsVersion': 1.2 } },
      }),
      'p',
    );

    expect(policy.statements[0]?.conditions).toEqual([
      { operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] },
      { operator: 'NumericLessThan', key: 's3:TlsVersion', values: ['1.2'] },
    ]);
  });

  it.each([
    [
      "{'Version': '2012-10-17'}",
      /policy of x: is not JSON \(character "'" at position 1\); it starts "\{'Version'/,
    ],
    ['', /is not JSON \(empty text\)|is not JSON/],
    ['%E0%A4%A', /URL-encoded, but the encoding is broken/],
    ['[]', /is a list, expected a JSON object/],
    ['{"Version":"2012-10-17"}', /has no Statement/],
    [doc(null as unknown as object), /Statement\[0\] is null, expected an object/],
    [
      doc({ Effect: 'allow', Action: '*' }),
      /Statement\[0\]\.Effect is string "allow", expected Allow or Deny/,
    ],
    [doc({ Effect: 'Allow' }), /Statement\[0\] has neither Action nor NotAction/],
    [doc({ Effect: 'Allow', Action: '*', NotAction: 's3:*' }), /has both Action and NotAction/],
    [doc({ Effect: 'Allow', Action: [1] }), /Statement\[0\]\.Action\[0\] is number 1, expected a string/],
    [doc({ Effect: 'Allow', Action: '*', Principal: { Users: 'x' } }), /unknown principal type Users/],
    [
      doc({ Effect: 'Allow', Action: '*', Condition: { StringEqualz: { k: 'v' } } }),
      /unknown condition operator StringEqualz/,
    ],
    [
      doc({ Effect: 'Allow', Action: '*', Condition: { NullIfExists: { k: 'true' } } }),
      /unknown condition operator NullIfExists/,
    ],
    [
      doc({ Effect: 'Allow', Action: '*', Condition: { StringEquals: { k: { a: 1 } } } }),
      /Condition\.StringEquals\["k"\] is an object/,
    ],
    [
      doc({ Effect: 'Allow', Action: '*', Condition: { StringEquals: 'x' } }),
      /Condition\.StringEquals is string "x", expected an object/,
    ],
  ])('rejects %j with a message that says what and where', (text, message) => {
    expect(() => parsePolicy(text, 'policy of x')).toThrow(MalformedPolicyError);
    expect(() => parsePolicy(text, 'policy of x')).toThrow(message);
  });
});

describe('IAM matching', () => {
  it('matches actions case-insensitively with * and ?', () => {
    expect(wildcardMatch('s3:Get*', 's3:getobject')).toBe(true);
    expect(wildcardMatch('iam:*AccessKey*', 'iam:CreateAccessKey')).toBe(true);
    expect(wildcardMatch('s3:?etObject', 's3:GetObject')).toBe(true);
    expect(wildcardMatch('s3:Get*', 's3:PutObject')).toBe(false);
  });

  it('matches ARNs case-sensitively, * inside a segment stays in it, * ending a segment may cross', () => {
    // "If the * wildcard is the last character of a resource ARN segment, it can expand to match beyond the colon boundaries."
    expect(wildcardMatch('arn:aws:s3:::my-bucket/*', 'arn:aws:s3:::my-bucket/a/b:c')).toBe(true);
    expect(wildcardMatch('arn:aws:iam::*:role/x', 'arn:aws:iam::123456789012:role/x')).toBe(true);
    expect(wildcardMatch('arn:aws:iam::1*3:role/x', 'arn:aws:iam::1:2:3:role/x', 'arn')).toBe(false);
    expect(wildcardMatch('arn:aws:s3:::Bucket', 'arn:aws:s3:::bucket', 'arn')).toBe(false);
    expect(wildcardMatch('arn:*', 'arn:aws:kms:us-east-1:111111111111:key/k', 'arn')).toBe(true);
  });

  it('knows when one pattern covers another', () => {
    expect(patternCovers('s3:*', 's3:Get*')).toBe(true);
    expect(patternCovers('*', 'anything:*')).toBe(true);
    expect(patternCovers('s3:Get*', 's3:*')).toBe(false);
    expect(patternCovers('s3:?', 's3:*')).toBe(false);
    expect(patternCovers('S3:GETOBJECT', 's3:GetObject')).toBe(true);
    expect(patternCovers('arn:aws:kms:*:*:key/*', 'arn:aws:kms:us-east-1:111111111111:key/*', 'arn')).toBe(
      true,
    );
    expect(patternCovers('arn:aws:kms:us-east-1:111111111111:key/*', 'arn:aws:kms:*:*:key/*', 'arn')).toBe(
      false,
    );
    expect(patternCovers('arn:aws:*:*:*:*', 'arn:aws:*:*:*:*', 'arn')).toBe(true);
    expect(patternCovers('arn:aws:s3:::b', 'arn:aws:s3:::b/*', 'arn')).toBe(false);
  });

  it('knows when two patterns may overlap', () => {
    expect(patternsOverlap('kms:*', 'kms:Decrypt')).toBe(true);
    expect(patternsOverlap('kms:ReEncrypt*', 'kms:ReEncryptFrom')).toBe(true);
    expect(patternsOverlap('kms:Describe*', 'kms:Decrypt')).toBe(false);
    expect(patternsOverlap('kms:De*', 'kms:*crypt')).toBe(true);
  });
});

describe('evaluatePolicy (IAM evaluation logic, one policy)', () => {
  const policy = parsePolicy(
    doc(
      {
        Sid: 'Read',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:root' },
        Action: 's3:Get*',
        Resource: 'arn:aws:s3:::b/*',
      },
      { Sid: 'NoSecret', Effect: 'Deny', Principal: '*', Action: '*', Resource: 'arn:aws:s3:::b/secret/*' },
    ),
    'p',
  );
  const from = (id: string) => ({ type: 'AWS' as const, id });

  it('allows a matching Allow, denies by default, and an explicit Deny wins', () => {
    const user = from('arn:aws:iam::111111111111:user/alice');
    expect(
      evaluatePolicy(policy, { principal: user, action: 's3:GetObject', resource: 'arn:aws:s3:::b/x' }),
    ).toBe('Allow');
    expect(
      evaluatePolicy(policy, { principal: user, action: 's3:PutObject', resource: 'arn:aws:s3:::b/x' }),
    ).toBe('ImplicitDeny');
    expect(
      evaluatePolicy(policy, {
        principal: user,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/secret/k',
      }),
    ).toBe('ExplicitDeny');
    expect(
      evaluatePolicy(policy, {
        principal: from('arn:aws:iam::222222222222:root'),
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/x',
      }),
    ).toBe('ImplicitDeny');
  });

  it('honours NotPrincipal, NotAction and NotResource', () => {
    const everyoneElse = parsePolicy(
      doc({
        Effect: 'Allow',
        NotPrincipal: { AWS: 'arn:aws:iam::111111111111:user/bob' },
        NotAction: 's3:Delete*',
        NotResource: 'arn:aws:s3:::b/private/*',
      }),
      'p',
    );
    const request = (id: string, action: string, resource: string) =>
      evaluatePolicy(everyoneElse, { principal: from(id), action, resource });

    expect(request('arn:aws:iam::999999999999:user/eve', 's3:GetObject', 'arn:aws:s3:::b/k')).toBe('Allow');
    expect(request('arn:aws:iam::111111111111:user/bob', 's3:GetObject', 'arn:aws:s3:::b/k')).toBe(
      'ImplicitDeny',
    );
    expect(request('arn:aws:iam::999999999999:user/eve', 's3:DeleteObject', 'arn:aws:s3:::b/k')).toBe(
      'ImplicitDeny',
    );
    expect(request('arn:aws:iam::999999999999:user/eve', 's3:GetObject', 'arn:aws:s3:::b/private/k')).toBe(
      'ImplicitDeny',
    );
  });

  it('matches an assumed-role session by its role, and a service principal by name', () => {
    const roleOnly = parsePolicy(
      doc({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:role/app', Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: '*',
      }),
      'p',
    );
    const request = (principal: { type: 'AWS' | 'Service'; id: string }) =>
      evaluatePolicy(roleOnly, {
        principal,
        action: 'sqs:SendMessage',
        resource: 'arn:aws:sqs:us-east-1:111111111111:q',
      });

    expect(request({ type: 'AWS', id: 'arn:aws:sts::111111111111:assumed-role/app/session-1' })).toBe(
      'Allow',
    );
    expect(request({ type: 'AWS', id: 'arn:aws:sts::111111111111:assumed-role/other/s' })).toBe(
      'ImplicitDeny',
    );
    expect(request({ type: 'Service', id: 'sns.amazonaws.com' })).toBe('Allow');
    expect(request({ type: 'Service', id: 'events.amazonaws.com' })).toBe('ImplicitDeny');
  });

  it('substitutes policy variables in 2012-10-17 documents only', () => {
    const home = (version: string) =>
      parsePolicy(
        JSON.stringify({
          Version: version,
          Statement: {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::b/*',
            Condition: { StringLike: { 's3:prefix': 'home/${aws:username}/*' } },
          },
        }),
        'p',
      );
    const request = {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      context: requestContext({ 'aws:username': 'alice', 's3:prefix': 'home/alice/docs' }),
    };

    expect(evaluatePolicy(home('2012-10-17'), request)).toBe('Allow');
    expect(evaluatePolicy(home('2008-10-17'), request)).toBe('ImplicitDeny');
  });
});
