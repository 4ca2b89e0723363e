/**
 * Synthetic CloudFormation stacks of a given size with a realistic serverless mix: buckets, tables,
 * functions with their roles, queues, topics and log groups, configured unevenly (some well, some
 * not) so every check family has work and findings.
 */
import type { CfnResource, CfnTemplate } from '../cli/emulation/template.ts';

const ASSUME_LAMBDA = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

type Maker = (i: number) => CfnResource;

/** One "unit" of a serverless service; a stack of N resources repeats the mix until N. */
const MIX: readonly [string, Maker][] = [
  [
    'Bucket',
    (i) => ({
      Type: 'AWS::S3::Bucket',
      Properties:
        i % 2 === 0
          ? {
              VersioningConfiguration: { Status: 'Enabled' },
              BucketEncryption: {
                ServerSideEncryptionConfiguration: [
                  { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } },
                ],
              },
              PublicAccessBlockConfiguration: {
                BlockPublicAcls: true,
                IgnorePublicAcls: true,
                BlockPublicPolicy: true,
                RestrictPublicBuckets: true,
              },
            }
          : {},
    }),
  ],
  [
    'Table',
    (i) => ({
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        ...(i % 2 === 0
          ? {
              PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
              DeletionProtectionEnabled: true,
            }
          : {}),
      },
    }),
  ],
  ['Role', () => ({ Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: ASSUME_LAMBDA } })],
  [
    'Fn',
    (i) => ({
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: i % 3 === 0 ? 'nodejs18.x' : 'nodejs22.x',
        Handler: 'index.handler',
        Role: { 'Fn::GetAtt': [`Role${i}`, 'Arn'] },
        Code: { ZipFile: 'exports.handler = async () => ({ statusCode: 200 });' },
        ...(i % 2 === 0 ? { ReservedConcurrentExecutions: 5 } : {}),
      },
    }),
  ],
  [
    'Queue',
    (i) => ({ Type: 'AWS::SQS::Queue', Properties: i % 2 === 0 ? { SqsManagedSseEnabled: true } : {} }),
  ],
  ['Topic', () => ({ Type: 'AWS::SNS::Topic' })],
  ['Logs', (i) => ({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: i % 2 === 0 ? 365 : 7 } })],
];

export function syntheticTemplate(resourceCount: number): CfnTemplate {
  const resources: Record<string, CfnResource> = {};
  for (let n = 0; n < resourceCount; n++) {
    const unit = Math.floor(n / MIX.length);
    const [prefix, make] = MIX[n % MIX.length] as [string, Maker];
    // A function needs its role: the mix puts Role before Fn in every unit.
    resources[`${prefix}${unit}`] = make(unit);
  }
  // A trailing Fn without its Role (when N cuts a unit short) is impossible: Role precedes Fn.
  return { AWSTemplateFormatVersion: '2010-09-09', Resources: resources };
}

/** A logical id of exactly `length` characters (CloudFormation allows 255), unique by `index`. */
function longLogicalId(prefix: string, index: number, length: number): string {
  const suffix = String(index).padStart(4, '0');
  return `${prefix}${'X'.repeat(Math.max(0, length - prefix.length - suffix.length))}${suffix}`;
}

/**
 * Issue #11's worst case for the state size: `count` public buckets (public policy, no public access
 * block) whose logical ids are `idLength` characters long, so every check fails and every failure
 * names a long id.
 */
export function publicBucketsTemplate(count: number, idLength = 60, namePrefix = 'public'): CfnTemplate {
  // The function a CodeDeploy deployment shifts: a hook's claim is confirmed only for a function of the stack.
  const resources: Record<string, CfnResource> = {
    ServiceRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: ASSUME_LAMBDA } },
    ServiceFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: { 'Fn::GetAtt': ['ServiceRole', 'Arn'] },
        Code: { ZipFile: 'exports.handler = async () => ({ statusCode: 200 });' },
      },
    },
  };
  for (let i = 0; i < count; i++) {
    const id = longLogicalId('PublicBucket', i, idLength);
    resources[id] = {
      Type: 'AWS::S3::Bucket',
      Properties: {
        // The longest name S3 allows (63), as CloudFormation's generated names are.
        BucketName: longLogicalId(`${namePrefix}-`, i, 63).toLowerCase(),
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: false,
          IgnorePublicAcls: false,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: false,
        },
      },
    };
    resources[`${id.slice(0, idLength - 6)}Policy`] = {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: id },
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: { 'Fn::Sub': `\${${id}.Arn}/*` },
            },
          ],
        },
      },
    };
  }
  return { AWSTemplateFormatVersion: '2010-09-09', Resources: resources };
}
