import { describe, expect, it } from 'vitest';
import { parsePolicy, publicGrants } from '../../../functions/checks/evaluators/policy.ts';
import { KMS_PUBLIC_DEFINITION } from '../../../functions/checks/kms/kms-key-policy-no-public-access.ts';

const viaService = (condition: object) =>
  publicGrants(
    parsePolicy(
      {
        Statement: {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: condition,
        },
      },
      'key policy',
    ),
    KMS_PUBLIC_DEFINITION,
  ).length > 0;

describe('KMS key policies: kms:CallerAccount', () => {
  it('treats kms:CallerAccount fixed to an account as pinning the caller (AWS managed key pattern)', () => {
    expect(
      viaService({
        StringEquals: { 'kms:CallerAccount': '123456789012', 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
      }),
    ).toBe(false);
  });

  it('matches the key case-insensitively', () => {
    expect(viaService({ StringEquals: { 'KMS:CALLERACCOUNT': '123456789012' } })).toBe(false);
  });

  it('does not pin with a wildcard account or kms:ViaService alone', () => {
    expect(viaService({ StringLike: { 'kms:CallerAccount': '*' } })).toBe(true);
    expect(viaService({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } })).toBe(true);
  });
});
