/**
 * `fitgate demo` (`npm run demo`): the story of the original talk on the local emulator, with no
 * AWS account. moto and the CodeDeploy stand-in start; five releases of the sample service go out,
 * each through a CodeDeploy-style BeforeAllowTraffic hook that runs the real fitness workflow
 * (statemachine/fitness.asl.json, in-process, real handlers). v1–v3 are accepted because fitness
 * rises; v4 regresses and is rejected, so CodeDeploy rolls back; v5 is rejected by a user-defined
 * metric fitness function: the line coverage its pipeline published dropped. Prints a per-release table and
 * writes an HTML report (fitness over releases, checks per release). Cleans up what it started.
 * `--sam` tells the same story from SAM templates (cli/demo/sam/), expanded by AWS's SAM translator.
 */
import { randomUUID } from 'node:crypto';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { createStackClients } from '../../functions/checks/stack/clients.ts';
import { makeHandler as makeStackChecks } from '../../functions/checks/stack/handler.ts';
import {
  createCloudFormationClient,
  createCloudWatchClient,
  createDynamoDbClient,
} from '../../functions/shared/clients.ts';
import type { GateConfigInput } from '../../functions/shared/config.ts';
import { historyTableDefinition } from '../../functions/shared/history-table.ts';
import type { Report } from '../../statemachine/state.ts';
import { parseCommand } from '../args.ts';
import { type InlineFunction, inlineInvokeClient } from '../demo/local-invoke.ts';
import { FUNCTIONS, type Release, releases } from '../demo/releases.ts';
import { SAM_DEMO_DIR, SAM_HOOKS, samReleases } from '../demo/sam/releases.ts';
import { deleteStackCompletely } from '../demo/stack.ts';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../emulation/codedeploy-standin.ts';
import { type DeployResult, deployStack } from '../emulation/deploy/index.ts';
import { localAwsEnv, type MotoServer, startMoto } from '../emulation/moto.ts';
import { runGateLocally } from '../emulation/runner.ts';
import { SamTransformError, samTranslatorVersion } from '../emulation/sam/index.ts';
import { CliError, EXIT_FAILED, EXIT_SUCCEEDED } from '../errors.ts';
import { evolutionHtml, type ReleaseOutcome } from '../format/html.ts';
import { restoreSummary, stepChecks } from '../format/plan.ts';
import { formatDelta, formatScore, renderTable } from '../format/table.ts';
import { type CommandIo, ensureWritable, processIo, writeResultFile } from '../io.ts';
import { type ProgressReporter, progressReporter } from '../progress.ts';

export const DEMO_STACK = 'fitgate-demo';
export const SAM_DEMO_STACK = 'fitgate-demo-sam';
export const DEMO_HISTORY_TABLE = 'fitgate-demo-history';
export const DEMO_REPORT = 'reports/demo.html';
export const SAM_DEMO_REPORT = 'reports/demo-sam.html';
/** The function whose deployment each release gates (the seed's Linear10PercentEvery1Minute group). */
const GATED_FUNCTION = 'myFirstFunction';

/** Where the demo's pipeline publishes what it measured of each release (CloudWatch metrics). */
export const DEMO_CI_NAMESPACE = 'Fitgate/CI';

/**
 * The demo gate's configuration: the defaults, plus one user-defined metric fitness function that
 * reads what CI published for the release being deployed. The release is the stack's `release` tag
 * (the pipeline deploys with `--tags release=<version>`), the metric's Release dimension names it.
 */
export const DEMO_CONFIG: GateConfigInput = {
  checks: {
    metrics: [
      {
        id: 'demo/line-coverage',
        title: 'Line coverage of the release, as CI measured it, stays at 80% or more',
        severity: 'high',
        pillar: 'reliability',
        metric: {
          namespace: DEMO_CI_NAMESPACE,
          name: 'LineCoverage',
          dimensions: { Service: '${stackName}', Release: '${tag:release}' },
          stat: 'Maximum',
        },
        window: { minutes: 60 },
        comparison: 'LessThanThreshold',
        threshold: 80,
        missingData: 'ERROR',
        remediation:
          'Restore the tests the release deleted; coverage is published by the pipeline per release.',
      },
    ],
  },
};

export const DEMO_USAGE = 'fitgate demo [--sam] [--out FILE] [--progress]';

export const DEMO_HELP = `usage: ${DEMO_USAGE}

Runs the evolution demo on the local emulator (moto + a CodeDeploy stand-in; no AWS account):
five releases of the sample service, each gated by the fitness workflow before traffic shifts.

  --sam         the releases as SAM templates (AutoPublishAlias, DeploymentPreference with fitgate's hooks),
                expanded by AWS's SAM translator (Python package aws-sam-translator)
  --out FILE    the HTML report (default ${DEMO_REPORT}, with --sam ${SAM_DEMO_REPORT})
  --progress    show work-item progress on stderr even when it is not a terminal

exit status: 0 the story went as told (v1–v3 accepted, v4 and v5 rejected), 1 it did not, 2 an error`;

const SPEC = {
  command: 'demo',
  usage: DEMO_USAGE,
  options: {
    out: { type: 'string' },
    sam: { type: 'boolean' },
    progress: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
} as const;

export interface DemoOptions {
  readonly out: string;
  readonly sam?: boolean;
  readonly progress?: boolean;
}

export function parseDemoArgs(argv: readonly string[]): DemoOptions | 'help' {
  const values = parseCommand(SPEC, argv);
  if (values.help) return 'help';
  return {
    out: values.out ?? (values.sam ? SAM_DEMO_REPORT : DEMO_REPORT),
    ...(values.sam ? { sam: true } : {}),
    ...(values.progress ? { progress: true } : {}),
  };
}

/** What the demo says about how it runs, printed once and kept in the HTML report. */
export const DEMO_NOTES: readonly string[] = demoNotes(DEMO_STACK);

function demoNotes(stackName: string): string[] {
  return [
    'releases: plain CloudFormation templates that mirror infra/lib/sample-service-stack.ts (cli/demo/releases.ts)',
    `each release is a complete CreateStack of the stack ${stackName}: moto's CloudFormation cannot replay an update with the configuration it ignores, so the previous release is deleted first; the stack name, the logical ids and the history table stay, so every release is compared with the last accepted one, finding by finding (check@logicalId)`,
    'CodeDeploy: a loopback stand-in receives the verdict (moto has no PutLifecycleEventHookExecutionStatus); Failed means CodeDeploy rolls back',
    "smoke invocation: moto runs no Lambda code, so the target version's inline handler runs in-process (cli/demo/local-invoke.ts)",
    'policy: the gate’s defaults — any critical finding fails, any drop in fitness fails (maxRegression 0), penalty = 0.1 × complexity',
    `fitness function of the user: demo/line-coverage reads the LineCoverage metric the pipeline publishes to ${DEMO_CI_NAMESPACE} for each release (dimension Release = the stack's release tag), and fails under 80% (docs/fitness-functions.md)`,
  ];
}

/** The story's cast: the CloudFormation releases, or the same releases in SAM. */
interface DemoVariant {
  readonly stackName: string;
  readonly releases: readonly Release[];
  /** Where the releases' local artifact paths (CodeUri) start. */
  readonly baseDir?: string;
  readonly preTrafficHook: string;
  readonly notes: readonly string[];
  readonly subtitle: string;
}

function demoVariant(sam: boolean): DemoVariant {
  if (!sam) {
    return {
      stackName: DEMO_STACK,
      releases: releases(),
      preTrafficHook: 'fitgate-pre-traffic-hook',
      notes: DEMO_NOTES,
      subtitle: `the sample service (stack ${DEMO_STACK}) on moto, each release gated before traffic shifts`,
    };
  }
  return {
    stackName: SAM_DEMO_STACK,
    releases: samReleases(),
    baseDir: SAM_DEMO_DIR,
    preTrafficHook: SAM_HOOKS.PreTraffic,
    notes: [
      `releases: SAM templates (cli/demo/sam/releases.ts): the CloudFormation releases' buckets, tables, key and alarms, with both functions and the API as AWS::Serverless resources (Globals, AutoPublishAlias live, DeploymentPreference whose Hooks name ${SAM_HOOKS.PreTraffic} and ${SAM_HOOKS.PostTraffic})`,
      "SAM transform: AWS's SAM translator (aws-sam-translator) expands each release with the emulator's account, region and partition; each function's CodeUri folder is zipped into the emulator's S3 first, as sam package stages it (docs/sam.md)",
      ...demoNotes(SAM_DEMO_STACK).slice(1),
    ],
    subtitle: `the sample service in SAM (stack ${SAM_DEMO_STACK}) on moto, each release gated before traffic shifts`,
  };
}

interface DemoRun {
  readonly release: Release;
  readonly report: Report;
  readonly codeDeployStatus: string;
  readonly outcome: string;
  readonly deployMs: number;
  readonly gateMs: number;
  readonly workItems: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function deploymentIdFor(version: number): string {
  return `d-FITGATEV${version}${randomUUID().replace(/-/g, '').slice(0, 6).toUpperCase()}`;
}

function physicalIdOf(deployed: DeployResult, logicalId: string): string {
  const resource = deployed.resources.find((r) => r.logicalId === logicalId);
  if (!resource?.physicalId) throw new CliError(`release deployed without ${logicalId}`);
  return resource.physicalId;
}

function inlineFunctionsOf(release: Release, deployed: DeployResult): Map<string, InlineFunction> {
  return new Map(
    FUNCTIONS.map((name) => [
      physicalIdOf(deployed, name),
      {
        code: release.code[name] ?? '',
        handler: 'index.handler',
        environment: { RELEASE: String(release.version) },
      },
    ]),
  );
}

function summaryTable(runs: readonly DemoRun[]): string {
  return renderTable(
    [
      { header: 'RELEASE' },
      { header: 'FITNESS', align: 'right' },
      { header: 'BASELINE', align: 'right' },
      { header: 'Δ', align: 'right' },
      { header: 'QUALITY', align: 'right' },
      { header: 'COMPLEXITY', align: 'right' },
      { header: 'PASS', align: 'right' },
      { header: 'FAIL+ERROR', align: 'right' },
      { header: 'DECISION' },
      { header: 'CODEDEPLOY' },
      { header: 'CHANGE', maxWidth: 70 },
    ],
    runs.map(({ release, report, outcome }) => [
      release.label,
      formatScore(report.fitness),
      formatScore(report.baseline),
      formatDelta(report.fitness, report.baseline),
      formatScore(report.quality),
      formatScore(report.complexity),
      String(report.summary.PASS ?? 0),
      String((report.summary.FAIL ?? 0) + (report.summary.ERROR ?? 0)),
      report.decision,
      outcome,
      release.change,
    ]),
  );
}

function describeVerdict(report: Report): string[] {
  const lines = [
    `fitness ${formatScore(report.fitness)} = quality ${formatScore(report.quality)} − penalty ${formatScore(report.penalty)} (complexity ${formatScore(report.complexity)})` +
      (report.baseline === null
        ? ' · no accepted baseline yet'
        : ` · ${formatDelta(report.fitness, report.baseline)} against the accepted baseline ${formatScore(report.baseline)}`),
  ];
  if (report.diff.since !== null) {
    const list = (items: readonly string[]) =>
      items.length === 0
        ? 'none'
        : `${items.slice(0, 4).join(', ')}${items.length > 4 ? ` and ${items.length - 4} more` : ''}`;
    lines.push(`fixed ${report.diff.fixed.length}: ${list(report.diff.fixed)}`);
    lines.push(`new ${report.diff.new.length}: ${list(report.diff.new)}`);
  }
  if (report.decision === 'Failed') {
    lines.push(...report.reasons.slice(0, 3).map((reason) => `✗ ${reason}`));
    // What would have kept the release: the findings to fix, then the steps that fix them.
    const restore = restoreSummary(report);
    if (restore) lines.push(`plan: ${restore}`);
    for (const step of report.plan.steps.slice(0, 3)) {
      lines.push(
        `  ${formatDelta(step.gain, 0)}${step.required ? ' (required)' : ''} ${step.logicalId}: ${stepChecks(step)} — ${step.remediation}`,
      );
    }
  }
  return lines;
}

async function runReleases(
  progress: ProgressReporter,
  standIn: CodeDeployStandIn,
  say: (line?: string) => void,
  variant: DemoVariant,
): Promise<DemoRun[]> {
  const { stackName, baseDir } = variant;
  const cloudFormation = createCloudFormationClient();
  const cloudWatch = createCloudWatchClient();
  const dynamoDb = createDynamoDbClient();
  await dynamoDb.send(new CreateTableCommand(historyTableDefinition(DEMO_HISTORY_TABLE)));

  let inlineFunctions = new Map<string, InlineFunction>();
  const stackChecks = makeStackChecks({
    ...createStackClients(),
    lambda: inlineInvokeClient(() => inlineFunctions),
  });
  const runs: DemoRun[] = [];
  let accepted: { release: Release; deployed: DeployResult } | undefined;

  for (const release of variant.releases) {
    say(`${release.label}  ${release.change}`);
    // The pipeline publishes what it measured of the release, then deploys it tagged with its name.
    await cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: DEMO_CI_NAMESPACE,
        MetricData: [
          {
            MetricName: 'LineCoverage',
            Dimensions: [
              { Name: 'Service', Value: stackName },
              { Name: 'Release', Value: release.label },
            ],
            Value: release.ci.lineCoverage,
            Unit: 'Percent',
            // Measured by the pipeline's test stage, a minute before the deployment starts.
            Timestamp: new Date(Date.now() - 60_000),
          },
        ],
      }),
    );
    const deployStarted = performance.now();
    await deleteStackCompletely({ cloudFormation, dynamoDb }, stackName);
    const deployed = await deployStack({
      stackName,
      template: release.template,
      tags: { release: release.label },
      ...(baseDir ? { baseDir } : {}),
    });
    const deployMs = performance.now() - deployStarted;
    inlineFunctions = inlineFunctionsOf(release, deployed);
    say(
      `    deployed ${stackName}: ${deployed.resources.length} resources, ${deployed.applied.length} settings applied through the APIs (${seconds(deployMs)})`,
    );

    const deploymentId = deploymentIdFor(release.version);
    const hookExecutionId = randomUUID();
    standIn.addDeployment({
      deploymentId,
      applicationName: `${stackName}-app`,
      deploymentGroupName: `${GATED_FUNCTION}-deployment`,
      appSpec: {
        functionName: physicalIdOf(deployed, GATED_FUNCTION),
        alias: 'live',
        currentVersion: String(accepted?.release.version ?? release.version),
        targetVersion: String(release.version),
        hooks: { BeforeAllowTraffic: variant.preTrafficHook },
      },
      hookExecutionIds: [hookExecutionId],
    });
    const gateStarted = performance.now();
    const run = await runGateLocally(
      { stackName, trigger: 'BeforeAllowTraffic', deploymentId, hookExecutionId },
      {
        config: DEMO_CONFIG,
        historyTableName: DEMO_HISTORY_TABLE,
        familyHandlers: { stack: stackChecks },
        onEvent: (event) => {
          if (event.type === 'MapIterationSucceeded' || event.type === 'MapIterationFailed') {
            progress.event({ kind: 'item-done' });
          } else if (
            (event.type === 'StateEntered' || event.type === 'StateExited') &&
            event.index === undefined
          ) {
            progress.event(
              event.type === 'StateEntered'
                ? { kind: 'entered', state: event.state.name }
                : { kind: 'exited', state: event.state.name, output: event.state.output },
            );
          }
        },
      },
    );
    progress.end();
    const gateMs = performance.now() - gateStarted;
    if (run.status !== 'SUCCEEDED' || !run.report) {
      throw new CliError(
        `the fitness workflow failed on ${release.label}: ${run.error?.Error ?? 'Error'}: ${run.error?.Cause ?? ''}`,
      );
    }
    const report = run.report;
    const verdict =
      standIn.statuses().find((status) => status.deploymentId === deploymentId)?.status ?? 'none';
    say(
      `    CodeDeploy ${deploymentId} BeforeAllowTraffic → fitness workflow: ${run.stats.workItems} work items, ${report.results.length} results (${seconds(gateMs)})`,
    );
    for (const line of describeVerdict(report)) say(`    ${line}`);

    let outcome: string;
    if (verdict === 'Succeeded') {
      outcome = 'traffic shifted';
      say(`    ${report.decision} → CodeDeploy shifts traffic to ${release.label}`);
      accepted = { release, deployed };
    } else if (verdict === 'Failed' && accepted) {
      outcome = `rolled back to ${accepted.release.label}`;
      const rollbackStarted = performance.now();
      await deleteStackCompletely({ cloudFormation, dynamoDb }, stackName);
      const restored = await deployStack({
        stackName,
        template: accepted.release.template,
        tags: { release: accepted.release.label },
        ...(baseDir ? { baseDir } : {}),
      });
      inlineFunctions = inlineFunctionsOf(accepted.release, restored);
      accepted = { release: accepted.release, deployed: restored };
      say(
        `    ${report.decision} → CodeDeploy rolls back: traffic stays on ${accepted.release.label}, ${stackName} is ${accepted.release.label} again (${seconds(performance.now() - rollbackStarted)})`,
      );
    } else {
      outcome = verdict === 'Failed' ? 'rejected' : `no verdict (${verdict})`;
      say(`    ${report.decision} → CodeDeploy: ${outcome}`);
    }
    say();
    runs.push({
      release,
      report,
      codeDeployStatus: verdict,
      outcome,
      deployMs,
      gateMs,
      workItems: run.stats.workItems,
    });
  }
  return runs;
}

export async function runDemo(options: DemoOptions, io: CommandIo = processIo): Promise<number> {
  if (options.out) await ensureWritable(options.out);
  const started = performance.now();
  const say = (line = '') => io.stdout.write(`${line}\n`);
  const progress = progressReporter(io.stderr, options.progress ?? Boolean(io.stderr.isTTY));
  let moto: MotoServer | undefined;
  let standIn: CodeDeployStandIn | undefined;
  let cleaned: Promise<void> | undefined;
  const cleanup = () => {
    cleaned ??= (async () => {
      progress.end();
      await standIn?.stop().catch(() => undefined);
      await moto?.stop().catch(() => undefined);
    })();
    return cleaned;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    io.stderr.write(`\n${signal}: stopping moto and the CodeDeploy stand-in\n`);
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (options.sam) {
      // Fail in one line before anything starts when the SAM translator is missing.
      await samTranslatorVersion().catch((error: unknown) => {
        throw error instanceof SamTransformError ? new CliError(error.message, { cause: error }) : error;
      });
    }
    const variant = demoVariant(options.sam ?? false);
    say(
      `fitgate demo${options.sam ? ' (SAM)' : ''} — the sample service evolves, and a fitness gate decides each release`,
    );
    say();
    progress.say('starting moto and the CodeDeploy stand-in…');
    moto = await startMoto();
    standIn = await startCodeDeployStandIn();
    // Every SDK client from here on, the handlers' included, talks to the emulator.
    Object.assign(process.env, localAwsEnv(moto.endpoint, standIn.endpoint));
    say(
      `moto on ${moto.endpoint} · CodeDeploy stand-in on ${standIn.endpoint} · history table ${DEMO_HISTORY_TABLE}`,
    );
    for (const note of variant.notes) say(`· ${note}`);
    say();

    const runs = await runReleases(progress, standIn, say, variant);
    say(summaryTable(runs));
    say();

    const html = evolutionHtml({
      title: `fitgate demo${options.sam ? ' (SAM)' : ''}: fitness over releases`,
      subtitle: variant.subtitle,
      generatedAt: new Date().toISOString(),
      releases: runs.map(
        (run): ReleaseOutcome => ({
          label: run.release.label,
          change: run.release.change,
          report: run.report,
          outcome: run.outcome,
        }),
      ),
      notes: variant.notes,
    });
    await writeResultFile(options.out, html);
    say(`HTML report: ${options.out}`);

    const unexpected = runs.filter((run) => run.report.decision !== run.release.expected);
    say(`demo finished in ${seconds(performance.now() - started)}`);
    if (unexpected.length > 0) {
      for (const run of unexpected) {
        io.stderr.write(
          `the story did not go as told: ${run.release.label} was ${run.report.decision}, expected ${run.release.expected} (${run.report.reasons[0] ?? 'no reason'})\n`,
        );
      }
      return EXIT_FAILED;
    }
    return EXIT_SUCCEEDED;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}
