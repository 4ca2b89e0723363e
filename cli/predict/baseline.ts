/**
 * The baseline a prediction is compared with: a previous report (`--baseline FILE`, e.g. `fitgate
 * audit --format json`), or the last accepted run of the same stack in the gate's history table,
 * read-only, with the user's own AWS configuration, before the SDK is pointed at the emulator.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Baseline, failingFindings } from '../../functions/aggregate/core.ts';
import { findBaseline } from '../../functions/aggregate/handler.ts';
import { clientConfig } from '../../functions/shared/clients.ts';
import type { Prediction, Report } from '../../statemachine/state.ts';
import { CliError, describeError } from '../errors.ts';
import { findStack, HISTORY_TABLE_OUTPUT, stackOutput } from '../stacks.ts';

export interface ResolvedBaseline {
  readonly baseline?: Baseline;
  readonly source: Prediction['baseline'];
}

const NONE = (detail: string): ResolvedBaseline => ({ source: { source: 'none', detail } });

/** A previous report as the baseline: its fitness and its failing findings. */
export function baselineFromReport(report: Report, label: string): ResolvedBaseline {
  if (report.fitness === null) return NONE(`${label} has no fitness (nothing was scored)`);
  const omitted = (report.resultsOmitted?.FAIL ?? 0) + (report.resultsOmitted?.ERROR ?? 0);
  return {
    baseline: {
      fitness: report.fitness,
      findings: failingFindings(report.results),
      since: report.deploymentId ?? label,
    },
    source: {
      source: 'file',
      detail:
        `${label} (stack ${report.stack}, ${report.trigger}, fitness ${report.fitness})` +
        (omitted > 0 ? `; ${omitted} failing findings were omitted from it and cannot be diffed` : ''),
    },
  };
}

function isReport(value: unknown): value is Report {
  if (typeof value !== 'object' || value === null) return false;
  const report = value as Record<string, unknown>;
  return (
    typeof report.stack === 'string' &&
    (report.decision === 'Succeeded' || report.decision === 'Failed') &&
    Array.isArray(report.results) &&
    (typeof report.fitness === 'number' || report.fitness === null)
  );
}

/** `--baseline FILE`: one report, or a JSON array of them (a multi-stack prediction), for this stack. */
export function readBaselineFile(path: string): Report[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code ? `cannot read --baseline ${path} (${code})` : `--baseline ${path} is not JSON`);
  }
  const reports = Array.isArray(parsed) ? parsed : [parsed];
  if (reports.length === 0 || !reports.every(isReport)) {
    throw new CliError(`--baseline ${path} is not a fitgate report (fitgate audit --format json writes one)`);
  }
  return reports;
}

export function baselineForStack(
  reports: readonly Report[],
  stackName: string,
  path: string,
): ResolvedBaseline {
  const report =
    reports.length === 1 ? reports[0] : reports.find((candidate) => candidate.stack === stackName);
  if (!report) return NONE(`${basename(path)} has no report of stack ${stackName}`);
  return baselineFromReport(report, basename(path));
}

/** Credentials the user has visibly configured (no instance-metadata probing when there are none). */
export function hasConfiguredCredentials(env: NodeJS.ProcessEnv = process.env): boolean {
  if (
    env.AWS_ACCESS_KEY_ID ||
    env.AWS_PROFILE ||
    env.AWS_WEB_IDENTITY_TOKEN_FILE ||
    env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI
  ) {
    return true;
  }
  const files = [
    env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials'),
    env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config'),
  ];
  return files.some((file) => existsSync(file));
}

export interface HistoryLookup {
  readonly stackName: string;
  /** The history table; else the FitnessHistoryTable output of the gate stack. */
  readonly table?: string;
  /** The stack that holds the FitnessGate (default: the predicted stack itself). */
  readonly gateStack?: string;
  readonly region?: string;
}

/**
 * The last accepted run of the stack in the gate's history. Only reads (DescribeStacks, Query, GetDeployment). When
 * the user asked for it (--history-table or --gate-stack) a failure is an error; otherwise the
 * prediction goes on without a baseline and says why.
 */
export async function baselineFromHistory(
  lookup: HistoryLookup,
  explicit: boolean,
): Promise<ResolvedBaseline> {
  if (!explicit && !hasConfiguredCredentials()) {
    return NONE('no AWS credentials configured, so the gate history was not read (pass --baseline FILE)');
  }
  const where = lookup.region ? { region: lookup.region } : {};
  const budget = { connectionMs: 3_000, requestMs: 10_000, maxAttempts: 2 };
  try {
    let table = lookup.table;
    if (!table) {
      const gateStackName = lookup.gateStack ?? lookup.stackName;
      const gateStack = await findStack(
        new CloudFormationClient({ ...where, ...clientConfig(budget) }),
        gateStackName,
      );
      if (!gateStack) return NONE(`stack ${gateStackName} is not deployed, so there is no gate history`);
      table = stackOutput(gateStack, HISTORY_TABLE_OUTPUT);
      if (!table)
        return NONE(`stack ${gateStackName} has no ${HISTORY_TABLE_OUTPUT} output (no FitnessGate)`);
    }
    // The Aggregate's own baseline rule for a predict run, read-only (it writes no learned outcome).
    const { baseline } = await findBaseline(
      {
        dynamoDb: new DynamoDBClient({ ...where, ...clientConfig(budget) }),
        codeDeploy: new CodeDeployClient({ ...where, ...clientConfig(budget) }),
        historyTableName: table,
        readOnly: true,
      },
      lookup.stackName,
      { trigger: 'predict', reportsToCodeDeploy: false },
    );
    if (!baseline) return NONE(`no accepted run of ${lookup.stackName} in the history table ${table}`);
    return {
      baseline,
      source: {
        source: 'history',
        detail: `the last accepted run of ${lookup.stackName} (${baseline.since}) in ${table}`,
      },
    };
  } catch (error) {
    if (explicit)
      throw new CliError(`cannot read the gate history: ${describeError(error)}`, { cause: error });
    return NONE(`the gate history could not be read (${describeError(error)})`);
  }
}
