import { describe, expect, it } from 'vitest';
import {
  catalogTable,
  formatDelta,
  formatScore,
  historyTable,
  renderTable,
  reportTable,
} from '../../cli/format/table.ts';
import { registry } from '../../functions/checks/registry.ts';
import { makeRecord, makeReport } from '../cli/report-fixtures.ts';

describe('renderTable', () => {
  it('pads columns, right-aligns numbers and cuts long cells with an ellipsis', () => {
    const text = renderTable(
      [{ header: 'NAME' }, { header: 'N', align: 'right' }, { header: 'NOTE', maxWidth: 5 }],
      [
        ['a', '1', 'short'],
        ['long-name', '100', 'much too long'],
      ],
    );

    expect(text.split('\n')).toEqual([
      'NAME         N  NOTE',
      '---------  ---  -----',
      'a            1  short',
      'long-name  100  much…',
    ]);
  });
});

describe('scores', () => {
  it('prints at most two decimals, a dash for none, and signed deltas', () => {
    expect(formatScore(71.456)).toBe('71.46');
    expect(formatScore(null)).toBe('—');
    expect(formatDelta(84.15, 78.27)).toBe('+5.88');
    expect(formatDelta(78.27, 84.15)).toBe('−5.88');
    expect(formatDelta(70, 70)).toBe('±0');
    expect(formatDelta(70, null)).toBe('—');
  });
});

describe('reportTable', () => {
  it('leads with the decision, the score and the reasons, then lists what failed', () => {
    const text = reportTable(makeReport());

    const lines = text.split('\n');
    expect(lines[0]).toBe('fitgate audit of stack svc (adhoc)');
    expect(text).toMatch(/^decision {3}Failed$/m);
    expect(text).toMatch(/^fitness {4}71\.4 {2}\(quality 75\.4 − penalty 4 for complexity 40\)$/m);
    expect(text).toMatch(/^baseline {3}69 {2}\(\+2\.4 since d-ABC123456\)$/m);
    expect(text).toContain('· critical s3-bucket-public-read-prohibited failed on DataBucket');
    expect(text).toContain('2 PASS · 1 FAIL · 1 NOT_APPLICABLE · 1 ERROR · 1 SUPPRESSED');
    expect(text).toMatch(
      /^coverage {3}judged 4 of 5 resources \(80 %\): 3 directly, 1 through a parent; 1 not judged; 1 of a no-risk type left out$/m,
    );
    expect(text).toMatch(/^ {11}through a parent: DataBucketPolicy → DataBucket$/m);
    expect(text).toMatch(/^ {11}not judged: AWS::CodeDeploy::Application$/m);
    expect(text).toMatch(/^ {11}no risk, left out: AWS::CDK::Metadata ×1: CDK’s record/m);
    expect(text).toMatch(/^FAIL +critical +s3-bucket-public-read-prohibited +DataBucket/m);
    expect(text).toMatch(/^ERROR +low +cloudformation-stack-drift-detection-check/m);
    expect(text).toMatch(/^SUPPRESSED +medium +s3-bucket-logging-enabled/m);
    expect(text).not.toMatch(/^PASS /m);
    expect(text).toContain('(3 PASS and NOT_APPLICABLE results not listed; --format json lists them)');
  });

  it('ends with the improvement plan: what to fix to pass, then each step with its gain and remediation', () => {
    const text = reportTable(makeReport());

    const plan = text.slice(text.indexOf('improvement plan'));
    expect(plan).toMatch(/^improvement plan \(fitness 71\.4 now;/);
    expect(plan).toContain(
      '→ fix this finding to pass (fitness 90.2 against the 69 needed): s3-bucket-public-read-prohibited@DataBucket',
    );
    expect(plan).toMatch(/^#\s+GAIN\s+FITNESS\s+NEEDED\s+RESOURCE\s+FIXES\s+REMEDIATION$/m);
    expect(plan).toMatch(
      /^1\s+\+18\.8\s+90\.2\s+required\s+DataBucket\s+s3-bucket-public-read-prohibited\s+Turn on all four/m,
    );
    expect(plan).toMatch(/^2\s+\+2\.35\s+73\.75\s+svc\s+cloudformation-stack-drift-detection-check/m);
  });

  it('says how many results the workflow left out of a large report', () => {
    const text = reportTable(makeReport({ resultsOmitted: { PASS: 120, NOT_APPLICABLE: 30 } }));

    expect(text).toContain(
      "(120 PASS, 30 NOT_APPLICABLE left out of the report to fit the state limit; the check tasks' outputs hold them)",
    );
  });

  it('says so when nothing failed, and shows the console link of a cloud run', () => {
    const report = makeReport({ decision: 'Succeeded', reasons: [], results: [], baseline: null });

    const text = reportTable(report, { consoleLink: 'https://us-east-1.console.aws.amazon.com/states/x' });

    expect(text).toContain('none (no accepted run of this stack to compare with)');
    expect(text).toContain('no failing, erroring or suppressed findings');
    expect(text.trimEnd().split('\n').pop()).toBe(
      'execution: https://us-east-1.console.aws.amazon.com/states/x',
    );
  });
});

describe('catalogTable', () => {
  it('has one row per registry check and says how many', () => {
    const text = catalogTable(registry);

    const rows = text.trimEnd().split('\n');
    expect(rows).toHaveLength(registry.length + 3);
    expect(rows.at(-1)).toBe(`${registry.length} checks`);
    expect(text).toMatch(
      /^s3-bucket-ssl-requests-only +AWS Config +medium +security +s3 +AWS::S3::Bucket +yes$/m,
    );
  });
});

describe('historyTable', () => {
  it("shows each run with its fitness, baseline, delta, the gate's decision, CodeDeploy's outcome and first reason", () => {
    const text = historyTable('svc', [
      makeRecord({
        startedAt: '2026-01-03T00:00:00.000Z',
        decision: 'Failed',
        outcome: 'FAILED',
        accepted: false,
        fitness: 60,
        baseline: 71.4,
        reasons: ['fitness regressed'],
        coverage: { percent: 83.33, judged: 10, resources: 13, noRisk: 1 },
      }),
      makeRecord({ outcome: 'SUCCEEDED' }),
    ]);

    const [header, , newest, older] = text.trimEnd().split('\n');
    expect(header).toMatch(
      /^STARTED +TRIGGER +DEPLOYMENT +FITNESS +BASELINE +Δ +JUDGED +DECISION +OUTCOME +ACCEPTED +FIRST REASON$/,
    );
    expect(newest).toMatch(
      /^2026-01-03T00:00:00.000Z +BeforeAllowTraffic +d-ABC123456 +60 +71\.4 +−11\.4 +83\.33 % +Failed +FAILED +no +fitness regressed$/,
    );
    expect(older).toMatch(/71\.4 +69 +\+2\.4 +— +Succeeded +SUCCEEDED +yes/);
  });

  it('says when a stack has no recorded executions', () => {
    expect(historyTable('svc', [])).toBe('no recorded executions of stack svc\n');
  });
});

describe('terminal safety', () => {
  const ESC = '\u001b';

  it('never lets escape codes from template text reach the terminal', () => {
    const report = makeReport();
    const hostile = {
      ...report,
      stack: `svc${ESC}]0;owned${ESC}\\`,
      reasons: [`critical check failed on Bucket${ESC}[2J${ESC}[31m`],
      notes: [`waiver of Bucket\r\nfake line`],
      results: report.results.map((result) => ({
        ...result,
        logicalId: `B${ESC}[1A`,
        message: `m\u202eevil`,
      })),
    };

    const text = reportTable(hostile);

    expect(text).not.toContain(ESC);
    expect(text).not.toContain('\r');
    expect(text).not.toContain('\u202e');
    expect(text).toContain('\\u001b[2J');
    expect(text).toContain('waiver of Bucket\\u000d\\u000afake line');
  });

  it('keeps the history table and the catalog free of control characters too', () => {
    const record = { ...makeRecord(), reasons: [`x${ESC}[5m`], deploymentId: `d-1${ESC}` };
    expect(historyTable(`svc${ESC}`, [record])).not.toContain(ESC);
    expect(historyTable(`svc${ESC}`, [])).not.toContain(ESC);
  });
});
