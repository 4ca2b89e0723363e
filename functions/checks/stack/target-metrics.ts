/**
 * AWS/Lambda metrics of a deployment's versions. Invocations through the alias carry the dimensions
 * FunctionName + Resource (`name:alias`) + ExecutedVersion; throttled requests never run a version, so
 * they are counted on FunctionName + Resource.
 */
import { type Dimension, paginateGetMetricData, type Statistic } from '@aws-sdk/client-cloudwatch';
import { numberParam } from '../evaluators/params.ts';
import type { CheckContext } from '../types.ts';
import type { StackClients } from './clients.ts';
import type { DeploymentTarget } from './deployment-target.ts';

export function versionDimensions(target: DeploymentTarget, version: string): Dimension[] {
  return [
    { Name: 'FunctionName', Value: target.functionName },
    { Name: 'Resource', Value: `${target.functionName}:${target.alias}` },
    { Name: 'ExecutedVersion', Value: version },
  ];
}

export function aliasDimensions(target: DeploymentTarget): Dimension[] {
  return [
    { Name: 'FunctionName', Value: target.functionName },
    { Name: 'Resource', Value: `${target.functionName}:${target.alias}` },
  ];
}

export interface MetricQuery {
  readonly metricName: 'Invocations' | 'Errors' | 'Throttles' | 'Duration';
  readonly dimensions: Dimension[];
  /** `Sum` adds minute periods up; a percentile (`p90`) is read over the whole window at once. */
  readonly stat: Statistic | 'p90';
}

/** The `windowMinutes` parameter (default 10), at least one minute. */
export function windowMinutesOf(context: CheckContext<StackClients>): number {
  return Math.max(1, Math.ceil(numberParam(context.params.windowMinutes, 'windowMinutes') ?? 10));
}

/** The datapoints of one metric over the last `windowMinutes`, newest first. */
export async function metricValues(
  context: CheckContext<StackClients>,
  query: MetricQuery,
  windowMinutes: number,
): Promise<number[]> {
  const endTime = new Date();
  const startTime = new Date(endTime.getTime() - windowMinutes * 60_000);
  const values: number[] = [];
  for await (const page of paginateGetMetricData(
    { client: context.clients.cloudWatch },
    {
      StartTime: startTime,
      EndTime: endTime,
      ScanBy: 'TimestampDescending',
      MetricDataQueries: [
        {
          Id: 'm',
          MetricStat: {
            Metric: { Namespace: 'AWS/Lambda', MetricName: query.metricName, Dimensions: query.dimensions },
            Period: query.stat === 'Sum' ? 60 : windowMinutes * 60,
            Stat: query.stat,
          },
        },
      ],
    },
  )) {
    for (const result of page.MetricDataResults ?? []) values.push(...(result.Values ?? []));
  }
  return values;
}

export async function metricSum(
  context: CheckContext<StackClients>,
  query: Omit<MetricQuery, 'stat'>,
  windowMinutes: number,
) {
  const values = await metricValues(context, { ...query, stat: 'Sum' }, windowMinutes);
  return values.reduce((total, value) => total + value, 0);
}
