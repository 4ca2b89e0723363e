import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../../cli/emulation/codedeploy-standin.ts';
import { createMetricClients, type MetricClients } from '../../../functions/checks/metrics/clients.ts';
import { makeHandler } from '../../../functions/checks/metrics/handler.ts';
import type { ItemResult } from '../../../functions/checks/types.ts';
import { type MetricFunction, metricFunctionSchema } from '../../../functions/checks/user-defined.ts';
import type { Deployment, StackInfo, Trigger } from '../../../statemachine/state.ts';
import { TEST_STACK } from '../../support/check-harness.ts';
import { registerDeployment, stackResource } from '../../support/deployments.ts';

const NAMESPACE = 'Acme/Orders';
let standIn: CodeDeployStandIn;
let clients: MetricClients;

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  clients = { ...createMetricClients(), codeDeploy: new CodeDeployClient({ endpoint: standIn.endpoint }) };
});
afterAll(async () => {
  await standIn.stop();
});

/** A metric function as a user writes it, validated by the configuration's own schema. */
function fitnessFunction(overrides: Record<string, unknown>): MetricFunction {
  return metricFunctionSchema.parse({
    id: 'acme/orders-latency',
    title: 'Order API latency stays under 500 ms',
    severity: 'high',
    pillar: 'performance',
    metric: { namespace: NAMESPACE, name: 'Latency', dimensions: { Api: 'orders' }, stat: 'Average' },
    comparison: 'GreaterThanThreshold',
    threshold: 500,
    ...overrides,
  });
}

async function evaluate(
  fn: MetricFunction,
  options: { deployment?: Deployment; stack?: StackInfo; trigger?: Trigger; client?: MetricClients } = {},
): Promise<ItemResult> {
  const stack = options.stack ?? TEST_STACK;
  const outcome = await makeHandler(options.client ?? clients)({
    workItem: { family: 'metrics', resource: stackResource(stack.stackId) },
    stack,
    trigger: options.trigger ?? 'adhoc',
    deployment: options.deployment ?? null,
    checks: { disabled: [], params: {}, metrics: [fn] },
  });
  const [result] = outcome.results;
  if (!result || outcome.results.length !== 1)
    throw new Error(`expected one result, got ${outcome.results.length}`);
  return result;
}

async function put(name: string, dimensions: Record<string, string>, values: number[], minutesAgo = 2) {
  await clients.cloudWatch.send(
    new PutMetricDataCommand({
      Namespace: NAMESPACE,
      MetricData: values.map((Value) => ({
        MetricName: name,
        Dimensions: Object.entries(dimensions).map(([Name, value]) => ({ Name, Value: value })),
        Value,
        Timestamp: new Date(Date.now() - minutesAgo * 60_000),
      })),
    }),
  );
}

describe('metric fitness functions (moto CloudWatch)', () => {
  it('passes when the statistic is within the threshold and fails when it breaches', async () => {
    await put('Latency', { Api: 'orders' }, [120, 180]);
    await put('Latency', { Api: 'payments' }, [900, 950]);

    const fast = await evaluate(fitnessFunction({}));
    const slow = await evaluate(
      fitnessFunction({
        metric: { namespace: NAMESPACE, name: 'Latency', dimensions: { Api: 'payments' }, stat: 'Average' },
      }),
    );

    expect(fast).toMatchObject({
      checkId: 'acme/orders-latency',
      status: 'PASS',
      evidence: { values: [150] },
    });
    expect(fast.message).toContain('Average of Acme/Orders Latency over 10 min: 150, within the threshold');
    expect(slow).toMatchObject({ status: 'FAIL', evidence: { values: [925], breaching: 1, threshold: 500 } });
    expect(slow.message).toContain('925, fails when > 500');
  });

  it('reads the comparison as an alarm does: LessThanThreshold fails a value below it', async () => {
    await put('Coverage', { Service: 'orders' }, [71.5]);
    const coverage = fitnessFunction({
      id: 'acme/coverage',
      metric: { namespace: NAMESPACE, name: 'Coverage', dimensions: { Service: 'orders' }, stat: 'Maximum' },
      comparison: 'LessThanThreshold',
      threshold: 80,
    });

    expect((await evaluate(coverage)).status).toBe('FAIL');
    expect((await evaluate({ ...coverage, threshold: 70 })).status).toBe('PASS');
  });

  it('is an ERROR when there is no data (the default), or NOT_APPLICABLE when the function says so, never a pass', async () => {
    const quiet = {
      namespace: NAMESPACE,
      name: 'Latency',
      dimensions: { Api: 'nobody-calls' },
      stat: 'Average',
    };

    const strict = await evaluate(fitnessFunction({ metric: quiet }));
    const lenient = await evaluate(fitnessFunction({ metric: quiet, missingData: 'NOT_APPLICABLE' }));

    expect(strict).toMatchObject({ status: 'ERROR', evidence: { missingData: 'ERROR' } });
    expect(strict.message).toContain('no datapoints');
    expect(lenient).toMatchObject({ status: 'NOT_APPLICABLE', evidence: { missingData: 'NOT_APPLICABLE' } });
  });

  it('fails only when datapointsToFail periods breach, with one datapoint per period', async () => {
    await put('Errors', { Api: 'spiky' }, [9], 3);
    await put('Errors', { Api: 'spiky' }, [1], 6);
    const spiky = fitnessFunction({
      id: 'acme/errors',
      metric: { namespace: NAMESPACE, name: 'Errors', dimensions: { Api: 'spiky' }, stat: 'Sum' },
      period: 60,
      threshold: 5,
    });

    const once = await evaluate(spiky);
    const twice = await evaluate({ ...spiky, datapointsToFail: 2 });

    expect(once).toMatchObject({ status: 'FAIL', evidence: { breaching: 1, period: 60 } });
    expect(twice.status).toBe('PASS');
  });

  it('evaluates a metric-math expression (moto evaluates only an expression that names one query)', async () => {
    await put('Requests', { Api: 'math' }, [40]);

    const result = await evaluate(
      fitnessFunction({
        metric: undefined,
        expression: 'requests',
        metrics: {
          requests: { namespace: NAMESPACE, name: 'Requests', dimensions: { Api: 'math' }, stat: 'Sum' },
        },
        comparison: 'LessThanThreshold',
        threshold: 10,
      }),
    );

    expect(result).toMatchObject({ status: 'PASS', evidence: { values: [40] } });
  });

  it('asks CloudWatch for the percentile itself; moto has no percentiles and answers with an emulator ERROR', async () => {
    await put('Latency', { Api: 'percentiles' }, [100, 200, 300]);

    const result = await evaluate(
      fitnessFunction({
        metric: { namespace: NAMESPACE, name: 'Latency', dimensions: { Api: 'percentiles' }, stat: 'p99' },
      }),
    );

    expect(result.status).toBe('ERROR');
    expect(result.message).toMatch(/^the emulator does not implement a call this check needs/);
  });

  it('judges the p99 CloudWatch returns (a named SDK mock stands in for CloudWatch percentiles)', async () => {
    const cloudWatch = new CloudWatchClient({});
    const mock = mockClient(cloudWatch);
    mock.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'measure', Values: [734] }] });

    const result = await evaluate(
      fitnessFunction({ metric: { namespace: NAMESPACE, name: 'Latency', stat: 'p99' } }),
      { client: { ...clients, cloudWatch } },
    );

    expect(result).toMatchObject({ status: 'FAIL', evidence: { values: [734] } });
    const query = mock.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries?.[0];
    expect(query?.MetricStat).toMatchObject({ Stat: 'p99', Period: 600 });
  });

  it("resolves ${version} and ${deploymentId} from the deployment's AppSpec", async () => {
    const deployment = registerDeployment(standIn, 'orders-fn', { currentVersion: '6', targetVersion: '7' });
    await put('Latency', { Api: 'orders', Version: '7' }, [880]);
    await put('Latency', { Api: 'orders', Version: '6' }, [90]);
    const perVersion = fitnessFunction({
      metric: {
        namespace: NAMESPACE,
        name: 'Latency',
        dimensions: { Api: 'orders', Version: '${version}' },
        stat: 'Average',
      },
    });

    const gated = await evaluate(perVersion, { deployment, trigger: 'AfterAllowTraffic' });
    const adhoc = await evaluate(perVersion);

    expect(gated).toMatchObject({ status: 'FAIL', evidence: { values: [880] } });
    expect(adhoc.status).toBe('NOT_APPLICABLE');
    expect(adhoc.message).toContain('${version} needs a CodeDeploy deployment');
  });

  it('starts the window at the deployment with window.from: deployment', async () => {
    await put('Latency', { Api: 'before-deploy' }, [999], 8);
    const deployment = registerDeployment(standIn, 'window-fn');
    const sinceDeployment = fitnessFunction({
      metric: {
        namespace: NAMESPACE,
        name: 'Latency',
        dimensions: { Api: 'before-deploy' },
        stat: 'Average',
      },
      window: { from: 'deployment', minutes: 30 },
    });

    const fresh = await evaluate(sinceDeployment, { deployment, trigger: 'AfterAllowTraffic' });
    const lookback = await evaluate({ ...sinceDeployment, window: { minutes: 30 } });

    expect(fresh.status).toBe('ERROR');
    expect(fresh.message).toContain('no datapoints');
    expect(lookback.status).toBe('FAIL');
  });

  describe('inputs from CI', () => {
    let taggedStack: StackInfo;
    let untaggedStack: StackInfo;

    beforeAll(async () => {
      const { StackId } = await clients.cloudFormation.send(
        new CreateStackCommand({
          StackName: 'orders-service',
          TemplateBody: JSON.stringify({
            Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'orders-ci' } } },
          }),
          Tags: [{ Key: 'release', Value: 'git-4f2a9c1' }],
        }),
      );
      taggedStack = { ...TEST_STACK, stackName: 'orders-service', stackId: StackId ?? '' };
      const untagged = await clients.cloudFormation.send(
        new CreateStackCommand({
          StackName: 'orders-untagged',
          TemplateBody: JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } }),
        }),
      );
      untaggedStack = { ...TEST_STACK, stackName: 'orders-untagged', stackId: untagged.StackId ?? '' };
      await clients.s3.send(new CreateBucketCommand({ Bucket: 'acme-ci-measures' }));
    });

    it('reads a metric CI published with the release (a stack tag) as its dimension', async () => {
      await put('LineCoverage', { Service: 'orders', Release: 'git-4f2a9c1' }, [64]);
      await put('LineCoverage', { Service: 'orders', Release: 'git-0000000' }, [91]);

      const result = await evaluate(
        fitnessFunction({
          id: 'acme/coverage',
          metric: {
            namespace: NAMESPACE,
            name: 'LineCoverage',
            dimensions: { Service: 'orders', Release: '${tag:release}' },
            stat: 'Maximum',
          },
          window: { minutes: 60 },
          comparison: 'LessThanThreshold',
          threshold: 80,
        }),
        { stack: taggedStack },
      );

      expect(result).toMatchObject({ status: 'FAIL', evidence: { values: [64] } });
    });

    it("reads a number from the release's JSON document in S3", async () => {
      await clients.s3.send(
        new PutObjectCommand({
          Bucket: 'acme-ci-measures',
          Key: 'orders/git-4f2a9c1.json',
          Body: JSON.stringify({ coverage: { lines: 87.2 }, complexity: { max: 31 } }),
        }),
      );
      const fromDocument = (field: string, threshold: number) =>
        fitnessFunction({
          id: 'acme/ci-measure',
          metric: undefined,
          document: { bucket: 'acme-ci-measures', key: 'orders/${tag:release}.json', field },
          comparison: field.startsWith('coverage') ? 'LessThanThreshold' : 'GreaterThanThreshold',
          threshold,
        });

      const coverage = await evaluate(fromDocument('coverage.lines', 80), { stack: taggedStack });
      const complexity = await evaluate(fromDocument('complexity.max', 25), { stack: taggedStack });
      const absentField = await evaluate(fromDocument('coverage.branches', 80), { stack: taggedStack });

      expect(coverage).toMatchObject({
        status: 'PASS',
        evidence: { document: 's3://acme-ci-measures/orders/git-4f2a9c1.json', values: [87.2] },
      });
      expect(complexity.status).toBe('FAIL');
      expect(absentField.status).toBe('ERROR');
      expect(absentField.message).toContain(
        'no coverage.branches in s3://acme-ci-measures/orders/git-4f2a9c1.json',
      );
    });

    it('is missing data when the release has no document, and an ERROR when the document is not JSON', async () => {
      await clients.s3.send(
        new PutObjectCommand({ Bucket: 'acme-ci-measures', Key: 'orders/broken.json', Body: 'coverage: 80' }),
      );
      const document = (key: string) =>
        fitnessFunction({
          metric: undefined,
          document: { bucket: 'acme-ci-measures', key, field: 'coverage.lines' },
          missingData: 'NOT_APPLICABLE',
        });

      const absent = await evaluate(document('orders/never-published.json'));
      const broken = await evaluate(document('orders/broken.json'));

      expect(absent.status).toBe('NOT_APPLICABLE');
      expect(broken).toMatchObject({
        status: 'ERROR',
        message: 's3://acme-ci-measures/orders/broken.json: not JSON',
      });
    });

    it('treats a release tag the stack lacks as missing data', async () => {
      const result = await evaluate(
        fitnessFunction({
          metric: {
            namespace: NAMESPACE,
            name: 'LineCoverage',
            dimensions: { Release: '${tag:release}' },
            stat: 'Maximum',
          },
        }),
        { stack: untaggedStack },
      );

      expect(result.status).toBe('ERROR');
      expect(result.message).toContain('the stack has no tag release');
    });
  });
});
