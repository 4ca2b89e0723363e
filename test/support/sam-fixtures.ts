/**
 * SAM fixtures: five public serverless patterns (aws-samples/serverless-patterns, MIT-0; see
 * test/fixtures/sam/patterns/NOTICE.md), a service whose DeploymentPreference hooks are fitgate's,
 * and a Python that cannot import the SAM translator.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CfnTemplate } from '../../cli/emulation/template.ts';
import { loadTemplateFile } from '../../cli/emulation/template.ts';
import type { Suppression } from '../../functions/shared/config.ts';

export const SAM_FIXTURES = fileURLToPath(new URL('../fixtures/sam/', import.meta.url));
export const HOOKS_TEMPLATE = join(SAM_FIXTURES, 'hooks', 'template.yaml');

export interface SamPattern {
  readonly name: string;
  /** What the pattern shows, for the test names. */
  readonly shows: string;
  readonly template: string;
  /** The SAM function the tests write waivers on. */
  readonly function: string;
}

export const PATTERNS: readonly SamPattern[] = [
  { name: 'apigw-lambda-dynamodb', shows: 'API Gateway REST API', function: 'LambdaFunction' },
  { name: 'apigw-http-api-lambda-python', shows: 'API Gateway HTTP API', function: 'ApiFunction' },
  { name: 'sqs-lambda', shows: 'SQS', function: 'QueueConsumerFunction' },
  { name: 'eventbridge-lambda', shows: 'EventBridge', function: 'ConsumerFunction' },
  { name: 'sfn-lambda-lambda', shows: 'Step Functions', function: 'FirstFunction' },
].map((pattern) => ({ ...pattern, template: join(SAM_FIXTURES, 'patterns', pattern.name, 'template.yaml') }));

/** The pattern's template with `Metadata.fitgate` waivers written on one of its resources. */
export function withWaivers(
  file: string,
  logicalId: string,
  suppressions: readonly Omit<Suppression, 'logicalId'>[],
): { template: CfnTemplate; baseDir: string } {
  const template = loadTemplateFile(file) as CfnTemplate & {
    Resources: Record<string, { Metadata?: object }>;
  };
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`${file} has no resource ${logicalId}`);
  resource.Metadata = { ...resource.Metadata, fitgate: { suppressions } };
  return { template, baseDir: dirname(file) };
}

/** A python3 that runs without site-packages, so `import samtranslator` fails as on a bare machine. */
export function pythonWithoutSamTranslator(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fitgate-bare-python-'));
  const path = join(dir, 'python3');
  writeFileSync(path, '#!/bin/sh\nexec python3 -S "$@"\n');
  chmodSync(path, 0o755);
  return path;
}
