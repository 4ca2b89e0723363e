/**
 * The error names Step Functions gives failed service integrations, so the definition's Retry and
 * Catch name errors that can occur, and the local runner raises the same names.
 *
 * AWS SDK integrations (`arn:aws:states:::aws-sdk:<service>:<action>`): "the resulting Error field
 * will be composed of the service name and the error name, separated by a period character:
 * ServiceName.ErrorName. Both the service name and error name are in Pascal case", and "always add
 * the Exception suffix to potential error names ... even if the suffix isn't already part of the
 * service-provided error name" (S3's BucketAlreadyExists is S3.BucketAlreadyExistsException).
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 * An error code the service's SDK does not model surfaces as the SDK's generic service exception
 * (`CodeDeploy.CodeDeployException`), a failure to reach the service as its client exception.
 *
 * The optimized DynamoDB integration (`arn:aws:states:::dynamodb:putItem`) keeps the service's
 * error code as it is, prefixed `DynamoDB.` (`DynamoDB.ResourceNotFoundException`); what is not a
 * service answer is `DynamoDB.AmazonDynamoDBException` (as moto's interpreter, which is LocalStack's,
 * also names them).
 */

/** Service names in the error prefix, by the service part of an `aws-sdk:<service>:` resource. */
export const AWS_SDK_SERVICE_NAMES: Readonly<Record<string, string>> = {
  acmpca: 'AcmPca',
  cloudwatch: 'CloudWatch',
  codedeploy: 'CodeDeploy',
  dynamodb: 'DynamoDb',
  lambda: 'Lambda',
  s3: 'S3',
  sfn: 'Sfn',
};

/** The prefix of an aws-sdk integration's errors: the service name in Pascal case. */
export function awsSdkServiceName(service: string): string {
  const name = AWS_SDK_SERVICE_NAMES[service];
  if (!name) throw new Error(`no Step Functions error name is known for the ${service} service`);
  return name;
}

/** `<Service>.<Error>Exception`: an error the service answered and its SDK models. */
export function awsSdkErrorName(service: string, errorName: string): string {
  const suffixed = errorName.endsWith('Exception') ? errorName : `${errorName}Exception`;
  return `${awsSdkServiceName(service)}.${suffixed}`;
}

/** `<Service>.<Service>Exception`: a service answer its SDK does not model (5xx, unmodeled throttling). */
export function awsSdkGenericErrorName(service: string): string {
  const name = awsSdkServiceName(service);
  return `${name}.${name}Exception`;
}

/** `<Service>.SdkClientException`: the service could not be reached or did not answer in time. */
export function awsSdkClientErrorName(service: string): string {
  return `${awsSdkServiceName(service)}.SdkClientException`;
}

/** The optimized DynamoDB integration: the service's error code, prefixed. */
export function dynamoDbErrorName(errorCode: string | undefined): string {
  return errorCode ? `DynamoDB.${errorCode}` : 'DynamoDB.AmazonDynamoDBException';
}
