/**
 * How runWorkItem maps what a rule throws. The emulator's answers are reproduced as the SDK shapes
 * them: an HTML error page that the XML parser rejects, with the raw response kept on the error.
 */
import { describe, expect, it } from 'vitest';
import { findCheck } from '../../../functions/checks/registry.ts';
import { runWorkItem } from '../../../functions/checks/run.ts';
import type { CheckRule } from '../../../functions/checks/types.ts';

const CHECK = 's3-bucket-versioning-enabled';
const bucket = { logicalId: 'Data', physicalId: 'data', type: 'AWS::S3::Bucket' };
const stack = {
  stackName: 'svc',
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/svc/1',
  accountId: '123456789012',
  region: 'us-east-1',
};

async function resultOf(rule: CheckRule<object>) {
  const outcome = await runWorkItem(
    's3',
    { [CHECK]: rule },
    {},
    {
      workItem: { family: 's3', resource: bucket },
      stack,
      trigger: 'adhoc',
    },
  );
  const result = outcome.results.find((r) => r.checkId === CHECK);
  if (!result) throw new Error(`${CHECK} gave no result`);
  return result;
}

function htmlPageError(status: number, title?: string) {
  const body = title
    ? `<!doctype html>\n<html lang=en>\n<title>${title}</title>\n<h1>Internal Server Error</h1>`
    : undefined;
  const error = Object.assign(
    new Error(
      '@aws-sdk XML parse error: mismatched tags <html> and </title>.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
    ),
    { $metadata: { httpStatusCode: status } },
  );
  Object.defineProperty(error, '$response', { value: { statusCode: status, body }, enumerable: false });
  return error;
}

describe('runWorkItem: a call the emulator does not implement', () => {
  it('says so in one line, with the emulator page title and the calls the check makes', async () => {
    const result = await resultOf(async () =>
      Promise.reject(htmlPageError(500, '500 Internal Server Error')),
    );

    expect(result.status).toBe('ERROR');
    expect(result.message).toBe(
      `the emulator does not implement a call this check needs (HTTP 500 Internal Server Error; the check calls ${findCheck(CHECK)?.iamActions.join(', ')})`,
    );
    expect(result.message).not.toContain('\n');
  });

  it('falls back to the status when the unparsable body has no title', async () => {
    const result = await resultOf(async () => Promise.reject(htmlPageError(404)));

    expect(result.message).toMatch(
      /^the emulator does not implement a call this check needs \(HTTP 404, a body the SDK cannot parse; /,
    );
  });

  it('keeps a not-implemented message on one line', async () => {
    const error = Object.assign(new Error('GetBucketThing is\nnot yet implemented'), {
      name: 'NotImplementedError',
    });

    const result = await resultOf(async () => Promise.reject(error));

    expect(result.message).toMatch(
      /^the emulator does not implement a call this check needs \(NotImplementedError: GetBucketThing is not yet implemented; /,
    );
  });
});

describe('data a check cannot read', () => {
  it('a malformed policy is an ERROR that says what and where, never the raw SyntaxError', async () => {
    const { parsePolicy } = await import('../../../functions/checks/evaluators/policy.ts');

    const result = await resultOf(async () => {
      parsePolicy("{'Version': '2012-10-17'}", 'inline policy p of role r');
      return { status: 'PASS', message: 'unreachable' };
    });

    expect(result.status).toBe('ERROR');
    expect(result.message).toMatch(
      /^malformed API data: inline policy p of role r: is not JSON \(character "'" at position 1\)/,
    );
    expect(result.message).not.toMatch(/SyntaxError|TypeError/);
  });

  it('a runtime exception from unexpected data is an ERROR naming the check and where, not the exception', async () => {
    const result = await resultOf(async () => {
      const statement = null as unknown as { Effect: string };
      return { status: statement.Effect === 'Allow' ? 'FAIL' : 'PASS', message: 'unreachable' };
    });

    expect(result.status).toBe('ERROR');
    expect(result.message).toMatch(
      /^s3-bucket-versioning-enabled could not read an API answer it did not expect \(Cannot read properties of null/,
    );
    expect(result.message).not.toMatch(/^TypeError/);
  });
});
