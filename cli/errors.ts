/**
 * How the CLI fails: exit 0 when the gate Succeeded, 1 when it Failed, 2 for a usage or
 * infrastructure error, which is always one clear line on stderr and never a stack trace.
 */
import { errorMessage, errorName, isAccessDenied } from '../functions/shared/errors.ts';

export const EXIT_SUCCEEDED = 0;
export const EXIT_FAILED = 1;
export const EXIT_ERROR = 2;

/** A bad command line; the message is the usage line to show. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An error the CLI has already put into one line for the user (unknown stack, no gate, …). */
export class CliError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** Where the SDK sends its calls, for error messages. */
export interface EndpointContext {
  readonly endpoint?: string;
  readonly region?: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

const REJECTED_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
]);

const MAX_LINE = 300;

/** The network error code of an SDK or fetch failure, wherever Node put it. */
export function networkCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  const nested = [(error as { cause?: unknown }).cause, ...((error as { errors?: unknown[] }).errors ?? [])];
  for (const inner of nested) {
    const found = networkCode(inner, depth + 1);
    if (found) return found;
  }
  const match = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b/.exec(
    errorMessage(error),
  );
  return match?.[1];
}

/** Collapses a message to one line of bounded length. */
export function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' ').trim();
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
}

/** The endpoint the SDK talks to: AWS_ENDPOINT_URL for an emulator, else AWS in the region. */
export function endpointOf(env: NodeJS.ProcessEnv = process.env): EndpointContext {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  return {
    ...(env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL } : {}),
    ...(region ? { region } : {}),
  };
}

/** Errors whose message is already written for the user (the gate's own error classes). */
const OWN_ERRORS = new Set([
  'InvalidInputError',
  'DeployError',
  'MotoUnavailableError',
  'TemplateError',
  'StackNotFoundError',
  'AdHocAuditError',
]);
/** JavaScript's own errors: a fitgate bug, not the user's mistake. */
const PROGRAM_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError']);

/** The environment variable that holds an endpoint, when one does. */
function endpointVariable(value: unknown, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return Object.keys(env)
    .filter((key) => key.startsWith('AWS_ENDPOINT_URL'))
    .find((key) => env[key] === value);
}

/**
 * One line for any error: usage and CLI errors as they are, the SDK's failures classified (no
 * credentials, no region, endpoint unreachable or malformed, credentials rejected, access denied),
 * a fitgate bug said to be one, anything else as `unexpected <name>: <message>`.
 */
export function describeError(error: unknown, context: EndpointContext = endpointOf()): string {
  const name = errorName(error);
  const message = errorMessage(error);
  if (error instanceof UsageError || error instanceof CliError) return oneLine(message);
  if (OWN_ERRORS.has(name)) return oneLine(message);
  if ((error as { code?: unknown }).code === 'ERR_INVALID_URL') {
    const input = (error as { input?: unknown }).input;
    const variable = endpointVariable(input);
    return oneLine(
      `${JSON.stringify(input ?? '')} is not a valid URL${variable ? ` (set in ${variable})` : ''}: an endpoint looks like http://127.0.0.1:5000`,
    );
  }
  // A client's timeout names the service, the operation and the endpoint that did not answer.
  if (name === 'TimeoutError') return oneLine(`timed out: ${message}`);
  const code = networkCode(error);
  if (code) {
    const where = context.endpoint ?? `the AWS endpoint${context.region ? ` in ${context.region}` : ''}`;
    return oneLine(`cannot reach ${where} (${code})`);
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return 'no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (for an emulator, any dummy values)';
  }
  if (/region is missing/i.test(message)) {
    return 'no AWS region configured: set AWS_REGION or pass --region';
  }
  if (REJECTED_CREDENTIALS.has(name)) {
    return oneLine(`AWS rejected the credentials (${name}): ${message}`);
  }
  if (isAccessDenied(error)) return oneLine(`access denied (${name}): ${message}`);
  if (PROGRAM_ERRORS.has(name)) {
    return oneLine(
      `internal error, please report it with the command you ran: ${name}: ${message || 'no message'}`,
    );
  }
  return oneLine(`unexpected ${name}: ${message || 'no message'}`);
}
