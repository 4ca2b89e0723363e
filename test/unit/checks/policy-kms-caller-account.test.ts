import { describe, expect, it } from 'vitest';
import { isPublicStatement, type PolicyStatement } from '../../../functions/checks/evaluators/policy.ts';

const viaService = (condition: NonNullable<PolicyStatement['Condition']>): PolicyStatement => ({
  Effect: 'Allow',
  Principal: { AWS: '*' },
  Action: 'kms:Decrypt',
  Resource: '*',
  Condition: condition,
});

describe('isPublicStatement with KMS conditions', () => {
  it('treats kms:CallerAccount fixed to an account as pinning the caller (AWS managed key pattern)', () => {
    const statement = viaService({
      StringEquals: { 'kms:CallerAccount': '123456789012', 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
    });

    expect(isPublicStatement(statement)).toBe(false);
  });

  it('matches the key case-insensitively', () => {
    expect(isPublicStatement(viaService({ StringEquals: { 'KMS:CALLERACCOUNT': '123456789012' } }))).toBe(
      false,
    );
  });

  it('does not pin with a wildcard account or kms:ViaService alone', () => {
    expect(isPublicStatement(viaService({ StringLike: { 'kms:CallerAccount': '*' } }))).toBe(true);
    expect(
      isPublicStatement(viaService({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } })),
    ).toBe(true);
  });
});
