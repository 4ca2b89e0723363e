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
});
