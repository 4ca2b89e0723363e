import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { createLambdaClient, TIMEOUTS } from '../../shared/clients.ts';
import { InvalidInputError } from '../../shared/errors.ts';

/** No function is registered for a declared check function (its message says how to register one). */
export class UnregisteredCheckFunctionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnregisteredCheckFunctionError';
  }
}

/** How the custom family reaches a user's check function: what it answered, or that it threw. */
export type CheckFunctionAnswer =
  | { readonly kind: 'answer'; readonly payload: unknown }
  | { readonly kind: 'threw'; readonly error: string; readonly message: string };

export interface CustomClients {
  /** Invokes the check function registered under `checkId`, synchronously. */
  readonly invoke: (checkId: string, input: unknown) => Promise<CheckFunctionAnswer>;
  /** The function's name in messages (its ARN in the cloud, its handler path locally). */
  readonly describe: (checkId: string) => string;
}

/** The check functions' ARNs by check id, as the construct writes them into FITGATE_CHECK_FUNCTIONS. */
export function checkFunctionArns(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const raw = env.FITGATE_CHECK_FUNCTIONS;
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return Object.fromEntries(Object.entries(parsed).filter(([, arn]) => typeof arn === 'string'));
    }
  } catch {
    // Reported below.
  }
  throw new InvalidInputError('FITGATE_CHECK_FUNCTIONS must be a JSON object of check id → function ARN');
}

/**
 * Lambda's synchronous Invoke: a function that threw answers with FunctionError set and its error
 * object as the payload (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html).
 */
export function lambdaInvoker(lambda: LambdaClient, arns: Readonly<Record<string, string>>): CustomClients {
  return {
    describe: (checkId) => arns[checkId] ?? 'unregistered',
    invoke: async (checkId, input) => {
      const arn = arns[checkId];
      if (!arn) {
        throw new UnregisteredCheckFunctionError(
          `check function ${checkId} has no Lambda: register it in the FitnessGate's customChecks`,
        );
      }
      const response = await lambda.send(
        new InvokeCommand({ FunctionName: arn, Payload: new TextEncoder().encode(JSON.stringify(input)) }),
      );
      const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
      let payload: unknown = text;
      try {
        payload = text === '' ? undefined : JSON.parse(text);
      } catch {
        // Not JSON: the contract check says so.
      }
      if (response.FunctionError) {
        const error = payload as { errorType?: unknown; errorMessage?: unknown } | undefined;
        return {
          kind: 'threw',
          error: typeof error?.errorType === 'string' ? error.errorType : response.FunctionError,
          message: typeof error?.errorMessage === 'string' ? error.errorMessage : String(text).slice(0, 200),
        };
      }
      return { kind: 'answer', payload };
    },
  };
}

export function createCustomClients(): CustomClients {
  return lambdaInvoker(createLambdaClient(TIMEOUTS.checkFunction), checkFunctionArns());
}
