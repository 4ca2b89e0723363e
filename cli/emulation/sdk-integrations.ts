/**
 * Performs a Step Functions `aws-sdk:*` (or optimized `dynamodb:*`) task locally with the real AWS
 * SDK v3 client, the way the service does: PascalCase parameters mapped to the SDK's member names,
 * and a failure named as Step Functions names it (statemachine/error-names.ts), so the definition's
 * Retry and Catch match locally exactly as in the cloud.
 */
import * as cloudWatch from '@aws-sdk/client-cloudwatch';
import * as codeDeploy from '@aws-sdk/client-codedeploy';
import * as dynamoDb from '@aws-sdk/client-dynamodb';
import { clientConfig, nameTimeouts } from '../../functions/shared/clients.ts';
import { errorMessage, errorName, httpStatusOf } from '../../functions/shared/errors.ts';
import {
  awsSdkClientErrorName,
  awsSdkErrorName,
  awsSdkGenericErrorName,
  awsSdkServiceName,
  dynamoDbErrorName,
} from '../../statemachine/error-names.ts';
import { TaskError } from './execution-monitor.ts';

interface ServiceBinding {
  /** Whether the SDK's member names are camelCase (Step Functions always takes PascalCase). */
  readonly camelCaseMembers: boolean;
  readonly module: Record<string, unknown>;
  readonly clientClass: string;
}

const SERVICES: Readonly<Record<string, ServiceBinding>> = {
  cloudwatch: { camelCaseMembers: false, module: cloudWatch, clientClass: 'CloudWatchClient' },
  codedeploy: { camelCaseMembers: true, module: codeDeploy, clientClass: 'CodeDeployClient' },
  dynamodb: { camelCaseMembers: false, module: dynamoDb, clientClass: 'DynamoDBClient' },
};

const RESOURCE = /^arn:aws:states:::(aws-sdk:)?([a-z0-9]+):([A-Za-z0-9]+)$/;

export function isSdkIntegration(resource: string): boolean {
  return RESOURCE.test(resource) && !resource.startsWith('arn:aws:states:::lambda:');
}

function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key.charAt(0).toLowerCase() + key.slice(1),
      camelCaseKeys(inner),
    ]),
  );
}

/** An answer from the service (it has an HTTP status), as opposed to a request that never got one. */
function isServiceAnswer(error: unknown): boolean {
  return httpStatusOf(error) !== undefined;
}

/** Whether the service's SDK models this error (it exports an exception class of that name). */
function isModeled(module: Record<string, unknown>, error: unknown): boolean {
  const modeled = module[errorName(error)];
  return typeof modeled === 'function' && error instanceof (modeled as new (...args: never[]) => unknown);
}

/**
 * The error name Step Functions reports for a failed call: for an aws-sdk integration
 * `<Service>.<Error>Exception` when the SDK models the error, `<Service>.<Service>Exception` for an
 * answer it does not model (5xx, unmodeled throttling), `<Service>.SdkClientException` for no answer;
 * for the optimized DynamoDB integration `DynamoDB.<error code>`.
 */
export function stepFunctionsErrorName(resource: string, error: unknown): string {
  const match = RESOURCE.exec(resource);
  const optimized = !match?.[1];
  const service = match?.[2] ?? '';
  if (optimized && service === 'dynamodb') {
    return dynamoDbErrorName(isServiceAnswer(error) ? errorName(error) : undefined);
  }
  const binding = SERVICES[service];
  if (!isServiceAnswer(error)) return awsSdkClientErrorName(service);
  if (binding && isModeled(binding.module, error)) return awsSdkErrorName(service, errorName(error));
  return awsSdkGenericErrorName(service);
}

/** The cause Step Functions gives an aws-sdk failure: the message, then the service's answer. */
function causeOf(service: string, error: unknown): string {
  const status = httpStatusOf(error);
  const requestId = (error as { $metadata?: { requestId?: string } }).$metadata?.requestId ?? 'unknown';
  const details =
    status === undefined
      ? ''
      : ` (Service: ${awsSdkServiceName(service)}, Status Code: ${status}, Request ID: ${requestId})`;
  return `${errorMessage(error)}${details}`;
}

export function sdkIntegration(resource: string): (parameters: unknown) => Promise<unknown> {
  const match = RESOURCE.exec(resource);
  const service = match?.[2] ?? '';
  const action = match?.[3] ?? '';
  const binding = SERVICES[service];
  if (!binding) throw new Error(`no local binding for the ${service} service (${resource})`);
  const commandName = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
  const Command = binding.module[commandName] as (new (input: unknown) => unknown) | undefined;
  const Client = binding.module[binding.clientClass] as new (
    config: object,
  ) => { send(command: unknown): Promise<unknown> };
  if (!Command) throw new Error(`the ${service} SDK has no ${commandName} (${resource})`);
  // The same bounded calls as every client the gate makes (a task's budget).
  const client = nameTimeouts(new Client(clientConfig()));
  return async (parameters) => {
    const input = binding.camelCaseMembers ? camelCaseKeys(parameters) : parameters;
    try {
      const output = (await client.send(new Command(input))) as Record<string, unknown>;
      const { $metadata: _metadata, ...result } = output;
      return result;
    } catch (error) {
      throw new TaskError(stepFunctionsErrorName(resource, error), causeOf(service, error));
    }
  };
}
