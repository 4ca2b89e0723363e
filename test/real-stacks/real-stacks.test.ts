/**
 * Issue #7: fitgate on real public CloudFormation stacks. Each template of ../shared/real-stacks is
 * loaded with the CloudFormation-aware loader and sent to moto as JSON by the deploy helper, with its
 * params/ file and a time limit; the stacks moto creates are then audited by the real state machine
 * (runGateLocally, ad hoc, no history table). The templates moto cannot create must fail with one
 * clear line and leave no stack behind. moto is reset before every template: a failed deploy leaves
 * resources behind.
 *
 * A per-template summary (and the corpus wall time) is printed at the end; docs/real-stacks.md
 * quotes it.
 */
import { readFileSync } from 'node:fs';
import {
  type Capability,
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { DeployError, type DeployResult, deployStack } from '../../cli/emulation/deploy/index.ts';
import { type LocalExecution, runGateLocally } from '../../cli/emulation/runner.ts';
import { loadTemplateFile } from '../../cli/emulation/template.ts';
import { familiesFor } from '../../functions/checks/registry.ts';
import { SEVERITIES, STATUSES } from '../../functions/checks/types.ts';
import type { Inventory, Report } from '../../statemachine/state.ts';
import { runCli } from '../cli/run-cli.ts';
import {
  CORPUS_PRESENT,
  corpusTemplates,
  DEPLOYABLE,
  type DeployableStack,
  FAILING,
  stackNameOf,
  templateParameters,
  templatePath,
} from './corpus.ts';

const DEPLOY_TIMEOUT_MS = 30_000;
const cloudFormation = new CloudFormationClient({});

interface SummaryRow {
  readonly template: string;
  readonly outcome: string;
  readonly resources?: number;
  readonly audited?: number;
  readonly skipped?: number;
  readonly unsupported?: number;
  readonly summary?: Report['summary'];
  readonly deployMs: number;
  readonly auditMs?: number;
}

const summaryRows: SummaryRow[] = [];
let corpusStarted = 0;
let resetMs = 0;

beforeAll(() => {
  corpusStarted = performance.now();
});

async function resetMoto(): Promise<void> {
  const started = performance.now();
  const response = await fetch(`${inject('motoEndpoint')}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed with HTTP ${response.status}`);
  resetMs += performance.now() - started;
}

beforeEach(resetMoto);

afterAll(() => {
  if (summaryRows.length === 0) return;
  const corpusMs = Math.round(performance.now() - corpusStarted);
  const table = summaryRows.map((row) => ({
    template: row.template,
    outcome: row.outcome,
    resources: row.resources ?? '',
    audited: row.audited ?? '',
    skipped: row.skipped ?? '',
    unsupported: row.unsupported ?? '',
    PASS: row.summary?.PASS ?? '',
    FAIL: row.summary?.FAIL ?? '',
    ERROR: row.summary?.ERROR ?? '',
    NA: row.summary?.NOT_APPLICABLE ?? '',
    'wall ms': row.deployMs + (row.auditMs ?? 0),
  }));
  console.log('real-stacks corpus: deploy + audit per template');
  console.table(table);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const deployAndAuditMs = summaryRows.reduce((sum, row) => sum + row.deployMs + (row.auditMs ?? 0), 0);
  console.log(
    `real-stacks corpus: ${summaryRows.length} templates, deploy + audit ${seconds(deployAndAuditMs)}; ` +
      `with moto resets (${seconds(resetMs)}) and the other tests of the file, ${seconds(corpusMs)} wall time`,
  );
});

/** The exit code `fitgate audit` gives: 0 when the gate succeeds, 1 when it fails; a FAILED execution is a defect. */
function exitCodeOf(execution: LocalExecution): 0 | 1 {
  if (execution.status !== 'SUCCEEDED' || !execution.report) {
    throw new Error(
      `the execution ended ${execution.status}: ${execution.error?.Error}: ${execution.error?.Cause}`,
    );
  }
  return execution.report.decision === 'Succeeded' ? 0 : 1;
}

/** The Report contract of docs/state-contracts.md, field by field. */
function expectReportContract(report: Report, stackName: string): void {
  expect(report).toMatchObject({ stack: stackName, trigger: 'adhoc', baseline: null });
  expect(['Succeeded', 'Failed']).toContain(report.decision);
  for (const score of [report.fitness, report.quality]) {
    if (score !== null) expect(score).toBeTypeOf('number');
  }
  expect(report.complexity).toBeTypeOf('number');
  expect(report.penalty).toBeTypeOf('number');
  expect(report.reasons.every((reason) => typeof reason === 'string')).toBe(true);
  expect(Object.keys(report.summary).sort()).toEqual([...STATUSES].sort());
  expect(Object.values(report.summary).reduce((sum, count) => sum + count, 0)).toBe(report.results.length);
  const { coverage } = report;
  expect(Number.isInteger(coverage.resources) && Number.isInteger(coverage.audited)).toBe(true);
  expect(coverage.audited).toBeLessThanOrEqual(coverage.resources);
  expect(coverage.unsupportedTypes).toEqual([...new Set(coverage.unsupportedTypes)].sort());
  expect(report.diff).toEqual({ new: [], fixed: [], since: null });
  for (const result of report.results) {
    expect(result.checkId).toMatch(/^[a-z0-9-]+$/);
    expect(result.logicalId, `a result of ${result.checkId} has no logical id`).not.toBe('');
    expect(result.resourceType).toMatch(/^AWS::/);
    expect(STATUSES).toContain(result.status);
    expect(SEVERITIES).toContain(result.severity);
    expect(result.message).not.toBe('');
  }
}

async function liveStacksNamed(stackName: string): Promise<string[]> {
  const { StackSummaries = [] } = await cloudFormation.send(new ListStacksCommand({}));
  return StackSummaries.filter((s) => s.StackName === stackName && s.StackStatus !== 'DELETE_COMPLETE').map(
    (s) => `${s.StackName} ${s.StackStatus}`,
  );
}

describe.skipIf(!CORPUS_PRESENT)('the corpus', () => {
  it('holds exactly the templates this suite has expectations for, each with its parameter file', () => {
    const expected = [...DEPLOYABLE, ...FAILING].map((stack) => stack.file).sort();

    expect(corpusTemplates()).toEqual(expected);
    for (const file of expected) expect(() => templateParameters(file), file).not.toThrow();
  });
});

describe.skipIf(!CORPUS_PRESENT)('the CloudFormation-aware loader on the corpus', () => {
  /** Every value of the loaded template, with its path. */
  function* walk(value: unknown, path = '$'): Generator<[string, unknown]> {
    yield [path, value];
    if (Array.isArray(value))
      for (const [index, item] of value.entries()) yield* walk(item, `${path}[${index}]`);
    else if (typeof value === 'object' && value !== null)
      for (const [key, item] of Object.entries(value)) yield* walk(item, `${path}.${key}`);
  }

  it('reads every template into plain JSON: short-form tags in long form, unquoted dates as strings', () => {
    for (const file of corpusTemplates()) {
      const template = loadTemplateFile(templatePath(file));
      const odd = [...walk(template)].filter(
        ([, value]) =>
          !['string', 'number', 'boolean', 'object'].includes(typeof value) || value instanceof Date,
      );
      expect(odd.map(([path]) => `${file} ${path}`)).toEqual([]);
    }
    // moto's own YAML loader misreads both of these (corpus README, note 3).
    const iot = loadTemplateFile(templatePath('iot-sns-sqs.yaml'));
    expect(iot.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(JSON.stringify(iot)).toContain('"Version":"2012-10-17"');
    const sfn = JSON.stringify(loadTemplateFile(templatePath('sfn-dynamodb.yaml')));
    expect(sfn).toMatch(/\{"Fn::GetAtt":\["[A-Za-z]+","Arn"\]\}/);
  });
});

describe.skipIf(!CORPUS_PRESENT)('templates moto creates: deployed and audited', () => {
  async function deployAndAudit(stack: DeployableStack) {
    const stackName = stackNameOf(stack.file);
    const deployStarted = performance.now();
    const deployed: DeployResult = await deployStack({
      stackName,
      template: templatePath(stack.file),
      parameters: templateParameters(stack.file),
      timeoutMs: DEPLOY_TIMEOUT_MS,
    });
    const deployMs = Math.round(performance.now() - deployStarted);
    let inventory: Inventory | undefined;
    const execution = await runGateLocally(
      { stackName, trigger: 'adhoc' },
      {
        fastRetries: true,
        onEvent: (event) => {
          if (event.type === 'StateExited' && event.state.name === 'ListResources') {
            inventory = (event.state.output as { inventory: Inventory }).inventory;
          }
        },
      },
    );
    const report = execution.report;
    summaryRows.push({
      template: stack.file,
      outcome: report ? `exit ${report.decision === 'Succeeded' ? 0 : 1}` : `execution ${execution.status}`,
      resources: report?.coverage.resources,
      audited: report?.coverage.audited,
      skipped: inventory ? inventory.skipped.blank + inventory.skipped.unidentified : undefined,
      unsupported: report?.coverage.unsupportedTypes.length,
      summary: report?.summary,
      deployMs,
      auditMs: execution.stats.wallMs,
    });
    return { stackName, deployed, execution, inventory };
  }

  for (const stack of DEPLOYABLE) {
    it(`${stack.file}: exit 0 or 1, a full report with coverage, no ERROR of our own`, async () => {
      const { stackName, deployed, execution, inventory } = await deployAndAudit(stack);

      expect(deployed.status).toBe('CREATE_COMPLETE');
      expect([0, 1]).toContain(exitCodeOf(execution));
      const report = execution.report as Report;
      expectReportContract(report, stackName);
      // What the deploy helper created through the APIs is listed locally in the place of moto's blank
      // rows (stack-resource-overlay.ts); the other blank rows are skipped and counted, and those of a
      // false Condition are not resources at all.
      const helperCreated = deployed.resources.slice(stack.typed);
      const blank = stack.rows - stack.typed - helperCreated.length;
      expect(inventory?.skipped.blank).toBe(blank);
      expect(report.coverage.resources).toBe(stack.rows - stack.notCreated);
      const auditedNow = new Set(
        helperCreated.filter((r) => familiesFor(r.type).length > 0).map((r) => r.type),
      );
      // What moto skips and no check runs on stays in the coverage: not judged, judged through a
      // parent (a queue policy through its queue), or of a no-risk type — never silently dropped.
      const accounted = new Set([
        ...report.coverage.unsupportedTypes,
        ...report.coverage.sets.throughParent.map((entry) => entry.type),
        ...report.coverage.sets.noRisk.map((entry) => entry.type),
      ]);
      for (const type of stack.motoSkips.map((type) => `AWS::${type}`).filter((t) => !auditedNow.has(t))) {
        expect(accounted.has(type), `${type} is in the coverage`).toBe(true);
      }
      for (const resource of helperCreated.filter((r) => familiesFor(r.type).length > 0)) {
        expect(
          report.results.some((r) => r.logicalId === resource.logicalId),
          `${resource.type} ${resource.logicalId}, created by the deploy helper, is audited locally`,
        ).toBe(true);
      }
      if (blank > 0) {
        expect(report.notes).toContainEqual(
          expect.stringMatching(
            new RegExp(
              `^${blank} ListStackResources rows without a type skipped: ` +
                (stack.notCreated > 0 ? `${stack.notCreated} with a false Condition \\(not created\\)` : ''),
            ),
          ),
        );
      }
      // A blank row never reaches a check: every Map item ran its Lambda (no CheckFailed path).
      expect(report.results.filter((r) => /check Lambda failed/.test(r.message))).toEqual([]);
      const ownErrors = report.results.filter(
        (r) =>
          r.status === 'ERROR' && !/^the emulator does not implement a call this check needs/.test(r.message),
      );
      expect(ownErrors.map((r) => `${r.checkId}@${r.logicalId}: ${r.message}`)).toEqual([]);
      for (const [logicalId, runtime] of Object.entries(stack.outdatedRuntimes ?? {})) {
        const runtimeCheck = report.results.find(
          (r) => r.checkId === 'lambda-function-settings-check' && r.logicalId === logicalId,
        );
        expect(runtimeCheck).toMatchObject({ status: 'FAIL', message: expect.stringContaining(runtime) });
      }
      for (const logicalId of stack.tlsOnlyBuckets ?? []) {
        const tlsCheck = report.results.find(
          (r) => r.checkId === 's3-bucket-ssl-requests-only' && r.logicalId === logicalId,
        );
        expect(tlsCheck?.status, `${logicalId}: ${tlsCheck?.message}`).toBe('PASS');
      }
    });
  }
});

/**
 * What a result must never carry: a raw runtime exception (issue #12). Malformed or unexpected API
 * data is an ERROR that says what was malformed and where.
 */
const RAW_EXCEPTION =
  /\b(SyntaxError|TypeError|RangeError|ReferenceError)\b|Cannot read propert|Expected property name|is not a function|is not iterable/;

const CAPABILITIES: Capability[] = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'];

/** Polls DescribeStacks until the stack leaves *_IN_PROGRESS (or the time runs out). */
async function settledStatus(stackName: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Stacks = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const status = Stacks[0]?.StackStatus ?? 'MISSING';
    if (!status.endsWith('_IN_PROGRESS') || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * A user's plain CreateStack, no deploy helper: the template as published, and if moto rejects that
 * (its YAML loader, corpus README note 3) the same template as JSON — the corpus README's own method.
 */
async function createStackPlainly(file: string, stackName: string): Promise<string> {
  const path = templatePath(file);
  const Parameters = Object.entries(templateParameters(file)).map(([ParameterKey, ParameterValue]) => ({
    ParameterKey,
    ParameterValue,
  }));
  const bodies = [readFileSync(path, 'utf8'), JSON.stringify(loadTemplateFile(path))];
  let last = 'not created';
  for (const TemplateBody of bodies) {
    try {
      await cloudFormation.send(
        new CreateStackCommand({
          StackName: stackName,
          TemplateBody,
          Parameters,
          Capabilities: CAPABILITIES,
        }),
      );
      last = await settledStatus(stackName, DEPLOY_TIMEOUT_MS);
      if (last === 'CREATE_COMPLETE') return last;
    } catch (error) {
      last = String((error as Error).message).split('\n')[0] ?? 'rejected';
    }
    // A rejected attempt can leave a half-made stack of the same name behind: start from a clean moto.
    await resetMoto();
  }
  throw new Error(`${file}: a plain CreateStack did not complete (${last})`);
}

describe.skipIf(!CORPUS_PRESENT)(
  'templates moto creates: a plain CreateStack, then the local workflow',
  () => {
    for (const stack of DEPLOYABLE) {
      it(`${stack.file}: a full report, and no result carries a raw runtime exception`, async () => {
        const stackName = `${stackNameOf(stack.file)}-plain`;
        const started = performance.now();
        await createStackPlainly(stack.file, stackName);
        const deployMs = Math.round(performance.now() - started);

        const execution = await runGateLocally({ stackName, trigger: 'adhoc' }, { fastRetries: true });

        const report = execution.report;
        summaryRows.push({
          template: `${stack.file} (plain)`,
          outcome: report
            ? `exit ${report.decision === 'Succeeded' ? 0 : 1}`
            : `execution ${execution.status}`,
          resources: report?.coverage.resources,
          audited: report?.coverage.audited,
          unsupported: report?.coverage.unsupportedTypes.length,
          summary: report?.summary,
          deployMs,
          auditMs: execution.stats.wallMs,
        });
        expect([0, 1]).toContain(exitCodeOf(execution));
        expectReportContract(report as Report, stackName);
        const raw = (report as Report).results.filter((r) => RAW_EXCEPTION.test(r.message));
        expect(raw.map((r) => `${r.checkId}@${r.logicalId}: ${r.message}`)).toEqual([]);
        expect((report as Report).results.filter((r) => /check Lambda failed/.test(r.message))).toEqual([]);
      });
    }
  },
);

describe.skipIf(!CORPUS_PRESENT)('fitgate audit --local as a process, on a real stack', () => {
  it('apigw-lambda-proxy.yaml: exit 0 or 1 as the report decides, the report as JSON on stdout', async () => {
    const file = 'apigw-lambda-proxy.yaml';
    const stackName = stackNameOf(file);
    await deployStack({
      stackName,
      template: templatePath(file),
      parameters: templateParameters(file),
      timeoutMs: DEPLOY_TIMEOUT_MS,
    });

    const run = await runCli(['audit', '--stack', stackName, '--local', '--format', 'json']);

    const report = JSON.parse(run.stdout) as Report;
    expect(run.code, run.stderr).toBe(report.decision === 'Succeeded' ? 0 : 1);
    expectReportContract(report, stackName);
    // The stage moto skips is created by the deploy helper, so this separate process audits it too.
    expect(report.coverage.unsupportedTypes).toContain('AWS::ApiGateway::Model');
    expect(report.coverage.unsupportedTypes).not.toContain('AWS::ApiGateway::Stage');
    expect(report.results.filter((r) => r.logicalId === 'ApiGatewayStage').map((r) => r.checkId)).toEqual(
      expect.arrayContaining(['api-gw-execution-logging-enabled', 'apigateway-stage-access-logs-enabled']),
    );
    expect(
      report.results.find(
        (r) => r.checkId === 'lambda-function-settings-check' && r.logicalId === 'LambdaFunction',
      ),
    ).toMatchObject({ status: 'FAIL', message: expect.stringContaining('python3.7') });
  });
});

describe.skipIf(!CORPUS_PRESENT)(
  'templates moto cannot create: one clear line, no hang, nothing left',
  () => {
    for (const stack of FAILING) {
      it(`${stack.file}: DeployError naming the template and moto's reason`, async () => {
        const stackName = stackNameOf(stack.file);
        const timeoutMs = stack.timeoutMs ?? DEPLOY_TIMEOUT_MS;
        const started = performance.now();

        const failure = await deployStack({
          stackName,
          template: templatePath(stack.file),
          parameters: templateParameters(stack.file),
          timeoutMs,
        }).then(
          () => undefined,
          (error: unknown) => error,
        );

        const elapsedMs = Math.round(performance.now() - started);
        summaryRows.push({ template: stack.file, outcome: 'DeployError', deployMs: elapsedMs });
        expect(failure).toBeInstanceOf(DeployError);
        const { message } = failure as DeployError;
        expect(message).not.toMatch(/\n/);
        expect(message).toMatch(
          new RegExp(`^cannot deploy ${stack.file.replace('.', '\\.')} \\(stack ${stackName}\\)`),
        );
        expect(message).toMatch(stack.reason);
        expect(elapsedMs).toBeLessThan(timeoutMs + 15_000);
        expect(await liveStacksNamed(stackName)).toEqual([]);
      });
    }
  },
);
