import { describe, expect, it } from 'vitest';
import { configFromEnv, DEFAULT_CONFIG, resolveConfig } from '../../functions/shared/config.ts';

describe('gate configuration', () => {
  it('layers partial configurations over the defaults', () => {
    const config = resolveConfig(
      { policy: { minFitness: 50 }, checks: { disabled: ['a'] }, maxConcurrency: 20 },
      { policy: { maxRegression: 2 }, checks: { disabled: ['b'], params: { c: { x: 1 } } } },
    );

    expect(config.policy).toEqual({ ...DEFAULT_CONFIG.policy, minFitness: 50, maxRegression: 2 });
    expect(config.checks).toEqual({ disabled: ['a', 'b'], params: { c: { x: 1 } } });
    expect(config.maxConcurrency).toBe(20);
  });

  it.each([
    [{ policy: { minFitness: 120 } }, /minFitness must be 0–100/],
    [{ policy: { maxRegression: -1 } }, /maxRegression must be ≥ 0/],
    [{ maxConcurrency: 41 }, /maxConcurrency must be an integer 1–40/],
    [
      { suppressions: [{ checkId: '*', logicalId: 'A', reason: 'long enough reason' }] },
      /must name one check/,
    ],
    [{ suppressions: [{ checkId: 'c', logicalId: 'A', reason: 'short' }] }, /needs a reason/],
    [
      { suppressions: [{ checkId: 'c', logicalId: 'A', reason: 'long enough reason', expires: 'soon' }] },
      /ISO date/,
    ],
  ])('refuses %j', (layer, message) => {
    expect(() => resolveConfig(layer as never)).toThrow(message);
  });

  it('reads FITGATE_CONFIG and refuses malformed JSON with one clear line', () => {
    expect(configFromEnv({ FITGATE_CONFIG: '{"maxConcurrency":5}' })).toEqual({ maxConcurrency: 5 });
    expect(configFromEnv({})).toBeUndefined();
    expect(() => configFromEnv({ FITGATE_CONFIG: '{' })).toThrow('FITGATE_CONFIG is not valid JSON');
  });
});
