import { GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { type Dimension, type MetricAlarm, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import { ListDeadLetterSourceQueuesCommand } from '@aws-sdk/client-sqs';
import { stageIdentity } from '../apigateway/stage.ts';
import type { CheckContext, CheckRule } from '../types.ts';
import type { CloudWatchClients } from './clients.ts';

/** What an alarm must watch for the resource to count as covered. */
interface Watch {
  readonly namespace: string;
  readonly metricNames: readonly string[];
  readonly dimensions: Readonly<Record<string, string>>;
}

interface AlarmMetric {
  readonly alarmName: string;
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions: readonly Dimension[];
}

type Context = CheckContext<CloudWatchClients>;

/** The metrics an alarm reads: its own metric, or each MetricStat of a metric-math alarm. */
function metricsOf(alarm: MetricAlarm): AlarmMetric[] {
  const alarmName = alarm.AlarmName ?? '';
  const direct = alarm.MetricName
    ? [
        {
          alarmName,
          namespace: alarm.Namespace,
          metricName: alarm.MetricName,
          dimensions: alarm.Dimensions ?? [],
        },
      ]
    : [];
  const math = (alarm.Metrics ?? []).flatMap((query) => {
    const metric = query.MetricStat?.Metric;
    return metric
      ? [
          {
            alarmName,
            namespace: metric.Namespace,
            metricName: metric.MetricName,
            dimensions: metric.Dimensions ?? [],
          },
        ]
      : [];
  });
  return [...direct, ...math];
}

/** Every metric alarm of the region (paginated), read once per work item. */
function alarmMetrics({ clients, memo }: Context): Promise<AlarmMetric[]> {
  return memo('alarm-metrics', async () => {
    const metrics: AlarmMetric[] = [];
    for await (const page of paginateDescribeAlarms(
      { client: clients.cloudWatch },
      { AlarmTypes: ['MetricAlarm'] },
    )) {
      for (const alarm of page.MetricAlarms ?? []) metrics.push(...metricsOf(alarm));
    }
    return metrics;
  });
}

async function stageWatch(context: Context): Promise<Watch> {
  const { restApiId, stageName } = await stageIdentity(context);
  const { name } = await context.memo(`rest-api:${restApiId}`, () =>
    context.clients.apiGateway.send(new GetRestApiCommand({ restApiId })),
  );
  return {
    namespace: 'AWS/ApiGateway',
    metricNames: ['5XXError', 'Latency'],
    dimensions: { ApiName: String(name), Stage: stageName },
  };
}

async function queueWatch({ resource, clients }: Context): Promise<Watch> {
  const queueName = resource.physicalId.split('/').pop() ?? resource.physicalId;
  const { queueUrls } = await clients.sqs.send(
    new ListDeadLetterSourceQueuesCommand({ QueueUrl: resource.physicalId, MaxResults: 1 }),
  );
  const isDeadLetterQueue = (queueUrls ?? []).length > 0;
  return {
    namespace: 'AWS/SQS',
    metricNames: isDeadLetterQueue
      ? ['ApproximateNumberOfMessagesVisible']
      : ['ApproximateAgeOfOldestMessage'],
    dimensions: { QueueName: queueName },
  };
}

async function watchFor(context: Context): Promise<Watch | undefined> {
  const { resource } = context;
  switch (resource.type) {
    case 'AWS::Lambda::Function':
      return {
        namespace: 'AWS/Lambda',
        metricNames: ['Errors', 'Throttles'],
        dimensions: { FunctionName: resource.physicalId },
      };
    case 'AWS::StepFunctions::StateMachine':
      return {
        namespace: 'AWS/States',
        metricNames: ['ExecutionsFailed', 'ExecutionsTimedOut'],
        dimensions: { StateMachineArn: resource.physicalId },
      };
    case 'AWS::ApiGateway::Stage':
      return stageWatch(context);
    case 'AWS::SQS::Queue':
      return queueWatch(context);
    default:
      return undefined;
  }
}

function watches(metric: AlarmMetric, watch: Watch): boolean {
  return (
    metric.namespace === watch.namespace &&
    watch.metricNames.includes(metric.metricName ?? '') &&
    Object.entries(watch.dimensions).every(([name, value]) =>
      metric.dimensions.some((dimension) => dimension.Name === name && dimension.Value === value),
    )
  );
}

function describeWatch(watch: Watch): string {
  const dimensions = Object.entries(watch.dimensions)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  return `${watch.namespace} ${watch.metricNames.join(' or ')} (${dimensions})`;
}

/** PASS when at least one alarm of the region watches the resource's failure metric. */
export const stackAlarmCoverage: CheckRule<CloudWatchClients> = async (context) => {
  const watch = await watchFor(context);
  if (!watch) {
    return { status: 'NOT_APPLICABLE', message: `alarm coverage does not look at ${context.resource.type}` };
  }
  const alarms = [
    ...new Set(
      (await alarmMetrics(context))
        .filter((metric) => watches(metric, watch))
        .map((metric) => metric.alarmName),
    ),
  ];
  const evidence = { watch: describeWatch(watch), alarms };
  if (alarms.length === 0) {
    return { status: 'FAIL', message: `no alarm watches ${describeWatch(watch)}`, evidence };
  }
  return { status: 'PASS', message: `watched by ${alarms.join(', ')}`, evidence };
};
