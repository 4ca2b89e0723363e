import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { logicalIdOf, resourcesOf, sampleStack } from './synth.ts';

describe('sample service (the system under evolution)', () => {
  const { stack, template } = sampleStack();
  const id = (path: string) => logicalIdOf(stack, path);

  it('has two buckets: one encrypted with the customer-managed key, one plain', () => {
    const buckets = resourcesOf(template, 'AWS::S3::Bucket');
    // Besides the gate's own work bucket.
    expect(
      Object.keys(buckets).filter((logicalId) => !logicalId.startsWith('FitnessGateWorkBucket')),
    ).toHaveLength(2);
    expect(buckets[id('EncryptedBucket')]?.Properties?.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [id('DataKey'), 'Arn'] },
          },
        },
      ],
    });
    expect(JSON.stringify(buckets[id('PlainBucket')]?.Properties?.BucketEncryption ?? {})).not.toContain(
      'aws:kms',
    );
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('has two tables: one with customer-managed encryption, one on the default', () => {
    const tables = resourcesOf(template, 'AWS::DynamoDB::Table');
    expect(tables[id('EncryptedTable')]?.Properties?.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [id('DataKey'), 'Arn'] },
    });
    expect(tables[id('PlainTable')]?.Properties?.SSESpecification).toBeUndefined();
  });

  it('runs myFirstFunction and mySecondFunction, each with a live alias on its current version', () => {
    for (const name of ['myFirstFunction', 'mySecondFunction']) {
      const fn = resourcesOf(template, 'AWS::Lambda::Function')[id(name)];
      expect(fn?.Properties, name).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
      template.hasResourceProperties('AWS::Lambda::Alias', {
        Name: 'live',
        FunctionName: { Ref: id(name) },
        FunctionVersion: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${name}CurrentVersion`), 'Version'] },
      });
    }
  });

  it('serves /first and /second through API Gateway on the live aliases', () => {
    for (const [pathPart, name] of [
      ['first', 'myFirstFunction'],
      ['second', 'mySecondFunction'],
    ] as const) {
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: pathPart });
      const method = Object.values(resourcesOf(template, 'AWS::ApiGateway::Method')).find(
        (candidate) =>
          JSON.stringify(candidate.Properties?.ResourceId) ===
          JSON.stringify({ Ref: id(`SampleApi/Default/${pathPart}`) }),
      );
      expect(method?.Properties?.HttpMethod).toBe('GET');
      expect(JSON.stringify(method?.Properties?.Integration)).toContain(id(`${name}Live`));
    }
  });

  it('shifts traffic linearly for the first function and as a canary for the second, rolling back on alarms', () => {
    for (const [name, config] of [
      ['myFirstFunction', 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute'],
      ['mySecondFunction', 'CodeDeployDefault.LambdaCanary10Percent5Minutes'],
    ] as const) {
      const group = resourcesOf(template, 'AWS::CodeDeploy::DeploymentGroup')[id(`${name}Deployment`)];
      expect(group?.Properties, name).toMatchObject({
        DeploymentConfigName: config,
        DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
        AlarmConfiguration: { Enabled: true, Alarms: [{ Name: { Ref: id(`${name}Errors`) } }] },
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: expect.arrayContaining([
            'DEPLOYMENT_FAILURE',
            'DEPLOYMENT_STOP_ON_REQUEST',
            'DEPLOYMENT_STOP_ON_ALARM',
          ]),
        },
      });
    }
  });

  it('watches errors on each live alias', () => {
    for (const name of ['myFirstFunction', 'mySecondFunction']) {
      const alarm = resourcesOf(template, 'AWS::CloudWatch::Alarm')[id(`${name}Errors`)];
      expect(alarm?.Properties, name).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: expect.arrayContaining([
          { Name: 'FunctionName', Value: { Ref: id(name) } },
          { Name: 'Resource', Value: { 'Fn::Join': ['', [{ Ref: id(name) }, ':live']] } },
        ]),
      });
    }
  });

  it('guards both deployment groups with the FitnessGate auditing this very stack', () => {
    expect(stack.gate.guardedStackName).toBe('FitgateSample');
    for (const name of ['myFirstFunction', 'mySecondFunction']) {
      const alias = resourcesOf(template, 'AWS::Lambda::Alias')[id(`${name}Live`)];
      expect(alias?.UpdatePolicy, name).toMatchObject({
        CodeDeployLambdaAliasUpdate: {
          BeforeAllowTrafficHook: { Ref: id('FitnessGate/PreTrafficHook/Function') },
          AfterAllowTrafficHook: { Ref: id('FitnessGate/PostTrafficHook/Function') },
        },
      });
    }
  });

  it('publishes new versions when the release changes, which is what starts a gated deployment', () => {
    const versionsOf = (release: string) => {
      const { template: released } = sampleStack({ release });
      return Object.keys(resourcesOf(released, 'AWS::Lambda::Version')).sort();
    };
    const first = versionsOf('1');
    const second = versionsOf('2');
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    expect(second.filter((version) => first.includes(version))).toEqual([]);
  });
});

describe('the gate inside the stack it guards', () => {
  const { stack, template } = sampleStack();
  const all = template.toJSON().Resources as Record<
    string,
    { Type: string; Metadata?: Record<string, unknown>; Properties?: { DefinitionString?: unknown } }
  >;
  const machine = Object.values(all).find((resource) => resource.Type === 'AWS::StepFunctions::StateMachine');
  const definition = JSON.parse(String(machine?.Properties?.DefinitionString)) as {
    States: { ListResources: { Parameters: { gateResources: { logicalIds: string[] } } } };
  };
  const gateIds = definition.States.ListResources.Parameters.gateResources.logicalIds;

  it('puts no mark in the template that a service resource could copy', () => {
    expect(Object.values(all).some((resource) => resource.Metadata && 'fitgate' in resource.Metadata)).toBe(
      false,
    );
  });

  it('lists every resource of the gate in its definition, so ListResources leaves the auditor out', () => {
    expect(gateIds).toContain(logicalIdOf(stack, 'FitnessGate/StateMachine'));
    expect(
      gateIds.filter((logicalId) => all[logicalId]?.Type === 'AWS::Lambda::Function').length,
    ).toBeGreaterThanOrEqual(16);
  });

  it('does not list the service’s own resources', () => {
    for (const path of ['EncryptedBucket', 'PlainBucket', 'EncryptedTable', 'PlainTable']) {
      expect(gateIds).not.toContain(logicalIdOf(stack, path));
    }
  });
});
