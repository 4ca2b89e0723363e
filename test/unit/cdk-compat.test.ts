import { describe, expect, it } from 'vitest';
import {
  assertSupportedCdk,
  compareVersions,
  installedCdkVersion,
  MIN_AWS_CDK_LIB,
} from '../../infra/lib/cdk-compat.ts';

describe('the aws-cdk-lib version check', () => {
  it('compares release numbers numerically, not as text', () => {
    expect(compareVersions('2.270.0', '2.270.0')).toBe(0);
    expect(compareVersions('2.269.9', '2.270.0')).toBe(-1);
    expect(compareVersions('2.1000.0', '2.270.0')).toBe(1);
    expect(compareVersions('3.0.0', '2.999.999')).toBe(1);
    expect(compareVersions('2.270.0-rc.1', '2.270.0')).toBe(0);
  });

  it('accepts the aws-cdk-lib this repository runs, and refuses an older one in one line', () => {
    expect(installedCdkVersion()).toMatch(/^2\.\d+\.\d+/);
    expect(() => assertSupportedCdk()).not.toThrow();
    expect(() => assertSupportedCdk(MIN_AWS_CDK_LIB)).not.toThrow();
    expect(() => assertSupportedCdk('2.251.0')).toThrow(
      `fitgate needs aws-cdk-lib ${MIN_AWS_CDK_LIB} or later (its peer dependency), this app has 2.251.0: npm install aws-cdk-lib@^${MIN_AWS_CDK_LIB}`,
    );
  });
});
