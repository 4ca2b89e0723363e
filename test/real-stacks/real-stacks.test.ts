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
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { DeployError, type DeployResult, deployStack } from '../../cli/emulation/deploy/index.ts';
import { type LocalExecution, runGateLocally } from '../../cli/emulation/runner.ts';
import { loadTemplateFile } from '../../cli/emulation/template.ts';
import { SEVERITIES, STATUSES } from '../../functions/checks/types.ts';
import type { Inventory, Report } from '../../statemachine/state.ts';
import { runCli } from '../cli/run-cli.ts';
import {
  assertCorpusPresent,
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
  assertCorpusPresent();
  corpusStarted = performance.now();
});

beforeEach(async () => {
  const started = performance.now();
  const response = await fetch(`${inject('motoEndpoint')}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed with HTTP ${response.status}`);
  resetMs += performance.now() - started;
});

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

/** The Report contract of DESIGN.md, field by field. */
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

describe('the corpus', () => {
  it('holds exactly the templates this suite has expectations for, each with its parameter file', () => {
    const expected = [...DEPLOYABLE, ...FAILING].map((stack) => stack.file).sort();

    expect(corpusTemplates()).toEqual(expected);
    for (const file of expected) expect(() => templateParameters(file), file).not.toThrow();
  });
});

describe('the CloudFormation-aware loader on the corpus', () => {
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

describe('templates moto creates: deployed and audited', () => {
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
      // Blank rows are skipped and counted; those of a false Condition are not resources at all.
      expect(inventory?.skipped.blank).toBe(stack.rows - stack.typed);
      expect(report.coverage.resources).toBe(stack.rows - stack.notCreated);
      expect(report.coverage.unsupportedTypes).toEqual(
        expect.arrayContaining(stack.motoSkips.map((type) => `AWS::${type}`)),
      );
      if (stack.rows > stack.typed) {
        expect(report.notes).toContainEqual(
          expect.stringMatching(
            new RegExp(
              `^${stack.rows - stack.typed} ListStackResources rows without a type skipped: ` +
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

describe('fitgate audit --local as a process, on a real stack', () => {
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
    expect(report.coverage.unsupportedTypes).toEqual(
      expect.arrayContaining(['AWS::ApiGateway::Model', 'AWS::ApiGateway::Stage']),
    );
    expect(
      report.results.find(
        (r) => r.checkId === 'lambda-function-settings-check' && r.logicalId === 'LambdaFunction',
      ),
    ).toMatchObject({ status: 'FAIL', message: expect.stringContaining('python3.7') });
  });
});

describe('templates moto cannot create: one clear line, no hang, nothing left', () => {
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
});
