import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCloudWatchClients } from '../../../functions/checks/cloudwatch/clients.ts';
import { rules } from '../../../functions/checks/cloudwatch/handler.ts';
import { stackAlarmCoverage } from '../../../functions/checks/cloudwatch/stack-alarm-coverage.ts';
import { putAlarm } from '../../support/alarms.ts';
import { runCheck, TEST_STACK } from '../../support/check-harness.ts';
import { createQueue, queueResource } from '../../support/queues.ts';
import { createRestApiStack, stageResource } from '../../support/rest-api-stack.ts';

const CHECK = 'stack-alarm-coverage';
const clients = createCloudWatchClients();
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:order-flow';
const functionResource = (name: string) => ({
  logicalId: 'Handler',
  physicalId: name,
  type: 'AWS::Lambda::Function',
});
const stateMachineResource = (arn: string) => ({
  logicalId: 'Flow',
  physicalId: arn,
  type: 'AWS::StepFunctions::StateMachine',
});
let queues: { orders: string; dlq: string; unwatched: string };

beforeAll(async () => {
  await createRestApiStack(clients, {
    apiName: 'orders-api',
    stages: { ProdStage: 'prod', DevStage: 'dev' },
  });
  const dlq = await createQueue(clients.sqs, 'orders-dlq');
  const orders = await createQueue(clients.sqs, 'orders', {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: 3 }),
  });
  const unwatched = await createQueue(clients.sqs, 'audit');
  queues = { orders: orders.queueUrl, dlq: dlq.queueUrl, unwatched: unwatched.queueUrl };

  const metric = (Namespace: string, MetricName: string, Dimensions: { Name: string; Value: string }[]) => ({
    Namespace,
    MetricName,
    Dimensions,
    Statistic: 'Sum' as const,
    Period: 60,
  });
  await putAlarm(
    clients.cloudWatch,
    'orders-errors',
    metric('AWS/Lambda', 'Errors', [{ Name: 'FunctionName', Value: 'orders' }]),
  );
  await putAlarm(
    clients.cloudWatch,
    'live-alias-throttles',
    metric('AWS/Lambda', 'Throttles', [
      { Name: 'FunctionName', Value: 'payments' },
      { Name: 'Resource', Value: 'payments:live' },
    ]),
  );
  await putAlarm(
    clients.cloudWatch,
    'reports-duration',
    metric('AWS/Lambda', 'Duration', [{ Name: 'FunctionName', Value: 'reports' }]),
  );
  await putAlarm(
    clients.cloudWatch,
    'custom-namespace-errors',
    metric('Custom/App', 'Errors', [{ Name: 'FunctionName', Value: 'custom' }]),
  );
  await putAlarm(clients.cloudWatch, 'flow-failure-rate', {
    Metrics: [
      {
        Id: 'failed',
        ReturnData: false,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/States',
            MetricName: 'ExecutionsFailed',
            Dimensions: [{ Name: 'StateMachineArn', Value: STATE_MACHINE_ARN }],
          },
          Period: 300,
          Stat: 'Sum',
        },
      },
      { Id: 'rate', Expression: 'failed / 5', ReturnData: true },
    ],
  });
  await putAlarm(
    clients.cloudWatch,
    'prod-5xx',
    metric('AWS/ApiGateway', '5XXError', [
      { Name: 'ApiName', Value: 'orders-api' },
      { Name: 'Stage', Value: 'prod' },
    ]),
  );
  await putAlarm(
    clients.cloudWatch,
    'orders-age',
    metric('AWS/SQS', 'ApproximateAgeOfOldestMessage', [{ Name: 'QueueName', Value: 'orders' }]),
  );
  await putAlarm(
    clients.cloudWatch,
    'dlq-visible',
    metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible', [{ Name: 'QueueName', Value: 'orders-dlq' }]),
  );
  await putAlarm(
    clients.cloudWatch,
    'audit-visible',
    metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible', [{ Name: 'QueueName', Value: 'audit' }]),
  );
});

describe(`${CHECK} (moto)`, () => {
  it('passes a function with an Errors alarm', async () => {
    const result = await runCheck(CHECK, rules, clients, functionResource('orders'));

    expect(result).toMatchObject({ status: 'PASS', message: 'watched by orders-errors' });
  });

  it('passes a function whose alias Throttles are alarmed', async () => {
    const result = await runCheck(CHECK, rules, clients, functionResource('payments'));

    expect(result).toMatchObject({ status: 'PASS', evidence: { alarms: ['live-alias-throttles'] } });
  });

  it('fails a function whose only alarm watches another metric, or another namespace', async () => {
    const duration = await runCheck(CHECK, rules, clients, functionResource('reports'));
    const custom = await runCheck(CHECK, rules, clients, functionResource('custom'));

    expect(duration).toMatchObject({
      status: 'FAIL',
      message: 'no alarm watches AWS/Lambda Errors or Throttles (FunctionName=reports)',
    });
    expect(custom.status).toBe('FAIL');
  });

  it('passes a state machine watched through a metric-math alarm', async () => {
    const result = await runCheck(CHECK, rules, clients, stateMachineResource(STATE_MACHINE_ARN));

    expect(result).toMatchObject({ status: 'PASS', evidence: { alarms: ['flow-failure-rate'] } });
  });

  it('fails a state machine without alarms', async () => {
    const result = await runCheck(
      CHECK,
      rules,
      clients,
      stateMachineResource('arn:aws:states:us-east-1:123456789012:stateMachine:other'),
    );

    expect(result.status).toBe('FAIL');
  });

  it('passes a stage with a 5XXError alarm on its API name, and fails its sibling stage', async () => {
    const prod = await runCheck(CHECK, rules, clients, stageResource('ProdStage', 'prod'));
    const dev = await runCheck(CHECK, rules, clients, stageResource('DevStage', 'dev'));

    expect(prod).toMatchObject({ status: 'PASS', message: 'watched by prod-5xx' });
    expect(dev).toMatchObject({
      status: 'FAIL',
      message: 'no alarm watches AWS/ApiGateway 5XXError or Latency (ApiName=orders-api, Stage=dev)',
    });
  });

  it('passes a queue with an age-of-oldest-message alarm, and its DLQ with a messages-visible alarm', async () => {
    const orders = await runCheck(CHECK, rules, clients, queueResource(queues.orders));
    const dlq = await runCheck(CHECK, rules, clients, queueResource(queues.dlq));

    expect(orders).toMatchObject({ status: 'PASS', evidence: { alarms: ['orders-age'] } });
    expect(dlq).toMatchObject({ status: 'PASS', evidence: { alarms: ['dlq-visible'] } });
  });

  it('fails a queue that is not a DLQ when only messages-visible is alarmed', async () => {
    const result = await runCheck(CHECK, rules, clients, queueResource(queues.unwatched));

    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('ApproximateAgeOfOldestMessage (QueueName=audit)');
  });

  it('is not applicable to other resource types', async () => {
    const result = await stackAlarmCoverage({
      resource: {
        logicalId: 'Topic',
        physicalId: 'arn:aws:sns:us-east-1:123456789012:t',
        type: 'AWS::SNS::Topic',
      },
      params: {},
      clients,
      stack: TEST_STACK,
      trigger: 'adhoc',
      memo: (_key, load) => load(),
    });

    expect(result.status).toBe('NOT_APPLICABLE');
  });

  it('is an ERROR when the stage is on no API of the stack', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('GhostStage', 'ghost'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('StageApiNotFoundError');
  });

  describe('paging (SDK mock: moto returns every alarm in one page)', () => {
    const cloudWatch = new CloudWatchClient({});
    const mock = mockClient(cloudWatch);
    afterEach(() => mock.reset());

    it('reads every page of alarms', async () => {
      mock
        .on(DescribeAlarmsCommand, { NextToken: undefined })
        .resolves({
          MetricAlarms: [
            { AlarmName: 'unrelated', Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [] },
          ],
          NextToken: 't2',
        })
        .on(DescribeAlarmsCommand, { NextToken: 't2' })
        .resolves({
          MetricAlarms: [
            {
              AlarmName: 'page-two',
              Namespace: 'AWS/Lambda',
              MetricName: 'Errors',
              Dimensions: [{ Name: 'FunctionName', Value: 'paged' }],
            },
          ],
        });

      const result = await runCheck(CHECK, rules, { ...clients, cloudWatch }, functionResource('paged'));

      expect(result).toMatchObject({ status: 'PASS', evidence: { alarms: ['page-two'] } });
    });
  });
});
