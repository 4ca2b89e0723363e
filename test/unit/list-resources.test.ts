import { describe, expect, it } from 'vitest';
import { complexityOf } from '../../functions/aggregate/weights.ts';
import { checksFor } from '../../functions/checks/registry.ts';
import { STACK_RESOURCE_TYPE } from '../../functions/checks/types.ts';
import {
  isGateResource,
  type ListedRow,
  parseGateResources,
  withGateResources,
} from '../../functions/list-resources/gate-resources.ts';
import { planWorkItems, stackInfoFromArn } from '../../functions/list-resources/plan.ts';
import { explainBlankRows, inventoryOf, trimRow } from '../../functions/list-resources/rows.ts';
import { checksForCdkNagRule, readTemplateWaivers } from '../../functions/list-resources/waivers.ts';

const stack = stackInfoFromArn('svc', 'arn:aws:cloudformation:eu-west-1:111122223333:stack/svc/abc');

describe('list-resources core', () => {
  it('reads account and region from the stack ARN', () => {
    expect(stack).toEqual({
      stackName: 'svc',
      stackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/svc/abc',
      region: 'eu-west-1',
      accountId: '111122223333',
    });
    expect(() => stackInfoFromArn('svc', 'svc')).toThrow(/not a stack ARN/);
  });

  it('trims rows to what checks need and skips blank and deleted ones', () => {
    expect(
      trimRow({
        LogicalResourceId: 'B',
        PhysicalResourceId: 'b-1',
        ResourceType: 'AWS::S3::Bucket',
        ResourceStatus: 'CREATE_COMPLETE',
      }),
    ).toEqual({
      kind: 'resource',
      resource: { logicalId: 'B', physicalId: 'b-1', type: 'AWS::S3::Bucket' },
    });
    expect(trimRow({ LogicalResourceId: '', ResourceType: '', ResourceStatus: 'CREATE_COMPLETE' })).toEqual({
      kind: 'blank',
    });
    expect(
      trimRow({
        LogicalResourceId: 'B',
        PhysicalResourceId: 'b',
        ResourceType: 'AWS::S3::Bucket',
        ResourceStatus: 'DELETE_COMPLETE',
      }),
    ).toEqual({ kind: 'gone' });
  });

  it('keeps a listed resource without a physical id apart, with its type, instead of calling it gone', () => {
    expect(
      trimRow({
        LogicalResourceId: 'Method',
        PhysicalResourceId: '',
        ResourceType: 'AWS::ApiGateway::Method',
        ResourceStatus: 'CREATE_COMPLETE',
      }),
    ).toEqual({ kind: 'unidentified', resource: { logicalId: 'Method', type: 'AWS::ApiGateway::Method' } });
    expect(
      trimRow({
        LogicalResourceId: 'B',
        ResourceType: 'AWS::S3::Bucket',
        ResourceStatus: 'DELETE_IN_PROGRESS',
      }),
    ).toEqual({ kind: 'gone' });
  });

  it('plans one work item per resource and family, plus stack-wide items', () => {
    const fn = { logicalId: 'Fn', physicalId: 'fn', type: 'AWS::Lambda::Function' };
    const role = { logicalId: 'Role', physicalId: 'role', type: 'AWS::IAM::Role' };
    const app = { logicalId: 'App', physicalId: 'app', type: 'AWS::CodeDeploy::Application' };

    const items = planWorkItems([fn, role, app], stack, 'adhoc', new Set());

    expect(
      items
        .filter((i) => i.resource === fn)
        .map((i) => i.family)
        .sort(),
    ).toEqual(['cloudwatch', 'lambda']);
    expect(items.filter((i) => i.resource === role).map((i) => i.family)).toEqual(['iam']);
    expect(items.some((i) => i.resource === app)).toBe(false);
    expect(
      items
        .filter((i) => i.resource.type === STACK_RESOURCE_TYPE)
        .map((i) => i.family)
        .sort(),
    ).toEqual(['dynamodb', 's3', 'stack']);
  });

  it('drops a family whose checks on that type are all disabled', () => {
    const role = { logicalId: 'Role', physicalId: 'role', type: 'AWS::IAM::Role' };
    const iamChecks = checksFor('iam', 'AWS::IAM::Role', 'adhoc').map((c) => c.id);

    expect(planWorkItems([role], stack, 'adhoc', new Set(iamChecks)).some((i) => i.family === 'iam')).toBe(
      false,
    );
  });

  it('adds the post-traffic checks only after traffic shifted', () => {
    const stackChecks = (trigger: 'BeforeAllowTraffic' | 'AfterAllowTraffic') =>
      checksFor('stack', STACK_RESOURCE_TYPE, trigger).map((c) => c.id);

    expect(stackChecks('BeforeAllowTraffic')).not.toContain('deployment-target-error-rate');
    expect(stackChecks('AfterAllowTraffic')).toContain('deployment-target-error-rate');
  });

  const context = { trigger: 'adhoc' as const, disabled: new Set<string>() };

  it('counts coverage: rows, audited resources, skipped rows and uncovered types', () => {
    const rows = [
      trimRow({ LogicalResourceId: 'B', PhysicalResourceId: 'b', ResourceType: 'AWS::S3::Bucket' }),
      trimRow({
        LogicalResourceId: 'App',
        PhysicalResourceId: 'a',
        ResourceType: 'AWS::CodeDeploy::Application',
      }),
      trimRow({ LogicalResourceId: '', ResourceType: '' }),
    ];
    const resources = rows.flatMap((r) => (r.kind === 'resource' ? [r.resource] : []));

    const inventory = inventoryOf(rows, planWorkItems(resources, stack, 'adhoc', new Set()), context);

    expect(inventory.skipped).toEqual({ blank: 1, gone: 0, unidentified: 0 });
    expect(inventory.complexity).toBe(3);
    expect(inventory.coverage).toMatchObject({
      resources: 3,
      audited: 1,
      throughParent: 0,
      notJudged: 2,
      noRisk: 0,
      percent: 33.33,
      unsupportedTypes: ['AWS::CodeDeploy::Application'],
    });
    expect(inventory.coverage.sets.notJudged).toEqual([
      { logicalId: '(unnamed row)', type: '(no type)', reason: expect.stringContaining('without a type') },
      { logicalId: 'App', type: 'AWS::CodeDeploy::Application', reason: 'no check judges this type' },
    ]);
  });

  it('reports resources listed without an id or type as not covered, and does not count those never created', () => {
    const rows = [
      trimRow({ LogicalResourceId: 'B', PhysicalResourceId: 'b', ResourceType: 'AWS::S3::Bucket' }),
      trimRow({
        LogicalResourceId: 'Method',
        PhysicalResourceId: '',
        ResourceType: 'AWS::ApiGateway::Method',
      }),
      trimRow({ LogicalResourceId: '', ResourceType: '' }),
      trimRow({ LogicalResourceId: '', ResourceType: '' }),
    ];
    const resources = rows.flatMap((r) => (r.kind === 'resource' ? [r.resource] : []));
    const blankRows = {
      notCreated: 1,
      unlisted: [{ logicalId: 'Alarm', type: 'AWS::CloudWatch::Alarm' }],
      unexplained: 0,
    };

    const inventory = inventoryOf(rows, planWorkItems(resources, stack, 'adhoc', new Set()), {
      ...context,
      blankRows,
    });

    expect(inventory.skipped).toEqual({ blank: 2, gone: 0, unidentified: 1 });
    expect(inventory.complexity).toBe(
      complexityOf(['AWS::S3::Bucket', 'AWS::ApiGateway::Method', 'AWS::CloudWatch::Alarm']),
    );
    expect(inventory.coverage).toMatchObject({
      resources: 3,
      audited: 1,
      notJudged: 2,
      unsupportedTypes: ['AWS::ApiGateway::Method', 'AWS::CloudWatch::Alarm'],
    });
    expect(inventory.coverage.sets.notJudged).toEqual([
      {
        logicalId: 'Alarm',
        type: 'AWS::CloudWatch::Alarm',
        reason: expect.stringMatching(/^listed without a type/),
      },
      {
        logicalId: 'Method',
        type: 'AWS::ApiGateway::Method',
        reason: 'the resource it would be judged through is not in the stack, or not judged',
      },
    ]);
  });

  it('judges a resource through its parent when the template links them, even one listed without an id', () => {
    const rows = [
      trimRow({
        LogicalResourceId: 'Api',
        PhysicalResourceId: 'a1',
        ResourceType: 'AWS::ApiGateway::RestApi',
      }),
      trimRow({
        LogicalResourceId: 'Method',
        PhysicalResourceId: '',
        ResourceType: 'AWS::ApiGateway::Method',
      }),
      trimRow({ LogicalResourceId: 'B', PhysicalResourceId: 'b', ResourceType: 'AWS::S3::Bucket' }),
      trimRow({
        LogicalResourceId: 'Policy',
        PhysicalResourceId: 'p',
        ResourceType: 'AWS::S3::BucketPolicy',
      }),
      trimRow({ LogicalResourceId: 'Meta', PhysicalResourceId: 'm', ResourceType: 'AWS::CDK::Metadata' }),
    ];
    const resources = rows.flatMap((r) => (r.kind === 'resource' ? [r.resource] : []));
    const template = {
      Resources: {
        Method: { Properties: { RestApiId: { Ref: 'Api' }, HttpMethod: 'GET' } },
        Policy: { Properties: { Bucket: 'b', PolicyDocument: {} } },
      },
    };

    const { coverage } = inventoryOf(rows, planWorkItems(resources, stack, 'adhoc', new Set()), {
      ...context,
      templates: [{ prefix: '', template }],
    });

    expect(coverage).toMatchObject({ resources: 5, audited: 2, throughParent: 2, noRisk: 1, notJudged: 0 });
    expect(coverage.percent).toBe(100);
    expect(coverage.sets.throughParent).toEqual([
      {
        logicalId: 'Method',
        type: 'AWS::ApiGateway::Method',
        parent: 'Api',
        checks: ['api-gw-authorization-configured'],
      },
      {
        logicalId: 'Policy',
        type: 'AWS::S3::BucketPolicy',
        parent: 'B',
        checks: [
          's3-bucket-public-read-prohibited',
          's3-bucket-public-write-prohibited',
          's3-bucket-ssl-requests-only',
        ],
      },
    ]);
    expect(coverage.sets.noRisk).toEqual([
      { type: 'AWS::CDK::Metadata', count: 1, reason: expect.any(String) },
    ]);
  });

  describe('explainBlankRows: what the blank rows an emulator lists stand for', () => {
    const listedTyped = {
      LogicalResourceId: 'Topic',
      PhysicalResourceId: 't',
      ResourceType: 'AWS::SNS::Topic',
    };
    const blankRow = { LogicalResourceId: '', PhysicalResourceId: '', ResourceType: '' };
    const template = {
      Parameters: {
        Email: { Type: 'String', Default: '' },
        Secret: { Type: 'String', NoEcho: true },
        Retention: { Type: 'Number', Default: 0 },
      },
      Conditions: {
        HasEmail: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Email' }, ''] }] },
        IsUsEast1: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
        EmailInUsEast1: { 'Fn::And': [{ Condition: 'HasEmail' }, { Condition: 'IsUsEast1' }] },
        EmailOrRegion: { 'Fn::Or': [{ Condition: 'HasEmail' }, { Condition: 'IsUsEast1' }] },
        HasRetention: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Retention' }, 0] }] },
        HasSecret: { 'Fn::Equals': [{ Ref: 'Secret' }, 'x'] },
        Mapped: { 'Fn::Equals': [{ 'Fn::FindInMap': ['M', 'a', 'b'] }, 'x'] },
        Loop: { Condition: 'Loop' },
      },
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic' },
        Policy: { Type: 'AWS::SNS::TopicPolicy' },
        Subscription: { Type: 'AWS::SNS::Subscription', Condition: 'HasEmail' },
        Alarm: { Type: 'AWS::CloudWatch::Alarm', Condition: 'IsUsEast1' },
        Both: { Type: 'AWS::SNS::Subscription', Condition: 'EmailInUsEast1' },
        Either: { Type: 'AWS::SNS::Subscription', Condition: 'EmailOrRegion' },
        Kept: { Type: 'AWS::Logs::LogGroup', Condition: 'HasRetention' },
        Masked: { Type: 'AWS::SNS::Subscription', Condition: 'HasSecret' },
        FromMap: { Type: 'AWS::SNS::Subscription', Condition: 'Mapped' },
        Cycle: { Type: 'AWS::SNS::Subscription', Condition: 'Loop' },
      },
    };
    const rows = [listedTyped, ...Array.from({ length: 9 }, () => blankRow)];
    const east = stackInfoFromArn('svc', 'arn:aws:cloudformation:us-east-1:111122223333:stack/svc/abc');

    it('tells resources whose Condition is false from types the stack does not report', () => {
      const explained = explainBlankRows(template, rows, { Email: '', Retention: '0' }, east);

      expect(explained).toEqual({
        notCreated: 3, // Subscription (no email), Both (no email), Kept (retention 0)
        unlisted: [
          { logicalId: 'Policy', type: 'AWS::SNS::TopicPolicy' },
          { logicalId: 'Alarm', type: 'AWS::CloudWatch::Alarm' },
          { logicalId: 'Either', type: 'AWS::SNS::Subscription' },
        ],
        unexplained: 3, // a NoEcho parameter, Fn::FindInMap, a cycle: never guessed
      });
    });

    it('uses given parameters over defaults, and the stack ARN for pseudo parameters', () => {
      const explained = explainBlankRows(template, rows, { Email: 'ops@example.com', Retention: '7' }, stack);

      expect(explained?.notCreated).toBe(2); // Alarm and Both: the stack is in eu-west-1
      expect(explained?.unlisted.map((r) => r.logicalId)).toEqual([
        'Policy',
        'Subscription',
        'Either',
        'Kept',
      ]);
    });

    it('explains nothing when there is no blank row or the template does not match the rows', () => {
      expect(explainBlankRows(template, [listedTyped], {}, east)).toBeUndefined();
      expect(explainBlankRows(template, [listedTyped, blankRow], {}, east)).toBeUndefined();
    });
  });

  it('weighs moving parts more than glue in complexity', () => {
    expect(complexityOf(['AWS::Lambda::Function', 'AWS::Lambda::Permission', 'AWS::Unknown::Thing'])).toBe(
      4.25,
    );
  });

  it('reads waivers from metadata, cdk-nag acknowledgements and tags', () => {
    const { suppressions, invalid, notes } = readTemplateWaivers({
      Resources: {
        Logs: {
          Metadata: {
            fitgate: {
              suppressions: [
                { checkId: 's3-bucket-versioning-enabled', reason: 'logs are write-once', owner: 'ops' },
              ],
            },
            cdk_nag: {
              rules_to_suppress: [{ id: 'AwsSolutions-S1', reason: 'this is the access-log bucket' }],
            },
          },
          Properties: {
            Tags: [{ Key: 'fitgate:suppress:s3-bucket-replication-enabled', Value: 'logs need no replica' }],
          },
        },
      },
    });

    expect(invalid).toEqual([]);
    expect(notes).toEqual([]);
    expect(suppressions).toEqual([
      {
        checkId: 's3-bucket-versioning-enabled',
        logicalId: 'Logs',
        reason: 'logs are write-once',
        owner: 'ops',
        source: 'metadata',
      },
      {
        checkId: 's3-bucket-logging-enabled',
        logicalId: 'Logs',
        reason: 'cdk-nag AwsSolutions-S1: this is the access-log bucket',
        source: 'cdk-nag',
      },
      {
        checkId: 's3-bucket-replication-enabled',
        logicalId: 'Logs',
        reason: 'logs need no replica',
        source: 'tag',
      },
    ]);
  });

  it('maps a cdk-nag rule only to checks that name it exactly', () => {
    expect(checksForCdkNagRule('AwsSolutions-S1')).toEqual(['s3-bucket-logging-enabled']);
    expect(checksForCdkNagRule('AwsSolutions-S10')).toEqual(['s3-bucket-ssl-requests-only']);
  });
});

describe('the gate in the stack it guards', () => {
  const gateStackId = 'arn:aws:cloudformation:eu-west-1:111122223333:stack/svc/abc';
  const gate = parseGateResources({ stackId: gateStackId, logicalIds: ['GateFn', 'GateDashboard'] });
  const listed = (logicalId: string, stackId = gateStackId): ListedRow => {
    const summary = {
      LogicalResourceId: logicalId,
      PhysicalResourceId: logicalId.toLowerCase(),
      ResourceType: 'AWS::Lambda::Function',
    };
    return { row: trimRow(summary), summary, stackId };
  };

  it('leaves out only the resources the gate listed, in the gate’s own stack', () => {
    expect(isGateResource(listed('GateFn'), gate)).toBe(true);
    expect(isGateResource(listed('ServiceFn'), gate)).toBe(false);
    // The same logical id in another stack (a nested one, or a stack the gate guards from elsewhere).
    expect(
      isGateResource(listed('GateFn', 'arn:aws:cloudformation:eu-west-1:111122223333:stack/other/x'), gate),
    ).toBe(false);
    expect(isGateResource(listed('GateFn'), undefined)).toBe(false);
  });

  it('ignores a malformed list rather than leaving anything out', () => {
    expect(parseGateResources(undefined)).toBeUndefined();
    expect(parseGateResources({ stackId: gateStackId, logicalIds: 'GateFn' })).toBeUndefined();
    expect(parseGateResources({ stackId: gateStackId, logicalIds: ['A', 7, null] })?.logicalIds).toEqual([
      'A',
    ]);
  });

  it('writes the list into the ListResources task, where no execution input reaches', () => {
    const definition = {
      StartAt: 'ListResources',
      States: { ListResources: { Type: 'Task', Parameters: { 'input.$': '$' } } },
    };

    const gated = withGateResources(definition, { stackId: gateStackId, logicalIds: ['GateFn'] });

    expect(gated.States.ListResources).toEqual({
      Type: 'Task',
      Parameters: { 'input.$': '$', gateResources: { stackId: gateStackId, logicalIds: ['GateFn'] } },
    });
    expect(definition.States.ListResources.Parameters).toEqual({ 'input.$': '$' });
  });
});
