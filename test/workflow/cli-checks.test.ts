/** `fitgate checks` and the bare command line, as processes. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG_END, CATALOG_START, catalogMarkdown } from '../../cli/format/markdown.ts';
import { registry } from '../../functions/checks/registry.ts';
import { errorLine, runCli } from '../cli/run-cli.ts';

describe('fitgate checks', () => {
  it('prints the catalog as a table by default', async () => {
    const run = await runCli(['checks']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(
      /^CHECK +SOURCE +SEVERITY +PILLAR +FAMILY +RESOURCE TYPES +MOTO$/,
    );
    expect(run.stdout.trimEnd().split('\n').pop()).toBe(`${registry.length} checks`);
    expect(run.stderr).toBe('');
  });

  it('prints the registry as JSON', async () => {
    const run = await runCli(['checks', '--format', 'json']);

    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { id: string }[]).map((check) => check.id)).toEqual(
      registry.map((check) => check.id),
    );
  });

  it('prints the Markdown the README holds', async () => {
    const run = await runCli(['checks', '--format', 'markdown']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${catalogMarkdown(registry)}\n`);
  });

  it('regenerates a README section between the markers and leaves the rest alone', async () => {
    const readme = join(mkdtempSync(join(tmpdir(), 'fitgate-readme-')), 'README.md');
    writeFileSync(readme, `# Project\n\n${CATALOG_START}\nstale\n${CATALOG_END}\n\nmore text\n`);

    const first = await runCli(['checks', '--readme', readme]);
    const second = await runCli(['checks', '--readme', readme]);

    expect(first.code).toBe(0);
    expect(first.stderr).toBe(`${readme}: check catalog updated (${registry.length} checks)\n`);
    expect(second.stderr).toBe(`${readme}: check catalog already up to date (${registry.length} checks)\n`);
    expect(readFileSync(readme, 'utf8')).toBe(
      `# Project\n\n${CATALOG_START}\n${catalogMarkdown(registry)}\n${CATALOG_END}\n\nmore text\n`,
    );
  });

  it('refuses an unknown format', async () => {
    expect(errorLine(await runCli(['checks', '--format', 'csv']))).toBe(
      "fitgate: --format must be one of table, json, markdown (got csv); see 'fitgate checks --help'",
    );
  });
});

describe('fitgate without a valid command', () => {
  it('shows the commands with --help and a command’s options with <command> --help', async () => {
    const help = await runCli(['--help']);
    const auditHelp = await runCli(['audit', '--help']);

    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: fitgate <command> \[options\]/);
    expect(auditHelp.code).toBe(0);
    expect(auditHelp.stdout).toContain('exit status: 0 Succeeded, 1 Failed, 2 usage or infrastructure error');
  });

  it('exits 2 with one line for no command or an unknown one', async () => {
    expect(errorLine(await runCli([]))).toBe(
      'fitgate: no command given; usage: fitgate audit|predict|checks|history|demo [options] (fitgate --help)',
    );
    expect(errorLine(await runCli(['deploy']))).toBe(
      'fitgate: unknown command deploy; usage: fitgate audit|predict|checks|history|demo [options] (fitgate --help)',
    );
  });
});
