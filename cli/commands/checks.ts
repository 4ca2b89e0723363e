/**
 * `fitgate checks`: the catalog, straight from functions/checks/registry.ts. `--readme FILE`
 * regenerates the catalog section of a README between its markers (`npm run docs:checks`).
 */
import { readFile } from 'node:fs/promises';
import { catalogOf } from '../../functions/checks/catalog.ts';
import { CHECK_ID_ALIASES, type CheckDefinition, registry } from '../../functions/checks/registry.ts';
import { resolveConfig } from '../../functions/shared/config.ts';
import { oneOf, parseCommand } from '../args.ts';
import { CliError, EXIT_SUCCEEDED } from '../errors.ts';
import { toJson } from '../format/json.ts';
import { catalogMarkdown, withCatalogSection } from '../format/markdown.ts';
import { catalogTable } from '../format/table.ts';
import { type CommandIo, processIo, writeResultFile } from '../io.ts';
import { loadPolicyFile } from '../policy.ts';

export const CHECKS_FORMATS = ['table', 'json', 'markdown'] as const;
export type ChecksFormat = (typeof CHECKS_FORMATS)[number];

export const CHECKS_USAGE = 'fitgate checks [--format table|json|markdown] [--policy FILE] [--readme FILE]';

export const CHECKS_HELP = `usage: ${CHECKS_USAGE}

Lists the check catalog (functions/checks/registry.ts).

  --format FORMAT   table (default), json (every field of the registry), markdown
  --policy FILE     also list the user-defined fitness functions a gate configuration declares
                    (checks.metrics and checks.functions), marked by their source
  --readme FILE     rewrite FILE's catalog section between <!-- checks:start --> and <!-- checks:end -->
                    (appended as "## Check catalog" when FILE has no markers)`;

const SPEC = {
  command: 'checks',
  usage: CHECKS_USAGE,
  options: {
    format: { type: 'string' },
    policy: { type: 'string' },
    readme: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const;

export interface ChecksOptions {
  readonly format: ChecksFormat;
  readonly readme?: string;
  /** A gate configuration whose user-defined functions are listed with the built-ins. */
  readonly policyFile?: string;
}

export function parseChecksArgs(argv: readonly string[]): ChecksOptions | 'help' {
  const values = parseCommand(SPEC, argv);
  if (values.help) return 'help';
  return {
    format: oneOf('checks', 'format', values.format, CHECKS_FORMATS, 'table'),
    ...(values.readme ? { readme: values.readme } : {}),
    ...(values.policy ? { policyFile: values.policy } : {}),
  };
}

export function renderCatalog(format: ChecksFormat, checks: readonly CheckDefinition[] = registry): string {
  switch (format) {
    case 'json':
      return toJson(checks);
    case 'markdown':
      return `${catalogMarkdown(checks)}\n`;
    default:
      // The departures sit between the table and its closing count line.
      return catalogTable(checks).replace(/\n(\d+ checks\n)$/, `\n${departuresText()}$1`);
  }
}

/** Under the table: each deliberate departure from a Config rule, with its reason, and the renamed ids. */
export function departuresText(): string {
  const lines = registry.flatMap((check) =>
    (check.departures ?? []).map(
      (d) =>
        `  ${check.id}${d.param ? ` ${d.param}` : ''}: AWS Config ${d.config}; fitgate ${d.fitgate} (${d.reason})`,
    ),
  );
  const renamed = Object.entries(CHECK_ID_ALIASES).map(([old, current]) => `  ${old} → ${current}`);
  return [
    '',
    'Departures from the AWS Config rules:',
    ...lines,
    '',
    'Renamed ids (the old ones still work in configuration and waivers, with a deprecation note):',
    ...renamed,
    '',
    '',
  ].join('\n');
}

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return '';
    throw new CliError(`cannot read ${path} (${(error as { code?: string }).code ?? String(error)})`);
  }
}

export async function runChecks(options: ChecksOptions, io: CommandIo = processIo): Promise<number> {
  if (options.readme) {
    const before = await readOrEmpty(options.readme);
    const after = withCatalogSection(before, catalogMarkdown(registry));
    if (after !== before) await writeResultFile(options.readme, after);
    io.stderr.write(
      `${options.readme}: check catalog ${after === before ? 'already up to date' : 'updated'} (${registry.length} checks)\n`,
    );
    return EXIT_SUCCEEDED;
  }
  const checks = options.policyFile
    ? catalogOf(resolveConfig(loadPolicyFile(options.policyFile)).checks).checks
    : registry;
  io.stdout.write(renderCatalog(options.format, checks));
  return EXIT_SUCCEEDED;
}
