/**
 * The error names Step Functions gives failed service integrations, from its documentation: "the
 * resulting Error field will be composed of the service name and the error name, separated by a
 * period character: ServiceName.ErrorName", both in Pascal case, with the Exception suffix always
 * added (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html), and
 * the local SDK integration producing them from real SDK v3 errors.
 */
import {
  CodeDeployServiceException,
  LifecycleEventAlreadyCompletedException,
} from '@aws-sdk/client-codedeploy';
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { stepFunctionsErrorName } from '../../cli/emulation/sdk-integrations.ts';
import {
  awsSdkClientErrorName,
  awsSdkErrorName,
  awsSdkGenericErrorName,
  dynamoDbErrorName,
} from '../../statemachine/error-names.ts';

const CODEDEPLOY = 'arn:aws:states:::aws-sdk:codedeploy:putLifecycleEventHookExecutionStatus';
const metadata = (httpStatusCode: number) => ({
  httpStatusCode,
  requestId: 'r-1',
  attempts: 1,
  totalRetryDelay: 0,
});

/** An answer of the service that its SDK does not model: the SDK's generic service exception. */
function unmodeled(name: string, httpStatusCode: number) {
  return new CodeDeployServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: metadata(httpStatusCode),
  });
}

describe('the naming rule of AWS SDK integration errors', () => {
  it('reads as the documentation’s own examples', () => {
    // "AcmPca.ResourceNotFoundException" and S3's BucketAlreadyExists → "S3.BucketAlreadyExistsException".
    expect(awsSdkErrorName('acmpca', 'ResourceNotFoundException')).toBe('AcmPca.ResourceNotFoundException');
    expect(awsSdkErrorName('s3', 'BucketAlreadyExists')).toBe('S3.BucketAlreadyExistsException');
  });

  it('never yields a name without the Exception suffix, so CodeDeploy.InternalFailure cannot occur', () => {
    expect(awsSdkErrorName('codedeploy', 'InternalFailure')).toBe('CodeDeploy.InternalFailureException');
    expect(awsSdkGenericErrorName('codedeploy')).toBe('CodeDeploy.CodeDeployException');
    expect(awsSdkClientErrorName('codedeploy')).toBe('CodeDeploy.SdkClientException');
  });

  it('refuses a service it has no Pascal-case name for rather than guessing one', () => {
    expect(() => awsSdkErrorName('newservice', 'ThrottlingException')).toThrow(/newservice/);
  });
});

describe('the local SDK integration names errors as Step Functions does', () => {
  it('names a modeled CodeDeploy answer after its exception', () => {
    const error = new LifecycleEventAlreadyCompletedException({ message: 'done', $metadata: metadata(400) });

    expect(stepFunctionsErrorName(CODEDEPLOY, error)).toBe(
      'CodeDeploy.LifecycleEventAlreadyCompletedException',
    );
  });

  it('names throttling and 5xx answers the SDK does not model as its generic service exception', () => {
    for (const [code, status] of [
      ['InternalFailure', 500],
      ['ServiceUnavailable', 503],
      ['Throttling', 400],
      ['RequestLimitExceeded', 400],
    ] as const) {
      expect(stepFunctionsErrorName(CODEDEPLOY, unmodeled(code, status)), code).toBe(
        'CodeDeploy.CodeDeployException',
      );
    }
  });

  it('names a call that got no answer as the client exception', () => {
    const timeout = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

    expect(stepFunctionsErrorName(CODEDEPLOY, timeout)).toBe('CodeDeploy.SdkClientException');
    expect(stepFunctionsErrorName(CODEDEPLOY, refused)).toBe('CodeDeploy.SdkClientException');
  });

  it('keeps the error code of the optimized DynamoDB integration as it is', () => {
    const missing = new ResourceNotFoundException({ message: 'no table', $metadata: metadata(400) });
    const noAnswer = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });

    expect(stepFunctionsErrorName('arn:aws:states:::dynamodb:putItem', missing)).toBe(
      'DynamoDB.ResourceNotFoundException',
    );
    expect(stepFunctionsErrorName('arn:aws:states:::dynamodb:putItem', noAnswer)).toBe(
      'DynamoDB.AmazonDynamoDBException',
    );
    expect(dynamoDbErrorName('ProvisionedThroughputExceededException')).toBe(
      'DynamoDB.ProvisionedThroughputExceededException',
    );
  });
});
