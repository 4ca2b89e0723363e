/**
 * Performs a Step Functions `aws-sdk:*` (or optimized `dynamodb:*`) task locally with the real AWS
 * SDK v3 client, the way the service does: PascalCase parameters mapped to the SDK's member names,
 * and errors renamed `<Service>.<ErrorName>` so the definition's Retry/Catch match as in the cloud.
 */
import * as cloudWatch from '@aws-sdk/client-cloudwatch';
import * as codeDeploy from '@aws-sdk/client-codedeploy';
import * as dynamoDb from '@aws-sdk/client-dynamodb';
import { clientConfig, nameTimeouts } from '../../functions/shared/clients.ts';
import { errorMessage, errorName } from '../../functions/shared/errors.ts';

interface ServiceBinding {
  /** The prefix Step Functions puts on the service's error names. */
  readonly errorPrefix: string;
  /** Whether the SDK's member names are camelCase (Step Functions always takes PascalCase). */
  readonly camelCaseMembers: boolean;
  readonly module: Record<string, unknown>;
  readonly clientClass: string;
}

const SERVICES: Readonly<Record<string, ServiceBinding>> = {
  cloudwatch: {
    errorPrefix: 'CloudWatch',
    camelCaseMembers: false,
    module: cloudWatch,
    clientClass: 'CloudWatchClient',
  },
  codedeploy: {
    errorPrefix: 'CodeDeploy',
    camelCaseMembers: true,
    module: codeDeploy,
    clientClass: 'CodeDeployClient',
  },
  dynamodb: {
    errorPrefix: 'DynamoDB',
    camelCaseMembers: false,
    module: dynamoDb,
    clientClass: 'DynamoDBClient',
  },
};

const RESOURCE = /^arn:aws:states:::(?:aws-sdk:)?([a-z0-9]+):([A-Za-z0-9]+)$/;

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

/** An error whose name is what Step Functions would report for the failed call. */
export class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export function sdkIntegration(resource: string): (parameters: unknown) => Promise<unknown> {
  const match = RESOURCE.exec(resource);
  const service = match?.[1] ?? '';
  const action = match?.[2] ?? '';
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
      throw new TaskError(`${binding.errorPrefix}.${errorName(error)}`, errorMessage(error));
    }
  };
}
