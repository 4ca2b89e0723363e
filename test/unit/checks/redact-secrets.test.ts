import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../functions/checks/evaluators/secrets.ts';

describe('redactSecrets', () => {
  it('keeps ordinary text as it is', () => {
    const text = 'Order 42 not found in table orders (arn:aws:dynamodb:us-east-1:123456789012:table/orders)';

    expect(redactSecrets(text)).toBe(text);
  });

  it('masks an access key id', () => {
    expect(redactSecrets('signed with AKIAIOSFODNN7EXAMPLE today')).toBe('signed with [redacted] today');
  });

  it('masks values assigned to secret-like names, in text and in JSON', () => {
    expect(redactSecrets('connect failed: password=hunter2 user=app')).toBe(
      'connect failed: password=[redacted] user=app',
    );
    expect(redactSecrets('{"apiKey": "abc123", "id": 7}')).toBe('{"apiKey": "[redacted]", "id": 7}');
  });

  it('keeps a reference assigned to a secret-like name', () => {
    expect(redactSecrets('token=arn:aws:secretsmanager:us-east-1:1:secret:x')).toBe(
      'token=arn:aws:secretsmanager:us-east-1:1:secret:x',
    );
  });

  it('masks a PEM private key block, even when it is cut off', () => {
    expect(
      redactSecrets('key: -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- end'),
    ).toBe('key: [redacted] end');
    expect(redactSecrets('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC')).toBe('[redacted]');
  });

  it('masks long random-looking tokens but not long words', () => {
    expect(redactSecrets('session wJalrXUtnFEMI9K7MDENGbPxRfiCYzEXAMPLEKEY1 expired')).toBe(
      'session [redacted] expired',
    );
    expect(redactSecrets('ValidationException_for_the_incoming_request_body')).toBe(
      'ValidationException_for_the_incoming_request_body',
    );
  });

  it('masks credentials the maintained rules find, and passwords in URLs', () => {
    expect(redactSecrets('connect postgres://app:pa55word@db.internal/app failed')).toBe(
      'connect [redacted] failed',
    );
    expect(redactSecrets('charge with sk_live_51Hh2K3aBcDeFgHiJkLmNoPq now')).toBe(
      'charge with [redacted] now',
    );
    expect(redactSecrets('{"DB_PWD":"hunter2"}')).toBe('{"DB_PWD":"[redacted]"}');
  });
});
