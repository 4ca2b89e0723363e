import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderCatalog } from '../../cli/commands/checks.ts';
import {
  CATALOG_END,
  CATALOG_START,
  catalogMarkdown,
  catalogSection,
  withCatalogSection,
} from '../../cli/format/markdown.ts';
import { registry } from '../../functions/checks/registry.ts';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

describe('the check catalog', () => {
  it('has a Markdown row per registry check, pipes escaped', () => {
    const markdown = catalogMarkdown([
      { ...registry[0], title: 'a | b' } as (typeof registry)[number],
      ...registry.slice(1),
    ]);

    const catalog = markdown.slice(0, markdown.indexOf('**Deliberate departures'));
    const rows = catalog.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows).toHaveLength(registry.length);
    expect(rows[0]).toContain('a \\| b');
    expect(markdown).toContain(
      '| `s3-bucket-ssl-requests-only` | [AWS Config](https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-ssl-requests-only.html) | S3 bucket policy denies requests without TLS | medium | security | `AWS::S3::Bucket` | atomic | yes | SH S3.5 · AwsSolutions-S10 |',
    );
    expect(markdown).toContain(
      '| `lambda-function-public-access-prohibited` | [AWS Config](https://docs.aws.amazon.com/config/latest/developerguide/lambda-function-public-access-prohibited.html) |',
    );
    expect(markdown).toContain('| `stack-alarm-coverage` | fitgate |');
  });

  it('lists every departure from a Config rule with its reason', () => {
    const markdown = catalogMarkdown(registry);
    const departures = registry.flatMap((check) =>
      (check.departures ?? []).map((d) => ({ id: check.id, ...d })),
    );

    expect(departures.length).toBeGreaterThan(0);
    for (const departure of departures) {
      expect(markdown).toContain(`| \`${departure.id}\` | ${departure.param ?? 'scope'} |`);
    }
    expect(markdown).toContain('insufficientDataActionRequired | true | false |');
  });

  it('lists every registry field as JSON', () => {
    expect(JSON.parse(renderCatalog('json'))).toEqual(JSON.parse(JSON.stringify(registry)));
  });

  it('rewrites only what lies between the markers', () => {
    const document = `# Title\n\nintro\n\n${CATALOG_START}\nold\n${CATALOG_END}\n\n## After\n`;

    const updated = withCatalogSection(document, 'new table');

    expect(updated).toBe(`# Title\n\nintro\n\n${CATALOG_START}\nnew table\n${CATALOG_END}\n\n## After\n`);
    expect(catalogSection(updated)).toBe('new table');
  });

  it('appends a Check catalog section when there are no markers', () => {
    expect(withCatalogSection('# Title\n', 'table')).toBe(
      `# Title\n\n## Check catalog\n\n${CATALOG_START}\ntable\n${CATALOG_END}\n`,
    );
    expect(withCatalogSection('', 'table')).toBe(
      `## Check catalog\n\n${CATALOG_START}\ntable\n${CATALOG_END}\n`,
    );
    expect(catalogSection('# no markers')).toBeUndefined();
  });

  it("is up to date in the README (run 'npm run docs:checks' when this fails)", () => {
    expect(existsSync(README), 'README.md is missing: npm run docs:checks').toBe(true);

    const section = catalogSection(readFileSync(README, 'utf8'));

    expect(
      section,
      'README.md has no <!-- checks:start --> … <!-- checks:end --> section: npm run docs:checks',
    ).toBeDefined();
    expect(section, 'the README catalog is stale: npm run docs:checks').toBe(catalogMarkdown(registry));
  });
});
