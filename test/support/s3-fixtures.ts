/**
 * Fixtures for the s3 check tests. moto ignores most CloudFormation S3 properties, so each test sets
 * the configuration it needs with the S3 API. Where moto cannot answer (AccessDenied, a policy
 * verdict from GetBucketPolicyStatus, MFA delete), tests use `mockS3Clients` and say so in their name.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  type PublicAccessBlockConfiguration,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DeletePublicAccessBlockCommand,
  PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import type { S3Clients } from '../../functions/checks/s3/clients.ts';
import { TEST_STACK } from './check-harness.ts';

export const bucketRef = (name: string) => ({
  logicalId: 'DataBucket',
  physicalId: name,
  type: 'AWS::S3::Bucket',
});

export const stackRef = () => ({
  logicalId: TEST_STACK.stackName,
  physicalId: TEST_STACK.stackId,
  type: 'AWS::CloudFormation::Stack',
});

export const ALL_USERS = 'uri="http://acs.amazonaws.com/groups/global/AllUsers"';
export const AUTHENTICATED_USERS = 'uri="http://acs.amazonaws.com/groups/global/AuthenticatedUsers"';
export const LOG_DELIVERY = 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"';

export const BLOCK_ALL: PublicAccessBlockConfiguration = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export async function createBucket(clients: S3Clients, name: string, region?: string): Promise<void> {
  await clients.s3.send(
    new CreateBucketCommand({
      Bucket: name,
      ...(region ? { CreateBucketConfiguration: { LocationConstraint: region as 'eu-west-1' } } : {}),
    }),
  );
}

export async function putPolicy(clients: S3Clients, bucket: string, statements: readonly object[]) {
  await clients.s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    }),
  );
}

/** Allow to everyone on `action`, for the bucket and its objects. */
export const publicStatement = (bucket: string, action: string | string[], extra: object = {}) => ({
  Sid: 'Public',
  Effect: 'Allow',
  Principal: '*',
  Action: action,
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  ...extra,
});

export async function putBucketBlock(
  clients: S3Clients,
  bucket: string,
  configuration: PublicAccessBlockConfiguration,
) {
  await clients.s3.send(
    new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: configuration }),
  );
}

export async function putAccountBlock(clients: S3Clients, configuration: PublicAccessBlockConfiguration) {
  await clients.s3Control.send(
    new PutAccountPublicAccessBlockCommand({
      AccountId: TEST_STACK.accountId,
      PublicAccessBlockConfiguration: configuration,
    }),
  );
}

/** The account-level block outlives a test within a file (moto resets per file): remove it. */
export async function deleteAccountBlock(clients: S3Clients) {
  await clients.s3Control.send(new DeletePublicAccessBlockCommand({ AccountId: TEST_STACK.accountId }));
}

/** Fresh clients whose `send` is mocked; calls nobody stubbed reject, so a missed stub cannot pass. */
export function mockS3Clients() {
  const clients: S3Clients = {
    s3: new S3Client({ region: 'us-east-1' }),
    s3Control: new S3ControlClient({ region: 'us-east-1' }),
    kms: new KMSClient({ region: 'us-east-1' }),
  };
  const mocks = {
    s3: mockClient(clients.s3),
    s3Control: mockClient(clients.s3Control),
    kms: mockClient(clients.kms),
  };
  const unexpected = new Error('unexpected call in mock');
  mocks.s3.onAnyCommand().rejects(unexpected);
  mocks.s3Control.onAnyCommand().rejects(unexpected);
  mocks.kms.onAnyCommand().rejects(unexpected);
  return { clients, ...mocks };
}
