/**
 * Which SAM resource a generated one came from, and what a waiver on a SAM function covers, read
 * from processed templates shaped as SAM writes them (the integration tests run the real translator).
 */
import { describe, expect, it } from 'vitest';
import {
  samOrigins,
  samWaivers,
  type TemplateResources,
  withSamResourceIds,
} from '../../functions/list-resources/sam-origins.ts';
import { readTemplateWaivers } from '../../functions/list-resources/waivers.ts';
import type { Suppression } from '../../functions/shared/config.ts';

const SAM_TAGS = [{ Key: 'lambda:createdBy', Value: 'SAM' }];

/** What the SAM translator makes of a function with AutoPublishAlias live, an Api and an SQS event. */
function processed(extra: Record<string, unknown> = {}): TemplateResources {
  return {
    Fn: {
      Type: 'AWS::Lambda::Function',
      Metadata: {
        fitgate: {
          suppressions: [
            { checkId: 'iam-policy-no-statements-with-full-access', reason: 'scratch bucket, reviewed' },
          ],
        },
      },
      Properties: { Role: { 'Fn::GetAtt': ['FnRole', 'Arn'] }, Tags: SAM_TAGS },
    },
    FnRole: { Type: 'AWS::IAM::Role', Properties: { Tags: SAM_TAGS } },
    FnVersion640128d35d: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
    FnAliaslive: {
      Type: 'AWS::Lambda::Alias',
      Properties: {
        FunctionName: { Ref: 'Fn' },
        FunctionVersion: { 'Fn::GetAtt': ['FnVersion640128d35d', 'Version'] },
      },
    },
    FnApiPermissionProd: {
      Type: 'AWS::Lambda::Permission',
      Properties: { FunctionName: { Ref: 'FnAliaslive' } },
    },
    FnQueue: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { FunctionName: { Ref: 'FnAliaslive' } },
    },
    // Declared by the user, not generated: another function, its own role, a bucket named after Fn.
    FnX: {
      Type: 'AWS::Lambda::Function',
      Properties: { Role: { 'Fn::GetAtt': ['FnXRole', 'Arn'] }, Tags: SAM_TAGS },
    },
    FnXRole: { Type: 'AWS::IAM::Role' },
    FnDataBucket: { Type: 'AWS::S3::Bucket' },
    ...extra,
  } as TemplateResources;
}

const IAM_ROLE_CHECKS = ['AWS::IAM::Role'];
const checkTypes = (checkId: string) =>
  checkId.startsWith('iam-')
    ? IAM_ROLE_CHECKS
    : checkId.startsWith('lambda-')
      ? ['AWS::Lambda::Function']
      : undefined;

const waiver = (
  checkId: string,
  logicalId: string,
  source: Suppression['source'] = 'metadata',
): Suppression => ({
  checkId,
  logicalId,
  reason: 'because',
  source,
});

describe('samOrigins', () => {
  it('names the role, version, alias, permissions and event source mappings SAM generates from a function', () => {
    expect(Object.fromEntries(samOrigins(processed()))).toEqual({
      FnRole: 'Fn',
      FnVersion640128d35d: 'Fn',
      FnAliaslive: 'Fn',
      FnApiPermissionProd: 'Fn',
      FnQueue: 'Fn',
      FnXRole: 'FnX',
    });
  });

  it('names what the function’s events and settings make, where it refers to the function or its alias', () => {
    const resources = processed({
      FnNightly: {
        Type: 'AWS::Events::Rule',
        Properties: { Targets: [{ Arn: { Ref: 'FnAliaslive' }, Id: 'FnNightlyLambdaTarget' }] },
      },
      FnUrl: { Type: 'AWS::Lambda::Url', Properties: { TargetFunctionArn: { Ref: 'FnAliaslive' } } },
      FnTopic: {
        Type: 'AWS::SNS::Subscription',
        Properties: { Endpoint: { 'Fn::Sub': '${FnAliaslive}' }, Protocol: 'lambda' },
      },
      FnOwnRule: { Type: 'AWS::Events::Rule', Properties: { Targets: [{ Arn: { Ref: 'SomeQueue' } }] } },
    });

    const origins = samOrigins(resources);
    expect([origins.get('FnNightly'), origins.get('FnUrl'), origins.get('FnTopic')]).toEqual([
      'Fn',
      'Fn',
      'Fn',
    ]);
    expect(origins.has('FnOwnRule')).toBe(false);
  });

  it('needs the SAM tag: a plain CloudFormation function with a role called FnRole generated nothing', () => {
    const resources = processed();
    const untagged = {
      ...resources,
      Fn: { ...resources.Fn, Properties: { Role: { 'Fn::GetAtt': ['FnRole', 'Arn'] } } },
    };

    expect(samOrigins(untagged).get('FnRole')).toBeUndefined();
    expect(samOrigins(untagged).get('FnAliaslive')).toBeUndefined();
  });

  it('reads a template as it comes: entries that are no resource objects name nothing', () => {
    expect(
      samOrigins({ A: null, B: 'x', ...processed() } as unknown as TemplateResources).get('FnRole'),
    ).toBe('Fn');
  });

  it('takes Metadata.SamResourceId, as SAM tooling records it, over the naming scheme', () => {
    const resources = processed({
      ServerlessRestApi: { Type: 'AWS::ApiGateway::RestApi', Metadata: { SamResourceId: 'Api' } },
      Api: { Type: 'AWS::ApiGateway::Stage' },
      Orphan: { Type: 'AWS::SNS::Topic', Metadata: { SamResourceId: 'NoSuchResource' } },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Metadata: { SamResourceId: 'Fn' },
        Properties: { Tags: SAM_TAGS },
      },
    });

    const origins = samOrigins(resources);
    expect(origins.get('ServerlessRestApi')).toBe('Api');
    expect(origins.has('Orphan')).toBe(false);
    expect(origins.has('Fn')).toBe(false);
  });
});

describe('samWaivers', () => {
  it('moves a waiver on a SAM function to the generated resources the check audits', () => {
    const result = samWaivers(
      [waiver('iam-policy-no-statements-with-full-access', 'Fn'), waiver('lambda-dlq-check', 'Fn')],
      processed(),
      checkTypes,
    );

    expect(result.map((s) => `${s.checkId}@${s.logicalId}`)).toEqual([
      'iam-policy-no-statements-with-full-access@FnRole',
      'lambda-dlq-check@Fn',
    ]);
  });

  it('keeps a waiver no generated resource can match on the SAM resource, to be reported as unmatched', () => {
    const result = samWaivers([waiver('s3-bucket-versioning-enabled', 'Fn')], processed(), () => [
      'AWS::S3::Bucket',
    ]);

    expect(result.map((s) => s.logicalId)).toEqual(['Fn']);
  });

  it('folds the copy of a tag waiver SAM put on the role back into the function’s, once', () => {
    const result = samWaivers(
      [waiver('lambda-dlq-check', 'Fn', 'tag'), waiver('lambda-dlq-check', 'FnRole', 'tag')],
      processed(),
      checkTypes,
    );

    expect(result.map((s) => `${s.checkId}@${s.logicalId}`)).toEqual(['lambda-dlq-check@Fn']);
  });

  it('leaves waivers of checks it does not know, and of resources SAM did not generate, untouched', () => {
    const given = [
      waiver('custom-check', 'Fn'),
      waiver('iam-policy-no-statements-with-full-access', 'FnDataBucket'),
    ];

    expect(samWaivers(given, processed(), checkTypes)).toEqual(given);
    expect(samWaivers(given, {}, checkTypes)).toEqual(given);
  });

  it('is what readTemplateWaivers applies to a processed SAM template, with the registry’s resource types', () => {
    const { suppressions, invalid } = readTemplateWaivers({ Resources: processed() });
    const nested = readTemplateWaivers({ Resources: processed() }, 'Child/');

    expect(invalid).toEqual([]);
    expect(suppressions).toEqual([
      {
        checkId: 'iam-policy-no-statements-with-full-access',
        logicalId: 'FnRole',
        reason: 'scratch bucket, reviewed',
        source: 'metadata',
      },
    ]);
    expect(nested.suppressions.map((s) => s.logicalId)).toEqual(['Child/FnRole']);
  });
});

describe('withSamResourceIds', () => {
  it('names the SAM origin of each resource from the template of its own stack, nested stacks keyed by prefix', () => {
    const rows = [
      { logicalId: 'FnRole', physicalId: 'svc-FnRole-1', type: 'AWS::IAM::Role' },
      { logicalId: 'Child/FnRole', physicalId: 'child-FnRole-2', type: 'AWS::IAM::Role' },
      { logicalId: 'Other/FnRole', physicalId: 'other-FnRole-3', type: 'AWS::IAM::Role' },
      { logicalId: 'Fn', physicalId: 'svc-Fn', type: 'AWS::Lambda::Function' },
    ];
    const templates = [
      { prefix: '', template: { Resources: processed() } },
      { prefix: 'Child/', template: { Resources: processed() } },
      { prefix: 'Other/', template: { Resources: { FnRole: { Type: 'AWS::IAM::Role' } } } },
    ];

    expect(withSamResourceIds(rows, templates)).toEqual([
      { ...rows[0], samResourceId: 'Fn' },
      { ...rows[1], samResourceId: 'Child/Fn' },
      rows[2],
      rows[3],
    ]);
  });
});
