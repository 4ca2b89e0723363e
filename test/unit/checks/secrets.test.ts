import { describe, expect, it } from 'vitest';
import {
  classifySecret,
  findSecrets,
  findSecretsInJson,
} from '../../../functions/checks/evaluators/secrets.ts';

describe('secret detector', () => {
  it.each([
    ['AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE', 'aws-access-key-id'],
    ['KEY', '-----BEGIN RSA PRIVATE KEY-----\nMIIE', 'private-key'],
    ['GH', `ghp_${'a1B2'.repeat(9)}`, 'github-token'],
    ['HOOK', 'xoxb-1234567890-abcdefghij', 'slack-token'],
    [
      'SESSION',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'json-web-token',
    ],
    ['DB_PASSWORD', 'hunter2', 'secret-named-literal'],
    ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'secret-named-literal'],
    ['SIGNING', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq81KyAvZ3', 'high-entropy-string'],
  ])('flags %s as %s', (key, value, kind) => {
    expect(classifySecret(key, value)).toBe(kind);
  });

  it.each([
    // CloudFormation-generated names: high entropy in their suffix, but names, not secrets.
    ['TABLE_NAME', 'fitgate-demo-EncryptedTable-K0QYVFU1FDYG'],
    ['EventBridgeRule', 'rs-s3-eventbridge-sqs-MyEventRule-ZB58S84RAJ8P'],
    ['QueueUrl', 'https://sqs.us-east-1.amazonaws.com/123456789012/svc-Queue-1A2B3C4D5E6F'],
    ['DB_SECRET_ARN', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf'],
    ['DB_SECRET_NAME', 'prod/db/password'],
    ['API_TOKEN_TTL', '3600'],
    ['CODE_SHA256', 'a3f5c9e1b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6'],
    ['PASSWORD', '{{resolve:secretsmanager:db:SecretString:password}}'],
    ['TaskToken', '$$.Task.Token'],
    ['EMPTY_TOKEN', ''],
    ['LOG_LEVEL', 'INFO'],
  ])('does not flag %s', (key, value) => {
    expect(classifySecret(key, value)).toBeUndefined();
  });

  it('names the key and the kind, never the value', () => {
    const findings = findSecrets({ DB_PASSWORD: 'hunter2', TABLE: 'svc-Table-1A2B3C' });

    expect(findings).toEqual([{ key: 'DB_PASSWORD', kind: 'secret-named-literal' }]);
    expect(JSON.stringify(findings)).not.toContain('hunter2');
  });

  it('walks a state machine definition by JSON path', () => {
    const definition = { States: { Call: { Parameters: { Headers: { 'x-api-key': 'sk_live_51Hh2K3' } } } } };

    expect(findSecretsInJson(definition)).toEqual([
      { key: '$.States.Call.Parameters.Headers.x-api-key', kind: 'secret-named-literal' },
    ]);
  });

  it.each([
    // Credentials inside URLs, whatever the scheme, placeholder-looking or not.
    ['DATABASE_URL', 'postgres://user:pass@db.internal:5432/app', 'credential-in-url'],
    ['BROKER', 'amqps://svc:Xk29dLq0@mq.example.com/vhost', 'credential-in-url'],
    ['MONGO', 'mongodb+srv://admin:hunter22@cluster0.abc.mongodb.net/db', 'credential-in-url'],
    ['CALLBACK', 'https://deploy:s3cr3tP4ss@ci.example.com/hook', 'credential-in-url'],
    // Secret-like names, as people abbreviate them.
    ['DB_PWD', 'hunter2', 'secret-named-literal'],
    ['dbPassword', 'hunter2', 'secret-named-literal'],
    ['SMTP_PASS', 'hunter2', 'secret-named-literal'],
    ['ClientSecret', 'abc123', 'secret-named-literal'],
    ['SIGNING_KEY', 'abc123', 'secret-named-literal'],
    // Well-known token formats under neutral names (secretlint's recommended rules).
    ['PAYMENTS', `sk_live_${'51Hh2K3aBcDeFgHiJkLmNoPq'}`, 'stripe-secret-key-live'],
    ['CONFIG', `npm_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`, 'npm-access-token'],
    ['VALUE', `SG.${'a'.repeat(22)}.${'b'.repeat(43)}`, 'sendgrid-key'],
    ['ID', 'AKIA2E0A8F3B244C9986', 'aws-access-key-id'],
  ])('flags %s as %s', (key, value, kind) => {
    expect(classifySecret(key, value)).toBe(kind);
  });

  it.each([
    ['BYPASS_CACHE', 'true'],
    ['COMPASS_URL', 'https://compass.example.com/'],
    ['PWD', '/var/task'],
    ['DATABASE_URL', 'postgres://db.internal:5432/app'],
    ['DATABASE_URL', 'postgres://app:${DB_PASSWORD}@db.internal/app'],
    ['DB_PASSWORD_SECRET_ARN', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf'],
    ['TOKEN_EXPIRY', '3600'],
    ['PASS_THROUGH', 'false'],
  ])('does not flag %s=%s', (key, value) => {
    expect(classifySecret(key, value)).toBeUndefined();
  });

  it('never puts a value into a finding, whatever found it', () => {
    const values = {
      DATABASE_URL: 'postgres://user:pa55word@db/app',
      PAYMENTS: 'sk_live_51Hh2K3aBcDeFgHiJkLmNoPq',
      DB_PWD: 'hunter2',
    };
    const findings = JSON.stringify(findSecrets(values));
    for (const value of ['pa55word', 'sk_live_51Hh2K3aBcDeFgHiJkLmNoPq', 'hunter2'])
      expect(findings).not.toContain(value);
  });
});
