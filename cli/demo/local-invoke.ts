/**
 * moto runs no Lambda code, so the demo's smoke invocation of a deployment's target version would
 * have nothing to call. The demo's functions are inline (ZipFile) CommonJS handlers, so this Lambda
 * client runs them in-process, in a fresh VM context that holds only their environment (no require,
 * no host process): the real deployment-target-smoke-invoke check then judges the release's real
 * code. A VM context is no security boundary; it runs the demo's own code, nothing else. Every call
 * other than Invoke goes to the configured endpoint as usual.
 */
import { runInNewContext } from 'node:vm';
import type { InvokeCommandInput, LambdaClient } from '@aws-sdk/client-lambda';
import { createLambdaClient } from '../../functions/shared/clients.ts';

export interface InlineFunction {
  /** CommonJS source of index.js. */
  readonly code: string;
  /** "index.handler": file and export. */
  readonly handler: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** What Invoke answers: the payload as bytes, FunctionError when the handler threw. */
export interface InlineInvocation {
  readonly StatusCode: number;
  readonly FunctionError?: string;
  readonly ExecutedVersion: string;
  readonly Payload: Uint8Array;
}

class ResourceNotFoundException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResourceNotFoundException';
  }
}

/** "name", "name:qualifier" or a function ARN with an optional qualifier. */
export function parseFunctionName(value: string): { name: string; qualifier?: string } {
  const arn = /^arn:[^:]+:lambda:[^:]+:[^:]+:function:([^:]+)(?::(.+))?$/.exec(value);
  const [name, qualifier] = arn ? [arn[1] ?? '', arn[2]] : (value.split(':') as [string, string?]);
  return qualifier ? { name, qualifier } : { name };
}

const silentConsole = { log() {}, info() {}, warn() {}, error() {}, debug() {} };

/** Runs an inline handler the way Lambda would answer a RequestResponse invocation. */
export async function invokeInline(
  fn: InlineFunction,
  functionName: string,
  payload: unknown,
  qualifier = '$LATEST',
): Promise<InlineInvocation> {
  const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value ?? null));
  const exportName = fn.handler.split('.').pop() ?? 'handler';
  // Errors thrown inside the VM context are not instances of this realm's Error: read them by shape.
  const failed = (error: unknown): InlineInvocation => {
    const { name, message } = (typeof error === 'object' && error !== null ? error : {}) as {
      name?: unknown;
      message?: unknown;
    };
    return {
      StatusCode: 200,
      FunctionError: 'Unhandled',
      ExecutedVersion: qualifier,
      Payload: encode({
        errorType: typeof name === 'string' ? name : 'Error',
        errorMessage: typeof message === 'string' ? message : String(error),
      }),
    };
  };
  try {
    const module: { exports: Record<string, unknown> } = { exports: {} };
    runInNewContext(
      fn.code,
      { module, exports: module.exports, process: { env: { ...fn.environment } }, console: silentConsole },
      { filename: `${functionName}/index.js`, timeout: fn.timeoutMs ?? 3000 },
    );
    const handler = module.exports[exportName];
    if (typeof handler !== 'function') throw new TypeError(`index.${exportName} is not a function`);
    const context = { functionName, functionVersion: qualifier, awsRequestId: crypto.randomUUID() };
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`Task timed out after ${fn.timeoutMs ?? 3000} ms`)),
        fn.timeoutMs ?? 3000,
      ).unref(),
    );
    const result: unknown = await Promise.race([Promise.resolve(handler(payload, context)), timeout]);
    return { StatusCode: 200, ExecutedVersion: qualifier, Payload: encode(result) };
  } catch (error) {
    return failed(error);
  }
}

/**
 * A LambdaClient whose Invoke runs the inline function registered under the function's name (as
 * `functions()` knows it at the time of the call); other commands are sent as usual.
 */
export function inlineInvokeClient(functions: () => ReadonlyMap<string, InlineFunction>): LambdaClient {
  const client = createLambdaClient();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'InvokeCommand') return next(args);
      const input = args.input as InvokeCommandInput;
      const { name, qualifier } = parseFunctionName(String(input.FunctionName ?? ''));
      const fn = functions().get(name);
      if (!fn) throw new ResourceNotFoundException(`Function not found: ${name}`);
      const payloadText = input.Payload ? new TextDecoder().decode(input.Payload as Uint8Array) : '{}';
      let payload: unknown;
      try {
        payload = JSON.parse(payloadText);
      } catch {
        payload = payloadText;
      }
      const output = await invokeInline(fn, name, payload, qualifier);
      return { output: { ...output, $metadata: { httpStatusCode: 200 } }, response: {} } as never;
    },
    { step: 'initialize', name: 'fitgateInlineInvoke' },
  );
  return client;
}
