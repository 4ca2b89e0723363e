/** Ids, aliases, origins and the runtime list of the registry. */
import { describe, expect, it } from 'vitest';
import {
  MANAGED_RUNTIMES,
  RUNTIMES_REVIEWED,
  supportedRuntimes,
} from '../../../functions/checks/lambda/runtimes.ts';
import {
  CHECK_ID_ALIASES,
  canonicalCheckId,
  checkIdDeprecation,
  configRuleUrl,
  findCheck,
  registry,
} from '../../../functions/checks/registry.ts';
import { runWorkItem } from '../../../functions/checks/run.ts';
import { rules } from '../../../functions/checks/stack/handler.ts';
import { TEST_STACK } from '../../support/check-harness.ts';

describe('renamed check ids', () => {
  it('are the Config rules’ identifiers now; the old ids resolve to them with a deprecation note', () => {
    expect(CHECK_ID_ALIASES).toEqual({
      'api-gw-access-logging-enabled': 'apigateway-stage-access-logs-enabled',
      'cloudformation-stack-termination-protection': 'cloudformation-termination-protection-check',
    });
    for (const [old, current] of Object.entries(CHECK_ID_ALIASES)) {
      expect(canonicalCheckId(old)).toBe(current);
      expect(findCheck(old)?.id).toBe(current);
      expect(checkIdDeprecation(old)).toMatch(
        new RegExp(`^check id ${old} is deprecated: it is now ${current}`),
      );
      expect(findCheck(current)?.origin).toBe('aws-config');
    }
    expect(canonicalCheckId('s3-bucket-versioning-enabled')).toBe('s3-bucket-versioning-enabled');
    expect(checkIdDeprecation('s3-bucket-versioning-enabled')).toBeUndefined();
    expect(registry.map((check) => check.id)).not.toContain('api-gw-access-logging-enabled');
  });

  it('an old id still disables and configures its check in a work item', async () => {
    const input = {
      workItem: {
        family: 'stack' as const,
        resource: {
          logicalId: TEST_STACK.stackName,
          physicalId: TEST_STACK.stackId,
          type: 'AWS::CloudFormation::Stack',
        },
      },
      stack: TEST_STACK,
      trigger: 'adhoc' as const,
    };
    const everythingElse = registry
      .filter(
        (check) => check.family === 'stack' && check.id !== 'cloudformation-termination-protection-check',
      )
      .map((check) => check.id);

    const outcome = await runWorkItem('stack', rules, {} as never, {
      ...input,
      checks: { disabled: [...everythingElse, 'cloudformation-stack-termination-protection'] },
    });

    expect(outcome.results).toEqual([]);
  });
});

describe('origin', () => {
  it('every check says whether it is an AWS Config managed rule or fitgate’s own; Config ones link their page', () => {
    for (const check of registry) {
      expect(['aws-config', 'fitgate'], check.id).toContain(check.origin);
      expect(configRuleUrl(check) === undefined, check.id).toBe(check.origin === 'fitgate');
    }
    expect(findCheck('lambda-function-public-access-prohibited')?.origin).toBe('aws-config');
    expect(findCheck('stack-alarm-coverage')?.origin).toBe('fitgate');
  });

  it('every departure names what Config does, what fitgate does and why', () => {
    for (const check of registry) {
      for (const departure of check.departures ?? []) {
        expect(check.origin, check.id).toBe('aws-config');
        expect(departure.config && departure.fitgate && departure.reason, check.id).toBeTruthy();
      }
    }
  });

  it('every parameter declares its type', () => {
    for (const check of registry) {
      for (const [name, spec] of Object.entries(check.params))
        expect(spec.type, `${check.id}.${name}`).toBeDefined();
    }
  });
});

describe('Lambda runtimes', () => {
  it('were last reviewed on 2026-12-01 against the Lambda runtimes page', () => {
    expect(RUNTIMES_REVIEWED).toBe('2026-12-01');
  });

  it('the default allows only runtimes not deprecated on the review date', () => {
    const allowed = supportedRuntimes();

    expect(allowed).toEqual(
      expect.arrayContaining(['nodejs22.x', 'nodejs24.x', 'python3.13', 'java21', 'dotnet10']),
    );
    for (const deprecated of ['nodejs20.x', 'dotnet8', 'ruby3.2', 'python3.10', 'java8.al2'])
      expect(allowed).not.toContain(deprecated);
    expect(findCheck('lambda-function-settings-check')?.params.runtime?.default).toEqual(allowed);
    expect(MANAGED_RUNTIMES.every((runtime) => /^\d{4}-\d{2}-\d{2}$/.test(runtime.deprecation))).toBe(true);
  });

  it('moves with the date: nodejs22.x is no longer allowed after 2027-04-30', () => {
    expect(supportedRuntimes('2027-05-01')).not.toContain('nodejs22.x');
  });
});
