/**
 * A metric fitness function's rule: read the measure (a CloudWatch metric, a metric-math expression,
 * or a number in a JSON document CI wrote to S3) over the function's window, compare it with its
 * threshold, and answer PASS / FAIL, or the function's `missingData` state when there is nothing to
 * compare (never a silent pass). docs/fitness-functions.md documents the semantics.
 */
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { type MetricDataQuery, type MetricStat, paginateGetMetricData } from '@aws-sdk/client-cloudwatch';
import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { readDeploymentTarget } from '../../shared/deployment-target.ts';
import { isAwsError } from '../../shared/errors.ts';
import type { CheckContext, CheckOutcome, CheckRule } from '../types.ts';
import {
  type Comparison,
  DEFAULT_WINDOW_MINUTES,
  type DocumentSource,
  type MetricFunction,
  type MetricStatConfig,
  PLACEHOLDER,
} from '../user-defined.ts';
import type { MetricClients } from './clients.ts';

type Context = CheckContext<MetricClients>;

/** The comparison says when the function fails, as a CloudWatch alarm's ComparisonOperator does. */
const BREACHES: Readonly<Record<Comparison, (value: number, threshold: number) => boolean>> = {
  GreaterThanThreshold: (value, threshold) => value > threshold,
  GreaterThanOrEqualToThreshold: (value, threshold) => value >= threshold,
  LessThanThreshold: (value, threshold) => value < threshold,
  LessThanOrEqualToThreshold: (value, threshold) => value <= threshold,
};
const SYMBOLS: Readonly<Record<Comparison, string>> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
};

/** A value a placeholder needs that this run cannot know; `applicable: false` means no deployment. */
class UnresolvedPlaceholderError extends Error {
  readonly applicable: boolean;
  constructor(message: string, applicable: boolean) {
    super(message);
    this.applicable = applicable;
    this.name = 'UnresolvedPlaceholderError';
  }
}

async function stackTags(context: Context): Promise<Map<string, string>> {
  return context.memo('metrics:stack-tags', async () => {
    const { Stacks } = await context.clients.cloudFormation.send(
      new DescribeStacksCommand({ StackName: context.stack.stackId }),
    );
    return new Map((Stacks?.[0]?.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
  });
}

async function placeholderValue(context: Context, name: string): Promise<string> {
  if (name === 'stackName') return context.stack.stackName;
  if (name.startsWith('tag:')) {
    const key = name.slice('tag:'.length);
    const value = (await stackTags(context)).get(key);
    if (value === undefined) {
      throw new UnresolvedPlaceholderError(`the stack has no tag ${key} (for \${${name}})`, true);
    }
    return value;
  }
  const deploymentId = context.deployment?.deploymentId;
  if (!deploymentId) {
    throw new UnresolvedPlaceholderError(
      `\${${name}} needs a CodeDeploy deployment, and this run has none`,
      false,
    );
  }
  if (name === 'deploymentId') return deploymentId;
  const target = await context.memo(`metrics:deployment-target:${deploymentId}`, () =>
    readDeploymentTarget(context.clients.codeDeploy, deploymentId),
  );
  return name === 'version' ? target.targetVersion : target.functionName;
}

/** Text with every placeholder replaced by this run's value. */
export async function resolvePlaceholders(context: Context, text: string): Promise<string> {
  const names = [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
  const values = new Map<string, string>();
  for (const name of new Set(names)) values.set(name, await placeholderValue(context, name));
  return text.replace(PLACEHOLDER, (_, name: string) => values.get(name) ?? '');
}

export interface Window {
  readonly start: Date;
  readonly end: Date;
  /** Said in the evidence when the window is not what the function asked for. */
  readonly note?: string;
}

/** The window: `minutes` before the run, or since the deployment was created (`from: deployment`). */
export async function windowOf(fn: MetricFunction, context: Context, now = new Date()): Promise<Window> {
  const minutes = fn.window?.minutes ?? DEFAULT_WINDOW_MINUTES;
  const lookback = { start: new Date(now.getTime() - minutes * 60_000), end: now };
  if (fn.window?.from !== 'deployment') return lookback;
  const deploymentId = context.deployment?.deploymentId;
  if (!deploymentId) {
    return {
      ...lookback,
      note: `no deployment: the last ${minutes} minutes instead of since the deployment`,
    };
  }
  const created = await context.memo(`metrics:deployment-created:${deploymentId}`, async () => {
    const { deploymentInfo } = await context.clients.codeDeploy.send(
      new GetDeploymentCommand({ deploymentId }),
    );
    return deploymentInfo?.createTime;
  });
  if (!created) {
    return {
      ...lookback,
      note: `deployment ${deploymentId} has no creation time: the last ${minutes} minutes`,
    };
  }
  // GetMetricData needs StartTime before EndTime; a deployment created a moment ago gets one minute.
  return { start: new Date(Math.min(created.getTime(), now.getTime() - 60_000)), end: now };
}

/** Seconds per datapoint: the function's period, else the whole window as one (rounded up to a minute). */
export function periodOf(fn: MetricFunction, window: Window): number {
  if (fn.period) return fn.period;
  return Math.max(60, Math.ceil((window.end.getTime() - window.start.getTime()) / 60_000) * 60);
}

async function metricStat(context: Context, metric: MetricStatConfig, period: number): Promise<MetricStat> {
  const dimensions = await Promise.all(
    Object.entries(metric.dimensions ?? {}).map(async ([Name, value]) => ({
      Name,
      Value: await resolvePlaceholders(context, value),
    })),
  );
  return {
    Metric: { Namespace: metric.namespace, MetricName: metric.name, Dimensions: dimensions },
    Period: period,
    Stat: metric.stat,
    ...(metric.unit ? { Unit: metric.unit as MetricStat['Unit'] } : {}),
  };
}

/**
 * The GetMetricData queries: one MetricStat, or the expression's metrics (ReturnData false) and the
 * expression itself, the only query whose values come back.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html
 */
export async function metricQueries(
  context: Context,
  fn: MetricFunction,
  period: number,
): Promise<MetricDataQuery[]> {
  if (fn.metric) return [{ Id: 'measure', MetricStat: await metricStat(context, fn.metric, period) }];
  const inputs = await Promise.all(
    Object.entries(fn.metrics ?? {}).map(async ([Id, metric]) => ({
      Id,
      MetricStat: await metricStat(context, metric, period),
      ReturnData: false,
    })),
  );
  return [
    ...inputs,
    {
      Id: 'measure',
      Expression: await resolvePlaceholders(context, fn.expression ?? ''),
      Period: period,
      ReturnData: true,
    },
  ];
}

async function metricValues(context: Context, fn: MetricFunction, window: Window): Promise<number[]> {
  const period = periodOf(fn, window);
  const queries = await metricQueries(context, fn, period);
  const values: number[] = [];
  for await (const page of paginateGetMetricData(
    { client: context.clients.cloudWatch },
    {
      StartTime: window.start,
      EndTime: window.end,
      ScanBy: 'TimestampDescending',
      MetricDataQueries: queries,
    },
  )) {
    for (const result of page.MetricDataResults ?? []) {
      if (result.Id === 'measure') values.push(...(result.Values ?? []).filter(Number.isFinite));
    }
  }
  return values;
}

/** The largest document the evaluator reads: a measures file, not an artifact. */
export const MAX_DOCUMENT_BYTES = 256 * 1024;

/** The number at `field` of a JSON document in S3, or undefined when the object or the field is missing. */
async function documentValue(
  context: Context,
  source: DocumentSource,
): Promise<{ value: number | undefined; location: string; problem?: string }> {
  const key = await resolvePlaceholders(context, source.key);
  const location = `s3://${source.bucket}/${key}`;
  let text: string;
  try {
    const object = await context.clients.s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: key }));
    if ((object.ContentLength ?? 0) > MAX_DOCUMENT_BYTES) {
      return { value: undefined, location, problem: `larger than ${MAX_DOCUMENT_BYTES} bytes` };
    }
    text = (await object.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    if (isAwsError(error, 'NoSuchKey', 'NotFound')) return { value: undefined, location };
    throw error;
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { value: undefined, location, problem: 'not JSON' };
  }
  let node: unknown = document;
  for (const part of source.field.split('.')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  }
  if (node === undefined || node === null) return { value: undefined, location };
  if (typeof node !== 'number' || !Number.isFinite(node)) {
    return {
      value: undefined,
      location,
      problem: `${source.field} is not a number (${JSON.stringify(node)?.slice(0, 40)})`,
    };
  }
  return { value: node, location };
}

function describeSource(fn: MetricFunction, resolvedDocument?: string): string {
  if (fn.metric) return `${fn.metric.stat} of ${fn.metric.namespace} ${fn.metric.name}`;
  if (fn.document) return `${fn.document.field} in ${resolvedDocument ?? fn.document.key}`;
  return `${fn.expression}`;
}

function missing(fn: MetricFunction, what: string, evidence: Record<string, unknown>): CheckOutcome {
  const state = fn.missingData ?? 'ERROR';
  return {
    status: state,
    message: `${what} (missingData: ${state}; a missing measure never passes)`,
    evidence: { ...evidence, missingData: state },
  };
}

/** Compares the datapoints with the threshold: FAIL when at least `datapointsToFail` breach. */
export function judge(
  fn: MetricFunction,
  values: readonly number[],
  source: string,
  evidence: Record<string, unknown>,
): CheckOutcome {
  const breaches = BREACHES[fn.comparison];
  const breaching = values.filter((value) => breaches(value, fn.threshold));
  const needed = fn.datapointsToFail ?? 1;
  const shown =
    values.length === 1 ? String(values[0]) : `${values.length} datapoints, ${breaching.length} breaching`;
  const rule = `fails when ${SYMBOLS[fn.comparison]} ${fn.threshold}`;
  const full = {
    ...evidence,
    values: values.slice(0, 20),
    breaching: breaching.length,
    threshold: fn.threshold,
    comparison: fn.comparison,
  };
  if (breaching.length >= needed) {
    const worst = fn.comparison.startsWith('Greater') ? Math.max(...breaching) : Math.min(...breaching);
    return {
      status: 'FAIL',
      message: `${source}: ${shown}${values.length > 1 ? ` (worst ${worst})` : ''}, ${rule}`,
      evidence: full,
    };
  }
  return { status: 'PASS', message: `${source}: ${shown}, within the threshold (${rule})`, evidence: full };
}

export function metricFunctionRule(fn: MetricFunction): CheckRule<MetricClients> {
  return async (context) => {
    try {
      if (fn.document) {
        const { value, location, problem } = await documentValue(context, fn.document);
        const evidence = { document: location };
        if (problem) return { status: 'ERROR', message: `${location}: ${problem}`, evidence };
        if (value === undefined) {
          return missing(
            fn,
            `no ${fn.document.field} in ${location}: did the pipeline publish it?`,
            evidence,
          );
        }
        return judge(fn, [value], describeSource(fn, location), evidence);
      }
      const window = await windowOf(fn, context);
      const evidence = {
        window: { start: window.start.toISOString(), end: window.end.toISOString() },
        period: periodOf(fn, window),
        ...(window.note ? { note: window.note } : {}),
      };
      const minutes = Math.round((window.end.getTime() - window.start.getTime()) / 60_000);
      const values = await metricValues(context, fn, window);
      const source = `${describeSource(fn)} over ${minutes} min`;
      if (values.length === 0) return missing(fn, `${source}: no datapoints`, evidence);
      return judge(fn, values, source, evidence);
    } catch (error) {
      if (error instanceof UnresolvedPlaceholderError) {
        return error.applicable
          ? missing(fn, error.message, {})
          : { status: 'NOT_APPLICABLE', message: error.message };
      }
      throw error;
    }
  };
}
