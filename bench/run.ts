/**
 * `npm run bench`: the local workflow on synthetic stacks of 50, 100, 200 and 500 resources in moto,
 * against the one-process baseline the original sample used (every check under one Promise.all),
 * then the worst cases (scale.ts): 300 public buckets with 60-character logical ids, 150 failing work
 * items and a nested-stack tree of 2,000 work items. Prints one row per size and one per worst case;
 * `--json` prints only a JSON object `{ sizes, worstCases }` on stdout; `--skip-worst` skips them.
 *
 * Usage: npm run -s bench -- [--json] [--sizes 50,100,200,500] [--skip-worst]
 */
import { parseArgs } from 'node:util';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../cli/emulation/codedeploy-standin.ts';
import { localAwsEnv, startMoto } from '../cli/emulation/moto.ts';
import { ApiCallCounter } from './api-calls.ts';
import { modelCost } from './cost.ts';
import type { ScaleRow } from './scale.ts';
import { syntheticTemplate } from './synthetic-stack.ts';

/** Right-aligned columns, first column left-aligned. */
function formatTable(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells: readonly unknown[]) =>
    cells
      .map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0)))
      .join('  ');
  return `${line(header)}\n${rows.map(line).join('\n')}\n`;
}

export interface BenchRow {
  readonly resources: number;
  readonly workItems: number;
  readonly wallMs: number;
  readonly baselineWallMs: number;
  readonly checkRuns: number;
  readonly checksPerSecond: number;
  readonly maxPayloadBytes: number;
  readonly maxPayloadState: string;
  readonly historyEvents: number;
  readonly transitions: number;
  readonly lambdaInvocations: number;
  readonly apiCalls: Record<string, number>;
  readonly costUsd: number;
  readonly decision: string;
}

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    sizes: { type: 'string', default: '50,100,200,500' },
    'skip-worst': { type: 'boolean', default: false },
  },
});
const sizes = String(values.sizes)
  .split(',')
  .map((size) => Number.parseInt(size, 10));
if (sizes.some((size) => !Number.isInteger(size) || size < 7 || size > 500)) {
  process.stderr.write('bench: --sizes takes comma-separated resource counts between 7 and 500\n');
  process.exit(2);
}
const log = (line: string) => process.stderr.write(`${line}\n`);

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const moto = await startMoto();
let standIn: CodeDeployStandIn | undefined;
try {
  standIn = await startCodeDeployStandIn();
  Object.assign(process.env, localAwsEnv(moto.endpoint, standIn.endpoint));
  // Imported after the environment points the SDK at the emulator.
  const { measureSize } = await import('./measure.ts');
  const scale = await import('./scale.ts');
  // Untimed warm-up of both paths, so neither pays module loading and connection set-up in its time.
  log('bench: warming up…');
  await measureSize(14, syntheticTemplate(14), standIn, new ApiCallCounter(), modelCost);
  const rows: BenchRow[] = [];
  for (const size of sizes) {
    await moto.reset();
    standIn.reset();
    log(`bench: ${size} resources…`);
    rows.push(await measureSize(size, syntheticTemplate(size), standIn, new ApiCallCounter(), modelCost));
  }
  const worstCases: ScaleRow[] = [];
  if (!values['skip-worst']) {
    for (const scenario of [scale.publicBuckets, scale.failingItems, scale.nestedTree]) {
      await moto.reset();
      standIn.reset();
      log(`bench: worst case ${scenario.name}…`);
      worstCases.push(await scenario({ standIn, counter: new ApiCallCounter(), modelCost }));
    }
  }
  if (values.json) {
    // The JSON rows keep only the fields worth comparing across commits.
    const fields = [
      'resources',
      'workItems',
      'wallMs',
      'baselineWallMs',
      'maxPayloadBytes',
      'historyEvents',
      'transitions',
      'lambdaInvocations',
      'costUsd',
    ] as const;
    const json = rows.map((row) => Object.fromEntries(fields.map((field) => [field, row[field]])));
    process.stdout.write(`${JSON.stringify({ sizes: json, worstCases })}\n`);
  } else {
    const header = [
      'resources',
      'work items',
      'check runs',
      'wall ms',
      'baseline ms',
      'ratio',
      'checks/s',
      'max payload',
      'history events',
      'transitions',
      'per item',
      'lambda calls',
      'cost USD',
    ];
    const table = rows.map((r) => [
      r.resources,
      r.workItems,
      r.checkRuns,
      r.wallMs,
      r.baselineWallMs,
      (r.wallMs / r.baselineWallMs).toFixed(2),
      r.checksPerSecond,
      `${(r.maxPayloadBytes / 1024).toFixed(1)} KiB`,
      r.historyEvents,
      r.transitions,
      (r.transitions / r.workItems).toFixed(2),
      r.lambdaInvocations,
      r.costUsd.toFixed(5),
    ]);
    process.stdout.write(formatTable(header, table));
    for (const r of rows)
      log(
        `  ${r.resources}: largest payload in ${r.maxPayloadState}; API calls ${JSON.stringify(r.apiCalls)}; decision ${r.decision}`,
      );
    if (worstCases.length > 0) {
      const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
      process.stdout.write(
        `\n${formatTable(
          [
            'worst case',
            'work items',
            'map',
            'status',
            'decision',
            'max state',
            'history events',
            'max child history',
            'transitions',
            'cost USD',
            'wall ms',
          ],
          worstCases.map((r) => [
            r.scenario,
            r.workItems,
            r.map,
            r.status,
            r.decision,
            kib(r.maxPayloadBytes),
            r.historyEvents,
            r.maxChildHistoryEvents || '-',
            r.transitions,
            r.costUsd.toFixed(5),
            r.wallMs,
          ]),
        )}`,
      );
      for (const r of worstCases) {
        log(`  ${r.scenario}: largest state in ${r.maxPayloadState}`);
        if (r.inlineEstimate) {
          log(
            `    inline, the same items would need a Map output of ${kib(r.inlineEstimate.mapOutputBytes)} (limit 256 KiB) and about ${r.inlineEstimate.historyEvents} history events (limit 25,000)`,
          );
        }
      }
    }
  }
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
} finally {
  await standIn?.stop();
  await moto.stop();
}
