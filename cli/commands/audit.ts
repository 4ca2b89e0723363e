/**
 * `fitgate audit --stack NAME`: an ad-hoc fitness audit of one stack.
 *
 * Cloud (default): starts the deployed gate's state machine (found from the gate stack's
 * FitnessStateMachineArn output, or --state-machine-arn), follows it, prints the report and the
 * console link. --local: runs the very same statemachine/fitness.asl.json in-process against
 * whatever the SDK points at (an account, or AWS_ENDPOINT_URL); without a deployed gate the baseline
 * and the history are skipped, with a note.
 *
 * Exit 0 when the gate Succeeded, 1 when it Failed, 2 for a usage or infrastructure error.
 */
import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
  paginateGetExecutionHistory,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { catalogOf } from '../../functions/checks/catalog.ts';
import type { CheckDefinition } from '../../functions/checks/registry.ts';
import {
  createCloudFormationClient,
  createDynamoDbClient,
  createSfnClient,
  TIMEOUTS,
} from '../../functions/shared/clients.ts';
import { type GateConfigInput, resolveConfig } from '../../functions/shared/config.ts';
import { errorMessage, errorName, isAwsError } from '../../functions/shared/errors.ts';
import type { Report } from '../../statemachine/state.ts';
import { oneOf, parseCommand, positiveInteger, usageHint } from '../args.ts';
import {
  CheckHandlerError,
  type LocalCheckFunction,
  loadCheckHandlers,
  missingCheckHandlers,
} from '../emulation/check-functions.ts';
import { type EventLog, runGateLocally } from '../emulation/runner.ts';
import { CliError, EXIT_FAILED, EXIT_SUCCEEDED, UsageError } from '../errors.ts';
import { JUNIT_FINDINGS, type JunitFindings } from '../format/junit.ts';
import { REPORT_FORMATS, type ReportFormat, renderReports } from '../format/render.ts';
import { type CommandIo, ensureWritable, processIo, writeResultFile } from '../io.ts';
import { loadPolicyFile } from '../policy.ts';
import { type ProgressEvent, type ProgressReporter, progressReporter } from '../progress.ts';
import {
  HISTORY_TABLE_OUTPUT,
  regionOf,
  requireStack,
  STATE_MACHINE_OUTPUT,
  stackOutput,
} from '../stacks.ts';

export const AUDIT_FORMATS = REPORT_FORMATS;
export type AuditFormat = ReportFormat;

export const AUDIT_USAGE =
  'fitgate audit --stack NAME [--local] [--format table|json|junit|html|sarif|markdown] [--out FILE] [--policy FILE] ' +
  '[--check-handler ID=PATH]... [--concurrency N] [--state-machine-arn ARN] [--gate-stack NAME] [--table NAME] [--region REGION] ' +
  '[--template FILE] [--junit-findings failure|skipped|property] [--progress]';

export const AUDIT_HELP = `usage: ${AUDIT_USAGE}

Audits one CloudFormation stack with the fitness gate and prints the report.

  --stack NAME              the stack to audit (required)
  --local                   run statemachine/fitness.asl.json in-process against whatever the SDK points at
                            (AWS, or AWS_ENDPOINT_URL); no deployed gate needed
  --format FORMAT           table (default), json (exactly the report), junit, html, sarif (code scanning),
                            markdown (a pull-request summary)
  --out FILE                write the report to FILE instead of stdout
  --policy FILE             gate configuration (JSON or YAML): policy, checks, suppressions, maxConcurrency;
                            in the cloud only "policy" applies per execution
  --check-handler ID=PATH   a --local run: the module (exporting handler) that stands for the Lambda of the
                            user-defined check function ID declared in the --policy file's checks.functions;
                            repeat it for each (docs/fitness-functions.md)
  --concurrency N           Map concurrency of a --local run (1–40)
  --state-machine-arn ARN   the gate's state machine (default: the gate stack's ${STATE_MACHINE_OUTPUT} output)
  --gate-stack NAME         the stack that holds the FitnessGate (default: --stack)
  --table NAME              history table of a --local run (default: the gate stack's ${HISTORY_TABLE_OUTPUT} output)
  --region REGION           AWS region (default: the SDK's configuration)
  --template FILE           sarif: the stack's template file, so results point at each resource's line
  --junit-findings MODE     junit: findings as failure, skipped (default) or property test cases;
                            the gate's decision is always its own test case
  --progress                show progress on stderr even when it is not a terminal

exit status: 0 Succeeded, 1 Failed, 2 usage or infrastructure error`;

const SPEC = {
  command: 'audit',
  usage: AUDIT_USAGE,
  options: {
    stack: { type: 'string' },
    local: { type: 'boolean' },
    format: { type: 'string' },
    out: { type: 'string' },
    policy: { type: 'string' },
    'check-handler': { type: 'string', multiple: true },
    concurrency: { type: 'string' },
    'state-machine-arn': { type: 'string' },
    'gate-stack': { type: 'string' },
    table: { type: 'string' },
    region: { type: 'string' },
    template: { type: 'string' },
    'junit-findings': { type: 'string' },
    progress: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
} as const;

export interface AuditOptions {
  readonly stack: string;
  readonly local: boolean;
  readonly format: AuditFormat;
  readonly out?: string;
  readonly policyFile?: string;
  /** `ID=PATH` per user-defined check function of a --local run: the module standing for its Lambda. */
  readonly checkHandlers?: readonly string[];
  readonly concurrency?: number;
  readonly stateMachineArn?: string;
  readonly gateStack?: string;
  readonly table?: string;
  readonly region?: string;
  /** The stack's template file, for SARIF locations. */
  readonly template?: string;
  readonly junitFindings?: JunitFindings;
  /** Show progress; undefined means "when stderr is a terminal". */
  readonly progress?: boolean;
}

export function parseAuditArgs(argv: readonly string[]): AuditOptions | 'help' {
  const values = parseCommand(SPEC, argv);
  if (values.help) return 'help';
  if (!values.stack) throw new UsageError(`--stack is required; ${usageHint('audit')}`);
  const local = Boolean(values.local);
  const concurrency = positiveInteger('audit', 'concurrency', values.concurrency);
  if (concurrency !== undefined && concurrency > 40) {
    throw new UsageError(`--concurrency must be 1–40, the inline Map limit (got ${concurrency})`);
  }
  if (!local && concurrency !== undefined) {
    throw new UsageError(
      "--concurrency applies to --local runs; a deployed gate's concurrency is part of its configuration",
    );
  }
  if (!local && values.table) {
    throw new UsageError('--table applies to --local runs; a deployed gate uses its own history table');
  }
  const checkHandlers = values['check-handler'] ?? [];
  if (!local && checkHandlers.length > 0) {
    throw new UsageError(
      "--check-handler applies to --local runs; a deployed gate invokes the customChecks' Lambdas",
    );
  }
  if (local && values['state-machine-arn']) {
    throw new UsageError('--state-machine-arn applies to cloud runs; --local runs the definition in-process');
  }
  return {
    stack: values.stack,
    local,
    format: oneOf('audit', 'format', values.format, REPORT_FORMATS, 'table'),
    ...(values.template ? { template: values.template } : {}),
    ...(values['junit-findings']
      ? {
          junitFindings: oneOf(
            'audit',
            'junit-findings',
            values['junit-findings'],
            JUNIT_FINDINGS,
            'skipped',
          ),
        }
      : {}),
    ...(values.out ? { out: values.out } : {}),
    ...(values.policy ? { policyFile: values.policy } : {}),
    ...(checkHandlers.length > 0 ? { checkHandlers } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(values['state-machine-arn'] ? { stateMachineArn: values['state-machine-arn'] } : {}),
    ...(values['gate-stack'] ? { gateStack: values['gate-stack'] } : {}),
    ...(values.table ? { table: values.table } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values.progress ? { progress: true } : {}),
  };
}

/** Clients and timing the tests hand in; everything else comes from the SDK's configuration. */
export interface AuditDeps {
  readonly cloudFormation?: CloudFormationClient;
  readonly dynamoDb?: DynamoDBClient;
  readonly sfn?: SFNClient;
  readonly pollIntervalMs?: number;
  readonly now?: () => Date;
}

interface AuditOutcome {
  readonly report: Report;
  readonly consoleLink?: string;
}

export function renderReport(
  report: Report,
  format: ReportFormat,
  consoleLink?: string,
  options: { junitFindings?: JunitFindings; template?: string; checks?: readonly CheckDefinition[] } = {},
): string {
  return renderReports([report], format, {
    ...(consoleLink ? { consoleLink } : {}),
    ...(options.checks ? { checks: options.checks } : {}),
    ...(options.junitFindings ? { junitFindings: options.junitFindings } : {}),
    ...(options.template ? { sources: [{ templateFile: options.template }] } : {}),
  });
}

/** https://<region>.console.aws.amazon.com/states/home?region=<region>#/v2/executions/details/<arn> */
export function consoleLink(executionArn: string): string {
  const region = executionArn.split(':')[3] ?? 'us-east-1';
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

/** A unique, valid execution name (≤ 80 chars of [A-Za-z0-9-_]) that says what started it. */
export function adhocExecutionName(stackName: string, now: Date): string {
  const stack = stackName.replace(/[^A-Za-z0-9-_]/g, '-').slice(0, 40);
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const suffix = Math.random().toString(16).slice(2, 8).padEnd(6, '0');
  return `adhoc-${stack}-${stamp}-${suffix}`;
}

/** "Error: cause" of a caught failure, whether the cause is text or Lambda's JSON error. */
export function describeFailure(failure: unknown): string {
  if (typeof failure !== 'object' || failure === null) return 'no details';
  const { Error: name, Cause: cause } = failure as { Error?: unknown; Cause?: unknown };
  let detail = typeof cause === 'string' ? cause : cause === undefined ? '' : JSON.stringify(cause);
  try {
    const parsed = JSON.parse(detail) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') detail = parsed.errorMessage;
  } catch {
    // plain text
  }
  return [typeof name === 'string' ? name : 'Error', detail].filter(Boolean).join(': ');
}

/** The progress a local run's event means, if any (shared by audit --local, predict and the demo). */
export function localProgressEvent(event: EventLog): ProgressEvent | undefined {
  if (event.type === 'MapIterationSucceeded' || event.type === 'MapIterationFailed')
    return { kind: 'item-done' };
  if ((event.type === 'StateEntered' || event.type === 'StateExited') && event.index === undefined) {
    return event.type === 'StateEntered'
      ? { kind: 'entered', state: event.state.name }
      : { kind: 'exited', state: event.state.name, output: event.state.output };
  }
  return undefined;
}

async function requireTable(dynamoDb: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await dynamoDb.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) {
      throw new CliError(`history table ${tableName} does not exist in ${await regionOf(dynamoDb)}`);
    }
    throw error;
  }
}

async function auditLocally(
  options: AuditOptions,
  stack: Stack,
  config: GateConfigInput | undefined,
  clients: { cloudFormation: CloudFormationClient; dynamoDb: DynamoDBClient },
  progress: ProgressReporter,
  io: CommandIo,
): Promise<AuditOutcome> {
  // Before anything else: a check function without its handler is a usage problem, not a run.
  const checkHandlers = await localCheckHandlers(options, config);
  let historyTableName = options.table;
  if (historyTableName) {
    await requireTable(clients.dynamoDb, historyTableName);
  } else {
    const gateStackName = options.gateStack ?? options.stack;
    const gateStack =
      gateStackName === options.stack ? stack : await requireStack(clients.cloudFormation, gateStackName);
    historyTableName = stackOutput(gateStack, HISTORY_TABLE_OUTPUT);
    if (!historyTableName) {
      io.stderr.write(
        `note: no deployed gate found (stack ${gateStackName} has no ${HISTORY_TABLE_OUTPUT} output): baseline and history are skipped\n`,
      );
    }
  }
  const gateConfig: GateConfigInput | undefined =
    options.concurrency === undefined ? config : { ...config, maxConcurrency: options.concurrency };
  let failure: unknown;
  const run = await runGateLocally(
    { stackName: options.stack, trigger: 'adhoc' },
    {
      ...(gateConfig ? { config: gateConfig } : {}),
      checkHandlers,
      ...(historyTableName ? { historyTableName } : {}),
      onEvent: (event) => {
        if (event.type === 'StateEntered' && event.state.name === 'DescribeFailure') {
          failure = (event.state.input as { failure?: unknown } | undefined)?.failure;
        }
        const progressEvent = localProgressEvent(event);
        if (progressEvent) progress.event(progressEvent);
      },
    },
  );
  if (run.status !== 'SUCCEEDED' || !run.report) {
    throw new CliError(`the fitness workflow failed: ${describeFailure(failure ?? run.error)}`);
  }
  return { report: run.report };
}

/**
 * The local handlers of the configuration's check functions: one per declared function, none other,
 * every loading problem one line.
 */
async function localCheckHandlers(
  options: AuditOptions,
  config: GateConfigInput | undefined,
): Promise<Record<string, LocalCheckFunction>> {
  let handlers: Record<string, LocalCheckFunction>;
  try {
    handlers = await loadCheckHandlers(options.checkHandlers ?? []);
  } catch (error) {
    if (error instanceof CheckHandlerError) throw new CliError(error.message);
    throw error;
  }
  const declared = config?.checks?.functions ?? [];
  const undeclared = Object.keys(handlers).find((id) => !declared.some((fn) => fn.id === id));
  if (undeclared) {
    throw new CliError(
      `--check-handler ${undeclared}: no check function ${undeclared} is declared in the --policy file's checks.functions`,
    );
  }
  const [missing] = missingCheckHandlers(declared, handlers);
  if (missing) {
    throw new CliError(
      `check function ${missing} (--policy ${options.policyFile}) needs a local handler: --check-handler ${missing}=PATH`,
    );
  }
  return handlers;
}

function historyProgressEvent(event: HistoryEvent): ProgressEvent | undefined {
  switch (event.type) {
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
    case 'MapIterationAborted':
      return { kind: 'item-done' };
    case 'TaskStateEntered':
    case 'MapStateEntered':
    case 'PassStateEntered':
      return event.stateEnteredEventDetails?.name
        ? { kind: 'entered', state: event.stateEnteredEventDetails.name }
        : undefined;
    case 'TaskStateExited': {
      const details = event.stateExitedEventDetails;
      if (!details?.name) return undefined;
      let output: unknown;
      try {
        output = details.name === 'ListResources' && details.output ? JSON.parse(details.output) : undefined;
      } catch {
        output = undefined;
      }
      return { kind: 'exited', state: details.name, output };
    }
    default:
      return undefined;
  }
}

/** Reads the history events not seen yet: progress, and the caught failure if there is one. */
async function followHistory(
  sfn: SFNClient,
  executionArn: string,
  seen: { lastId: number; failure?: unknown },
  progress: ProgressReporter,
): Promise<void> {
  for await (const page of paginateGetExecutionHistory(
    { client: sfn, pageSize: 1000 },
    { executionArn, includeExecutionData: true },
  )) {
    for (const event of page.events ?? []) {
      const id = event.id ?? 0;
      if (id <= seen.lastId) continue;
      seen.lastId = id;
      if (event.type === 'PassStateEntered' && event.stateEnteredEventDetails?.name === 'DescribeFailure') {
        try {
          seen.failure = (
            JSON.parse(event.stateEnteredEventDetails.input ?? '{}') as { failure?: unknown }
          ).failure;
        } catch {
          // the failure stays unknown
        }
      }
      const progressEvent = historyProgressEvent(event);
      if (progressEvent) progress.event(progressEvent);
    }
  }
}

function sdkCallError(error: unknown, what: string): never {
  const name = errorName(error);
  if (
    ['StateMachineDoesNotExist', 'ExecutionDoesNotExist', 'InvalidArn', 'ValidationException'].includes(name)
  ) {
    throw new CliError(`${what}: ${name}: ${errorMessage(error)}`, { cause: error });
  }
  throw error;
}

async function auditInCloud(
  options: AuditOptions,
  stack: Stack,
  config: GateConfigInput | undefined,
  clients: { cloudFormation: CloudFormationClient; sfn: SFNClient },
  progress: ProgressReporter,
  deps: AuditDeps,
): Promise<AuditOutcome> {
  const extraKeys = Object.keys(config ?? {}).filter((key) => key !== 'policy');
  if (extraKeys.length > 0) {
    throw new CliError(
      `--policy ${options.policyFile}: a cloud run takes only "policy" per execution; ${extraKeys.join(', ')} ${extraKeys.length === 1 ? 'belongs' : 'belong'} to the deployed gate's configuration (or audit with --local)`,
    );
  }
  let stateMachineArn = options.stateMachineArn;
  if (!stateMachineArn) {
    const gateStackName = options.gateStack ?? options.stack;
    const gateStack =
      gateStackName === options.stack ? stack : await requireStack(clients.cloudFormation, gateStackName);
    stateMachineArn = stackOutput(gateStack, STATE_MACHINE_OUTPUT);
    if (!stateMachineArn) {
      throw new CliError(
        `no deployed fitgate state machine: stack ${gateStackName} has no ${STATE_MACHINE_OUTPUT} output; pass --state-machine-arn ARN or --gate-stack NAME, or audit with --local`,
      );
    }
  }
  const input = {
    stackName: options.stack,
    trigger: 'adhoc',
    ...(config?.policy ? { policy: config.policy } : {}),
  };
  const name = adhocExecutionName(options.stack, deps.now?.() ?? new Date());
  const started = await clients.sfn
    .send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }))
    .catch((error: unknown) => sdkCallError(error, `cannot start ${stateMachineArn}`));
  const executionArn = started.executionArn;
  if (!executionArn) throw new CliError(`StartExecution of ${stateMachineArn} returned no execution ARN`);
  const link = consoleLink(executionArn);
  progress.say(`started ${name}: ${link}`);

  const pollIntervalMs = deps.pollIntervalMs ?? 2000;
  const seen: { lastId: number; failure?: unknown } = { lastId: 0 };
  let described: DescribeExecutionCommandOutput;
  for (;;) {
    described = await clients.sfn
      .send(new DescribeExecutionCommand({ executionArn }))
      .catch((error: unknown) => sdkCallError(error, `cannot follow ${name}`));
    const running = described.status === 'RUNNING' || described.status === 'PENDING_REDRIVE';
    if (progress.enabled || !running) {
      await followHistory(clients.sfn, executionArn, seen, progress).catch(() => undefined);
    }
    if (!running) break;
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
  if (described.status !== 'SUCCEEDED') {
    const failure = seen.failure ?? { Error: described.error, Cause: described.cause };
    throw new CliError(`execution ${name} ended ${described.status}: ${describeFailure(failure)} (${link})`);
  }
  let report: Report;
  try {
    report = JSON.parse(described.output ?? '') as Report;
  } catch {
    throw new CliError(`execution ${name} succeeded without a JSON output (${link})`);
  }
  if (typeof report !== 'object' || report === null || !('decision' in report) || !('results' in report)) {
    throw new CliError(`execution ${name} returned something other than a fitgate report (${link})`);
  }
  return { report, consoleLink: link };
}

/** The state machine reported the verdict, but the run is missing from the history (RecordHistory failed). */
export function historyWarning(report: Pick<Report, 'historyError'>): string | undefined {
  if (!report.historyError) return undefined;
  return `warning: this run was not recorded in the history (${report.historyError.Error}): it will not be a baseline nor listed by fitgate history`;
}

export async function runAudit(options: AuditOptions, io: CommandIo = processIo, deps: AuditDeps = {}) {
  if (options.region) process.env.AWS_REGION = options.region;
  // Before the audit: a report that cannot be written must not cost a whole run first.
  if (options.out) await ensureWritable(options.out);
  const config = options.policyFile ? loadPolicyFile(options.policyFile) : undefined;
  const cloudFormation = deps.cloudFormation ?? createCloudFormationClient(TIMEOUTS.cli);
  const progress = progressReporter(io.stderr, options.progress ?? Boolean(io.stderr.isTTY));
  const stack = await requireStack(cloudFormation, options.stack);
  let outcome: AuditOutcome;
  try {
    outcome = options.local
      ? await auditLocally(
          options,
          stack,
          config,
          { cloudFormation, dynamoDb: deps.dynamoDb ?? createDynamoDbClient(TIMEOUTS.cli) },
          progress,
          io,
        )
      : await auditInCloud(
          options,
          stack,
          config,
          { cloudFormation, sfn: deps.sfn ?? createSfnClient(TIMEOUTS.cli) },
          progress,
          deps,
        );
  } finally {
    progress.end();
  }
  const { report, consoleLink: link } = outcome;
  const warning = historyWarning(report);
  if (warning) io.stderr.write(`${warning}\n`);
  const text = renderReport(report, options.format, link, {
    ...(options.junitFindings ? { junitFindings: options.junitFindings } : {}),
    ...(options.template ? { template: options.template } : {}),
    checks: catalogOf(resolveConfig(config).checks).checks,
  });
  if (options.out) {
    await writeResultFile(options.out, text);
    io.stderr.write(
      `${report.decision}: fitness ${report.fitness ?? 'none'}; ${options.format} report written to ${options.out}\n`,
    );
  } else {
    io.stdout.write(text);
  }
  if (link && (options.format !== 'table' || options.out)) io.stderr.write(`execution: ${link}\n`);
  return report.decision === 'Succeeded' ? EXIT_SUCCEEDED : EXIT_FAILED;
}
