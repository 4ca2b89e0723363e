/**
 * No way around the gate (issue #10): the real ASL, run in-process by aws-local-stepfunctions against
 * moto and the CodeDeploy stand-in. Every template bypass, malformed metadata, waiver expiry edges,
 * hand-started executions that claim a hook, and nested stacks with colliding logical ids.
 *
 * moto runs no Lambda code, so the smoke invocation of the deployment's target version goes to a
 * named aws-sdk-client-mock of the Lambda client (only Invoke is mocked; everything else is moto).
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../cli/emulation/codedeploy-standin.ts';
import { type DeployResult, deployStack } from '../../cli/emulation/deploy/index.ts';
import { type LocalRunOptions, runGateLocally } from '../../cli/emulation/runner.ts';
import type { CfnTemplate } from '../../cli/emulation/template.ts';
import { fromItem } from '../../functions/aggregate/history.ts';
import { createStackClients } from '../../functions/checks/stack/clients.ts';
import { makeHandler as makeStackChecks } from '../../functions/checks/stack/handler.ts';
import { makeHandler as makeSafetyNet } from '../../functions/safety-net/handler.ts';
import {
  createCodeDeployClient,
  createDynamoDbClient,
  createS3Client,
} from '../../functions/shared/clients.ts';
import type { Report } from '../../statemachine/state.ts';
import { invokeAnswer } from '../support/deployments.ts';
import {
  createHistoryTable,
  HISTORY_TABLE,
  registerDeployment,
  serviceTemplate,
} from '../support/gate-fixtures.ts';

const dynamoDb = createDynamoDbClient();
const cloudFormation = new CloudFormationClient({});
let standIn: CodeDeployStandIn;

// SDK mock: moto has no Lambda runtime, so Invoke of the target version is answered here.
const smokeLambda = new LambdaClient({});
const smokeLambdaMock = mockClient(smokeLambda);

function runOptions(extra: Partial<LocalRunOptions> = {}): LocalRunOptions {
  return {
    historyTableName: HISTORY_TABLE,
    fastRetries: true,
    familyHandlers: { stack: makeStackChecks({ ...createStackClients(), lambda: smokeLambda }) },
    ...extra,
  };
}

function functionOf(deployed: DeployResult): string {
  const fn = deployed.resources.find((r) => r.type === 'AWS::Lambda::Function');
  if (!fn) throw new Error('the fixture has no function');
  return fn.physicalId;
}

/** The template's resource with extra metadata or properties merged in. */
function withResource(template: CfnTemplate, logicalId: string, extra: Record<string, unknown>): CfnTemplate {
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`no ${logicalId}`);
  return { ...template, Resources: { ...template.Resources, [logicalId]: { ...resource, ...extra } } };
}

function reportStatuses(deploymentId: string): string[] {
  return standIn
    .statuses()
    .filter((s) => s.deploymentId === deploymentId)
    .map((s) => s.status);
}

function reportCalls(since: number) {
  return standIn
    .calls()
    .slice(since)
    .filter((c) => c.operation === 'PutLifecycleEventHookExecutionStatus');
}

async function historyOf(stackName: string) {
  const { Items = [] } = await dynamoDb.send(new ScanCommand({ TableName: HISTORY_TABLE }));
  return Items.map(fromItem).filter((record) => record.stackName === stackName);
}

function resultsOf(report: Report | undefined, checkId: string) {
  return (report?.results ?? []).filter((r) => r.checkId === checkId);
}

const today = () => new Date().toISOString().slice(0, 10);
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  process.env.AWS_ENDPOINT_URL_CODEDEPLOY = standIn.endpoint;
  await createHistoryTable(dynamoDb);
});

afterAll(async () => {
  await standIn.stop();
  smokeLambdaMock.restore();
});

beforeEach(() => {
  smokeLambdaMock.reset();
  smokeLambdaMock.on(InvokeCommand).resolves(invokeAnswer({ statusCode: 200 }));
});

describe('nothing in a template hides a resource from the gate', () => {
  it('audits a public read-write bucket that calls itself part of the gate', async () => {
    const template = withResource(serviceTemplate({ publicBucket: true }), 'DataBucket', {
      Metadata: { fitgate: { component: 'gate' } },
    });
    const deployed = await deployStack({ stackName: 'disguised-svc', template });
    const hook = registerDeployment(standIn, functionOf(deployed));

    const run = await runGateLocally(
      { stackName: 'disguised-svc', trigger: 'BeforeAllowTraffic', ...hook },
      runOptions(),
    );

    expect(resultsOf(run.report, 's3-bucket-public-read-prohibited')).toMatchObject([
      { logicalId: 'DataBucket', status: 'FAIL' },
    ]);
    expect(run.report?.decision).toBe('Failed');
    expect(reportStatuses(hook.deploymentId)).toEqual(['Failed']);
  });

  it('leaves out only what the gate lists as its own, in its own stack', async () => {
    const deployed = await deployStack({ stackName: 'gated-svc', template: serviceTemplate() });

    const run = await runGateLocally(
      { stackName: 'gated-svc' },
      runOptions({ gateResources: { stackId: deployed.stackId, logicalIds: ['Fn', 'FnRole'] } }),
    );
    const elsewhere = await runGateLocally(
      { stackName: 'gated-svc' },
      runOptions({ gateResources: { stackId: `${deployed.stackId}-other`, logicalIds: ['Fn', 'FnRole'] } }),
    );

    const audited = new Set(run.report?.results.map((r) => r.logicalId));
    expect(audited.has('Fn')).toBe(false);
    expect(audited.has('FnRole')).toBe(false);
    expect(audited.has('DataBucket')).toBe(true);
    expect(run.report?.notes).toContain('2 resources of the fitness gate itself are not audited');
    expect(new Set(elsewhere.report?.results.map((r) => r.logicalId)).has('Fn')).toBe(true);
  });
});

describe('template waivers are validated like configuration waivers', () => {
  it('maps cdk-nag acknowledgements by exact rule id only', async () => {
    const template = withResource(serviceTemplate({ publicBucket: true }), 'DataBucket', {
      Metadata: {
        cdk_nag: {
          rules_to_suppress: [
            { id: '.*', reason: 'every rule, on every finding, forever' },
            { id: 'SH', reason: 'all Security Hub controls at once' },
            { id: 'AwsSolutions', reason: 'the whole AwsSolutions pack' },
            { id: 'AwsSolutions-S1', reason: 'this is the access-log bucket itself' },
            { id: 'AwsSolutions-IAM5', reason: 'a partial acknowledgement', applies_to: ['Resource::*'] },
          ],
        },
      },
    });
    await deployStack({ stackName: 'nag-svc', template });

    const run = await runGateLocally({ stackName: 'nag-svc' }, runOptions());

    const suppressed = (run.report?.results ?? []).filter((r) => r.status === 'SUPPRESSED');
    expect(suppressed.map((r) => r.checkId)).toEqual(['s3-bucket-logging-enabled']);
    expect(resultsOf(run.report, 's3-bucket-public-read-prohibited')[0]?.status).toBe('FAIL');
    expect(run.report?.notes).toEqual(
      expect.arrayContaining([
        'cdk-nag acknowledgement ".*" on DataBucket names no fitgate check: ignored',
        'cdk-nag acknowledgement "SH" on DataBucket names no fitgate check: ignored',
        'cdk-nag acknowledgement "AwsSolutions-IAM5" on DataBucket covers some findings only: it waives no fitgate check',
      ]),
    );
  });

  it('reports invalid waivers and does not apply them; malformed metadata is a note, not a crash', async () => {
    let template = withResource(serviceTemplate(), 'DataBucket', {
      Metadata: {
        fitgate: {
          suppressions: [
            null,
            'not-an-object',
            { checkId: 's3-bucket-replication-enabled' },
            { checkId: 's3-bucket-logging-enabled', reason: 'ok', owner: 'ops' },
            { checkId: 's3-bucket-*', reason: 'every bucket check at once' },
            { checkId: 's3-bucket-logging-enabled', reason: 'logs \u001b[31mhere\u001b[0m are fine' },
            { checkId: 's3-bucket-logging-enabled', reason: 'logs go elsewhere', expiry: '2999-01-01' },
          ],
        },
        cdk_nag: { rules_to_suppress: { id: 'AwsSolutions-S1', reason: 'an object, not a list' } },
      },
    });
    template = withResource(template, 'FnRole', { Metadata: { fitgate: 'gate' } });
    await deployStack({ stackName: 'malformed-svc', template });

    const run = await runGateLocally({ stackName: 'malformed-svc' }, runOptions());

    expect(run.status).toBe('SUCCEEDED');
    expect(run.report?.summary.SUPPRESSED).toBe(0);
    expect(run.report?.waivers.invalid).toEqual([
      's3-bucket-replication-enabled@DataBucket (metadata): reason is required',
      's3-bucket-logging-enabled@DataBucket (metadata): reason needs at least 10 characters: say why the finding is accepted',
      's3-bucket-*@DataBucket (metadata): checkId must be a known check id (got "s3-bucket-*")',
      's3-bucket-logging-enabled@DataBucket (metadata): reason must not hold control characters',
      's3-bucket-logging-enabled@DataBucket (metadata): unknown key expiry (expected checkId, logicalId, reason, owner, expires)',
    ]);
    expect(run.report?.notes).toEqual(
      expect.arrayContaining([
        'Metadata.fitgate.suppressions[0] of DataBucket is not an object (got null): ignored',
        'Metadata.fitgate.suppressions[1] of DataBucket is not an object (got "not-an-object"): ignored',
        expect.stringMatching(/^Metadata\.cdk_nag\.rules_to_suppress of DataBucket is not a list/),
        'Metadata.fitgate of FnRole is not an object (got "gate"): ignored',
      ]),
    );
    expect(run.report?.reasons.some((reason) => reason.startsWith('invalid waivers, not applied: '))).toBe(
      true,
    );
  });

  it('applies a date-only expiry through that day, and never an expired or unreadable one', async () => {
    const waive = (checkId: string, expires: string) => ({
      checkId,
      reason: 'accepted until the migration lands',
      expires,
    });
    const template = withResource(serviceTemplate(), 'DataBucket', {
      Metadata: {
        fitgate: {
          suppressions: [
            waive('s3-bucket-logging-enabled', today()),
            waive('s3-bucket-replication-enabled', daysFromNow(-1)),
            waive('s3-bucket-level-public-access-prohibited', `${daysFromNow(-1)}T23:59:59+00:00`),
            waive('s3-default-encryption-kms', `${daysFromNow(1)}T00:00`),
            waive('s3-version-lifecycle-policy-check', '31/12/2999'),
          ],
        },
      },
    });
    await deployStack({ stackName: 'expiring-svc', template });

    const run = await runGateLocally({ stackName: 'expiring-svc' }, runOptions());

    expect(resultsOf(run.report, 's3-bucket-logging-enabled')[0]?.status).toBe('SUPPRESSED');
    expect(resultsOf(run.report, 's3-bucket-replication-enabled')[0]?.status).not.toBe('SUPPRESSED');
    expect(run.report?.waivers.expired).toEqual([
      `s3-bucket-replication-enabled@DataBucket (expired ${daysFromNow(-1)})`,
      `s3-bucket-level-public-access-prohibited@DataBucket (expired ${daysFromNow(-1)}T23:59:59+00:00)`,
    ]);
    expect(run.report?.waivers.invalid).toEqual([
      expect.stringMatching(
        /^s3-default-encryption-kms@DataBucket \(metadata\): expires must be an ISO 8601 date/,
      ),
      expect.stringMatching(/^s3-version-lifecycle-policy-check@DataBucket \(metadata\): expires must be/),
    ]);
  });
});

describe('an execution started by hand cannot speak for CodeDeploy', () => {
  it('runs a hook-triggered input without a real deployment as ad-hoc: no report, no baseline', async () => {
    await deployStack({ stackName: 'forged-svc', template: serviceTemplate({ publicBucket: true }) });
    const before = standIn.calls().length;

    const run = await runGateLocally(
      {
        stackName: 'forged-svc',
        trigger: 'BeforeAllowTraffic',
        deploymentId: 'd-FORGED0001',
        hookExecutionId: 'made-up',
        policy: { failOnCritical: false, maxRegression: 100, minFitness: 0 },
      },
      runOptions(),
    );

    expect(run.status).toBe('SUCCEEDED');
    expect(run.report?.trigger).toBe('adhoc');
    expect(run.report?.notes[0]).toMatch(
      /^started as a BeforeAllowTraffic hook run, but CodeDeploy has no deployment d-FORGED0001 .*: audited as an ad-hoc run/,
    );
    expect(reportCalls(before)).toEqual([]);
    expect(await historyOf('forged-svc')).toMatchObject([
      { trigger: 'adhoc', accepted: false, deploymentId: undefined },
    ]);
  });

  it('does not speak for a deployment whose hook already has its status', async () => {
    const deployed = await deployStack({ stackName: 'late-svc', template: serviceTemplate() });
    // With an AfterAllowTraffic hook still to come, the deployment stays InProgress after this one.
    const { deploymentId, hookExecutionId } = registerDeployment(standIn, functionOf(deployed), {
      postTraffic: true,
    });
    const hook = { deploymentId, hookExecutionId };
    await runGateLocally({ stackName: 'late-svc', trigger: 'BeforeAllowTraffic', ...hook }, runOptions());
    const before = standIn.calls().length;

    const again = await runGateLocally(
      { stackName: 'late-svc', trigger: 'BeforeAllowTraffic', ...hook },
      runOptions(),
    );

    expect(again.report?.trigger).toBe('adhoc');
    expect(again.report?.notes[0]).toMatch(/is not waiting for its BeforeAllowTraffic hook/);
    expect(reportCalls(before)).toEqual([]);
  });

  it('does not vouch for one stack by auditing another', async () => {
    const clean = await deployStack({ stackName: 'clean-other-svc', template: serviceTemplate() });
    const risky = await deployStack({ stackName: 'risky-svc', template: serviceTemplate() });
    const hook = registerDeployment(standIn, functionOf(risky));
    const before = standIn.calls().length;

    const run = await runGateLocally(
      { stackName: clean.stackName, trigger: 'BeforeAllowTraffic', ...hook },
      runOptions(),
    );

    expect(run.report?.trigger).toBe('adhoc');
    expect(run.report?.notes[0]).toMatch(/which is not a function of stack clean-other-svc/);
    expect(reportCalls(before)).toEqual([]);
  });

  it('lets the input policy only tighten a real hook run, and says what it ignored', async () => {
    const deployed = await deployStack({
      stackName: 'loosened-svc',
      template: serviceTemplate({ publicBucket: true }),
    });
    const hook = registerDeployment(standIn, functionOf(deployed));

    const run = await runGateLocally(
      {
        stackName: 'loosened-svc',
        trigger: 'BeforeAllowTraffic',
        ...hook,
        policy: { failOnCritical: false, allowCriticalSuppressions: true, minFitness: 99 },
      },
      runOptions(),
    );

    expect(run.report?.trigger).toBe('BeforeAllowTraffic');
    expect(run.report?.decision).toBe('Failed');
    expect(run.report?.reasons[0]).toMatch(/^critical s3-bucket-public-read-prohibited failed on DataBucket/);
    expect(run.report?.reasons.some((r) => /below the minimum 99/.test(r))).toBe(true);
    expect(run.report?.notes[0]).toBe(
      "execution input policy ignored for this hook-triggered run, which it may only make stricter: policy.failOnCritical false (the gate's true stays); policy.allowCriticalSuppressions true (the gate's false stays)",
    );
    expect(reportStatuses(hook.deploymentId)).toEqual(['Failed']);
  });

  it('reports nothing when a hand-started hook claim fails, before or after ListResources', async () => {
    await deployStack({ stackName: 'failing-forged-svc', template: serviceTemplate() });
    const before = standIn.calls().length;
    const claim = { trigger: 'BeforeAllowTraffic', deploymentId: 'd-FORGED0002', hookExecutionId: 'made-up' };

    const missingStack = await runGateLocally({ stackName: 'no-such-stack', ...claim }, runOptions());
    const brokenAggregate = await runGateLocally(
      { stackName: 'failing-forged-svc', ...claim },
      runOptions({ overrides: { Aggregate: async () => Promise.reject(new Error('injected')) } }),
    );

    expect(missingStack.status).toBe('FAILED');
    expect(brokenAggregate.status).toBe('FAILED');
    expect(reportCalls(before)).toEqual([]);
  });

  it('keeps the EventBridge safety net from reporting for a claim the run did not confirm', async () => {
    // A real hook, waiting, of another stack: the most a hand-started run can borrow.
    const target = await deployStack({ stackName: 'borrowed-hook-svc', template: serviceTemplate() });
    await deployStack({ stackName: 'borrowing-svc', template: serviceTemplate() });
    const hook = registerDeployment(standIn, functionOf(target));
    const input = { stackName: 'borrowing-svc', trigger: 'BeforeAllowTraffic' as const, ...hook };

    const run = await runGateLocally(
      input,
      runOptions({ overrides: { Aggregate: async () => Promise.reject(new Error('injected')) } }),
    );
    // What EventBridge delivers for that execution ("Step Functions Execution Status Change").
    const net = await makeSafetyNet({ codeDeploy: createCodeDeployClient() })({
      detail: { status: run.status, input: JSON.stringify(input), error: run.error?.Error ?? null },
    });

    expect(run.status).toBe('FAILED');
    expect(run.error?.Error).toBe('FitnessAuditFailed');
    expect(net).toEqual({ reported: 'nothing owed' });
    expect(reportStatuses(hook.deploymentId)).toEqual([]);
  });

  it('still reports Failed for a real hook whose audit fails after ListResources', async () => {
    const deployed = await deployStack({ stackName: 'real-failing-svc', template: serviceTemplate() });
    const hook = registerDeployment(standIn, functionOf(deployed));

    const run = await runGateLocally(
      { stackName: 'real-failing-svc', trigger: 'BeforeAllowTraffic', ...hook },
      runOptions({ overrides: { Aggregate: async () => Promise.reject(new Error('injected')) } }),
    );

    expect(run.status).toBe('FAILED');
    expect(reportStatuses(hook.deploymentId)).toEqual(['Failed']);
  });
});

describe('nested stacks', () => {
  const TEMPLATE_BUCKET = 'fitgate-nested-templates';

  function childTemplate(waived: boolean): CfnTemplate {
    return {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        Bucket: {
          Type: 'AWS::S3::Bucket',
          ...(waived
            ? {
                Metadata: {
                  fitgate: {
                    suppressions: [
                      { checkId: 's3-bucket-versioning-enabled', reason: 'scratch data, rebuilt nightly' },
                    ],
                  },
                },
              }
            : {}),
        },
      },
    };
  }

  async function createNestedStack(stackName: string): Promise<void> {
    const s3 = createS3Client();
    await s3.send(new CreateBucketCommand({ Bucket: TEMPLATE_BUCKET }));
    for (const [key, waived] of [
      ['a.json', true],
      ['b.json', false],
    ] as const) {
      await s3.send(
        new PutObjectCommand({
          Bucket: TEMPLATE_BUCKET,
          Key: key,
          Body: JSON.stringify(childTemplate(waived)),
        }),
      );
    }
    const nested = (key: string) => ({
      Type: 'AWS::CloudFormation::Stack',
      Properties: { TemplateURL: `https://${TEMPLATE_BUCKET}.s3.amazonaws.com/${key}` },
    });
    // A plain CreateStack, as a user would: the parent holds two children, each with a `Bucket`.
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: JSON.stringify({ Resources: { ChildA: nested('a.json'), ChildB: nested('b.json') } }),
      }),
    );
    for (let attempt = 0; attempt < 100; attempt++) {
      const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
      if (!Stacks?.[0]?.StackStatus?.endsWith('IN_PROGRESS')) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('keys results, waivers and coverage by nested path; stack-wide checks run once', async () => {
    await createNestedStack('nested-svc');

    const run = await runGateLocally({ stackName: 'nested-svc' }, runOptions());

    expect(run.status).toBe('SUCCEEDED');
    const versioning = resultsOf(run.report, 's3-bucket-versioning-enabled');
    expect(versioning.map((r) => [r.logicalId, r.status]).sort()).toEqual([
      ['ChildA/Bucket', 'SUPPRESSED'],
      ['ChildB/Bucket', 'FAIL'],
    ]);
    expect(run.report?.coverage.audited).toBe(2);
    expect(run.report?.waivers.unmatched).toEqual([]);
    expect(run.report?.diff.new ?? []).not.toContain('s3-bucket-versioning-enabled@Bucket');
    for (const stackCheck of [
      'cloudformation-termination-protection-check',
      's3-account-level-public-access-blocks-periodic',
    ]) {
      expect(resultsOf(run.report, stackCheck).map((r) => r.logicalId)).toEqual(['nested-svc']);
    }
    const [record] = await historyOf('nested-svc');
    expect(record?.findings).toContain('s3-bucket-versioning-enabled@ChildB/Bucket');
    expect(record?.findings).not.toContain('s3-bucket-versioning-enabled@ChildA/Bucket');
  });
});
