/**
 * The canary judgment of a deployment: the target version against the version it replaces, per
 * metric, on per-minute samples over the traffic shift (docs/canary.md). Read once per work item and
 * shared, through the memo, by the judgment check and by the fixed-threshold checks it supersedes.
 */
import type { Dimension } from '@aws-sdk/client-cloudwatch';
import { array, boolean, number, record, strictObject, string, enum as zodEnum } from 'zod';
import { InvalidInputError } from '../../../shared/errors.ts';
import { listParam, numberParam, textParam } from '../../evaluators/params.ts';
import type { CheckContext, CheckOutcome, CheckParams } from '../../types.ts';
import type { StackClients } from '../clients.ts';
import { type DeploymentTarget, deploymentTarget } from '../deployment-target.ts';
import { versionDimensions } from '../target-metrics.ts';
import { type Direction, type JudgmentRule, judgeMetric, type MetricJudgment } from './judge.ts';
import { type MinuteQuery, type MinuteSeries, minuteSeries } from './minute-series.ts';

export const CANARY_CHECK_ID = 'deployment-canary-judgment';

/** The built-in metrics, and the fixed-threshold check each one supersedes when it is conclusive. */
export const BUILT_IN_METRICS = {
  errorRate: 'deployment-target-error-rate',
  duration: 'deployment-target-duration-regression',
  throttles: 'deployment-target-throttles',
} as const;
export type BuiltInMetric = keyof typeof BUILT_IN_METRICS;

/** What an all-inconclusive (or, for ERROR and FAIL, partly inconclusive) judgment reports. */
export const INCONCLUSIVE_STATUSES = ['NOT_APPLICABLE', 'ERROR', 'FAIL', 'PASS'] as const;
export type InconclusiveStatus = (typeof INCONCLUSIVE_STATUSES)[number];

// Standard statistics and the extended ones (percentile, trimmed/winsorized mean, trimmed count and sum).
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html
const STAT = /^(SampleCount|Average|Sum|Minimum|Maximum|(p|tm|wm|tc|ts)\d{1,2}(\.\d{1,10})?|p100)$/;
const VERSION_PLACEHOLDER = '${version}';

const userMetricSchema = strictObject({
  name: string().regex(/^[A-Za-z][\w.-]{0,63}$/, 'a name of letters, digits, _ . -'),
  namespace: string().min(1).max(255),
  metricName: string().min(1).max(255),
  dimensions: record(string().min(1).max(255), string().min(1).max(1024)),
  stat: string().regex(STAT, 'a CloudWatch statistic such as Average, Sum, p99'),
  direction: zodEnum(['higher', 'lower']),
  perInvocation: boolean().optional(),
  minChange: number().min(0).optional(),
}).refine((metric) => Object.values(metric.dimensions).some((value) => value.includes(VERSION_PLACEHOLDER)), {
  error: `a dimension value must hold ${VERSION_PLACEHOLDER}, or both versions read the same series`,
});
type UserMetric = ReturnType<typeof userMetricSchema.parse>;

export interface CanarySettings {
  readonly metrics: readonly BuiltInMetric[];
  readonly durationStat: string;
  readonly alpha: number;
  readonly minSamples: number;
  readonly tolerancePercent: number;
  readonly maxWindowMinutes: number;
  readonly inconclusive: InconclusiveStatus;
  readonly userMetrics: readonly UserMetric[];
}

function parseUserMetrics(text: string | undefined): UserMetric[] {
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidInputError('parameter userMetrics must be a JSON array of metric definitions');
  }
  const result = array(userMetricSchema).safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InvalidInputError(
      `parameter userMetrics: ${issue?.path.join('.') || 'value'}: ${issue?.message}`,
    );
  }
  const names = result.data.map((metric) => metric.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index || name in BUILT_IN_METRICS);
  if (repeated) throw new InvalidInputError(`parameter userMetrics names ${repeated} twice or as a built-in`);
  return result.data;
}

/** The check's parameters, validated: a bad value is an InvalidInputError naming it. */
export function canarySettings(params: CheckParams): CanarySettings {
  const metrics = listParam(params.metrics);
  const unknown = metrics.find((metric) => !(metric in BUILT_IN_METRICS));
  if (unknown) {
    throw new InvalidInputError(
      `parameter metrics: ${unknown} is not one of ${Object.keys(BUILT_IN_METRICS).join(', ')}`,
    );
  }
  const durationStat = textParam(params.durationStat) ?? 'p90';
  if (!STAT.test(durationStat)) {
    throw new InvalidInputError(`parameter durationStat must be a CloudWatch statistic, got ${durationStat}`);
  }
  const alpha = numberParam(params.alpha, 'alpha') ?? 0.05;
  if (!(alpha > 0 && alpha < 1))
    throw new InvalidInputError(`parameter alpha must be in (0, 1), got ${alpha}`);
  const inconclusive = (textParam(params.inconclusive) ?? 'NOT_APPLICABLE').toUpperCase();
  if (!(INCONCLUSIVE_STATUSES as readonly string[]).includes(inconclusive)) {
    throw new InvalidInputError(`parameter inconclusive must be one of ${INCONCLUSIVE_STATUSES.join(', ')}`);
  }
  return {
    metrics: metrics as BuiltInMetric[],
    durationStat,
    alpha,
    minSamples: Math.max(1, Math.ceil(numberParam(params.minSamples, 'minSamples') ?? 5)),
    tolerancePercent: Math.max(0, numberParam(params.tolerancePercent, 'tolerancePercent') ?? 10),
    maxWindowMinutes: Math.max(1, Math.ceil(numberParam(params.maxWindowMinutes, 'maxWindowMinutes') ?? 60)),
    inconclusive: inconclusive as InconclusiveStatus,
    userMetrics: parseUserMetrics(textParam(params.userMetrics)),
  };
}

export interface JudgedMetric extends MetricJudgment {
  readonly name: string;
  /** What was compared, e.g. `p90 Duration`. */
  readonly label: string;
  /** Multiply by this, and append `unit`, to show a value (rates as %). */
  readonly scale: number;
  readonly unit: string;
}

export interface CanaryJudgment {
  readonly target: DeploymentTarget;
  readonly window: { readonly start: string; readonly end: string; readonly minutes: number };
  readonly metrics: readonly JudgedMetric[];
}

const MINUTE = 60_000;

/** From the deployment's creation (the shift's start) to the last complete minute, at most the cap. */
function shiftWindow(target: DeploymentTarget, maxWindowMinutes: number, now: number) {
  const end = Math.floor(now / MINUTE) * MINUTE;
  const earliest = end - maxWindowMinutes * MINUTE;
  const created = target.createTime ? Math.floor(target.createTime.getTime() / MINUTE) * MINUTE : earliest;
  const start = Math.min(end, Math.max(earliest, created));
  return { start: new Date(start), end: new Date(end), minutes: (end - start) / MINUTE };
}

/** The samples of both versions, from the minutes in which both have one. */
function paired(
  minutes: Iterable<number>,
  sample: (minute: number, side: 0 | 1) => number | undefined,
): [number[], number[]] {
  const target: number[] = [];
  const baseline: number[] = [];
  for (const minute of minutes) {
    const ours = sample(minute, 0);
    const theirs = sample(minute, 1);
    if (ours === undefined || theirs === undefined) continue;
    target.push(ours);
    baseline.push(theirs);
  }
  return [target, baseline];
}

function substitute(dimensions: Readonly<Record<string, string>>, target: DeploymentTarget, version: string) {
  return Object.entries(dimensions).map(
    ([Name, value]): Dimension => ({
      Name,
      Value: value
        .replaceAll(VERSION_PLACEHOLDER, version)
        .replaceAll('${functionName}', target.functionName)
        .replaceAll('${alias}', target.alias),
    }),
  );
}

interface PlannedMetric {
  readonly name: string;
  readonly label: string;
  readonly direction: Direction;
  readonly minChange: number;
  readonly scale: number;
  readonly unit: string;
  /** The index of its query per version: [target, baseline]. */
  readonly queries: readonly [number, number];
  /** The sample of one minute of one version, from its series and its invocations. */
  readonly sample: (values: MinuteSeries, invocations: MinuteSeries, minute: number) => number | undefined;
  /** Why there is no data at all, when the series prove nothing (e.g. Lambda publishes no such metric). */
  readonly noData?: (values: readonly [MinuteSeries, MinuteSeries]) => string | undefined;
}

const ratio = (part: number | undefined, whole: number | undefined) =>
  whole !== undefined && whole > 0 ? (part ?? 0) / whole : undefined;

async function judge(
  context: CheckContext<StackClients>,
  settings: CanarySettings,
  target: DeploymentTarget,
): Promise<CanaryJudgment> {
  const window = shiftWindow(target, settings.maxWindowMinutes, Date.now());
  const queries: MinuteQuery[] = [];
  const add = (query: MinuteQuery) => queries.push(query) - 1;
  const perVersion = (query: (version: string) => MinuteQuery): [number, number] => [
    add(query(target.targetVersion)),
    add(query(target.currentVersion)),
  ];
  const lambda = (metricName: string, stat: string) =>
    perVersion((version) => ({
      namespace: 'AWS/Lambda',
      metricName,
      dimensions: versionDimensions(target, version),
      stat,
    }));
  const invocations = lambda('Invocations', 'Sum');

  const planned: PlannedMetric[] = [];
  for (const metric of settings.metrics) {
    if (metric === 'errorRate') {
      planned.push({
        name: metric,
        label: 'Errors / Invocations per minute',
        direction: 'higher',
        minChange: 0.001,
        scale: 100,
        unit: '%',
        queries: lambda('Errors', 'Sum'),
        sample: (errors, calls, minute) => ratio(errors.get(minute), calls.get(minute)),
      });
    } else if (metric === 'duration') {
      planned.push({
        name: metric,
        label: `${settings.durationStat} Duration per minute`,
        direction: 'higher',
        minChange: 1,
        scale: 1,
        unit: ' ms',
        queries: lambda('Duration', settings.durationStat),
        sample: (durations, _calls, minute) => durations.get(minute),
      });
    } else {
      planned.push({
        name: metric,
        label: 'Throttles / (Invocations + Throttles) per minute',
        direction: 'higher',
        minChange: 0.001,
        scale: 100,
        unit: '%',
        queries: lambda('Throttles', 'Sum'),
        sample: (throttles, calls, minute) => {
          const throttled = throttles.get(minute) ?? 0;
          return ratio(throttled, (calls.get(minute) ?? 0) + throttled);
        },
        // A throttled request may never reach a version: without any per-version datapoint, "no
        // throttles" cannot be told from "not published per version", so the fixed check decides.
        noData: (throttles) =>
          throttles.every((values) => values.size === 0)
            ? 'Lambda published no Throttles per ExecutedVersion in the window'
            : undefined,
      });
    }
  }
  for (const metric of settings.userMetrics) {
    planned.push({
      name: metric.name,
      label: `${metric.stat} ${metric.namespace} ${metric.metricName}${metric.perInvocation ? ' per invocation' : ''} per minute`,
      direction: metric.direction,
      minChange: metric.minChange ?? 0,
      scale: 1,
      unit: '',
      queries: perVersion((version) => ({
        namespace: metric.namespace,
        metricName: metric.metricName,
        dimensions: substitute(metric.dimensions, target, version),
        stat: metric.stat,
      })),
      sample: (values, calls, minute) =>
        metric.perInvocation ? ratio(values.get(minute), calls.get(minute)) : values.get(minute),
    });
  }

  // A deployment created this minute has no complete minute yet (and CloudWatch refuses StartTime = EndTime).
  const series = window.minutes > 0 ? await minuteSeries(context, queries, window) : [];
  const empty: MinuteSeries = new Map();
  const minutes = Array.from(
    { length: window.minutes },
    (_, index) => window.start.getTime() + index * MINUTE,
  );
  const rule = (metric: PlannedMetric): JudgmentRule => ({
    alpha: settings.alpha,
    minSamples: settings.minSamples,
    tolerance: settings.tolerancePercent / 100,
    minChange: metric.minChange,
  });
  const metrics = planned.map((metric): JudgedMetric => {
    const values = (side: 0 | 1) => series[metric.queries[side]] ?? empty;
    const calls = (side: 0 | 1) => series[invocations[side]] ?? empty;
    const [targetSamples, baselineSamples] = paired(minutes, (minute, side) =>
      metric.sample(values(side), calls(side), minute),
    );
    const { name, label, scale, unit } = metric;
    const noData = metric.noData?.([values(0), values(1)]);
    const judged: MetricJudgment = noData
      ? { verdict: 'INCONCLUSIVE', reason: noData, target: { samples: 0 }, baseline: { samples: 0 } }
      : judgeMetric(targetSamples, baselineSamples, metric.direction, rule(metric));
    return { ...judged, name, label, scale, unit };
  });
  return {
    target,
    window: { start: window.start.toISOString(), end: window.end.toISOString(), minutes: window.minutes },
    metrics,
  };
}

/**
 * The judgment of the context's deployment under the judgment check's parameters, or undefined when
 * there is nothing to compare (no deployment, or no previous version). Read once per work item.
 */
export async function canaryJudgment(
  context: CheckContext<StackClients>,
  params: CheckParams,
): Promise<CanaryJudgment | undefined> {
  const deploymentId = context.deployment?.deploymentId;
  if (!deploymentId) return undefined;
  return context.memo(`canary-judgment:${deploymentId}`, async () => {
    const settings = canarySettings(params);
    const target = await deploymentTarget(context, deploymentId);
    if (!target.currentVersion || target.currentVersion === target.targetVersion) return undefined;
    return judge(context, settings, target);
  });
}

/**
 * What a fixed-threshold check reports when the canary judgment of its metric is conclusive: it
 * stands aside (NOT_APPLICABLE, naming the judgment) so one regression is not counted twice. Undefined
 * when the fixed threshold decides: the judgment check does not run, does not judge this metric,
 * cannot be read, or is inconclusive for it.
 */
export async function decidedByCanary(
  context: CheckContext<StackClients>,
  metric: BuiltInMetric,
): Promise<CheckOutcome | undefined> {
  const params = context.peerParams?.(CANARY_CHECK_ID);
  if (!params || !listParam(params.metrics).includes(metric)) return undefined;
  let judgment: CanaryJudgment | undefined;
  try {
    judgment = await canaryJudgment(context, params);
  } catch {
    return undefined; // the judgment check reports its own ERROR; the fixed threshold still decides
  }
  const judged = judgment?.metrics.find((candidate) => candidate.name === metric);
  if (!judged || judged.verdict === 'INCONCLUSIVE') return undefined;
  return {
    status: 'NOT_APPLICABLE',
    message: `decided by ${CANARY_CHECK_ID}, conclusive for ${metric} (${judged.verdict}: ${judged.reason}); this fixed threshold applies only when the judgment is inconclusive`,
    evidence: { decidedBy: CANARY_CHECK_ID, metric, verdict: judged.verdict, pValue: judged.pValue },
  };
}
