/**
 * Every condition operator, the set prefixes, IfExists and Null, with the IAM User Guide's rules and
 * examples (reference_policies_elements_condition_operators, _condition-logic-multiple-context-keys-or-values,
 * _condition-single-vs-multi-valued-context-keys).
 */
import { describe, expect, it } from 'vitest';
import {
  type ConditionClause,
  evaluateClause,
  evaluateConditions,
  requestContext,
} from '../../../../functions/checks/evaluators/policy.ts';

const clause = (operator: string, key: string, ...values: string[]): ConditionClause => ({
  operator,
  key,
  values,
});
const truth = (c: ConditionClause, context: Record<string, string | string[]>) =>
  evaluateClause(c, requestContext(context));

describe('string operators', () => {
  it.each([
    ['StringEquals', 'Alice', 'Alice', true],
    ['StringEquals', 'alice', 'Alice', false],
    ['StringNotEquals', 'Bob', 'Alice', true],
    ['StringEqualsIgnoreCase', 'ALICE', 'alice', true],
    ['StringNotEqualsIgnoreCase', 'ALICE', 'alice', false],
    ['StringLike', 'home/alice/x', 'home/*', true],
    ['StringLike', 'Home/x', 'home/*', false],
    ['StringLike', 'ab', 'a?', true],
    ['StringNotLike', 'other/x', 'home/*', true],
  ])('%s %j against %j is %s', (operator, requestValue, policyValue, expected) => {
    expect(truth(clause(operator, 'aws:username', policyValue), { 'aws:username': requestValue })).toBe(
      expected,
    );
  });

  it('ORs the values of one key and compares keys case-insensitively', () => {
    const c = clause('StringEquals', 'AWS:SourceAccount', '111111111111', '222222222222');
    expect(truth(c, { 'aws:sourceaccount': '222222222222' })).toBe(true);
    expect(truth(c, { 'aws:sourceaccount': '333333333333' })).toBe(false);
  });

  it('a negated operator must miss every value (NOR)', () => {
    const c = clause('StringNotEquals', 'aws:PrincipalTag/team', 'a', 'b');
    expect(truth(c, { 'aws:PrincipalTag/team': 'b' })).toBe(false);
    expect(truth(c, { 'aws:PrincipalTag/team': 'c' })).toBe(true);
  });
});

describe('absent keys', () => {
  it('a positive operator is false, a negated one true', () => {
    expect(truth(clause('StringEquals', 'aws:SourceVpce', 'vpce-1'), {})).toBe(false);
    expect(truth(clause('StringNotEquals', 'aws:SourceVpce', 'vpce-1'), {})).toBe(true);
    expect(truth(clause('ArnNotLike', 'aws:SourceArn', 'arn:aws:sns:*:*:t'), {})).toBe(true);
    expect(truth(clause('NotIpAddress', 'aws:SourceIp', '10.0.0.0/8'), {})).toBe(true);
  });

  it('…IfExists is true when the key is absent, and the operator otherwise', () => {
    const c = clause('StringEqualsIfExists', 'ec2:InstanceType', 't3.micro');
    expect(truth(c, {})).toBe(true);
    expect(truth(c, { 'ec2:InstanceType': 't3.micro' })).toBe(true);
    expect(truth(c, { 'ec2:InstanceType': 'm5.large' })).toBe(false);
  });

  it('Null tests presence', () => {
    expect(truth(clause('Null', 'aws:TokenIssueTime', 'true'), {})).toBe(true);
    expect(
      truth(clause('Null', 'aws:TokenIssueTime', 'true'), { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' }),
    ).toBe(false);
    expect(
      truth(clause('Null', 'aws:TokenIssueTime', 'false'), { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' }),
    ).toBe(true);
    expect(truth(clause('Null', 'aws:TokenIssueTime', 'false'), {})).toBe(false);
  });
});

describe('set operators on multivalued keys', () => {
  const tagKeys = (...keys: string[]) => ({ 'aws:TagKeys': keys });

  it('ForAllValues: every request value is in the set; an absent or empty key is true', () => {
    const c = clause('ForAllValues:StringEquals', 'aws:TagKeys', 'environment', 'cost-center');
    expect(truth(c, tagKeys('environment'))).toBe(true);
    expect(truth(c, tagKeys('environment', 'owner'))).toBe(false);
    expect(truth(c, {})).toBe(true);
    expect(truth(c, tagKeys())).toBe(true);
  });

  it('ForAnyValue: some request value is in the set; an absent key is false', () => {
    const c = clause('ForAnyValue:StringEquals', 'aws:TagKeys', 'environment');
    expect(truth(c, tagKeys('owner', 'environment'))).toBe(true);
    expect(truth(c, tagKeys('owner'))).toBe(false);
    expect(truth(c, {})).toBe(false);
  });

  it('negated set operators', () => {
    const allNot = clause('ForAllValues:StringNotEquals', 'aws:TagKeys', 'secret');
    const anyNot = clause('ForAnyValue:StringNotEquals', 'aws:TagKeys', 'secret');
    expect(truth(allNot, tagKeys('a', 'b'))).toBe(true);
    expect(truth(allNot, tagKeys('a', 'secret'))).toBe(false);
    expect(truth(anyNot, tagKeys('a', 'secret'))).toBe(true);
    expect(truth(anyNot, tagKeys('secret'))).toBe(false);
  });

  it('ForAnyValue:StringLike with IfExists is true when the key is absent', () => {
    expect(truth(clause('ForAnyValue:StringLikeIfExists', 'aws:TagKeys', 'env*'), {})).toBe(true);
  });
});

describe('numeric, date, boolean, binary, IP and ARN operators', () => {
  it.each([
    ['NumericEquals', '10', '10', true],
    ['NumericNotEquals', '10', '10', false],
    ['NumericLessThan', '9', '10', true],
    ['NumericLessThanEquals', '10', '10', true],
    ['NumericGreaterThan', '10', '10', false],
    ['NumericGreaterThanEquals', '11', '10', true],
    ['NumericEquals', 'ten', '10', false],
  ])('%s %s vs %s is %s', (operator, requestValue, policyValue, expected) => {
    expect(truth(clause(operator, 's3:max-keys', policyValue), { 's3:max-keys': requestValue })).toBe(
      expected,
    );
  });

  it.each([
    ['DateLessThan', '2026-06-30T23:59:59Z', '2026-07-01T00:00:00Z', true],
    ['DateGreaterThan', '2026-06-30T23:59:59Z', '2026-07-01T00:00:00Z', false],
    ['DateEquals', '1782864000', '2026-07-01T00:00:00Z', true],
    ['DateNotEquals', '2026-07-01T00:00:00Z', '2026-07-01T00:00:00Z', false],
    ['DateLessThanEquals', '2026-07-01T00:00:00Z', '2026-07-01T00:00:00Z', true],
    ['DateGreaterThanEquals', '2026-07-02T00:00:00Z', '2026-07-01T00:00:00Z', true],
  ])('%s %s vs %s is %s', (operator, requestValue, policyValue, expected) => {
    expect(truth(clause(operator, 'aws:CurrentTime', policyValue), { 'aws:CurrentTime': requestValue })).toBe(
      expected,
    );
  });

  it('Bool compares true/false case-insensitively; BinaryEquals compares base64', () => {
    expect(truth(clause('Bool', 'aws:SecureTransport', 'false'), { 'aws:SecureTransport': 'FALSE' })).toBe(
      true,
    );
    expect(truth(clause('Bool', 'aws:SecureTransport', 'false'), { 'aws:SecureTransport': 'true' })).toBe(
      false,
    );
    expect(
      truth(clause('BinaryEquals', 'key', 'QmluYXJ5VmFsdWVJbkJhc2U2NA=='), {
        key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==',
      }),
    ).toBe(true);
  });

  it('IpAddress matches IPv4 and IPv6 CIDRs; a bare address is /32', () => {
    const c = clause(
      'IpAddress',
      'aws:SourceIp',
      '203.0.113.0/24',
      '2001:DB8:1234:5678::/64',
      '198.51.100.7',
    );
    expect(truth(c, { 'aws:SourceIp': '203.0.113.42' })).toBe(true);
    expect(truth(c, { 'aws:SourceIp': '2001:db8:1234:5678::1' })).toBe(true);
    expect(truth(c, { 'aws:SourceIp': '198.51.100.7' })).toBe(true);
    expect(truth(c, { 'aws:SourceIp': '198.51.100.8' })).toBe(false);
    expect(
      truth(clause('NotIpAddress', 'aws:SourceIp', '203.0.113.0/24'), { 'aws:SourceIp': '203.0.113.42' }),
    ).toBe(false);
  });

  it('ArnLike and ArnEquals match each ARN segment with wildcards', () => {
    const c = clause('ArnLike', 'aws:SourceArn', 'arn:aws:sns:us-east-1:111111111111:*');
    expect(truth(c, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111111111111:topic' })).toBe(true);
    expect(truth(c, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:222222222222:topic' })).toBe(false);
    expect(
      truth(clause('ArnEquals', 'aws:SourceArn', 'arn:aws:s3:::b'), { 'aws:SourceArn': 'arn:aws:s3:::b' }),
    ).toBe(true);
    expect(
      truth(clause('ArnNotEquals', 'aws:SourceArn', 'arn:aws:s3:::b'), { 'aws:SourceArn': 'arn:aws:s3:::c' }),
    ).toBe(true);
    expect(truth(clause('ArnLike', 'aws:SourceArn', '*'), { 'aws:SourceArn': 'not-an-arn' })).toBe(false);
  });
});

describe('several clauses and unknown keys', () => {
  it('ANDs clauses', () => {
    const clauses = [
      clause('StringEquals', 'aws:SourceAccount', '1'),
      clause('Bool', 'aws:SecureTransport', 'true'),
    ];
    expect(
      evaluateConditions(
        clauses,
        requestContext({ 'aws:SourceAccount': '1', 'aws:SecureTransport': 'true' }),
      ),
    ).toBe(true);
    expect(
      evaluateConditions(
        clauses,
        requestContext({ 'aws:SourceAccount': '1', 'aws:SecureTransport': 'false' }),
      ),
    ).toBe(false);
  });

  it('is three-valued when other keys are unknown', () => {
    const overHttp = requestContext({ 'aws:SecureTransport': 'false' }, 'unknown');
    expect(evaluateConditions([clause('Bool', 'aws:SecureTransport', 'false')], overHttp)).toBe(true);
    expect(evaluateConditions([clause('BoolIfExists', 'aws:SecureTransport', 'false')], overHttp)).toBe(true);
    expect(
      evaluateConditions(
        [
          clause('Bool', 'aws:SecureTransport', 'false'),
          clause('StringNotEquals', 'aws:SourceVpce', 'vpce-1'),
        ],
        overHttp,
      ),
    ).toBe('unknown');
    expect(evaluateConditions([clause('Bool', 'aws:SecureTransport', 'true')], overHttp)).toBe(false);
  });
});
