import { describe, expect, it } from 'vitest';
import { findCheck } from '../../functions/checks/registry.ts';
import { resolveParams } from '../../functions/checks/run.ts';
import { CANARY_CHECK_ID, canarySettings } from '../../functions/checks/stack/canary/judgment.ts';
import type { CheckParams } from '../../functions/checks/types.ts';
import { gateConfigSchema } from '../../functions/shared/config.ts';

const check = findCheck(CANARY_CHECK_ID);
if (!check) throw new Error(`${CANARY_CHECK_ID} is not in the registry`);
const settings = (params: CheckParams) => canarySettings(resolveParams(check, params));

const LATENCY = {
  name: 'checkoutLatency',
  namespace: 'Shop',
  metricName: 'CheckoutLatency',
  dimensions: { Service: 'checkout', Version: '${functionName}:${version}' },
  stat: 'p99',
  direction: 'higher',
};

describe('the canary judgment’s parameters', () => {
  it('defaults to the three built-in metrics, p90, alpha 0.05, 5 samples, 10%, 60 minutes, NOT_APPLICABLE', () => {
    expect(settings({})).toEqual({
      metrics: ['errorRate', 'duration', 'throttles'],
      durationStat: 'p90',
      alpha: 0.05,
      minSamples: 5,
      tolerancePercent: 10,
      maxWindowMinutes: 60,
      inconclusive: 'NOT_APPLICABLE',
      userMetrics: [],
    });
  });

  it('reads AWS Config-style text: CSV lists, numbers and a status in any case', () => {
    expect(
      settings({ metrics: 'errorRate, duration', alpha: '0.01', minSamples: '8', inconclusive: 'error' }),
    ).toMatchObject({
      metrics: ['errorRate', 'duration'],
      alpha: 0.01,
      minSamples: 8,
      inconclusive: 'ERROR',
    });
  });

  it('reads user metrics with a ${version} dimension', () => {
    const parsed = settings({
      userMetrics: JSON.stringify([{ ...LATENCY, perInvocation: false, minChange: 5 }]),
    });

    expect(parsed.userMetrics).toEqual([{ ...LATENCY, perInvocation: false, minChange: 5 }]);
  });

  it.each<[string, CheckParams, RegExp]>([
    ['an unknown built-in', { metrics: ['latency'] }, /^parameter metrics: latency is not one of errorRate/],
    ['an alpha of 1', { alpha: 1 }, /^parameter alpha must be in \(0, 1\), got 1$/],
    [
      'a statistic CloudWatch lacks',
      { durationStat: 'median' },
      /durationStat must be a CloudWatch statistic/,
    ],
    [
      'an unknown policy',
      { inconclusive: 'IGNORE' },
      /inconclusive must be one of NOT_APPLICABLE, ERROR, FAIL, PASS/,
    ],
    ['user metrics that are not JSON', { userMetrics: '{oops' }, /userMetrics must be a JSON array/],
    [
      'a user metric without ${version}',
      { userMetrics: JSON.stringify([{ ...LATENCY, dimensions: { Service: 'checkout' } }]) },
      /^parameter userMetrics: 0: a dimension value must hold \$\{version\}/,
    ],
    [
      'a user metric without a direction',
      { userMetrics: JSON.stringify([{ ...LATENCY, direction: undefined }]) },
      /^parameter userMetrics: 0\.direction: /,
    ],
    [
      'a user metric named like a built-in',
      { userMetrics: JSON.stringify([{ ...LATENCY, name: 'errorRate' }]) },
      /names errorRate twice or as a built-in/,
    ],
    [
      'two user metrics of one name',
      { userMetrics: JSON.stringify([LATENCY, LATENCY]) },
      /names checkoutLatency twice/,
    ],
  ])('refuses %s with one line naming the parameter', (_case, params, message) => {
    expect(() => settings(params)).toThrow(message);
  });

  it('is accepted by the gate configuration as docs/canary.md writes it', () => {
    const config = {
      checks: {
        params: {
          [CANARY_CHECK_ID]: { inconclusive: 'FAIL', minSamples: 8, userMetrics: JSON.stringify([LATENCY]) },
        },
      },
    };

    expect(gateConfigSchema.safeParse(config).success).toBe(true);
    expect(
      gateConfigSchema.safeParse({ checks: { params: { [CANARY_CHECK_ID]: { inconclusive: 'MAYBE' } } } })
        .success,
    ).toBe(false);
  });
});
