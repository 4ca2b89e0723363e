/**
 * The aws-cdk-lib an app installs must be one fitgate supports. Older releases lack what the
 * construct uses: before 2.252.0 there is no `Validations` (the synth would fail with `TypeError:
 * Cannot read properties of undefined (reading 'of')`), and before 2.270.0 `acknowledge()` refuses
 * cdk-nag's rule ids such as `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:…]`
 * (InvalidValidationId), as the consumer-app tests showed. aws-cdk-lib is imported here as a
 * namespace, so a missing export reaches this check instead of failing the module link; the
 * constructs import `Validations` from this module for that reason.
 */
import { createRequire } from 'node:module';
import * as cdk from 'aws-cdk-lib';

/** The oldest aws-cdk-lib the consumer-app tests synthesize with (package.json peerDependencies). */
export const MIN_AWS_CDK_LIB = '2.270.0';

/** `Validations`, read through the namespace (undefined before aws-cdk-lib 2.252.0). */
export const Validations = cdk.Validations;

/** -1, 0 or 1 as version a is older than, equal to or newer than b (numeric major.minor.patch). */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(/[.+-]/, 3).map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < 3; index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

/** The version of the aws-cdk-lib this module resolves (the app's own copy: it is a peer dependency). */
export function installedCdkVersion(): string | undefined {
  try {
    return (createRequire(import.meta.url)('aws-cdk-lib/package.json') as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Throws one clear line when the app's aws-cdk-lib is older than fitgate supports. */
export function assertSupportedCdk(version = installedCdkVersion()): void {
  const tooOld = version !== undefined && compareVersions(version, MIN_AWS_CDK_LIB) < 0;
  if (tooOld || typeof Validations?.of !== 'function') {
    throw new Error(
      `fitgate needs aws-cdk-lib ${MIN_AWS_CDK_LIB} or later (its peer dependency), this app has ${version ?? 'an unknown version'}: npm install aws-cdk-lib@^${MIN_AWS_CDK_LIB}`,
    );
  }
}
