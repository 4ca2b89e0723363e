/**
 * The gate's Lambda functions, in-process: what Lambda and Step Functions' Lambda integrations do
 * around a handler, so the local run fails and succeeds the way the cloud does.
 *
 * - Lambda hands the function a copy of its input and returns a copy of its output (JSON).
 * - A function that throws fails the task with its error type as the error name and Lambda's error
 *   payload `{"errorType","errorMessage","trace"}` as the cause; a function that runs past its
 *   timeout fails with `Lambda.Unknown` ("Unhandled errors in Lambda are reported as Lambda.Unknown
 *   ... These include out-of-memory errors and function timeouts",
 *   https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html).
 * - `arn:aws:states:::lambda:invoke` returns Lambda's Invoke response, the function's result in
 *   `Payload` (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html).
 */
import { randomUUID } from 'node:crypto';
import { errorMessage, errorName } from '../../functions/shared/errors.ts';
import { TaskError } from './execution-monitor.ts';

export type LambdaHandler = (event: unknown) => Promise<unknown>;

/** Errors an override throws to stand for the Lambda service or Step Functions itself, passed on as they are. */
const SERVICE_ERROR = /^(Lambda|States|Sandbox|Runtime)\./;

function functionError(error: unknown): Error {
  const name = errorName(error);
  if (SERVICE_ERROR.test(name))
    return error instanceof Error ? error : new TaskError(name, errorMessage(error));
  const trace = error instanceof Error && error.stack ? error.stack.split('\n') : [];
  return new TaskError(name, JSON.stringify({ errorType: name, errorMessage: errorMessage(error), trace }));
}

interface LocalFunction {
  /** The key its invocations are counted and timed under (a state name or a check function id). */
  readonly key: string;
  readonly handler: LambdaHandler;
}

export class LocalLambdas {
  invocations = 0;
  /** Milliseconds spent in each function, summed over invocations (Lambda's billed-duration model). */
  readonly billedMs: Record<string, number> = {};
  private readonly functions = new Map<string, LocalFunction>();
  private readonly timeoutSeconds: number;

  constructor(timeoutSeconds: number) {
    this.timeoutSeconds = timeoutSeconds;
  }

  register(arn: string, key: string, handler: LambdaHandler): void {
    this.functions.set(arn, { key, handler });
  }

  /** Invokes a function by ARN or name, as Lambda's synchronous Invoke does. */
  async invoke(functionName: string, payload: unknown): Promise<unknown> {
    const fn =
      this.functions.get(functionName) ??
      [...this.functions.entries()].find(([arn]) => arn.endsWith(`:function:${functionName}`))?.[1];
    if (!fn) {
      throw new TaskError(
        'Lambda.ResourceNotFoundException',
        `Function not found: ${functionName} (Service: Lambda, Status Code: 404)`,
      );
    }
    this.invocations += 1;
    const began = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const seconds = this.timeoutSeconds.toFixed(2);
        reject(
          new TaskError(
            'Lambda.Unknown',
            `The cause could not be determined because Lambda did not return an error type. Returned payload: {"errorMessage":"${new Date().toISOString()} ${randomUUID()} Task timed out after ${seconds} seconds"}`,
          ),
        );
      }, this.timeoutSeconds * 1000);
    });
    try {
      const result = await Promise.race([fn.handler(structuredClone(payload)), timedOut]);
      return JSON.parse(JSON.stringify(result ?? null)) as unknown;
    } catch (error) {
      throw error instanceof TaskError && error.name === 'Lambda.Unknown' ? error : functionError(error);
    } finally {
      clearTimeout(timer);
      // Lambda bills each invocation in whole milliseconds, rounded up.
      this.billedMs[fn.key] = (this.billedMs[fn.key] ?? 0) + Math.ceil(performance.now() - began);
    }
  }

  /** The `arn:aws:states:::lambda:invoke` integration: Lambda's Invoke response around the result. */
  async invokeIntegration(parameters: unknown): Promise<unknown> {
    const { FunctionName, Payload } = (parameters ?? {}) as { FunctionName?: unknown; Payload?: unknown };
    if (typeof FunctionName !== 'string') {
      throw new TaskError('Lambda.InvalidParameterValueException', 'FunctionName must be a string');
    }
    const result = await this.invoke(FunctionName, Payload ?? {});
    const requestId = randomUUID();
    return {
      ExecutedVersion: '$LATEST',
      Payload: result,
      SdkHttpMetadata: {
        AllHttpHeaders: { 'X-Amz-Executed-Version': ['$LATEST'], 'x-amzn-RequestId': [requestId] },
        HttpHeaders: { 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': requestId },
        HttpStatusCode: 200,
      },
      SdkResponseMetadata: { RequestId: requestId },
      StatusCode: 200,
    };
  }
}
