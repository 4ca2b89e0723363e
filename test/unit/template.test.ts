// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub strings are CloudFormation syntax, not JS templates
import { describe, expect, it } from 'vitest';
import {
  type CfnTemplate,
  IntrinsicResolver,
  loadTemplateFile,
  NO_VALUE,
  parseTemplate,
  type StackContext,
  TemplateError,
  TemplateResolveError,
} from '../../cli/emulation/template.ts';

const STACK: StackContext = {
  stackName: 'shop',
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/shop/1f2e3d4c',
  region: 'us-east-1',
  accountId: '123456789012',
};

function resolverFor(template: Partial<CfnTemplate>, context: Partial<StackContext> = {}) {
  return new IntrinsicResolver({ Resources: {}, ...template } as CfnTemplate, { ...STACK, ...context });
}

/** Every value found under `key` anywhere in `value`. */
function valuesOf(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesOf(item, key));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([name, item]) => [
    ...(name === key ? [item] : []),
    ...valuesOf(item, key),
  ]);
}

describe('parseTemplate (YAML)', () => {
  it('turns every short-form tag into its long form', () => {
    const yaml = `
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsBig: !And [!Condition IsProd, !Not [!Equals [!Ref Size, small]]]
  IsAny: !Or [!Condition IsProd, !Condition IsBig]
Resources:
  Thing:
    Type: AWS::S3::Bucket
    Properties:
      A: !Ref Env
      B: !Sub '\${AWS::StackName}-data'
      C: !Join ['-', [a, !Ref Env]]
      D: !If [IsProd, !Ref AWS::NoValue, x]
      E: !FindInMap [Sizes, !Ref Size, Count]
      F: !Select [0, !GetAZs '']
      G: !Split [',', 'a,b']
      H: !Base64 hello
      I: !ImportValue shared-vpc
      J: !Cidr ['10.0.0.0/16', 2, 8]
      K: !Transform { Name: AWS::Include, Parameters: { Location: s3://b/k } }
`;

    const template = parseTemplate(yaml);

    expect(template.Conditions).toEqual({
      IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
      IsBig: {
        'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Size' }, 'small'] }] }],
      },
      IsAny: { 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'IsBig' }] },
    });
    expect(template.Resources.Thing?.Properties).toEqual({
      A: { Ref: 'Env' },
      B: { 'Fn::Sub': '${AWS::StackName}-data' },
      C: { 'Fn::Join': ['-', ['a', { Ref: 'Env' }]] },
      D: { 'Fn::If': ['IsProd', { Ref: 'AWS::NoValue' }, 'x'] },
      E: { 'Fn::FindInMap': ['Sizes', { Ref: 'Size' }, 'Count'] },
      F: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      G: { 'Fn::Split': [',', 'a,b'] },
      H: { 'Fn::Base64': 'hello' },
      I: { 'Fn::ImportValue': 'shared-vpc' },
      J: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] },
      K: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } },
    });
  });

  it('reads !GetAtt in both the dotted and the sequence form', () => {
    const template = parseTemplate(`
Resources:
  R:
    Type: AWS::SNS::Topic
    Properties:
      Dotted: !GetAtt Queue.Arn
      Nested: !GetAtt Database.Endpoint.Address
      Sequence: !GetAtt [Queue, Arn]
      SpacedSequence: !GetAtt [ Queue, QueueName ]
`);

    expect(template.Resources.R?.Properties).toEqual({
      Dotted: { 'Fn::GetAtt': ['Queue', 'Arn'] },
      Nested: { 'Fn::GetAtt': ['Database', 'Endpoint.Address'] },
      Sequence: { 'Fn::GetAtt': ['Queue', 'Arn'] },
      SpacedSequence: { 'Fn::GetAtt': ['Queue', 'QueueName'] },
    });
  });

  it('keeps unquoted dates as strings', () => {
    const template = parseTemplate(`
AWSTemplateFormatVersion: 2010-09-09
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: 2012-10-17
      Expiry: 2030-01-01T00:00:00Z
`);

    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(template.Resources.Role?.Properties).toEqual({
      AssumeRolePolicyDocument: { Version: '2012-10-17' },
      Expiry: '2030-01-01T00:00:00Z',
    });
  });

  it('accepts a JSON policy pasted under a YAML key with its closing brace left of the key, as CloudFormation does', () => {
    const template = parseTemplate(
      [
        'Resources:',
        '  Key:',
        '    Type: AWS::KMS::Key',
        '    Properties:',
        '      KeyPolicy: {',
        '        "Version": "2012-10-17",',
        '        "Statement": []',
        '    }',
        '  Alias:',
        '    Type: AWS::KMS::Alias',
        '    Properties:',
        '      TargetKeyId: !Ref Key',
      ].join('\n'),
    );

    expect(template.Resources.Key?.Properties).toEqual({
      KeyPolicy: { Version: '2012-10-17', Statement: [] },
    });
    expect(template.Resources.Alias?.Properties).toEqual({ TargetKeyId: { Ref: 'Key' } });
  });

  it('reads JSON templates as JSON', () => {
    const template = parseTemplate(
      '{"Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{"V":"2012-10-17"}}}}',
    );

    expect(template.Resources.B?.Properties).toEqual({ V: '2012-10-17' });
  });

  it('refuses a tag CloudFormation does not know, and a text without Resources, in one line', () => {
    expect(() => parseTemplate('Resources:\n  A:\n    Type: !Rain::Embed x.yaml\n', 'rain.yaml')).toThrow(
      TemplateError,
    );
    expect(() => parseTemplate('Resources:\n  A:\n    Type: !Rain::Embed x.yaml\n', 'rain.yaml')).toThrow(
      /^rain\.yaml is not a readable YAML template: .*Rain::Embed/,
    );
    expect(() => parseTemplate('Description: nothing\n', 'empty.yaml')).toThrow(
      'empty.yaml has no Resources section',
    );
  });

  it('loads a real YAML template whose unquoted dates moto turns into dates', () => {
    const template = loadTemplateFile('/work/shared/real-stacks/iot-sns-sqs.yaml');

    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    const versions = valuesOf(template.Resources, 'Version');
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.every((version) => version === '2012-10-17')).toBe(true);
  });

  it('loads a real YAML template with sequence-form !GetAtt', () => {
    const template = loadTemplateFile('/work/shared/real-stacks/sfn-sqs-sns-lambda.yaml');

    expect(valuesOf(template.Resources, 'Fn::GetAtt')).toContainEqual(['SQSQueue', 'Arn']);
  });
});

describe('IntrinsicResolver', () => {
  const physicalIds = {
    Bucket: 'shop-data',
    Queue: 'https://sqs.us-east-1.amazonaws.com/123456789012/shop-orders',
    Topic: 'arn:aws:sns:us-east-1:123456789012:shop-alerts',
    Role: 'shop-role',
    Table: 'shop-table',
    Fn: 'shop-fn',
    Key: '1234abcd-12ab-34cd-56ef-1234567890ab',
    Logs: '/shop/logs',
    Machine: 'arn:aws:states:us-east-1:123456789012:stateMachine:shop-flow',
  };
  const resources = {
    Bucket: { Type: 'AWS::S3::Bucket' },
    Queue: { Type: 'AWS::SQS::Queue' },
    Topic: { Type: 'AWS::SNS::Topic' },
    Role: { Type: 'AWS::IAM::Role', Properties: { Path: '/service/' } },
    Table: { Type: 'AWS::DynamoDB::Table' },
    Fn: { Type: 'AWS::Lambda::Function' },
    Key: { Type: 'AWS::KMS::Key' },
    Logs: { Type: 'AWS::Logs::LogGroup' },
    Machine: { Type: 'AWS::StepFunctions::StateMachine' },
    Cdn: { Type: 'AWS::CloudFront::Distribution' },
  };
  const resolver = () => resolverFor({ Resources: resources }, { physicalIds });

  it('resolves Fn::Sub with ${Resource.Attr}, pseudo parameters, variables and ${!literals}', () => {
    const r = resolver();

    expect(r.resolve({ 'Fn::Sub': '${Bucket.Arn}/*' }, 'p')).toBe('arn:aws:s3:::shop-data/*');
    expect(
      r.resolve(
        { 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${AWS::StackName}' },
        'p',
      ),
    ).toBe('arn:aws:x:us-east-1:123456789012:shop');
    expect(r.resolve({ 'Fn::Sub': ['${Name}-${Bucket}', { Name: { Ref: 'Topic' } }] }, 'p')).toBe(
      'arn:aws:sns:us-east-1:123456789012:shop-alerts-shop-data',
    );
    expect(r.resolve({ 'Fn::Sub': '${!Literal}-${AWS::URLSuffix}' }, 'p')).toBe('${Literal}-amazonaws.com');
  });

  it('derives Fn::GetAtt attributes from physical ids', () => {
    const r = resolver();
    const attribute = (id: string, name: string) => r.resolve({ 'Fn::GetAtt': [id, name] }, 'p');

    expect(attribute('Bucket', 'Arn')).toBe('arn:aws:s3:::shop-data');
    expect(attribute('Bucket', 'DomainName')).toBe('shop-data.s3.amazonaws.com');
    expect(attribute('Bucket', 'RegionalDomainName')).toBe('shop-data.s3.us-east-1.amazonaws.com');
    expect(attribute('Queue', 'Arn')).toBe('arn:aws:sqs:us-east-1:123456789012:shop-orders');
    expect(attribute('Queue', 'QueueName')).toBe('shop-orders');
    expect(attribute('Queue', 'QueueUrl')).toBe(physicalIds.Queue);
    expect(attribute('Topic', 'TopicName')).toBe('shop-alerts');
    expect(attribute('Role', 'Arn')).toBe('arn:aws:iam::123456789012:role/service/shop-role');
    expect(attribute('Table', 'Arn')).toBe('arn:aws:dynamodb:us-east-1:123456789012:table/shop-table');
    expect(attribute('Fn', 'Arn')).toBe('arn:aws:lambda:us-east-1:123456789012:function:shop-fn');
    expect(attribute('Key', 'Arn')).toBe(`arn:aws:kms:us-east-1:123456789012:key/${physicalIds.Key}`);
    expect(attribute('Logs', 'Arn')).toBe('arn:aws:logs:us-east-1:123456789012:log-group:/shop/logs:*');
    expect(attribute('Machine', 'Arn')).toBe(physicalIds.Machine);
    expect(attribute('Machine', 'Name')).toBe('shop-flow');
    expect(r.resolve({ 'Fn::GetAtt': 'Bucket.Arn' }, 'p')).toBe('arn:aws:s3:::shop-data');
  });

  it('prefers attributes read from the emulator over derived ones', () => {
    const r = resolverFor(
      { Resources: resources },
      {
        physicalIds,
        attributes: {
          Table: { StreamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/shop-table/stream/1' },
        },
      },
    );

    expect(r.resolve({ 'Fn::GetAtt': ['Table', 'StreamArn'] }, 'p')).toBe(
      'arn:aws:dynamodb:us-east-1:123456789012:table/shop-table/stream/1',
    );
  });

  it('resolves parameters with defaults, given values and lists', () => {
    const r = resolverFor(
      {
        Parameters: {
          Env: { Type: 'String', Default: 'dev' },
          Size: { Type: 'Number', Default: 3 },
          Subnets: { Type: 'CommaDelimitedList' },
        },
      },
      { parameters: { Env: 'prod', Subnets: 'a, b,c' } },
    );

    expect(r.resolve({ Ref: 'Env' }, 'p')).toBe('prod');
    expect(r.resolve({ Ref: 'Size' }, 'p')).toBe('3');
    expect(r.resolve({ Ref: 'Subnets' }, 'p')).toEqual(['a', 'b', 'c']);
    expect(r.resolve({ 'Fn::Join': ['|', { Ref: 'Subnets' }] }, 'p')).toBe('a|b|c');
    expect(r.resolve({ 'Fn::Select': ['1', { 'Fn::Split': [',', 'x,y,z'] }] }, 'p')).toBe('y');
  });

  it('evaluates conditions, Fn::If and resource conditions, dropping AWS::NoValue', () => {
    const r = resolverFor(
      {
        Parameters: { Env: { Default: 'prod' }, Size: { Default: 'small' } },
        Conditions: {
          IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
          IsSmall: { 'Fn::Equals': ['small', { Ref: 'Size' }] },
          IsBigProd: { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Not': [{ Condition: 'IsSmall' }] }] },
          IsEither: { 'Fn::Or': [{ Condition: 'IsBigProd' }, { Condition: 'IsSmall' }] },
        },
        Resources: {
          Always: { Type: 'AWS::SNS::Topic' },
          OnlyBig: { Type: 'AWS::SNS::Topic', Condition: 'IsBigProd' },
          Either: { Type: 'AWS::SNS::Topic', Condition: 'IsEither' },
        },
      },
      {},
    );

    expect(r.condition('IsProd')).toBe(true);
    expect(r.condition('IsBigProd')).toBe(false);
    expect(r.condition('IsEither')).toBe(true);
    expect(['Always', 'OnlyBig', 'Either'].map((id) => r.isResourceEnabled(id))).toEqual([true, false, true]);
    expect(r.resolve({ 'Fn::If': ['IsProd', 'p', 'd'] }, 'p')).toBe('p');
    expect(
      r.resolve(
        {
          Keep: 1,
          Drop: { 'Fn::If': ['IsProd', { Ref: 'AWS::NoValue' }, 2] },
          Items: ['a', { 'Fn::If': ['IsBigProd', 'b', { Ref: 'AWS::NoValue' }] }],
        },
        'p',
      ),
    ).toEqual({ Keep: 1, Items: ['a'] });
    expect(r.resolve({ Ref: 'AWS::NoValue' }, 'p')).toBe(NO_VALUE);
  });

  it('resolves Fn::FindInMap (with DefaultValue), Fn::Base64, Fn::GetAZs and Fn::Cidr', () => {
    const r = resolverFor({ Mappings: { Sizes: { small: { Count: 1 }, large: { Count: 9 } } } });

    expect(r.resolve({ 'Fn::FindInMap': ['Sizes', 'large', 'Count'] }, 'p')).toBe(9);
    expect(r.resolve({ 'Fn::FindInMap': ['Sizes', 'huge', 'Count', { DefaultValue: 0 }] }, 'p')).toBe(0);
    expect(r.resolve({ 'Fn::Base64': 'hello' }, 'p')).toBe('aGVsbG8=');
    expect(r.resolve({ 'Fn::Select': [1, { 'Fn::GetAZs': '' }] }, 'p')).toBe('us-east-1b');
    expect(r.resolve({ 'Fn::Cidr': ['10.0.0.0/16', 3, 8] }, 'p')).toEqual([
      '10.0.0.0/24',
      '10.0.1.0/24',
      '10.0.2.0/24',
    ]);
  });

  it('reads a property by path, resolving the top-level property as a whole', () => {
    const r = resolverFor(
      {
        Conditions: { On: { 'Fn::Equals': ['a', 'a'] } },
        Resources: {
          Bucket: {
            Type: 'AWS::S3::Bucket',
            Properties: {
              VersioningConfiguration: { 'Fn::If': ['On', { Status: 'Enabled' }, { Ref: 'AWS::NoValue' }] },
            },
          },
        },
      },
      {},
    );

    expect(r.property('Bucket', 'VersioningConfiguration.Status')).toBe('Enabled');
    expect(r.property('Bucket', 'LoggingConfiguration')).toBeUndefined();
  });

  it('names the resource and property it cannot resolve', () => {
    const r = resolverFor(
      {
        Parameters: { Missing: { Type: 'String' } },
        Resources: {
          ...resources,
          Policy: {
            Type: 'AWS::S3::BucketPolicy',
            Properties: {
              PolicyDocument: {
                Statement: [{ Condition: { StringEquals: { 'AWS:SourceArn': { Ref: 'Cdn' } } } }],
              },
              Bucket: { Ref: 'Missing' },
              Arn: { 'Fn::GetAtt': ['Bucket', 'Nonsense'] },
            },
          },
        },
      },
      { physicalIds },
    );

    expect(() => r.property('Policy', 'PolicyDocument')).toThrow(TemplateResolveError);
    expect(() => r.property('Policy', 'PolicyDocument')).toThrow(
      'cannot resolve Policy.PolicyDocument.Statement[0].Condition.StringEquals.AWS:SourceArn: ' +
        'Ref Cdn (AWS::CloudFront::Distribution): the emulator holds no such resource',
    );
    expect(() => r.property('Policy', 'Bucket')).toThrow(
      'cannot resolve Policy.Bucket: parameter Missing has no value and no default',
    );
    expect(() => r.property('Policy', 'Arn')).toThrow(
      'cannot resolve Policy.Arn: Fn::GetAtt Bucket.Nonsense: attribute Nonsense of AWS::S3::Bucket is not known to the emulator',
    );
    expect(() => r.resolve({ 'Fn::ImportValue': 'shared-vpc' }, 'Vpc.VpcId')).toThrow(
      'cannot resolve Vpc.VpcId: Fn::ImportValue shared-vpc: no stack in the emulator exports it',
    );
  });
});
