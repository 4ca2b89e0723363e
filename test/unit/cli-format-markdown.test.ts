import { describe, expect, it } from 'vitest';
import { reportMarkdown } from '../../cli/format/markdown.ts';
import { makeReport, PLAN } from '../cli/report-fixtures.ts';

describe('reportMarkdown: plan and coverage', () => {
  it('says what to fix to pass, ranks the steps by gain with their remediation, and sums up coverage', () => {
    const text = reportMarkdown([makeReport()]);

    expect(text).toContain(
      '**To pass:** fix this finding to pass (fitness 90.2 against the 69 needed): s3-bucket-public-read-prohibited@DataBucket',
    );
    expect(text).toContain('| # | Gain | Fitness | Resource | Fixes | Remediation |');
    expect(text).toContain(
      '| 1 (required) | +18.8 | 90.2 | `DataBucket` | `s3-bucket-public-read-prohibited` | Turn on all four Block Public Access settings of the bucket. |',
    );
    expect(text).toMatch(/^\| 2 \| \+2\.35 \| 73\.75 \| `svc` \|/m);
    expect(text).toContain(
      '**Coverage:** judged 4 of 5 resources (80 %): 3 directly, 1 through a parent; 1 not judged; 1 of a no-risk type left out',
    );
    expect(text).toContain('- DataBucketPolicy → DataBucket');
    expect(text).toContain('- App (AWS::CodeDeploy::Application): no check judges this type');
  });

  it('shows no plan for a stack without findings, and counts the steps it leaves out', () => {
    expect(reportMarkdown([makeReport({ plan: { steps: [] } })])).not.toContain('Improvement plan');

    const many = {
      ...PLAN,
      steps: Array.from({ length: 12 }, () => PLAN.steps[1]).filter((s) => s !== undefined),
      stepsOmitted: 3,
      findingsOmitted: 3,
    };
    expect(reportMarkdown([makeReport({ plan: many })])).toContain('| … | | | 5 more steps | | |');
  });
});
