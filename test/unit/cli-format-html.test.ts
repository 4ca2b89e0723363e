import { describe, expect, it } from 'vitest';
import {
  checkMatrix,
  escapeHtml,
  evolutionHtml,
  fitnessChart,
  type ReleaseOutcome,
  reportHtml,
} from '../../cli/format/html.ts';
import { makeReport, RESULTS } from '../cli/report-fixtures.ts';

const releases: ReleaseOutcome[] = [
  {
    label: 'v1',
    change: 'seed',
    outcome: 'traffic shifted',
    report: makeReport({
      decision: 'Succeeded',
      fitness: 60,
      baseline: null,
      diff: { new: [], fixed: [], since: null },
    }),
  },
  {
    label: 'v2',
    change: 'better',
    outcome: 'traffic shifted',
    report: makeReport({
      decision: 'Succeeded',
      fitness: 70,
      baseline: 60,
      results: RESULTS.filter((r) => r.status !== 'FAIL'),
    }),
  },
  {
    label: 'v3',
    change: 'worse <b>',
    outcome: 'rolled back to v2',
    report: makeReport({ decision: 'Failed', fitness: 65, baseline: 70 }),
  },
];

function withoutScripts(html: string): string {
  return html.replace(/<script>[\s\S]*?<\/script>/g, '');
}

describe('reportHtml', () => {
  it('is one self-contained page with the decision, reasons and every result, escaped', () => {
    const html = reportHtml(makeReport());

    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<strong class="decision-Failed">Failed</strong>');
    expect(html).toContain('&lt;PublicRead&gt; &amp; &quot;friends&quot;');
    expect(html).not.toContain('<PublicRead>');
    expect(html.match(/<tr><td class="status-/g)).toHaveLength(RESULTS.length);
    expect(html).not.toMatch(/<link|src=|href="http/);
  });
});

describe('reportHtml: plan and coverage', () => {
  it('shows the restoring set, each step with its gain and remediation, and the three coverage sets', () => {
    const html = withoutScripts(reportHtml(makeReport()));

    expect(html).toContain(
      '<p data-testid="restore"><strong>fix this finding to pass (fitness 90.2 against the 69 needed): s3-bucket-public-read-prohibited@DataBucket</strong></p>',
    );
    const plan = html.slice(
      html.indexOf('data-testid="plan"'),
      html.indexOf('</table>', html.indexOf('data-testid="plan"')),
    );
    expect(plan.match(/<tr/g)).toHaveLength(3);
    expect(plan).toMatch(
      /<tr class="status-FAIL"><td class="num">1<\/td><td class="num">\+18\.8<\/td><td class="num">90\.2<\/td><td>required<\/td><td>DataBucket<\/td>/,
    );
    expect(plan).toContain('Turn on all four Block Public Access settings of the bucket.');
    expect(html).toContain(
      '<p data-testid="coverage">judged 4 of 5 resources (80 %): 3 directly, 1 through a parent; 1 not judged; 1 of a no-risk type left out</p>',
    );
    expect(html).toContain('<h3>Judged through a parent</h3><ul><li>DataBucketPolicy → DataBucket</li></ul>');
    expect(html).toContain('<li>App (AWS::CodeDeploy::Application): no check judges this type</li>');
    expect(html).toContain('<h3>No risk, left out of the percentage</h3><ul><li>AWS::CDK::Metadata ×1:');
  });
});

describe('fitnessChart', () => {
  it('draws one point per release, coloured by decision, with the baselines dashed', () => {
    const svg = fitnessChart(releases);

    expect(svg).toContain('data-testid="fitness-chart"');
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toMatch(
      /<circle class="accepted" data-release="v1" data-fitness="60" data-decision="Succeeded"/,
    );
    expect(svg).toMatch(
      /<circle class="rejected" data-release="v3" data-fitness="65" data-decision="Failed"/,
    );
    expect(svg.match(/<line class="baseline"/g)).toHaveLength(2);
    expect(svg).toMatch(/<polyline class="fitness" points="[\d.]+,[\d.]+ [\d.]+,[\d.]+ [\d.]+,[\d.]+"\/>/);
  });

  it('puts a higher fitness higher on the chart', () => {
    const svg = fitnessChart(releases);
    const y = (release: string) =>
      Number(new RegExp(`data-release="${release}"[^>]* cy="([\\d.]+)"`).exec(svg)?.[1]);

    expect(y('v2')).toBeLessThan(y('v3'));
    expect(y('v3')).toBeLessThan(y('v1'));
  });
});

describe('checkMatrix', () => {
  it('has a row per check and a cell per release, framing the cells that changed', () => {
    const html = checkMatrix(releases);

    const checks = new Set(RESULTS.map((r) => r.checkId));
    expect(html.match(/<tr data-check=/g)).toHaveLength(checks.size);
    expect(html.match(/<td class="cell[^"]*" data-status=/g)).toHaveLength(checks.size * 3 - 1);
    const row = /<tr data-check="s3-bucket-public-read-prohibited">.*<\/tr>/.exec(html)?.[0] ?? '';
    expect(row).toMatch(
      /data-status="FAIL"[^>]*>✗ 0\/1<\/td><td class="cell muted" title="not run">·<\/td><td class="cell status-FAIL changed" data-status="FAIL"/,
    );
    expect(html).toContain(
      '<td class="cell status-PASS" data-status="PASS" title="DataBucket: PASS — versioning is Enabled&#10;'.replace(
        '&#10;',
        '\n',
      ),
    );
  });
});

describe('evolutionHtml', () => {
  it('holds the releases table, the chart, the matrix and the reasons, with no external assets', () => {
    const html = evolutionHtml({
      title: 'demo',
      generatedAt: '2026-01-01T00:00:00Z',
      releases,
      notes: ['moto & friends'],
    });

    expect(html).toContain('data-testid="releases"');
    expect(html).toContain('data-testid="fitness-chart"');
    expect(html).toContain('data-testid="check-matrix"');
    expect(html).toContain('worse &lt;b&gt;');
    expect(html).toContain('<li>moto &amp; friends</li>');
    expect(html).toContain('rolled back to v2');
    expect(withoutScripts(html)).not.toMatch(/<link|src=|url\(|@import/);
  });

  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
