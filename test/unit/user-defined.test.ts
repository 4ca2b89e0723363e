import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { score } from '../../functions/aggregate/core.ts';
import { catalogOf } from '../../functions/checks/catalog.ts';
import { contractJsonSchemas } from '../../functions/checks/custom/contract.ts';
import { customCheckInput, outcomeOfAnswer } from '../../functions/checks/custom/handler.ts';
import { digestResults } from '../../functions/checks/digest.ts';
import { registry } from '../../functions/checks/registry.ts';
import { isUserCheckId } from '../../functions/checks/user-defined.ts';
import { planWorkItems, routeWorkItems } from '../../functions/list-resources/plan.ts';
import { type GateConfigInput, parseGateConfig, resolveConfig } from '../../functions/shared/config.ts';
import { builtInCheckFunctions } from '../../statemachine/definition.ts';
import type { CheckTaskInput, StackInfo } from '../../statemachine/state.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const STACK: StackInfo = {
  stackName: 'orders',
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/orders/abc',
  accountId: '123456789012',
  region: 'us-east-1',
};

const METRIC = {
  id: 'acme/p99',
  title: 'p99 latency under 500 ms',
  severity: 'high',
  pillar: 'performance',
  metric: { namespace: 'AWS/Lambda', name: 'Duration', dimensions: { FunctionName: 'orders' }, stat: 'p99' },
  comparison: 'GreaterThanThreshold',
  threshold: 500,
} as const;
const FUNCTION = {
  id: 'acme/owner-tag',
  title: 'Buckets name their owner',
  severity: 'low',
  pillar: 'operational-excellence',
  resourceTypes: ['AWS::S3::Bucket'],
  iamActions: ['s3:GetBucketTagging'],
} as const;

const problem = (config: GateConfigInput) => {
  try {
    resolveConfig(config);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
};

describe('user-defined fitness functions in the configuration', () => {
  it('takes metric functions and check functions, and built-in ids cannot collide with them', () => {
    const config = resolveConfig({ checks: { metrics: [METRIC], functions: [FUNCTION] } });

    expect(config.checks.metrics?.[0]?.id).toBe('acme/p99');
    expect(registry.every((check) => !isUserCheckId(check.id) && !check.id.includes('/'))).toBe(true);
  });

  it.each([
    [
      { checks: { metrics: [{ ...METRIC, id: 's3-bucket-logging-enabled' }] } },
      /checks\.metrics\[0\]\.id must be <namespace>\/<name>/,
    ],
    [
      { checks: { metrics: [{ ...METRIC, id: 'Acme/P99' }] } },
      /must be <namespace>\/<name> in lowercase kebab case/,
    ],
    [
      { checks: { metrics: [METRIC], functions: [{ ...FUNCTION, id: 'acme/p99' }] } },
      /fitness function acme\/p99 is declared twice/,
    ],
    [
      { checks: { metrics: [{ ...METRIC, metric: undefined }] } },
      /checks\.metrics\[0\] needs exactly one of metric, expression \(with metrics\) or document/,
    ],
    [{ checks: { metrics: [{ ...METRIC, expression: 'a / b' }] } }, /needs exactly one of metric/],
    [
      { checks: { metrics: [{ ...METRIC, metric: { ...METRIC.metric, stat: 'p999x' } }] } },
      /checks\.metrics\[0\]\.metric\.stat must be a CloudWatch statistic/,
    ],
    [{ checks: { metrics: [{ ...METRIC, comparison: 'Above' }] } }, /checks\.metrics\[0\]\.comparison/],
    [{ checks: { metrics: [{ ...METRIC, missingData: 'PASS' }] } }, /checks\.metrics\[0\]\.missingData/],
    [
      { checks: { metrics: [{ ...METRIC, period: 90 }] } },
      /checks\.metrics\[0\]\.period must be a multiple of 60 seconds/,
    ],
    [
      {
        checks: {
          metrics: [{ ...METRIC, metric: { ...METRIC.metric, dimensions: { Version: '${release}' } } }],
        },
      },
      /dimensions\.Version holds an unknown placeholder/,
    ],
    [
      { checks: { functions: [{ ...FUNCTION, resourceTypes: ['S3 bucket'] }] } },
      /resourceTypes\[0\] must be a CloudFormation type/,
    ],
    [
      { checks: { functions: [{ ...FUNCTION, iamActions: ['*'] }] } },
      /iamActions\[0\] must be an IAM action/,
    ],
    [
      { checks: { disabled: ['acme/nothing'] } },
      /checks\.disabled names acme\/nothing, which no metrics or functions entry declares/,
    ],
    [
      {
        suppressions: [{ checkId: 'acme/nothing', logicalId: 'Bucket', reason: 'accepted for this sprint' }],
      },
      /suppressions name acme\/nothing/,
    ],
  ] as [GateConfigInput, RegExp][])('refuses %j in one line', (config, expected) => {
    const message = problem(config);
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });

  it('accepts a metric-math expression, a CI document, every extended statistic form', () => {
    for (const metric of [
      {
        ...METRIC,
        metric: undefined,
        expression: '100 * errors / invocations',
        metrics: { errors: METRIC.metric, invocations: METRIC.metric },
      },
      {
        ...METRIC,
        metric: undefined,
        document: { bucket: 'ci-measures', key: 'orders/${tag:release}.json', field: 'coverage.lines' },
      },
      ...['p99.9', 'tm90', 'IQM', 'TM(10%:90%)', 'PR(:300)', 'wm98', 'SampleCount'].map((stat) => ({
        ...METRIC,
        metric: { ...METRIC.metric, stat },
      })),
    ]) {
      expect(() => parseGateConfig({ checks: { metrics: [metric] } })).not.toThrow();
    }
  });
});

describe('the catalog of a configuration', () => {
  const config = resolveConfig({ checks: { metrics: [METRIC], functions: [FUNCTION] } });
  const catalog = catalogOf(config.checks);

  it('plans the metric functions on the stack and the check functions on their resource types', () => {
    const items = planWorkItems(
      [{ logicalId: 'Bucket', physicalId: 'orders-bucket', type: 'AWS::S3::Bucket' }],
      STACK,
      'AfterAllowTraffic',
      new Set(),
      catalog,
    );

    expect(items.map((item) => `${item.family}@${item.resource.logicalId}`)).toEqual(
      expect.arrayContaining(['s3@Bucket', 'acme/owner-tag@Bucket', 'metrics@orders']),
    );
    // Routed to the built-in metrics function and the custom family's function.
    const routed = routeWorkItems(items, builtInCheckFunctions());
    const functions = builtInCheckFunctions();
    expect(functions[routed.find((item) => item.family === 'acme/owner-tag')?.fn ?? -1]?.id).toBe('custom');
    expect(functions[routed.find((item) => item.family === 'metrics')?.fn ?? -1]?.id).toBe('metrics');
  });

  it('runs metric functions for every trigger but predict unless they say otherwise', () => {
    expect(catalog.checksFor('metrics', 'AWS::CloudFormation::Stack', 'predict')).toEqual([]);
    expect(
      catalog.checksFor('metrics', 'AWS::CloudFormation::Stack', 'adhoc').map((check) => check.id),
    ).toEqual(['acme/p99']);
  });

  it('scores user-defined results with their own severity and pillar, and waives them like the built-ins', () => {
    const withWaiver = resolveConfig({
      checks: { metrics: [METRIC], functions: [FUNCTION] },
      suppressions: [
        { checkId: 'acme/owner-tag', logicalId: 'Bucket', reason: 'owner tags land next sprint' },
      ],
    });
    const stackResource = {
      logicalId: 'orders',
      physicalId: STACK.stackId,
      type: 'AWS::CloudFormation::Stack',
    };
    const bucket = { logicalId: 'Bucket', physicalId: 'orders-bucket', type: 'AWS::S3::Bucket' };
    const { report } = score({
      stackName: 'orders',
      trigger: 'AfterAllowTraffic',
      config: withWaiver,
      inventory: {
        coverage: {
          resources: 1,
          audited: 1,
          unsupportedTypes: [],
          throughParent: 0,
          notJudged: 0,
          noRisk: 0,
          percent: 100,
          sets: {
            direct: [{ type: 'AWS::S3::Bucket', count: 1 }],
            throughParent: [],
            notJudged: [],
            noRisk: [],
          },
        },
        complexity: 0,
      },
      now: new Date(),
      outcomes: [
        {
          family: 'metrics',
          resource: stackResource,
          digest: digestResults(
            ['acme/p99'],
            [{ checkId: 'acme/p99', status: 'FAIL', message: 'p99 734 ms' }],
          ),
        },
        {
          family: 'acme/owner-tag',
          resource: bucket,
          digest: digestResults(
            ['acme/owner-tag'],
            [{ checkId: 'acme/owner-tag', status: 'FAIL', message: 'no owner' }],
          ),
        },
      ],
    });

    expect(report.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ checkId: 'acme/p99', severity: 'high', status: 'FAIL' }),
        expect.objectContaining({ checkId: 'acme/owner-tag', severity: 'low', status: 'SUPPRESSED' }),
      ]),
    );
    expect(report.pillars).toEqual({ performance: 0 });
    expect(report.quality).toBe(0);
  });
});

describe('the check-function contract', () => {
  it('turns a valid answer into the outcome, cutting what is too large', () => {
    expect(outcomeOfAnswer({ status: 'PASS', message: 'tagged', extra: true }, 'acme/x (fn)')).toEqual({
      status: 'PASS',
      message: 'tagged',
    });
    const long = outcomeOfAnswer(
      { status: 'FAIL', message: 'x'.repeat(5000), evidence: { blob: 'y'.repeat(20_000) } },
      'f',
    );
    expect(long.message).toHaveLength(1000);
    expect(long.evidence).toEqual({ omitted: expect.stringContaining('over 8192 bytes') });
  });

  it.each([
    [null, 'the answer'],
    ['PASS', 'the answer'],
    [{ status: 'pass', message: 'lowercase' }, 'status'],
    [{ status: 'FAIL' }, 'message'],
    [{ status: 'FAIL', message: '' }, 'message'],
    [{ status: 'FAIL', message: 'x', evidence: [1, 2] }, 'evidence'],
  ])('names what is wrong with the answer %j, as an ERROR naming the function', (answer, field) => {
    const outcome = outcomeOfAnswer(answer, 'acme/x (arn:aws:lambda:us-east-1:1:function:x)');
    expect(outcome.status).toBe('ERROR');
    expect(outcome.message).toMatch(
      new RegExp(
        `^check function acme/x \\(arn:aws:lambda:us-east-1:1:function:x\\) answered outside the check-result contract: ${field}`,
      ),
    );
  });

  it("sends the work item, its context and the declaration's params", () => {
    const input: CheckTaskInput = {
      workItem: {
        family: 'acme/owner-tag',
        resource: { logicalId: 'Bucket', physicalId: 'b', type: 'AWS::S3::Bucket' },
        fn: 3,
      },
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:custom',
      stack: STACK,
      trigger: 'adhoc',
      checks: { disabled: [], params: {}, functions: [{ ...FUNCTION, params: { tag: 'owner' } }] as never },
      messageBudget: 100,
    };

    expect(customCheckInput(input, 'acme/owner-tag')).toEqual({
      checkId: 'acme/owner-tag',
      workItem: { family: 'acme/owner-tag', resource: input.workItem.resource },
      stack: STACK,
      trigger: 'adhoc',
      deployment: null,
      params: { tag: 'owner' },
    });
  });

  it('keeps docs/schemas in step with the contract (npm run docs:schemas)', () => {
    for (const [file, schema] of Object.entries(contractJsonSchemas())) {
      const written = JSON.parse(readFileSync(path.join(ROOT, 'docs', 'schemas', file), 'utf8')) as unknown;
      expect(written, `${file} is stale: npm run docs:schemas`).toEqual(schema);
    }
  });
});
