import { describe, expect, it } from 'vitest';
import { checksForCdkNagRule, readTemplateWaivers } from '../../functions/list-resources/waivers.ts';

const reason = 'accepted: the bucket only holds build caches';

describe('template waivers', () => {
  it('maps a cdk-nag rule id to the checks that name exactly that id', () => {
    expect(checksForCdkNagRule('AwsSolutions-S1')).toEqual(['s3-bucket-logging-enabled']);
    expect(checksForCdkNagRule('AwsSolutions-S10')).toEqual(['s3-bucket-ssl-requests-only']);
    expect(checksForCdkNagRule('Serverless-LambdaTracing')).toEqual(['lambda-function-xray-enabled']);
  });

  it.each([
    '.*',
    '.+',
    'SH',
    'S3.1',
    'SH S3.1',
    'AwsSolutions',
    'AwsSolutions-',
    'AwsSolutions-S.*',
    'awssolutions-s1',
    '',
    'Prowler s3_bucket_acl_prohibited',
  ])('maps %j to no check: no pattern, prefix or other anchor is a wildcard', (ruleId) => {
    expect(checksForCdkNagRule(ruleId)).toEqual([]);
  });

  it('names a nested stack’s resources by their key', () => {
    const { suppressions } = readTemplateWaivers(
      {
        Resources: {
          Bucket: {
            Type: 'AWS::S3::Bucket',
            Metadata: { fitgate: { suppressions: [{ checkId: 's3-bucket-versioning-enabled', reason }] } },
            Properties: { Tags: [{ Key: 'fitgate:suppress:s3-bucket-logging-enabled', Value: reason }] },
          },
        },
      },
      'Child/',
    );
    expect(suppressions.map((s) => `${s.checkId}@${s.logicalId} ${s.source}`)).toEqual([
      's3-bucket-versioning-enabled@Child/Bucket metadata',
      's3-bucket-logging-enabled@Child/Bucket tag',
    ]);
  });

  it('validates cdk-nag and tag waivers like the others: the original reason must be long enough', () => {
    const { suppressions, invalid } = readTemplateWaivers({
      Resources: {
        Logs: {
          Type: 'AWS::S3::Bucket',
          Metadata: { cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-S1', reason: 'ok' }] } },
          Properties: { Tags: [{ Key: 'fitgate:suppress:s3-bucket-replication-enabled', Value: 'no' }] },
        },
      },
    });
    expect(suppressions).toEqual([]);
    expect(invalid).toEqual([
      's3-bucket-logging-enabled@Logs (cdk-nag): reason needs at least 10 characters: say why the finding is accepted',
      's3-bucket-replication-enabled@Logs (tag): reason needs at least 10 characters: say why the finding is accepted',
    ]);
  });

  it('refuses a metadata waiver that points at another resource', () => {
    const { suppressions, invalid } = readTemplateWaivers({
      Resources: {
        Quiet: {
          Type: 'AWS::S3::Bucket',
          Metadata: {
            fitgate: {
              suppressions: [{ checkId: 's3-bucket-versioning-enabled', logicalId: 'Loud', reason }],
            },
          },
        },
      },
    });
    expect(suppressions).toEqual([]);
    expect(invalid[0]).toMatch(
      /^s3-bucket-versioning-enabled@Quiet \(metadata\): logicalId "Loud" is not the resource/,
    );
  });

  it.each([
    ['an object where the list belongs', { fitgate: { suppressions: { checkId: 'x' } } }, /is not a list/],
    ['a string for fitgate', { fitgate: 'off' }, /Metadata.fitgate of R is not an object/],
    [
      'null entries',
      { fitgate: { suppressions: [null] } },
      /suppressions\[0\] of R is not an object \(got null\)/,
    ],
    ['a cdk-nag entry without id', { cdk_nag: { rules_to_suppress: [{ reason }] } }, /has no rule id/],
    [
      'control characters',
      { fitgate: 7, cdk_nag: { rules_to_suppress: [{ id: 'A\u001b[2Jx' }] } },
      /"A\\u001b\[2Jx"|A\?\[2Jx/,
    ],
  ])('turns %s into a note, never a crash', (_what, metadata, note) => {
    const { suppressions, notes } = readTemplateWaivers({
      Resources: { R: { Type: 'AWS::S3::Bucket', Metadata: metadata } },
    });
    expect(suppressions).toEqual([]);
    expect(notes.join('\n')).toMatch(note);
    expect(notes.join('\n')).not.toContain('\u001b');
  });

  it('reads nothing from a template that is not one, without throwing', () => {
    for (const template of [undefined, null, 'text', { Resources: [] }, { Resources: { A: null, B: 'x' } }]) {
      expect(readTemplateWaivers(template)).toEqual({ suppressions: [], invalid: [], notes: [] });
    }
  });
});
