/**
 * `fitgate checks`: the catalog, straight from functions/checks/registry.ts. `--readme FILE`
 * regenerates the catalog section of a README between its markers (`npm run docs:checks`).
 * `--coverage TEMPLATE` says which resources of a template the gate would judge, and how.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { catalogOf } from '../../functions/checks/catalog.ts';
import { CHECK_ID_ALIASES, type CheckDefinition, registry } from '../../functions/checks/registry.ts';
import { resolveConfig } from '../../functions/shared/config.ts';
import { oneOf, parseCommand, usageHint } from '../args.ts';
import { SamTransformError } from '../emulation/sam/index.ts';
import { loadTemplateFile } from '../emulation/template.ts';
import { CliError, EXIT_SUCCEEDED, UsageError } from '../errors.ts';
import { toJson } from '../format/json.ts';
import { catalogMarkdown, withCatalogSection } from '../format/markdown.ts';
import { catalogTable, templateCoverageTable } from '../format/table.ts';
import { type CommandIo, processIo, writeResultFile } from '../io.ts';
import { readParametersFile } from '../parameters.ts';
import { loadPolicyFile } from '../policy.ts';
import { processedSamTemplate, type TemplateCoverage, templateCoverage } from '../template-coverage.ts';

export const CHECKS_FORMATS = ['table', 'json', 'markdown'] as const;
export type ChecksFormat = (typeof CHECKS_FORMATS)[number];

export const CHECKS_USAGE =
  'fitgate checks [--format table|json|markdown] [--policy FILE] [--readme FILE] [--coverage TEMPLATE [--parameters FILE]]';

export const CHECKS_HELP = `usage: ${CHECKS_USAGE}

Lists the check catalog (functions/checks/registry.ts).

  --format FORMAT   table (default), json (every field of the registry), markdown
  --policy FILE     also list the user-defined fitness functions a gate configuration declares
                    (checks.metrics and checks.functions), marked by their source
  --readme FILE     rewrite FILE's catalog section between <!-- checks:start --> and <!-- checks:end -->
                    (appended as "## Check catalog" when FILE has no markers)
  --coverage TEMPLATE
                    for a CloudFormation template (YAML or JSON; a CDK-synthesized one too; a SAM one
                    as AWS's SAM translator expands it), which
                    resources the gate would judge and by which checks: directly, through which
                    parent, of a no-risk type, or not judged, and why; nothing is deployed
                    (table or json)
  --parameters FILE its parameter values, as for predict: decide the template's Conditions with them`;

const SPEC = {
  command: 'checks',
  usage: CHECKS_USAGE,
  options: {
    format: { type: 'string' },
    policy: { type: 'string' },
    readme: { type: 'string' },
    coverage: { type: 'string' },
    parameters: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const;

export interface ChecksOptions {
  readonly format: ChecksFormat;
  readonly readme?: string;
  /** A gate configuration whose user-defined functions are listed with the built-ins. */
  readonly policyFile?: string;
  readonly coverage?: string;
  readonly parametersFile?: string;
}

export function parseChecksArgs(argv: readonly string[]): ChecksOptions | 'help' {
  const values = parseCommand(SPEC, argv);
  if (values.help) return 'help';
  if (values.readme && values.coverage) {
    throw new UsageError(`--readme and --coverage do not go together; ${usageHint('checks')}`);
  }
  if (values.parameters !== undefined && values.coverage === undefined) {
    throw new UsageError(`--parameters applies to --coverage TEMPLATE; ${usageHint('checks')}`);
  }
  const format = oneOf('checks', 'format', values.format, CHECKS_FORMATS, 'table');
  if (values.coverage !== undefined && format === 'markdown') {
    throw new UsageError(`--coverage prints a table or json (got markdown); ${usageHint('checks')}`);
  }
  return {
    format,
    ...(values.readme ? { readme: values.readme } : {}),
    ...(values.policy ? { policyFile: values.policy } : {}),
    ...(values.coverage !== undefined ? { coverage: values.coverage } : {}),
    ...(values.parameters !== undefined ? { parametersFile: values.parameters } : {}),
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
  if (options.coverage !== undefined) {
    const parameters = options.parametersFile ? readParametersFile(options.parametersFile) : {};
    const template = loadTemplateFile(options.coverage);
    const sam = await processedSamTemplate(template, dirname(resolve(options.coverage)), parameters).catch(
      (error: unknown) => {
        if (error instanceof SamTransformError)
          throw new CliError(`cannot expand the SAM template ${options.coverage}: ${error.message}`);
        throw error;
      },
    );
    const covered = templateCoverage(sam?.template ?? template, parameters);
    const result = sam ? { ...covered, notes: [sam.note, ...covered.notes] } : covered;
    io.stdout.write(
      options.format === 'json'
        ? toJson({ template: options.coverage, ...templateCoverageJson(result) })
        : templateCoverageTable(options.coverage, result),
    );
    return EXIT_SUCCEEDED;
  }
  const checks = options.policyFile
    ? catalogOf(resolveConfig(loadPolicyFile(options.policyFile)).checks).checks
    : registry;
  io.stdout.write(renderCatalog(options.format, checks));
  return EXIT_SUCCEEDED;
}

/** One entry per resource, then the coverage with every set complete, then the notes. */
function templateCoverageJson({ resources, coverage, notes }: TemplateCoverage) {
  return {
    resources: resources.map(({ resource, verdict }) => ({
      logicalId: resource.logicalId,
      type: resource.type ?? null,
      judged: verdict.kind,
      ...(verdict.kind === 'through' ? { parent: verdict.parent } : {}),
      ...('checks' in verdict ? { checks: verdict.checks } : { reason: verdict.reason }),
    })),
    coverage,
    notes,
  };
}
