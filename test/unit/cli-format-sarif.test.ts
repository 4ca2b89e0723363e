/**
 * SARIF output, validated against the SARIF 2.1.0 JSON schema (rtm.5, the schema of the 2.1.0
 * standard, as @microsoft/jest-sarif ships it; draft-04, hence ajv-draft-04), and read back the way
 * code scanning reads it: rules from the registry, levels from severities, locations at the
 * resource's line, waivers as suppressions.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { reportSarif } from '../../cli/format/sarif.ts';
import { registry } from '../../functions/checks/registry.ts';
import { makeReport } from '../cli/report-fixtures.ts';

const require = createRequire(import.meta.url);
const schema = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
) as Record<string, unknown>;
// The schema's language pattern has a stray ']', valid only without the u flag (as JSON Schema's ECMA 262 regexes are).
// Both are CommonJS: under Node's ESM the class and the plugin are their modules' default exports.
const Ajv = AjvDraft04 as unknown as typeof AjvDraft04.default;
const addFormats = ajvFormats as unknown as typeof ajvFormats.default;
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv as never);
const validate = ajv.compile(schema);

const dir = mkdtempSync(join(tmpdir(), 'fitgate-sarif-'));
const templateFile = join(dir, 'svc.yaml');
writeFileSync(
  templateFile,
  [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Fn:',
    '    Type: AWS::Lambda::Function',
    '    Properties: { Handler: index.handler }',
    '  DataBucket:',
    '    Type: AWS::S3::Bucket',
    '    Metadata:',
    '      aws:cdk:path: Svc/DataBucket/Resource',
    '',
  ].join('\n'),
);

function sarifOf(...args: Parameters<typeof reportSarif>): Sarif.Log {
  return JSON.parse(reportSarif(...args)) as Sarif.Log;
}

describe('reportSarif', () => {
  it('is valid SARIF 2.1.0', () => {
    const log = sarifOf(
      [makeReport(), makeReport({ stack: 'other', decision: 'Succeeded' })],
      [{ templateFile }],
    );

    const valid = validate(log);

    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
    expect(valid).toBe(true);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(2);
    const broken = structuredClone(log);
    (broken.runs[0]?.results?.[0] as { level: string }).level = 'fatal';
    expect(validate(broken)).toBe(false);
  });

  it('has one rule per check, with help and remediation from the registry', () => {
    const [run] = sarifOf([makeReport()]).runs;
    const rules = run?.tool.driver.rules ?? [];

    expect(rules.map((rule) => rule.id)).toEqual(registry.map((check) => check.id));
    const publicRead = rules.find((rule) => rule.id === 's3-bucket-public-read-prohibited');
    expect(publicRead?.help?.text).toContain(registry[0]?.remediation ?? '');
    expect(publicRead?.defaultConfiguration?.level).toBe('error');
    expect(publicRead?.properties?.['security-severity']).toBe('9.5');
  });

  it('has one result per non-passing finding, at the resource line, with its logical id and CDK path', () => {
    const [run] = sarifOf([makeReport()], [{ templateFile }]).runs;
    const results = run?.results ?? [];

    expect(results.map((result) => [result.ruleId, result.level])).toEqual([
      ['s3-bucket-public-read-prohibited', 'error'],
      ['cloudformation-stack-drift-detection-check', 'note'],
      ['s3-bucket-logging-enabled', 'warning'],
    ]);
    const [publicRead] = results;
    const location = publicRead?.locations?.[0];
    expect(location?.physicalLocation?.artifactLocation?.uri).toMatch(/svc\.yaml$/);
    expect(location?.physicalLocation?.region).toEqual({ startLine: 6, startColumn: 3 });
    expect(location?.logicalLocations?.[0]).toMatchObject({
      name: 'DataBucket',
      fullyQualifiedName: 'Svc/DataBucket/Resource',
    });
    expect(publicRead?.properties).toMatchObject({
      logicalId: 'DataBucket',
      'aws:cdk:path': 'Svc/DataBucket/Resource',
      fitnessGain: 18.8,
      neededToPass: true,
    });
    expect(publicRead?.partialFingerprints).toEqual({
      'fitgateFinding/v1': 'svc/s3-bucket-public-read-prohibited/DataBucket',
    });
  });

  it('reports a waived finding with a suppression that carries the reason', () => {
    const [run] = sarifOf([makeReport()]).runs;
    const waived = run?.results?.find((result) => result.ruleId === 's3-bucket-logging-enabled');

    expect(waived?.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'the access-log bucket itself' },
    ]);
  });

  it('carries the decision; without a template the results have logical locations only', () => {
    const [run] = sarifOf([makeReport()]).runs;

    expect(run?.properties).toMatchObject({
      stack: 'svc',
      decision: 'Failed',
      fitness: 71.4,
      coveragePercent: 80,
    });
    expect(run?.results?.[0]?.locations?.[0]?.physicalLocation).toBeUndefined();
    expect(validate(sarifOf([makeReport({ results: [] })]))).toBe(true);
  });

  it('locates a finding on a resource SAM generated at the SAM resource it came from', () => {
    const onRole = {
      checkId: 'iam-policy-no-statements-with-full-access',
      resourceType: 'AWS::IAM::Role',
      logicalId: 'FnRole',
      physicalId: 'svc-FnRole-1',
      status: 'FAIL' as const,
      severity: 'high' as const,
      message: 'grants s3:*',
      samResourceId: 'Fn',
    };

    const [run] = sarifOf([makeReport({ results: [onRole] })], [{ templateFile }]).runs;

    const location = run?.results?.[0]?.locations?.[0];
    expect(location?.physicalLocation?.region).toEqual({ startLine: 3, startColumn: 3 });
    expect(location?.logicalLocations?.[0]?.name).toBe('FnRole');
  });
});
