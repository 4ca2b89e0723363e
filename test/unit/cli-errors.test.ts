import { describe, expect, it } from 'vitest';
import { CliError, describeError, networkCode, oneLine, UsageError } from '../../cli/errors.ts';
import { InvalidInputError } from '../../functions/shared/errors.ts';

const sdkError = (name: string, message: string, httpStatusCode?: number) =>
  Object.assign(new Error(message), { name, ...(httpStatusCode ? { $metadata: { httpStatusCode } } : {}) });

describe('describeError', () => {
  const local = { endpoint: 'http://127.0.0.1:1', region: 'us-east-1' };

  it('keeps usage, CLI and validation errors as they are, on one line', () => {
    expect(describeError(new UsageError('--stack is required'), local)).toBe('--stack is required');
    expect(describeError(new CliError('stack nope does not exist in us-east-1'), local)).toBe(
      'stack nope does not exist in us-east-1',
    );
    expect(describeError(new InvalidInputError('policy.minFitness must be 0–100, got 120'), local)).toBe(
      'policy.minFitness must be 0–100, got 120',
    );
  });

  it('names the endpoint it cannot reach, wherever Node put the error code', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const wrapped = Object.assign(new Error('fetch failed'), { cause: refused });
    const aggregate = Object.assign(new AggregateError([refused], ''), {});

    expect(describeError(refused, local)).toBe('cannot reach http://127.0.0.1:1 (ECONNREFUSED)');
    expect(describeError(wrapped, local)).toBe('cannot reach http://127.0.0.1:1 (ECONNREFUSED)');
    expect(describeError(aggregate, local)).toBe('cannot reach http://127.0.0.1:1 (ECONNREFUSED)');
    expect(
      describeError(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }), {
        region: 'eu-west-1',
      }),
    ).toBe('cannot reach the AWS endpoint in eu-west-1 (ENOTFOUND)');
  });

  it('explains missing credentials and a missing region', () => {
    expect(
      describeError(sdkError('CredentialsProviderError', 'Could not load credentials from any providers')),
    ).toMatch(/^no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    expect(describeError(new Error('Region is missing'))).toBe(
      'no AWS region configured: set AWS_REGION or pass --region',
    );
  });

  it('tells rejected credentials from denied access', () => {
    expect(
      describeError(sdkError('ExpiredToken', 'The security token included in the request is expired')),
    ).toBe(
      'AWS rejected the credentials (ExpiredToken): The security token included in the request is expired',
    );
    expect(
      describeError(sdkError('AccessDenied', 'not authorized to perform: states:StartExecution', 403)),
    ).toBe('access denied (AccessDenied): not authorized to perform: states:StartExecution');
  });

  it('says that a JavaScript error is a fitgate bug, on one bounded line', () => {
    const line = describeError(new TypeError(`boom\n    at x (file.ts:1:1)\n${'y'.repeat(400)}`));

    expect(
      line.startsWith('internal error, please report it with the command you ran: TypeError: boom'),
    ).toBe(true);
    expect(line).not.toContain('\n');
    expect(line.length).toBeLessThanOrEqual(300);
    expect(describeError('a string')).toBe('unexpected Error: a string');
  });

  it('names a malformed endpoint and where it was set, instead of "Invalid URL"', () => {
    const previous = process.env.AWS_ENDPOINT_URL_S3;
    process.env.AWS_ENDPOINT_URL_S3 = '127.0.0.1 5000';
    try {
      let error: unknown;
      try {
        new URL('127.0.0.1 5000');
      } catch (caught) {
        error = caught;
      }
      expect(describeError(error)).toBe(
        '"127.0.0.1 5000" is not a valid URL (set in AWS_ENDPOINT_URL_S3): an endpoint looks like http://127.0.0.1:5000',
      );
    } finally {
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_S3;
      else process.env.AWS_ENDPOINT_URL_S3 = previous;
    }
  });

  it('passes the gate’s own messages through as they are', () => {
    const error = Object.assign(new Error('stack svc does not exist'), { name: 'StackNotFoundError' });
    expect(describeError(error)).toBe('stack svc does not exist');
  });
});

describe('helpers', () => {
  it('finds no network code in an ordinary error', () => {
    expect(networkCode(new Error('nothing to see'))).toBeUndefined();
  });

  it('joins lines', () => {
    expect(oneLine('a\n   b\n c')).toBe('a b c');
  });
});
