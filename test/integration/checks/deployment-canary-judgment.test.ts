import {
  CloudWatchClient,
  type Dimension,
  GetMetricDataCommand,
  type MetricDatum,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../../cli/emulation/codedeploy-standin.ts';
import { runWorkItem } from '../../../functions/checks/run.ts';
import { createStackClients, type StackClients } from '../../../functions/checks/stack/clients.ts';
import { rules } from '../../../functions/checks/stack/handler.ts';
import type { CheckParams, ItemResult } from '../../../functions/checks/types.ts';
import { TEST_STACK } from '../../support/check-harness.ts';
import { registerDeployment, stackResource, versionDimensions } from '../../support/deployments.ts';

// Per-minute AWS/Lambda metrics of two versions are put into moto with PutMetricData; the check reads
// them back with its own GetMetricData (Period 60) and judges version 2 against version 1.
const CHECK = 'deployment-canary-judgment';
const FIXED = [
  'deployment-target-error-rate',
  'deployment-target-throttles',
  'deployment-target-duration-regression',
];
const MINUTE = 60_000;
let standIn: CodeDeployStandIn;
let clients: StackClients;

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  clients = { ...createStackClients(), codeDeploy: new CodeDeployClient({ endpoint: standIn.endpoint }) };
});
afterAll(async () => {
  await standIn.stop();
});

/** A deployment of `functionName`'s alias `live` from version 1 to 2, created `minutesAgo` minutes ago. */
function deployment(
  functionName: string,
  minutesAgo = 15,
  versions = { currentVersion: '1', targetVersion: '2' },
) {
  return registerDeployment(standIn, functionName, {
    ...versions,
    createTime: new Date(Date.now() - minutesAgo * MINUTE),
  });
}

/** The middle of the minute `minutesAgo` complete minutes back, so a datapoint never straddles two. */
function minuteAgo(minutesAgo: number): Date {
  return new Date((Math.floor(Date.now() / MINUTE) - minutesAgo) * MINUTE + 30_000);
}

interface Traffic {
  readonly calls: number;
  readonly errors?: (minute: number) => number;
  readonly durationMs?: (minute: number) => number;
}

/** One datapoint a minute of Invocations, Errors and Duration for a version, `minutes` minutes back. */
async function traffic(functionName: string, version: string, minutes: readonly number[], shape: Traffic) {
  const dimensions = versionDimensions(functionName, version);
  const data: MetricDatum[] = minutes.flatMap((minutesAgo) => [
    {
      MetricName: 'Invocations',
      Dimensions: dimensions,
      Value: shape.calls,
      Unit: 'Count',
      Timestamp: minuteAgo(minutesAgo),
    },
    ...(shape.errors
      ? [
          {
            MetricName: 'Errors',
            Dimensions: dimensions,
            Value: shape.errors(minutesAgo),
            Unit: 'Count' as const,
            Timestamp: minuteAgo(minutesAgo),
          },
        ]
      : []),
    ...(shape.durationMs
      ? [
          {
            MetricName: 'Duration',
            Dimensions: dimensions,
            Value: shape.durationMs(minutesAgo),
            Unit: 'Milliseconds' as const,
            Timestamp: minuteAgo(minutesAgo),
          },
        ]
      : []),
  ]);
  await put('AWS/Lambda', data);
}

async function put(namespace: string, data: MetricDatum[]) {
  for (let offset = 0; offset < data.length; offset += 500) {
    await clients.cloudWatch.send(
      new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(offset, offset + 500) }),
    );
  }
}

const SHIFT = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/** Runs the stack work item of an AfterAllowTraffic hook: the judgment and the fixed checks together. */
async function afterAllowTraffic(
  deploymentId: string,
  params: Record<string, CheckParams> = {},
  disabled: readonly string[] = [],
  using: StackClients = clients,
): Promise<Record<string, ItemResult>> {
  const outcome = await runWorkItem('stack', rules, using, {
    workItem: { family: 'stack', resource: stackResource() },
    stack: TEST_STACK,
    trigger: 'AfterAllowTraffic',
    deployment: { deploymentId },
    checks: {
      // The stack's own checks read CloudFormation, which this test does not set up.
      disabled: [
        ...Object.keys(rules).filter((id) => !id.startsWith('deployment-')),
        'deployment-target-smoke-invoke',
        ...disabled,
      ],
      params,
    },
  });
  return Object.fromEntries(outcome.results.map((result) => [result.checkId, result]));
}

// moto 5.2.1 answers percentile statistics with HTTP 500: the moto tests judge the Average duration.
const AVERAGE = { [CHECK]: { durationStat: 'Average' } };

describe(`${CHECK} (moto metrics, CodeDeploy stand-in)`, () => {
  it('fails a target version with a clearly higher error rate, and the fixed error-rate check stands aside', async () => {
    const { deploymentId } = deployment('worse');
    await traffic('worse', '1', SHIFT, {
      calls: 90,
      errors: (minute) => (minute % 4 === 0 ? 1 : 0),
      durationMs: (m) => 100 + m,
    });
    await traffic('worse', '2', SHIFT, {
      calls: 10,
      errors: (minute) => 1 + (minute % 3),
      durationMs: (m) => 101 + m,
    });

    const results = await afterAllowTraffic(deploymentId, AVERAGE);

    const judgment = results[CHECK];
    expect(judgment?.status).toBe('FAIL');
    expect(judgment?.message).toMatch(
      /^version 2 vs 1 of worse:live over 1[45] minute\(s\) of the shift: errorRate FAIL: significantly worse \(p=[\d.e-]+ < 0\.05\), mean by \d+% \(U=144, n=12\/12, median 20% vs 0%\)/,
    );
    expect(judgment?.message).toContain('duration PASS');
    expect(judgment?.message).toContain(
      'throttles INCONCLUSIVE: Lambda published no Throttles per ExecutedVersion',
    );
    expect(judgment?.evidence).toMatchObject({
      targetVersion: '2',
      currentVersion: '1',
      alpha: 0.05,
      metrics: {
        errorRate: {
          verdict: 'FAIL',
          u: 144,
          method: 'asymptotic',
          target: { samples: 12, median: 0.2 },
          baseline: { samples: 12, median: 0 },
        },
        duration: { verdict: 'PASS', target: { samples: 12 }, baseline: { samples: 12 } },
        throttles: { verdict: 'INCONCLUSIVE' },
      },
    });
    // Conclusive for errors and duration: those fixed checks defer; throttles stays with its fixed check.
    expect(results['deployment-target-error-rate']).toMatchObject({
      status: 'NOT_APPLICABLE',
      evidence: { decidedBy: CHECK, metric: 'errorRate', verdict: 'FAIL' },
    });
    expect(results['deployment-target-error-rate']?.message).toMatch(
      /^decided by deployment-canary-judgment, conclusive for errorRate \(FAIL: /,
    );
    expect(results['deployment-target-duration-regression']).toMatchObject({
      status: 'NOT_APPLICABLE',
      evidence: { verdict: 'PASS' },
    });
    expect(results['deployment-target-throttles']?.status).toBe('PASS');
  });

  it('passes versions that behave alike', async () => {
    const { deploymentId } = deployment('alike');
    const errors = (minute: number) => (minute % 5 === 0 ? 1 : 0);
    await traffic('alike', '1', SHIFT, { calls: 100, errors, durationMs: (m) => 120 + ((m * 7) % 11) });
    await traffic('alike', '2', SHIFT, {
      calls: 100,
      errors: (m) => errors(m + 1),
      durationMs: (m) => 120 + ((m * 5) % 11),
    });

    const results = await afterAllowTraffic(deploymentId, AVERAGE);

    expect(results[CHECK]?.status).toBe('PASS');
    expect(results[CHECK]?.message).toMatch(/errorRate PASS: no significant worsening \(p=[\d.]+ ≥ 0\.05\)/);
    expect(results[CHECK]?.message).toContain(
      'Inconclusive for throttles (policy: NOT_APPLICABLE); deployment-target-throttles decide(s) instead.',
    );
    expect(results['deployment-target-error-rate']?.evidence).toMatchObject({
      decidedBy: CHECK,
      verdict: 'PASS',
    });
  });

  it('is inconclusive without data: NOT_APPLICABLE by default, with the reason; the fixed checks decide', async () => {
    const { deploymentId } = deployment('silent');

    const results = await afterAllowTraffic(deploymentId, AVERAGE);

    expect(results[CHECK]?.status).toBe('NOT_APPLICABLE');
    expect(results[CHECK]?.message).toContain(
      'errorRate INCONCLUSIVE: 0 target and 0 baseline samples, fewer than the 5 each needs',
    );
    expect(results[CHECK]?.message).toContain(
      'Inconclusive for errorRate, duration, throttles (policy: NOT_APPLICABLE)',
    );
    expect(results['deployment-target-error-rate']?.message).toMatch(
      /was not invoked in the last 10 minutes/,
    );
    expect(results['deployment-target-duration-regression']?.message).toContain(
      'both versions need Duration data',
    );
  });

  it.each([['ERROR'], ['FAIL'], ['PASS']])(
    'reports an inconclusive judgment as %s when the policy says so',
    async (policy) => {
      const { deploymentId } = deployment(`policy-${policy.toLowerCase()}`);

      const results = await afterAllowTraffic(deploymentId, {
        [CHECK]: { ...AVERAGE[CHECK], inconclusive: policy },
      });

      expect(results[CHECK]?.status).toBe(policy);
      expect(results[CHECK]?.evidence).toMatchObject({ inconclusive: policy });
    },
  );

  it('is inconclusive with fewer shared minutes than minSamples: an all-at-once shift leaves the baseline none', async () => {
    const { deploymentId } = deployment('all-at-once');
    await traffic('all-at-once', '1', [11, 12], { calls: 100, errors: () => 0 });
    await traffic('all-at-once', '2', SHIFT, { calls: 100, errors: () => 30 });

    const results = await afterAllowTraffic(deploymentId, { [CHECK]: { metrics: ['errorRate'] } });

    expect(results[CHECK]?.status).toBe('NOT_APPLICABLE');
    expect(results[CHECK]?.message).toContain('2 target and 2 baseline samples, fewer than the 5 each needs');
    // The fixed threshold is the fallback, and it catches the 30% error rate.
    expect(results['deployment-target-error-rate']?.status).toBe('FAIL');
  });

  it('reads the shift from the deployment’s createTime: minutes before it do not count', async () => {
    const { deploymentId } = deployment('recent', 6);
    const before = [7, 8, 9, 10, 11, 12, 13, 14];
    await traffic('recent', '1', before, { calls: 100, errors: () => 0 });
    await traffic('recent', '2', before, { calls: 100, errors: () => 40 });

    const results = await afterAllowTraffic(deploymentId, { [CHECK]: { metrics: ['errorRate'] } });

    expect(results[CHECK]?.evidence).toMatchObject({
      window: { minutes: 6 },
      metrics: { errorRate: { verdict: 'INCONCLUSIVE' } },
    });
  });

  it('is inconclusive for a deployment created this minute (no complete minute; CloudWatch refuses StartTime = EndTime)', async () => {
    const { deploymentId } = deployment('just-now', 0);

    const results = await afterAllowTraffic(deploymentId, AVERAGE);

    expect(results[CHECK]?.status).toBe('NOT_APPLICABLE');
    // 0, or 1 if the minute turned between the deployment and the check.
    const window = results[CHECK]?.evidence?.window as { minutes: number } | undefined;
    expect(window?.minutes).toBeLessThanOrEqual(1);
  });

  it('judges a user metric with a ${version} dimension', async () => {
    const { deploymentId } = deployment('shop');
    await traffic('shop', '1', SHIFT, { calls: 50 });
    await traffic('shop', '2', SHIFT, { calls: 50 });
    const latency = (version: string, ms: (minute: number) => number): MetricDatum[] =>
      SHIFT.map((minutesAgo) => ({
        MetricName: 'CheckoutLatency',
        Dimensions: [
          { Name: 'Service', Value: 'checkout' },
          { Name: 'Version', Value: `shop:${version}` },
        ],
        Value: ms(minutesAgo),
        Unit: 'Milliseconds',
        Timestamp: minuteAgo(minutesAgo),
      }));
    await put('Shop', [...latency('1', (m) => 200 + m), ...latency('2', (m) => 320 + m)]);
    const userMetrics = JSON.stringify([
      {
        name: 'checkoutLatency',
        namespace: 'Shop',
        metricName: 'CheckoutLatency',
        dimensions: { Service: 'checkout', Version: '${functionName}:${version}' },
        stat: 'Average',
        direction: 'higher',
      },
    ]);

    const results = await afterAllowTraffic(deploymentId, { [CHECK]: { metrics: [], userMetrics } });

    expect(results[CHECK]?.status).toBe('FAIL');
    expect(results[CHECK]?.message).toMatch(
      /checkoutLatency FAIL: significantly worse .* \(U=144, n=12\/12, median 326\.5 vs 206\.5\)/,
    );
    // The fixed checks are not judged, so they decide as before.
    expect(results['deployment-target-error-rate']?.status).toBe('PASS');
  });

  it('is an ERROR naming the parameter when a user metric is malformed', async () => {
    const { deploymentId } = deployment('malformed');
    const userMetrics = JSON.stringify([
      {
        name: 'x',
        namespace: 'Shop',
        metricName: 'M',
        dimensions: { Service: 'a' },
        stat: 'Average',
        direction: 'higher',
      },
    ]);

    const results = await afterAllowTraffic(deploymentId, { [CHECK]: { userMetrics } });

    expect(results[CHECK]).toMatchObject({ status: 'ERROR' });
    expect(results[CHECK]?.message).toContain(
      'parameter userMetrics: 0: a dimension value must hold ${version}',
    );
    // The fixed thresholds still decide when the judgment cannot be read.
    expect(results['deployment-target-error-rate']?.status).toBe('NOT_APPLICABLE');
    expect(results['deployment-target-error-rate']?.message).not.toContain('decided by');
  });

  it('is not applicable when the deployment has no previous version, or without a deployment', async () => {
    const { deploymentId } = deployment('first', 15, { currentVersion: '3', targetVersion: '3' });

    const results = await afterAllowTraffic(deploymentId);
    const adhoc = await runWorkItem('stack', rules, clients, {
      workItem: { family: 'stack', resource: stackResource() },
      stack: TEST_STACK,
      trigger: 'AfterAllowTraffic',
      checks: { disabled: Object.keys(rules).filter((id) => id !== CHECK), params: {} },
    });

    expect(results[CHECK]).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'the deployment has no previous version to compare with',
    });
    expect(adhoc.results[0]).toMatchObject({ checkId: CHECK, status: 'NOT_APPLICABLE' });
  });

  it('leaves the fixed checks alone when the judgment is disabled', async () => {
    const { deploymentId } = deployment('disabled');
    await traffic('disabled', '1', SHIFT, { calls: 100, errors: () => 0 });
    await traffic('disabled', '2', SHIFT, { calls: 100, errors: () => 5 });

    const results = await afterAllowTraffic(deploymentId, {}, [CHECK]);

    expect(results[CHECK]).toBeUndefined();
    expect(results['deployment-target-error-rate']?.status).toBe('FAIL');
  });
});

describe(`${CHECK} (SDK mock: moto has no percentile statistics)`, () => {
  const cloudWatch = new CloudWatchClient({});
  const mock = mockClient(cloudWatch);
  afterEach(() => mock.reset());

  it('reads Period 60 series of the percentile per version in one GetMetricData call, and fails a slower target', async () => {
    const { deploymentId } = deployment('slower');
    const minutes = SHIFT.map((minutesAgo) => minuteAgo(minutesAgo));
    mock.on(GetMetricDataCommand).callsFake((input) => ({
      MetricDataResults: (input.MetricDataQueries ?? []).map(
        (query: { Id: string; MetricStat: { Metric: { MetricName: string; Dimensions: Dimension[] } } }) => {
          const { MetricName, Dimensions } = query.MetricStat.Metric;
          const target = Dimensions.some((d) => d.Name === 'ExecutedVersion' && d.Value === '2');
          const values = minutes.map((_, index) =>
            MetricName === 'Duration' ? (target ? 260 : 180) + index : MetricName === 'Invocations' ? 10 : 0,
          );
          return MetricName === 'Throttles'
            ? { Id: query.Id, Timestamps: [], Values: [] }
            : { Id: query.Id, Timestamps: minutes, Values: values };
        },
      ),
    }));

    const results = await afterAllowTraffic(deploymentId, {}, FIXED, { ...clients, cloudWatch });

    expect(results[CHECK]?.status).toBe('FAIL');
    expect(results[CHECK]?.message).toMatch(/duration FAIL: .*median 265\.5 ms vs 185\.5 ms/);
    const calls = mock.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    const queries = calls[0]?.args[0].input.MetricDataQueries ?? [];
    expect(queries).toHaveLength(8); // Invocations, Errors, Duration, Throttles × 2 versions
    expect(queries.find((q) => q.MetricStat?.Metric?.MetricName === 'Duration')?.MetricStat).toMatchObject({
      Period: 60,
      Stat: 'p90',
    });
  });
});
