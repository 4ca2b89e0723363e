/**
 * The check catalog as Markdown, and the README section it is generated into. The README holds
 * the table between two markers; `npm run docs:checks` rewrites only what lies between them.
 */
import { type CheckDefinition, configRuleUrl } from '../../functions/checks/registry.ts';

export const CATALOG_START = '<!-- checks:start -->';
export const CATALOG_END = '<!-- checks:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function catalogMarkdown(checks: readonly CheckDefinition[]): string {
  const rows = checks.map((check) =>
    [
      `\`${check.id}\``,
      check.origin === 'aws-config' ? `[AWS Config](${configRuleUrl(check)})` : 'fitgate',
      cell(check.title),
      check.severity,
      check.pillar,
      check.resourceTypes.map((type) => `\`${type}\``).join(', '),
      check.scope,
      check.emulator,
      cell(check.anchors ?? ''),
    ].join(' | '),
  );
  const configRules = checks.filter((check) => check.origin === 'aws-config').length;
  const departures = checks.flatMap((check) =>
    (check.departures ?? []).map(
      (d) =>
        `| \`${check.id}\` | ${cell(d.param ?? 'scope')} | ${cell(d.config)} | ${cell(d.fitgate)} | ${cell(d.reason)} |`,
    ),
  );
  return [
    `${checks.length} checks: ${configRules} implement the AWS Config managed rule whose identifier they carry, ${checks.length - configRules} are fitgate's own. Generated from \`functions/checks/registry.ts\` by \`npm run docs:checks\`; do not edit by hand. Anchors: SH = Security Hub control, AwsSolutions-/Serverless = cdk-nag rule, Prowler = Prowler check.`,
    '',
    '| Check | Source | What it verifies | Severity | Pillar | Resource types | Scope | moto | Anchors |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
    '',
    '**Deliberate departures from the AWS Config rules** (default or scope):',
    '',
    '| Check | Parameter | AWS Config | fitgate | Why |',
    '|---|---|---|---|---|',
    ...departures,
  ].join('\n');
}

/** The text between the markers, or undefined when the document has none. */
export function catalogSection(document: string): string | undefined {
  const start = document.indexOf(CATALOG_START);
  const end = document.indexOf(CATALOG_END);
  if (start < 0 || end < start) return undefined;
  return document.slice(start + CATALOG_START.length, end).trim();
}

/**
 * The document with `body` between the markers; without markers, a "## Check catalog" section is
 * appended at the end, so the rest of the document is never touched.
 */
export function withCatalogSection(document: string, body: string): string {
  const block = `${CATALOG_START}\n${body}\n${CATALOG_END}`;
  const start = document.indexOf(CATALOG_START);
  const end = document.indexOf(CATALOG_END);
  if (start >= 0 && end > start) {
    return document.slice(0, start) + block + document.slice(end + CATALOG_END.length);
  }
  const separator =
    document === '' ? '' : document.endsWith('\n\n') ? '' : document.endsWith('\n') ? '\n' : '\n\n';
  return `${document}${separator}## Check catalog\n\n${block}\n`;
}
