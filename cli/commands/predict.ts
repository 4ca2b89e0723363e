/**
 * `fitgate predict`: a release's fitness before it is deployed. The template (or every stack of a
 * CDK assembly) is deployed into an embedded moto that this command starts and stops, the real
 * fitness workflow runs on it with trigger `predict`, and the report says whether the release would
 * pass the gate, compared with the last accepted run (the gate's history, read-only, or a report
 * file), and what the emulator could not know. Nothing is written to an AWS account: once the
 * baseline is read, every AWS setting of the environment is removed and the SDK points at the
 * embedded emulator only.
 *
 * Exit 0 when every stack would pass, 1 when one would fail, 2 for a usage or infrastructure error.
 */
import { existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Report } from '../../statemachine/state.ts';
import { oneOf, parseCommand, usageHint } from '../args.ts';
import { readAssembly, selectStacks } from '../emulation/deploy/assets.ts';
import { localAwsEnv, type MotoServer, startMoto } from '../emulation/moto.ts';
import { CliError, EXIT_FAILED, EXIT_SUCCEEDED, UsageError } from '../errors.ts';
import { JUNIT_FINDINGS, type JunitFindings } from '../format/junit.ts';
import { REPORT_FORMATS, type ReportFormat, renderReports } from '../format/render.ts';
import { type CommandIo, ensureWritable, processIo, writeResultFile } from '../io.ts';
import { readParametersFile } from '../parameters.ts';
import { loadPolicyFile } from '../policy.ts';
import {
  baselineForStack,
  baselineFromHistory,
  type ResolvedBaseline,
  readBaselineFile,
} from '../predict/baseline.ts';
import { type PredictTarget, predictStack } from '../predict/run.ts';
import { progressReporter } from '../progress.ts';
import { localProgressEvent } from './audit.ts';

export const PREDICT_USAGE =
  'fitgate predict (--template FILE [--parameters FILE] | --cdk-out DIR) [--stack NAME] [--format FORMAT] ' +
  '[--out FILE] [--policy FILE] [--baseline FILE | --history-table NAME | --gate-stack NAME] [--region REGION] ' +
  '[--junit-findings failure|skipped|property] [--progress]';

export const PREDICT_HELP = `usage: ${PREDICT_USAGE}

Predicts a release's fitness before it is deployed: the template is deployed into an embedded moto
(started and stopped by this command; nothing is written to an AWS account), the fitness workflow runs
on it with trigger predict, and the report is compared with the last accepted run of the stack.

  --template FILE           a CloudFormation template (JSON or YAML)
  --parameters FILE         its parameter values: {"Name": "value"}, [{"ParameterKey", "ParameterValue"}] or {"Parameters": {…}}
  --cdk-out DIR             a CDK cloud assembly (cdk synth's cdk.out): every stack, or the one --stack names
  --stack NAME              with --cdk-out: the stack to predict (artifact id, stack name or display name);
                            with --template: the stack name it deploys as (default: the file name)
  --format FORMAT           ${REPORT_FORMATS.join(', ')} (default table); sarif for code scanning,
                            markdown for a pull-request summary
  --out FILE                write the report to FILE instead of stdout
  --policy FILE             gate configuration (JSON or YAML): policy, checks, suppressions
  --baseline FILE           compare with this report (fitgate audit --format json, or a predict json)
  --history-table NAME      compare with the last accepted run in this history table (read-only)
  --gate-stack NAME         the deployed stack that holds the FitnessGate and its history (default: the stack)
                            without --baseline, the history is read when AWS credentials are configured
  --region REGION           region of the gate history, and of the emulator (default: the SDK's, or the assembly's)
  --junit-findings MODE     junit: findings as failure, skipped (default) or property test cases
  --progress                show progress on stderr even when it is not a terminal

exit status: 0 every stack would pass the gate, 1 one would fail, 2 usage or infrastructure error`;

const SPEC = {
  command: 'predict',
  usage: PREDICT_USAGE,
  options: {
    template: { type: 'string' },
    parameters: { type: 'string' },
    'cdk-out': { type: 'string' },
    stack: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    policy: { type: 'string' },
    baseline: { type: 'string' },
    'history-table': { type: 'string' },
    'gate-stack': { type: 'string' },
    region: { type: 'string' },
    'junit-findings': { type: 'string' },
    progress: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
} as const;

export interface PredictOptions {
  readonly template?: string;
  readonly parametersFile?: string;
  readonly cdkOut?: string;
  readonly stack?: string;
  readonly format: ReportFormat;
  readonly out?: string;
  readonly policyFile?: string;
  readonly baselineFile?: string;
  readonly historyTable?: string;
  readonly gateStack?: string;
  readonly region?: string;
  readonly junitFindings: JunitFindings;
  readonly progress?: boolean;
}

export function parsePredictArgs(argv: readonly string[]): PredictOptions | 'help' {
  const values = parseCommand(SPEC, argv);
  if (values.help) return 'help';
  if (Boolean(values.template) === Boolean(values['cdk-out'])) {
    throw new UsageError(`give exactly one of --template FILE and --cdk-out DIR; ${usageHint('predict')}`);
  }
  if (values.parameters && !values.template) {
    throw new UsageError('--parameters applies to --template; a CDK assembly carries its own parameters');
  }
  if (values.baseline && (values['history-table'] || values['gate-stack'])) {
    throw new UsageError(
      '--baseline FILE replaces the gate history: give it without --history-table or --gate-stack',
    );
  }
  return {
    ...(values.template ? { template: values.template } : {}),
    ...(values.parameters ? { parametersFile: values.parameters } : {}),
    ...(values['cdk-out'] ? { cdkOut: values['cdk-out'] } : {}),
    ...(values.stack ? { stack: values.stack } : {}),
    format: oneOf('predict', 'format', values.format, REPORT_FORMATS, 'table'),
    ...(values.out ? { out: values.out } : {}),
    ...(values.policy ? { policyFile: values.policy } : {}),
    ...(values.baseline ? { baselineFile: values.baseline } : {}),
    ...(values['history-table'] ? { historyTable: values['history-table'] } : {}),
    ...(values['gate-stack'] ? { gateStack: values['gate-stack'] } : {}),
    ...(values.region ? { region: values.region } : {}),
    junitFindings: oneOf('predict', 'junit-findings', values['junit-findings'], JUNIT_FINDINGS, 'skipped'),
    ...(values.progress ? { progress: true } : {}),
  };
}

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

function targetsOf(options: PredictOptions): { targets: PredictTarget[]; region?: string } {
  if (options.template) {
    if (!existsSync(options.template)) throw new CliError(`--template ${options.template} does not exist`);
    const stackName =
      options.stack ?? basename(options.template, extname(options.template)).replace(/[^A-Za-z0-9-]/g, '-');
    if (!STACK_NAME.test(stackName)) {
      throw new UsageError(`${stackName} is not a valid stack name; pass --stack NAME`);
    }
    const parameters = options.parametersFile ? readParametersFile(options.parametersFile) : {};
    return { targets: [{ stackName, templateFile: options.template, parameters }] };
  }
  const directory = options.cdkOut ?? 'cdk.out';
  const stacks = selectStacks(readAssembly(directory), options.stack, directory);
  return {
    targets: stacks.map((stack) => ({
      stackName: stack.stackName,
      templateFile: stack.templateFile,
      parameters: stack.parameters,
      assembly: stack,
    })),
    ...(stacks[0]?.region ? { region: stacks[0].region } : {}),
  };
}

/**
 * Every AWS setting of the environment removed (credentials, profiles, config files, per-service
 * endpoints), then the SDK pointed at the emulator only: a prediction can write to no account.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html (AWS_ENDPOINT_URL_<SERVICE> wins over AWS_ENDPOINT_URL)
 */
export function isolateFromAws(endpoint: string, region: string, env: NodeJS.ProcessEnv = process.env): void {
  for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
  Object.assign(env, localAwsEnv(endpoint), {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: '/nonexistent/fitgate-predict/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/fitgate-predict/credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
}

async function resolveBaseline(
  options: PredictOptions,
  stackName: string,
  reports?: Report[],
): Promise<ResolvedBaseline> {
  if (options.baselineFile && reports) return baselineForStack(reports, stackName, options.baselineFile);
  return baselineFromHistory(
    {
      stackName,
      ...(options.historyTable ? { table: options.historyTable } : {}),
      ...(options.gateStack ? { gateStack: options.gateStack } : {}),
      ...(options.region ? { region: options.region } : {}),
    },
    Boolean(options.historyTable || options.gateStack),
  );
}

export async function runPredict(options: PredictOptions, io: CommandIo = processIo): Promise<number> {
  const { targets, region: assemblyRegion } = targetsOf(options);
  if (options.format === 'html' && targets.length > 1) {
    throw new UsageError(
      `the html format holds one stack; pass --stack (one of ${targets.map((t) => t.stackName).join(', ')})`,
    );
  }
  if (options.out) await ensureWritable(options.out);
  const config = options.policyFile ? loadPolicyFile(options.policyFile) : undefined;
  const baselineReports = options.baselineFile ? readBaselineFile(options.baselineFile) : undefined;
  // The baseline is read with the user's AWS configuration, before the environment is replaced.
  const baselines = new Map<string, ResolvedBaseline>();
  for (const target of targets)
    baselines.set(target.stackName, await resolveBaseline(options, target.stackName, baselineReports));
  const region =
    assemblyRegion ??
    options.region ??
    process.env.AWS_REGION ??
    process.env.AWS_DEFAULT_REGION ??
    'us-east-1';

  const progress = progressReporter(io.stderr, options.progress ?? Boolean(io.stderr.isTTY));
  let moto: MotoServer | undefined;
  const reports: Report[] = [];
  try {
    progress.say('starting the embedded emulator…');
    moto = await startMoto({ env: { AWS_DEFAULT_REGION: region } });
    isolateFromAws(moto.endpoint, region);
    for (const target of targets) {
      progress.say(`deploying ${target.stackName} into the emulator…`);
      reports.push(
        await predictStack(target, {
          ...(config ? { config } : {}),
          baseline: baselines.get(target.stackName) ?? { source: { source: 'none', detail: 'no baseline' } },
          region,
          onEvent: (event) => {
            const progressEvent = localProgressEvent(event);
            if (progressEvent) progress.event(progressEvent);
          },
        }),
      );
      progress.end();
    }
  } finally {
    progress.end();
    await moto?.stop().catch(() => undefined);
  }

  const text = renderReports(reports, options.format, { junitFindings: options.junitFindings });
  const verdicts = reports.map((report) => report.prediction?.verdict ?? report.decision);
  if (options.out) {
    await writeResultFile(options.out, text);
    for (const verdict of verdicts) io.stderr.write(`${verdict}\n`);
    io.stderr.write(`${options.format} report written to ${options.out}\n`);
  } else {
    io.stdout.write(text);
    // The table leads with the verdicts; a machine format keeps stdout to the document.
    if (options.format !== 'table' && options.format !== 'markdown') {
      for (const verdict of verdicts) io.stderr.write(`${verdict}\n`);
    }
  }
  return reports.every((report) => report.decision === 'Succeeded') ? EXIT_SUCCEEDED : EXIT_FAILED;
}
