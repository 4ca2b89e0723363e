import { describe, expect, it } from 'vitest';
import { escapeXml, reportJunit } from '../../cli/format/junit.ts';
import { makeReport } from '../cli/report-fixtures.ts';

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

describe('reportJunit', () => {
  it('has a decision suite and one suite per check, with totals that add up', () => {
    const xml = reportJunit(makeReport(), 'failure');

    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
    expect(xml).toMatch(/<testsuites name="fitgate svc" tests="7" failures="2" errors="1" skipped="2">/);
    expect(xml).toContain(
      '<testsuite name="fitgate decision for svc" tests="1" failures="1" errors="0" skipped="0">',
    );
    expect(xml).toContain(
      '<testsuite name="s3-bucket-versioning-enabled" tests="2" failures="0" errors="0" skipped="0">',
    );
    expect(count(xml, /<testsuite /g)).toBe(6);
    expect(count(xml, /<testcase /g)).toBe(7);
    expect(xml.trimEnd().endsWith('</testsuites>')).toBe(true);
  });

  it('with findings as failures: FAIL is a failure, ERROR an error, NOT_APPLICABLE and SUPPRESSED skipped', () => {
    const xml = reportJunit(makeReport(), 'failure');

    expect(xml).toMatch(
      /<testcase classname="fitgate.s3-bucket-public-read-prohibited" name="DataBucket \(AWS::S3::Bucket\)">\n\s+<failure message="[^"]+" type="critical">/,
    );
    expect(xml).toMatch(
      /<testcase classname="fitgate.cloudformation-stack-drift-detection-check" name="svc \(AWS::CloudFormation::Stack\)">\n\s+<error /,
    );
    expect(xml).toMatch(/<skipped message="NOT_APPLICABLE: the function has no URL"\/>/);
    expect(xml).toMatch(/<skipped message="SUPPRESSED: suppressed: /);
    expect(xml).toContain(
      '<testcase classname="fitgate.s3-bucket-versioning-enabled" name="LogBucket (AWS::S3::Bucket)"/>',
    );
  });

  it('escapes markup in messages and passes the decision when the gate succeeded', () => {
    const xml = reportJunit(makeReport({ decision: 'Succeeded' }));

    expect(xml).toContain('&lt;PublicRead&gt; &amp; &quot;friends&quot;');
    expect(xml).not.toContain('<PublicRead>');
    expect(xml).toMatch(
      /<testcase classname="fitgate.decision" name="svc is fit to deploy">\n\s+<system-out>[^<]*<\/system-out>\n\s+<\/testcase>/,
    );
    expect(xml).toContain('<property name="fitness" value="71.4"/>');
  });

  it('carries the coverage and the plan in the decision suite: properties, and the steps in words', () => {
    const report = makeReport();
    const xml = reportJunit(report);

    expect(xml).toContain('<property name="coverage" value="80"/>');
    expect(xml).toContain('<property name="judgedThroughParent" value="1"/>');
    expect(xml).toContain('<property name="notJudged" value="1"/>');
    expect(xml).toContain('<property name="noRisk" value="1"/>');
    expect(xml).toContain(`<property name="findingsToPass" value="${report.plan.restore?.size}"/>`);
    const out = /<testcase classname="fitgate.decision"[\s\S]*?<system-out>([^<]*)<\/system-out>/.exec(
      xml,
    )?.[1];
    const lines = out?.split('\n') ?? [];
    expect(lines[0]).toMatch(/^judged 4 of 5 resources \(80 %\)/);
    expect(lines[1]).toMatch(/^fix /);
    expect(lines[2]).toBe(
      '+18.8 (required) DataBucket: s3-bucket-public-read-prohibited — Turn on all four Block Public Access settings of the bucket.',
    );
  });

  it('by default a Succeeded gate is a green build: the decision passes and findings are skipped', () => {
    const xml = reportJunit(makeReport({ decision: 'Succeeded' }));

    expect(xml).toMatch(/<testsuites name="fitgate svc" tests="7" failures="0" errors="0" skipped="4">/);
    expect(xml).not.toMatch(/<failure|<error/);
    expect(xml).toMatch(/<skipped message="FAIL \(critical\): publicly readable/);
    expect(xml).toMatch(/<skipped message="ERROR \(low\): the emulator/);
  });

  it('by default a Failed gate fails exactly one test case, the decision', () => {
    const xml = reportJunit(makeReport());

    expect(xml).toMatch(/<testsuites name="fitgate svc" tests="7" failures="1" errors="0" skipped="4">/);
    expect(count(xml, /<failure /g)).toBe(1);
    expect(xml).toMatch(
      /classname="fitgate.decision" name="svc is fit to deploy">\n\s+<failure message="critical s3-bucket-public-read/,
    );
  });

  it('with findings as properties, findings pass and carry status, severity and message', () => {
    const xml = reportJunit(makeReport({ decision: 'Succeeded' }), 'property');

    expect(xml).toMatch(/<testsuites name="fitgate svc" tests="7" failures="0" errors="0" skipped="2">/);
    expect(xml).toContain('<property name="status" value="FAIL"/>');
    expect(xml).toContain('<property name="severity" value="critical"/>');
    expect(xml).toMatch(/<system-out>critical s3-bucket-public-read-prohibited failed on DataBucket/);
  });

  it('puts several stacks in one document', () => {
    const xml = reportJunit([makeReport(), makeReport({ stack: 'two', decision: 'Succeeded' })]);

    expect(xml).toMatch(/<testsuites name="fitgate svc, two" tests="14" failures="1"/);
    expect(xml).toContain('<testsuite name="fitgate decision for two"');
  });

  it('records results the workflow left out as a property', () => {
    expect(reportJunit(makeReport({ resultsOmitted: { PASS: 7 } }))).toContain(
      '<property name="resultsOmitted" value="7 PASS"/>',
    );
  });

  it('drops control characters XML cannot hold', () => {
    expect(escapeXml('a\u0000b\u001Fc\td')).toBe('abc\td');
  });
});
