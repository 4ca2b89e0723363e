/**
 * Per-minute series of CloudWatch metrics over one window, read with as few GetMetricData calls as
 * possible (up to 500 queries a call). A minute without a datapoint is absent from its series:
 * CloudWatch returns no value for a period without data, and Lambda publishes a metric only when it has
 * a value (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html).
 */
import { type Dimension, paginateGetMetricData } from '@aws-sdk/client-cloudwatch';
import type { CheckContext } from '../../types.ts';
import type { StackClients } from '../clients.ts';

export interface MinuteQuery {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly Dimension[];
  /** A statistic or extended statistic (`Sum`, `Average`, `p90`, `tm99`). */
  readonly stat: string;
}

/** Values by the epoch millisecond of the minute they start. */
export type MinuteSeries = ReadonlyMap<number, number>;

export interface MinuteWindow {
  readonly start: Date;
  readonly end: Date;
}

const QUERIES_PER_CALL = 500;
const MINUTE = 60_000;

/** Reads each query with Period 60 over the window; the series come back in the queries' order. */
export async function minuteSeries(
  context: CheckContext<StackClients>,
  queries: readonly MinuteQuery[],
  window: MinuteWindow,
): Promise<MinuteSeries[]> {
  const series = queries.map(() => new Map<number, number>());
  for (let offset = 0; offset < queries.length; offset += QUERIES_PER_CALL) {
    const batch = queries.slice(offset, offset + QUERIES_PER_CALL);
    for await (const page of paginateGetMetricData(
      { client: context.clients.cloudWatch },
      {
        StartTime: window.start,
        EndTime: window.end,
        ScanBy: 'TimestampAscending',
        MetricDataQueries: batch.map((query, index) => ({
          Id: `m${offset + index}`,
          MetricStat: {
            Metric: {
              Namespace: query.namespace,
              MetricName: query.metricName,
              Dimensions: [...query.dimensions],
            },
            Period: 60,
            Stat: query.stat,
          },
          ReturnData: true,
        })),
      },
    )) {
      for (const result of page.MetricDataResults ?? []) {
        const target = series[Number(result.Id?.slice(1))];
        if (!target) continue;
        const timestamps = result.Timestamps ?? [];
        (result.Values ?? []).forEach((value, index) => {
          const timestamp = timestamps[index];
          if (timestamp === undefined || !Number.isFinite(value)) return;
          target.set(Math.floor(new Date(timestamp).getTime() / MINUTE) * MINUTE, value);
        });
      }
    }
  }
  return series;
}
