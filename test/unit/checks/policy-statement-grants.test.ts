import { describe, expect, it } from 'vitest';
import { statementGrantsAnyOf } from '../../../functions/checks/evaluators/policy.ts';

const READS = ['s3:Get*', 's3:List*'];

describe('statementGrantsAnyOf', () => {
  it.each([
    ['s3:GetObject', true],
    [['s3:PutObject', 's3:ListBucket'], true],
    ['s3:*', true],
    ['*', true],
    ['S3:GETOBJECT', true],
    ['s3:PutObject', false],
    [['s3:DeleteObject', 's3:PutObjectAcl'], false],
  ])('Action %j grants a read: %s', (action, expected) => {
    expect(statementGrantsAnyOf({ Effect: 'Allow', Action: action }, READS)).toBe(expected);
  });

  it.each([
    ['s3:DeleteObject', true],
    ['s3:GetObject', true],
    [['s3:Get*', 's3:List*'], false],
    ['s3:*', false],
    ['*', false],
  ])('NotAction %j grants a read: %s', (notAction, expected) => {
    expect(statementGrantsAnyOf({ Effect: 'Allow', NotAction: notAction }, READS)).toBe(expected);
  });

  it('grants nothing without Action or NotAction', () => {
    expect(statementGrantsAnyOf({ Effect: 'Allow' }, READS)).toBe(false);
  });
});
