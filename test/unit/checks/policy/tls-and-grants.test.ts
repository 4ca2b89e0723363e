/**
 * "Denies requests without TLS" judged on the whole policy, and the IAM rules' questions (every
 * action, every resource, every KMS key, whole services) with IAM's matching.
 */
import { describe, expect, it } from 'vitest';
import {
  allowsEveryAction,
  everyResource,
  grantsAnyOf,
  parsePolicy,
  resourceReach,
  type Statement,
  serviceWideGrants,
  tlsEnforcement,
} from '../../../../functions/checks/evaluators/policy.ts';

const policyOf = (...statements: object[]) =>
  parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'test policy');
const BUCKET = ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'];
const tlsDeny = {
  Sid: 'TLS',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: BUCKET,
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
const uncovered = (...statements: object[]) =>
  tlsEnforcement(policyOf(...statements), ['s3:*'], BUCKET).uncovered;

describe('tlsEnforcement', () => {
  it('passes the CDK enforceSSL statement, with the condition as text or boolean, Bool or BoolIfExists', () => {
    expect(uncovered(tlsDeny)).toEqual([]);
    expect(uncovered({ ...tlsDeny, Condition: { Bool: { 'aws:SecureTransport': false } } })).toEqual([]);
    expect(
      uncovered({ ...tlsDeny, Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } }),
    ).toEqual([]);
    expect(uncovered({ ...tlsDeny, Principal: { AWS: '*' }, Action: '*' })).toEqual([]);
  });

  it('accepts the bucket and its objects covered by two statements, and Resource "*"', () => {
    expect(
      uncovered({ ...tlsDeny, Resource: BUCKET[0] }, { ...tlsDeny, Sid: 'Objects', Resource: BUCKET[1] }),
    ).toEqual([]);
    expect(uncovered({ ...tlsDeny, Resource: '*' })).toEqual([]);
  });

  it('names what is left open', () => {
    expect(uncovered({ ...tlsDeny, Resource: BUCKET[1] })).toEqual(['arn:aws:s3:::b']);
    expect(tlsEnforcement(undefined, ['s3:*'], BUCKET).uncovered).toEqual(BUCKET);
  });

  it.each([
    [
      'an extra condition (HTTP from the VPC endpoint is allowed)',
      {
        Condition: {
          Bool: { 'aws:SecureTransport': 'false' },
          StringNotEquals: { 'aws:SourceVpce': 'vpce-1' },
        },
      },
    ],
    [
      'NotPrincipal (the listed principals may use HTTP)',
      { Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111111111111:root' } },
    ],
    ['a named principal only', { Principal: { AWS: 'arn:aws:iam::111111111111:role/app' } }],
    ['a narrower action', { Action: 's3:GetObject' }],
    ['NotAction that spares an action', { Action: undefined, NotAction: 's3:GetObject' }],
    ['the condition inverted', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
    ['an Allow instead of a Deny', { Effect: 'Allow' }],
    [
      'a TLS-version condition (absent over HTTP)',
      { Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } },
    ],
  ])('fails a Deny with %s', (_name, change) => {
    expect(uncovered({ ...tlsDeny, ...change })).toEqual(BUCKET);
  });

  it('an unconditional Deny to everyone also stops HTTP', () => {
    expect(uncovered({ ...tlsDeny, Condition: undefined })).toEqual([]);
  });

  it('an Allow over HTTP cannot undo the Deny', () => {
    expect(
      uncovered(tlsDeny, {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ).toEqual([]);
  });

  it('checks the actions the caller names (SNS: sns:Publish)', () => {
    const topic = 'arn:aws:sns:us-east-1:111111111111:t';
    const policy = policyOf({ ...tlsDeny, Action: 'sns:Publish', Resource: topic });
    expect(tlsEnforcement(policy, ['sns:Publish'], [topic]).uncovered).toEqual([]);
    expect(tlsEnforcement(policy, ['sns:*'], [topic]).uncovered).toEqual([topic]);
  });
});

const statement = (fields: object): Statement =>
  policyOf({ Effect: 'Allow', ...fields }).statements[0] as Statement;

describe('IAM grants', () => {
  it('every action: "*" and "*:*", never NotAction', () => {
    expect(allowsEveryAction(statement({ Action: '*', Resource: '*' }))).toBe(true);
    expect(allowsEveryAction(statement({ Action: ['s3:GetObject', '*:*'], Resource: '*' }))).toBe(true);
    expect(allowsEveryAction(statement({ Action: 's3:*', Resource: '*' }))).toBe(false);
    expect(allowsEveryAction(statement({ NotAction: 'iam:*', Resource: '*' }))).toBe(false);
    expect(allowsEveryAction(statement({ Effect: 'Deny', Action: '*', Resource: '*' }))).toBe(false);
  });

  it('every resource, matched as IAM matches ARNs, NotResource honoured', () => {
    const all = everyResource('aws');
    expect(resourceReach(statement({ Action: '*', Resource: '*' }), all)).toBe('all');
    expect(resourceReach(statement({ Action: '*', Resource: 'arn:*' }), all)).toBe('all');
    expect(resourceReach(statement({ Action: '*', Resource: 'arn:aws:*:*:*:*' }), all)).toBe('all');
    expect(resourceReach(statement({ Action: '*', Resource: 'arn:aws:s3:::*' }), all)).toBe('some');
    expect(resourceReach(statement({ Action: '*', NotResource: 'arn:aws:s3:::secret' }), all)).toBe(
      'all-but',
    );
    expect(resourceReach(statement({ Action: '*', NotResource: '*' }), all)).toBe('none');
  });

  it('every KMS key of the account: "*", a region or account wildcard, key/*', () => {
    const keys = 'arn:aws:kms:us-east-1:111111111111:key/*';
    expect(resourceReach(statement({ Action: 'kms:Decrypt', Resource: '*' }), keys)).toBe('all');
    expect(resourceReach(statement({ Action: 'kms:Decrypt', Resource: 'arn:aws:kms:*:*:key/*' }), keys)).toBe(
      'all',
    );
    expect(
      resourceReach(
        statement({ Action: 'kms:Decrypt', Resource: 'arn:aws:kms:us-east-1:111111111111:key/*' }),
        keys,
      ),
    ).toBe('all');
    expect(
      resourceReach(
        statement({ Action: 'kms:Decrypt', Resource: 'arn:aws:kms:us-east-1:111111111111:*' }),
        keys,
      ),
    ).toBe('all');
    expect(
      resourceReach(
        statement({ Action: 'kms:Decrypt', Resource: 'arn:aws:kms:us-east-1:111111111111:key/1234' }),
        keys,
      ),
    ).toBe('some');
    expect(
      resourceReach(
        statement({ Action: 'kms:Decrypt', Resource: 'arn:aws:kms:us-east-1:222222222222:key/*' }),
        keys,
      ),
    ).toBe('none');
    expect(
      resourceReach(
        statement({ Action: 'kms:Decrypt', NotResource: 'arn:aws:kms:us-east-1:111111111111:key/1234' }),
        keys,
      ),
    ).toBe('all-but');
  });

  it('blocked actions through Action wildcards or NotAction', () => {
    const blocked = ['kms:Decrypt', 'kms:ReEncryptFrom'];
    expect(grantsAnyOf(statement({ Action: 'kms:*', Resource: '*' }), blocked)).toBe(true);
    expect(grantsAnyOf(statement({ Action: 'kms:ReEncrypt*', Resource: '*' }), blocked)).toBe(true);
    expect(grantsAnyOf(statement({ Action: 'kms:Encrypt', Resource: '*' }), blocked)).toBe(false);
    expect(grantsAnyOf(statement({ NotAction: 'kms:Decrypt', Resource: '*' }), blocked)).toBe(true);
    expect(grantsAnyOf(statement({ NotAction: 'kms:*', Resource: '*' }), blocked)).toBe(false);
  });

  it('whole-service grants: service:*, *, and NotAction', () => {
    expect(serviceWideGrants(statement({ Action: ['s3:GetObject', 'dynamodb:*'], Resource: '*' }))).toEqual([
      'dynamodb:*',
    ]);
    expect(serviceWideGrants(statement({ Action: '*', Resource: '*' }))).toEqual(['*']);
    expect(serviceWideGrants(statement({ NotAction: 'iam:*', Resource: '*' }))).toEqual([
      'NotAction ["iam:*"]',
    ]);
    expect(serviceWideGrants(statement({ NotAction: '*', Resource: '*' }))).toEqual([]);
    expect(serviceWideGrants(statement({ Action: 's3:Get*', Resource: '*' }))).toEqual([]);
  });
});
