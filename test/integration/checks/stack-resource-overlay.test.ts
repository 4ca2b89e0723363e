/**
 * A local audit sees what a cloud audit sees: an alarm moto's CloudFormation skips, created by the
 * deploy helper through PutMetricAlarm, is listed to the local ListResources and audited.
 */
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { deployStack } from '../../../cli/emulation/deploy/index.ts';
import { runGateLocally } from '../../../cli/emulation/runner.ts';
import {
  overlayRows,
  recordedStackResources,
  stackNameOf,
  withStackResourceOverlay,
} from '../../../cli/emulation/stack-resource-overlay.ts';

const TEMPLATE = {
  Resources: {
    Alerts: { Type: 'AWS::SNS::Topic' },
    Errors: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmActions: [{ Ref: 'Alerts' }],
        MetricName: 'Errors',
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
    },
  },
};

describe('the local ListStackResources overlay', () => {
  it('lists the alarm the deploy helper created, so the local audit audits it', async () => {
    const deployed = await deployStack({ stackName: 'overlay-alarm', template: TEMPLATE });
    const plain = await new CloudFormationClient({}).send(
      new ListStackResourcesCommand({ StackName: 'overlay-alarm' }),
    );
    const overlaid = await withStackResourceOverlay(new CloudFormationClient({})).send(
      new ListStackResourcesCommand({ StackName: deployed.stackId }),
    );

    const execution = await runGateLocally(
      { stackName: 'overlay-alarm', trigger: 'adhoc' },
      { fastRetries: true },
    );

    // moto itself answers a blank row for the alarm; the overlay puts the alarm in its place.
    expect(plain.StackResourceSummaries?.filter((row) => !row.ResourceType)).toHaveLength(1);
    expect(
      overlaid.StackResourceSummaries?.map((row) => [row.LogicalResourceId, row.ResourceType]).sort(),
    ).toEqual([
      ['Alerts', 'AWS::SNS::Topic'],
      ['Errors', 'AWS::CloudWatch::Alarm'],
    ]);
    const report = execution.report;
    expect(report?.coverage.unsupportedTypes).not.toContain('AWS::CloudWatch::Alarm');
    expect(report?.results).toContainEqual(
      expect.objectContaining({
        checkId: 'cloudwatch-alarm-action-check',
        logicalId: 'Errors',
        status: 'PASS',
      }),
    );
  });

  it('creates and lists the types moto skips entirely: a secret, an HTTP API with its stage and route, a global table', async () => {
    const template = {
      Resources: {
        Key: {
          Type: 'AWS::KMS::Key',
          Properties: {
            KeyPolicy: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: 'arn:aws:iam::123456789012:root' },
                  Action: 'kms:*',
                  Resource: '*',
                },
              ],
            },
          },
        },
        Secret: {
          Type: 'AWS::SecretsManager::Secret',
          Properties: { KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } },
        },
        Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'orders', ProtocolType: 'HTTP' } },
        Route: {
          Type: 'AWS::ApiGatewayV2::Route',
          Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /orders' },
        },
        Stage: {
          Type: 'AWS::ApiGatewayV2::Stage',
          Properties: {
            ApiId: { Ref: 'Api' },
            StageName: '$default',
            DefaultRouteSettings: { ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5 },
          },
        },
        Orders: {
          Type: 'AWS::DynamoDB::GlobalTable',
          Properties: {
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
            Replicas: [
              { Region: 'us-east-1', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
            ],
          },
        },
      },
    };
    await deployStack({ stackName: 'overlay-new-types', template });

    const execution = await runGateLocally(
      { stackName: 'overlay-new-types', trigger: 'adhoc' },
      { fastRetries: true },
    );

    const results = execution.report?.results ?? [];
    const statusOf = (checkId: string, logicalId: string) =>
      results.find((r) => r.checkId === checkId && r.logicalId === logicalId)?.status;
    expect(statusOf('secretsmanager-using-cmk', 'Secret')).toBe('PASS');
    expect(statusOf('secretsmanager-rotation-enabled-check', 'Secret')).toBe('FAIL');
    expect(statusOf('api-gwv2-authorization-type-configured', 'Api')).toBe('FAIL');
    expect(statusOf('api-gwv2-custom-throttling', 'Stage')).toBe('PASS');
    expect(statusOf('api-gwv2-access-logs-enabled', 'Stage')).toBe('FAIL');
    expect(statusOf('dynamodb-pitr-enabled', 'Orders')).toBe('PASS');
    expect(execution.report?.coverage.unsupportedTypes).not.toEqual(
      expect.arrayContaining(['AWS::SecretsManager::Secret']),
    );
  });

  it('ignores the record of an earlier stack of the same name', async () => {
    const deployed = await deployStack({ stackName: 'overlay-again', template: TEMPLATE });

    expect(await recordedStackResources(deployed.stackId)).toHaveLength(1);
    expect(await recordedStackResources(`${deployed.stackId.slice(0, -4)}ffff`)).toEqual([]);
    expect(stackNameOf(deployed.stackId)).toBe('overlay-again');
  });
});

describe('overlayRows', () => {
  it('puts each recorded resource in the place of one blank row and never lists one twice', () => {
    const blank = {
      LogicalResourceId: '',
      PhysicalResourceId: '',
      ResourceType: '',
      ResourceStatus: 'CREATE_COMPLETE' as const,
      LastUpdatedTimestamp: new Date(),
    };
    const topic = {
      ...blank,
      LogicalResourceId: 'Alerts',
      PhysicalResourceId: 'arn:t',
      ResourceType: 'AWS::SNS::Topic',
    };

    const rows = overlayRows(
      [topic, blank, blank],
      [
        { logicalId: 'Errors', physicalId: 'errors', type: 'AWS::CloudWatch::Alarm' },
        { logicalId: 'Alerts', physicalId: 'arn:t', type: 'AWS::SNS::Topic' },
      ],
    );

    expect(rows.map((row) => row.LogicalResourceId)).toEqual(['Alerts', '', 'Errors']);
  });
});
