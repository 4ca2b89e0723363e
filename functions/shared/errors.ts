/**
 * Error classes end in `Error` and set `this.name`: Step Functions Retry/Catch match on the name
 * (the Lambda bundles keep class names with esbuild `keepNames`).
 */

/** The event or input does not have the expected shape. */
export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/** The audited stack does not exist (or is not visible to the auditor). */
export class StackNotFoundError extends Error {
  constructor(stackName: string) {
    super(`stack ${stackName} does not exist`);
    this.name = 'StackNotFoundError';
  }
}

/** An AWS API kept throttling after the SDK's own retries; the state's Retry takes over. */
export class ThrottledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThrottledError';
  }
}

const THROTTLING_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
]);

const ACCESS_DENIED_NAMES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
]);

/** The name an SDK v3 error carries (`name`, else `Code`/`__type`), or the class name. */
export function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  if (typeof error === 'object' && error !== null && 'name' in error) return String(error.name);
  return 'Error';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  return metadata?.httpStatusCode;
}

export function isThrottling(error: unknown): boolean {
  return THROTTLING_NAMES.has(errorName(error)) || httpStatusOf(error) === 429;
}

export function isAccessDenied(error: unknown): boolean {
  return ACCESS_DENIED_NAMES.has(errorName(error)) || httpStatusOf(error) === 403;
}

/** True for one of the given AWS error names (the "not configured" answers a check expects). */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  const name = errorName(error);
  const code =
    typeof error === 'object' && error !== null && 'Code' in error ? String(error.Code) : undefined;
  return names.includes(name) || (code !== undefined && names.includes(code));
}

/**
 * moto answers calls it does not implement with 404/500 pages or bodies the SDK cannot parse.
 * Such an error is the emulator's gap, not a finding, and the message must say so.
 */
export function isEmulatorGap(error: unknown): boolean {
  const message = errorMessage(error);
  const status = httpStatusOf(error);
  return (
    /not (yet )?implemented|Unable to parse|invalid XML|Deserialization error|UnknownOperation/i.test(
      message,
    ) ||
    ((status === 404 || status === 500 || status === 501) && /Unknown|<html|<!DOCTYPE/i.test(message))
  );
}
