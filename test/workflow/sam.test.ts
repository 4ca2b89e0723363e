/**
 * SAM templates through the real local workflow (cli/emulation/runner.ts: the ASL run in-process,
 * the real handlers, moto): five public serverless patterns audited with waivers written on their
 * SAM functions, and a SAM service whose DeploymentPreference hooks are fitgate's, gated twice
 * through the CodeDeploy stand-in (accepted, then a regression rejected), and audited by the CLI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineInvokeClient } from '../../cli/demo/local-invoke.ts';
import { deleteStackCompletely } from '../../cli/demo/stack.ts';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../cli/emulation/codedeploy-standin.ts';
import { type DeployResult, deployStack } from '../../cli/emulation/deploy/index.ts';
import { runGateLocally } from '../../cli/emulation/runner.ts';
import { type CfnTemplate, loadTemplateFile } from '../../cli/emulation/template.ts';
import { createStackClients } from '../../functions/checks/stack/clients.ts';
import { makeHandler as makeStackChecks } from '../../functions/checks/stack/handler.ts';
import type { CheckResult } from '../../functions/checks/types.ts';
import {
  createCloudFormationClient,
  createDynamoDbClient,
  createLambdaClient,
} from '../../functions/shared/clients.ts';
import type { Report } from '../../statemachine/state.ts';
import { runCli } from '../cli/run-cli.ts';
import { createHistoryTable, HISTORY_TABLE } from '../support/gate-fixtures.ts';
import { HOOKS_TEMPLATE, PATTERNS, SAM_FIXTURES, withWaivers } from '../support/sam-fixtures.ts';

/** What an unhandled JavaScript or SDK failure looks like when it leaks into a result message. */
const RAW_EXCEPTION =
  /\b(TypeError|SyntaxError|ReferenceError|RangeError)\b|Cannot read propert|is not a function|Unexpected (end|token)|\bundefined\b|\[object Object\]/;

const find = (report: Report | undefined, checkId: string, logicalId: string): CheckResult | undefined =>
  report?.results.find((result) => result.checkId === checkId && result.logicalId === logicalId);

describe.each(PATTERNS)('the public SAM pattern $name ($shows)', (pattern) => {
  let deployed: DeployResult;
  let report: Report | undefined;

  beforeAll(async () => {
    const { template, baseDir } = withWaivers(pattern.template, pattern.function, [
      { checkId: 'lambda-dlq-check', reason: 'the pattern’s caller retries', owner: 'patterns' },
      { checkId: 'iam-policy-no-statements-with-full-access', reason: 'reviewed: SAM policy templates only' },
    ]);
    deployed = await deployStack({ stackName: pattern.name, template, baseDir });
    const run = await runGateLocally({ stackName: pattern.name }, { fastRetries: true });
    expect(run.status, run.error?.Cause).toBe('SUCCEEDED');
    report = run.report;
  });

  it('is transformed by the SAM translator and audited, with no raw exception in any result', () => {
    expect(deployed.sam?.translatorVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(report?.results.length).toBeGreaterThan(10);
    const raw = report?.results.filter((result) => RAW_EXCEPTION.test(result.message)) ?? [];
    expect(raw.map((result) => `${result.checkId}@${result.logicalId}: ${result.message}`)).toEqual([]);
  });

  it('applies the waivers written on the SAM function: to the function, and to the role SAM generated', () => {
    const onFunction = find(report, 'lambda-dlq-check', pattern.function);
    const onRole = find(report, 'iam-policy-no-statements-with-full-access', `${pattern.function}Role`);

    expect(onFunction?.status).toBe('SUPPRESSED');
    expect(onFunction?.message).toMatch(/^suppressed: the pattern’s caller retries \(owner patterns\)/);
    expect(onRole).toMatchObject({ status: 'SUPPRESSED', samResourceId: pattern.function });
    expect(report?.waivers).toMatchObject({ applied: 2, unmatched: [], refused: [] });
  });

  it('names the SAM function every generated resource it audits came from', () => {
    const generated = report?.results.filter(
      (result) => result.logicalId.startsWith(pattern.function) && result.logicalId !== pattern.function,
    );

    expect(generated?.length).toBeGreaterThan(0);
    for (const result of generated ?? []) expect(result.samResourceId).toBe(pattern.function);
    expect(find(report, 'lambda-function-settings-check', pattern.function)?.samResourceId).toBeUndefined();
  });
});

describe('a SAM service whose DeploymentPreference hooks are fitgate’s, gated through the local workflow', () => {
  const stackName = 'sam-orders';
  const cloudFormation = createCloudFormationClient();
  const dynamoDb = createDynamoDbClient();
  const code = readFileSync(join(SAM_FIXTURES, 'hooks', 'src', 'index.js'), 'utf8');
  let standIn: CodeDeployStandIn;
  let functionName = '';
  let deploymentCount = 0;

  // moto runs no Lambda code: the smoke invocation runs the fixture's own handler in-process.
  const stackChecks = makeStackChecks({
    ...createStackClients(),
    lambda: inlineInvokeClient(
      () => new Map([[functionName, { code, handler: 'index.handler', environment: {} }]]),
    ),
  });

  async function release(template: CfnTemplate | string): Promise<{ report?: Report; statuses: string[] }> {
    await deleteStackCompletely({ cloudFormation, dynamoDb }, stackName);
    const deployed = await deployStack({ stackName, template, baseDir: join(SAM_FIXTURES, 'hooks') });
    functionName = deployed.resources.find((r) => r.logicalId === 'OrdersFunction')?.physicalId ?? '';
    const alias = await createLambdaClient().send(
      new GetAliasCommand({ FunctionName: functionName, Name: 'live' }),
    );
    deploymentCount += 1;
    const deploymentId = `d-SAMORDERS${deploymentCount}`;
    standIn.addDeployment({
      deploymentId,
      applicationName: `${stackName}-ServerlessDeploymentApplication`,
      deploymentGroupName: `${stackName}-OrdersFunctionDeploymentGroup`,
      appSpec: {
        functionName,
        alias: 'live',
        currentVersion: String(alias.FunctionVersion),
        targetVersion: String(alias.FunctionVersion),
        hooks: { BeforeAllowTraffic: 'CodeDeployHook_fitgate-PreTraffic' },
      },
      hookExecutionIds: [`hook-${deploymentId}`],
    });
    const run = await runGateLocally(
      { stackName, trigger: 'BeforeAllowTraffic', deploymentId, hookExecutionId: `hook-${deploymentId}` },
      { historyTableName: HISTORY_TABLE, fastRetries: true, familyHandlers: { stack: stackChecks } },
    );
    expect(run.status, run.error?.Cause).toBe('SUCCEEDED');
    const statuses = standIn
      .statuses()
      .filter((status) => status.deploymentId === deploymentId)
      .map((status) => status.status);
    return { ...(run.report ? { report: run.report } : {}), statuses };
  }

  beforeAll(async () => {
    standIn = await startCodeDeployStandIn();
    process.env.AWS_ENDPOINT_URL_CODEDEPLOY = standIn.endpoint;
    await createHistoryTable(dynamoDb);
  });

  afterAll(async () => {
    await standIn?.stop();
  });

  it('accepts the release, reporting Succeeded once, after a passing smoke invocation of the alias’s version', async () => {
    const { report, statuses } = await release(HOOKS_TEMPLATE);

    expect(report?.decision, report?.reasons.join('; ')).toBe('Succeeded');
    expect(statuses).toEqual(['Succeeded']);
    expect(find(report, 'deployment-target-smoke-invoke', stackName)?.status).toBe('PASS');
    expect(find(report, 'api-gw-authorization-configured', 'OrdersApi')?.status).toBe('PASS');
    expect(find(report, 'lambda-dlq-check', 'OrdersFunction')?.message).toMatch(/\(owner orders-team\)/);
  });

  it('rejects the next release that drops the API’s IAM authorization, reporting Failed once', async () => {
    const template = loadTemplateFile(HOOKS_TEMPLATE) as CfnTemplate & {
      Resources: Record<string, { Properties?: Record<string, unknown> }>;
    };
    delete template.Resources.OrdersApi?.Properties?.Auth;

    const { report, statuses } = await release(template);

    expect(report?.decision).toBe('Failed');
    expect(report?.reasons[0]).toMatch(
      /^fitness regressed .*new findings: api-gw-authorization-configured@OrdersApi/,
    );
    expect(statuses).toEqual(['Failed']);
  });

  it('is audited by `fitgate audit --local` like any stack, the SAM origin of generated resources in the report', async () => {
    const run = await runCli(['audit', '--stack', stackName, '--local', '--format', 'json'], {
      timeoutMs: 60_000,
    });

    expect([0, 1], run.stderr).toContain(run.code);
    const audited = JSON.parse(run.stdout) as Report;
    expect(audited.trigger).toBe('adhoc');
    expect(
      find(audited, 'iam-policy-no-statements-with-full-access', 'OrdersFunctionRole')?.samResourceId,
    ).toBe('OrdersFunction');
  });
});

describe('fitgate predict --template on a SAM template', () => {
  it('predicts from what the template expands to: SAM origins named, what the emulator cannot hold not predicted', async () => {
    const run = await runCli(['predict', '--template', HOOKS_TEMPLATE, '--format', 'json'], {
      timeoutMs: 150_000,
    });

    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report & { prediction?: { limits: { subject: string }[] } };
    expect(report.trigger).toBe('predict');
    expect(find(report, 'lambda-function-xray-enabled', 'OrdersFunction')?.message).toMatch(
      /^not predicted: the emulator cannot hold TracingConfig Active of OrdersFunction/,
    );
    expect(report.prediction?.limits.map((limit) => limit.subject)).toEqual(
      expect.arrayContaining([
        'OrdersFunctionAliaslive: UpdatePolicy CodeDeployLambdaAliasUpdate',
        'OrdersFunctionDeploymentGroup (AWS::CodeDeploy::DeploymentGroup)',
      ]),
    );
    expect(
      find(report, 'iam-policy-no-statements-with-full-access', 'OrdersFunctionRole')?.samResourceId,
    ).toBe('OrdersFunction');
    expect(find(report, 'lambda-dlq-check', 'OrdersFunction')?.status).toBe('SUPPRESSED');
  }, 160_000);
});
