/**
 * SDK clients, created once per Lambda container at module scope and handed to `makeHandler`.
 * The SDK reads AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> itself, so the same code talks to AWS,
 * to moto and to the CodeDeploy stand-in; only S3 needs path-style addressing on a local endpoint,
 * and S3 Control must not prefix the account id to a local host.
 *
 * No client may hang: every one gets a connection timeout, a request timeout and a socket idle
 * timeout chosen for its use (TIMEOUTS), and a call that runs out of time fails with a TimeoutError
 * whose message names the service, the operation and the endpoint that did not answer.
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

/** How long one SDK call may take. Each attempt is bounded; the SDK retries a timed-out attempt. */
export interface HttpTimeouts {
  /** Milliseconds to resolve the host and connect (TCP and TLS). */
  readonly connectionMs: number;
  /**
   * Milliseconds one attempt may take until the response starts, and the longest silence allowed
   * while the response body streams.
   */
  readonly requestMs: number;
  /** Attempts per call, first included. Unset: the SDK's own (AWS_MAX_ATTEMPTS, else 3). */
  readonly maxAttempts?: number;
}

/**
 * The timeout budgets, one per use. Worst case of one call ≈ attempts × requestMs (3 attempts by
 * default), and every budget fits the function that spends it.
 */
export const TIMEOUTS = {
  /**
   * Check, ListResources and Aggregate Lambdas (100 s, under the tasks' 120 s): control-plane reads
   * that answer in well under a second; a hung service costs a work item about 30 s, not its life.
   */
  task: { connectionMs: 3_000, requestMs: 10_000 },
  /**
   * The hook, the safety net and the deadline net: a few short calls each, all inside the function's
   * own timeout (≈ 15 s a call at the SDK's 3 attempts), so a report never dies with its Lambda.
   */
  reporter: { connectionMs: 2_000, requestMs: 5_000 },
  /**
   * The smoke invocation of a deployment's target version waits for the function itself; two
   * attempts of 40 s stay inside the 100 s of the check Lambda.
   */
  invoke: { connectionMs: 3_000, requestMs: 40_000, maxAttempts: 2 },
  /**
   * A user's check function (the custom family): one attempt, answered within 80 s, inside the 100 s
   * of the custom family's own Lambda; a retry would run the user's function twice past its budget.
   */
  checkFunction: { connectionMs: 3_000, requestMs: 80_000, maxAttempts: 1 },
  /** The `fitgate` command, across whatever network the user is on. */
  cli: { connectionMs: 5_000, requestMs: 30_000 },
  /**
   * CreateStack into the local emulator: moto creates every resource inside the one request (minutes
   * for the largest stacks), and a retry would meet its own half-made stack.
   */
  emulatorDeploy: { connectionMs: 3_000, requestMs: 300_000, maxAttempts: 1 },
} as const satisfies Record<string, HttpTimeouts>;

/**
 * The client configuration for a budget. `throwOnRequestTimeout` turns the request timeout into an
 * error (without it @smithy/node-http-handler ≥ 4.4 only logs a warning); the socket timeout bounds
 * a response whose headers came and whose body never ends, which the request timeout no longer sees.
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html
 * (the `requestHandler` shorthand) and @smithy/types NodeHttpHandlerOptions.
 */
export function clientConfig(timeouts: HttpTimeouts = TIMEOUTS.task) {
  return {
    requestHandler: {
      connectionTimeout: timeouts.connectionMs,
      requestTimeout: timeouts.requestMs,
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.requestMs,
    },
    ...(timeouts.maxAttempts ? { maxAttempts: timeouts.maxAttempts } : {}),
  };
}

interface MiddlewareClient {
  readonly middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: { clientName?: string; commandName?: string; endpointV2?: { url?: URL } },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string; override?: boolean },
    ): void;
  };
}

/** "S3Client" → "S3", "CloudWatchLogsClient" → "CloudWatchLogs". */
function serviceLabel(clientName: string | undefined): string {
  return (clientName ?? 'AWS').replace(/Client$/, '');
}

const NAMED = new WeakSet<Error>();

/**
 * A timed-out call says who did not answer: `S3 GetBucketPolicy: no answer within 10000 ms from
 * s3.us-east-1.amazonaws.com, 3 attempts`. The middleware sits at the initialize step, outside the retries,
 * so it sees the last attempt's error once; the name stays TimeoutError for retry classification.
 */
export function nameTimeouts<C>(client: C, timeouts: HttpTimeouts = TIMEOUTS.task): C {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof Error && error.name === 'TimeoutError' && !NAMED.has(error)) {
          NAMED.add(error);
          const operation = (context.commandName ?? 'call').replace(/Command$/, '');
          const host = context.endpointV2?.url?.host ?? 'its endpoint';
          const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
          const budget = /did not establish a connection|connect ETIMEDOUT/.test(error.message)
            ? `no connection within ${timeouts.connectionMs} ms`
            : `no answer within ${timeouts.requestMs} ms`;
          const tries = attempts ? `, ${attempts} attempt${attempts === 1 ? '' : 's'}` : '';
          error.message = `${serviceLabel(context.clientName)} ${operation}: ${budget} from ${host}${tries}`;
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'fitgateNameTimeouts', override: true },
  );
  return client;
}

/** A client with the budget's timeouts and named timeout errors. */
function create<C, Config extends object>(
  Client: new (config: Config) => C,
  config: Config,
  timeouts: HttpTimeouts,
): C {
  return nameTimeouts(new Client({ ...config, ...clientConfig(timeouts) }), timeouts);
}

/** True when the SDK points at a local emulator rather than AWS. */
export function usesLocalEndpoint(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AWS_ENDPOINT_URL);
}

export function createS3Client(region?: string, timeouts: HttpTimeouts = TIMEOUTS.task): S3Client {
  return create(S3Client, { region, forcePathStyle: usesLocalEndpoint() }, timeouts);
}

export function createS3ControlClient(
  region?: string,
  timeouts: HttpTimeouts = TIMEOUTS.task,
): S3ControlClient {
  if (!usesLocalEndpoint()) return create(S3ControlClient, { region }, timeouts);
  const endpoint = new URL(process.env.AWS_ENDPOINT_URL_S3_CONTROL ?? String(process.env.AWS_ENDPOINT_URL));
  // S3 Control's endpoint rules put `<AccountId>.` in front of the host, which a loopback endpoint cannot
  // resolve (on 127.0.0.1 the URL is not even valid, so a later middleware never runs): pin the endpoint.
  return create(S3ControlClient, { region, endpointProvider: () => ({ url: endpoint }) }, timeouts);
}

// One factory per client, each its own export, so a Lambda bundle carries only the SDK clients it uses.
export const createApiGatewayClient = (timeouts: HttpTimeouts = TIMEOUTS.task) =>
  create(APIGatewayClient, {}, timeouts);
export const createApiGatewayV2Client = (timeouts: HttpTimeouts = TIMEOUTS.task) =>
  create(ApiGatewayV2Client, {}, timeouts);
export const createAutoScalingClient = (timeouts: HttpTimeouts = TIMEOUTS.task) =>
  create(ApplicationAutoScalingClient, {}, timeouts);
export const createBackupClient = (timeouts: HttpTimeouts = TIMEOUTS.task) =>
  create(BackupClient, {}, timeouts);
export const createCloudFormationClient = (timeouts: HttpTimeouts = TIMEOUTS.task) =>
  create(CloudFormationClient, {}, timeouts);
export const createCloudWatchClient = (timeouts: HttpTimeouts = TIMEOUTS.task) =>
  create(CloudWatchClient, {}, timeouts);
export const createCloudWatchLogsClient = (timeouts: HttpTimeouts = TIMEOUTS.task) =>
  create(CloudWatchLogsClient, {}, timeouts);
export const createCodeDeployClient = (timeouts: HttpTimeouts = TIMEOUTS.task) =>
  create(CodeDeployClient, {}, timeouts);
export const createDynamoDbClient = (timeouts: HttpTimeouts = TIMEOUTS.task) =>
  create(DynamoDBClient, {}, timeouts);
export const createEventBridgeClient = (timeouts: HttpTimeouts = TIMEOUTS.task) =>
  create(EventBridgeClient, {}, timeouts);
export const createIamClient = (timeouts: HttpTimeouts = TIMEOUTS.task) => create(IAMClient, {}, timeouts);
export const createKmsClient = (timeouts: HttpTimeouts = TIMEOUTS.task) => create(KMSClient, {}, timeouts);
export const createLambdaClient = (timeouts: HttpTimeouts = TIMEOUTS.task) =>
  create(LambdaClient, {}, timeouts);
export const createSchedulerClient = (timeouts: HttpTimeouts = TIMEOUTS.reporter) =>
  create(SchedulerClient, {}, timeouts);
export const createSecretsManagerClient = (timeouts: HttpTimeouts = TIMEOUTS.task) =>
  create(SecretsManagerClient, {}, timeouts);
export const createSfnClient = (timeouts: HttpTimeouts = TIMEOUTS.task) => create(SFNClient, {}, timeouts);
export const createSnsClient = (timeouts: HttpTimeouts = TIMEOUTS.task) => create(SNSClient, {}, timeouts);
// Queue URLs from CloudFormation name the AWS host; on a local endpoint the SDK must not follow them.
export const createSqsClient = (timeouts: HttpTimeouts = TIMEOUTS.task) =>
  create(SQSClient, { useQueueUrlAsEndpoint: !usesLocalEndpoint() }, timeouts);
