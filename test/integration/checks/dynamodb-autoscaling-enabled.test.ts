import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createDynamoDbClients } from '../../../functions/checks/dynamodb/clients.ts';
import { rules } from '../../../functions/checks/dynamodb/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTable, provisionedIndex, tableRef } from '../../support/dynamodb-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'dynamodb-autoscaling-enabled';
const clients = createDynamoDbClients();
const THROUGHPUT = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };

type Capacity = 'Read' | 'Write';

/** Registers a scalable target (and optionally a target-tracking policy) as CDK autoScale* would. */
async function scale(resourceId: string, capacity: Capacity, min = 1, max = 10, targetValue?: number) {
  const kind = resourceId.includes('/index/') ? 'index' : 'table';
  const ScalableDimension = `dynamodb:${kind}:${capacity}CapacityUnits` as const;
  await clients.autoScaling.send(
    new RegisterScalableTargetCommand({
      ServiceNamespace: 'dynamodb',
      ResourceId: resourceId,
      ScalableDimension,
      MinCapacity: min,
      MaxCapacity: max,
    }),
  );
  if (targetValue !== undefined) {
    await clients.autoScaling.send(
      new PutScalingPolicyCommand({
        PolicyName: `${resourceId}-${capacity}`.replaceAll('/', '-'),
        ServiceNamespace: 'dynamodb',
        ResourceId: resourceId,
        ScalableDimension,
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: targetValue,
          PredefinedMetricSpecification: { PredefinedMetricType: `DynamoDB${capacity}CapacityUtilization` },
        },
      }),
    );
  }
}

async function scaleAll(resourceIds: readonly string[], min?: number, max?: number, targetValue?: number) {
  for (const resourceId of resourceIds) {
    for (const capacity of ['Read', 'Write'] as const)
      await scale(resourceId, capacity, min, max, targetValue);
  }
}

describe(`${CHECK} (moto)`, () => {
  it('passes an on-demand table without looking for scalable targets', async () => {
    await createTable(clients.dynamoDb, 'on-demand');
    const autoScaling = new ApplicationAutoScalingClient({});
    const autoScalingCalls = mockClient(autoScaling);

    const result = await runCheck(CHECK, rules, { ...clients, autoScaling }, tableRef('on-demand'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'the table uses on-demand capacity',
      evidence: { BillingMode: 'PAY_PER_REQUEST' },
    });
    expect(autoScalingCalls.calls()).toHaveLength(0);
  });

  it('fails a provisioned table without auto scaling', async () => {
    await createTable(clients.dynamoDb, 'fixed', { ProvisionedThroughput: THROUGHPUT });

    const result = await runCheck(CHECK, rules, clients, tableRef('fixed'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'provisioned capacity without auto scaling: table/fixed Read, table/fixed Write',
    });
  });

  it('fails a provisioned table that scales reads but not writes', async () => {
    await createTable(clients.dynamoDb, 'reads-only', { ProvisionedThroughput: THROUGHPUT });
    await scale('table/reads-only', 'Read');

    const result = await runCheck(CHECK, rules, clients, tableRef('reads-only'));

    expect(result).toMatchObject({
      status: 'FAIL',
      evidence: { unscaled: ['table/reads-only:dynamodb:table:WriteCapacityUnits'] },
    });
  });

  it('fails a provisioned table whose GSI does not scale', async () => {
    await createTable(clients.dynamoDb, 'gsi-fixed', {
      ProvisionedThroughput: THROUGHPUT,
      GlobalSecondaryIndexes: [provisionedIndex('byGk', 5, 5)],
    });
    await scaleAll(['table/gsi-fixed']);

    const result = await runCheck(CHECK, rules, clients, tableRef('gsi-fixed'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message:
        'provisioned capacity without auto scaling: table/gsi-fixed/index/byGk Read, table/gsi-fixed/index/byGk Write',
    });
  });

  it('passes a provisioned table whose table and GSI scale both capacities', async () => {
    await createTable(clients.dynamoDb, 'gsi-scaled', {
      ProvisionedThroughput: THROUGHPUT,
      GlobalSecondaryIndexes: [provisionedIndex('byGk', 5, 5)],
    });
    await scaleAll(['table/gsi-scaled', 'table/gsi-scaled/index/byGk']);

    const result = await runCheck(CHECK, rules, clients, tableRef('gsi-scaled'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'read and write capacity of the table and 1 GSI(s) scale automatically',
      evidence: { BillingMode: 'PROVISIONED', scalableTargets: 4 },
    });
  });

  it('compares MinCapacity/MaxCapacity with the configured parameters', async () => {
    await createTable(clients.dynamoDb, 'bounded', { ProvisionedThroughput: THROUGHPUT });
    await scaleAll(['table/bounded'], 5, 100);

    const matching = await runCheck(CHECK, rules, clients, tableRef('bounded'), {
      params: { minProvisionedReadCapacity: 5, maxProvisionedWriteCapacity: '100' },
    });
    const mismatching = await runCheck(CHECK, rules, clients, tableRef('bounded'), {
      params: { minProvisionedReadCapacity: 10, maxProvisionedWriteCapacity: 50 },
    });

    expect(matching.status).toBe('PASS');
    expect(mismatching).toMatchObject({
      status: 'FAIL',
      evidence: {
        mismatches: [
          'table/bounded Read MinCapacity is 5, expected 10',
          'table/bounded Write MaxCapacity is 100, expected 50',
        ],
      },
    });
  });

  it('compares the target-tracking TargetValue with targetRead/WriteUtilization', async () => {
    await createTable(clients.dynamoDb, 'tracked', { ProvisionedThroughput: THROUGHPUT });
    await scaleAll(['table/tracked'], 1, 10, 70);

    const matching = await runCheck(CHECK, rules, clients, tableRef('tracked'), {
      params: { targetReadUtilization: 70, targetWriteUtilization: 70 },
    });
    const mismatching = await runCheck(CHECK, rules, clients, tableRef('tracked'), {
      params: { targetWriteUtilization: 50 },
    });

    expect(matching.status).toBe('PASS');
    expect(mismatching).toMatchObject({
      status: 'FAIL',
      evidence: { mismatches: ['table/tracked Write TargetValue is 70, expected 50'] },
    });
  });

  it('fails when a target utilisation is required but no target-tracking policy exists', async () => {
    await createTable(clients.dynamoDb, 'untracked', { ProvisionedThroughput: THROUGHPUT });
    await scaleAll(['table/untracked']);

    const result = await runCheck(CHECK, rules, clients, tableRef('untracked'), {
      params: { targetReadUtilization: 70 },
    });

    expect(result).toMatchObject({
      status: 'FAIL',
      evidence: { mismatches: ['table/untracked Read has no target-tracking policy'] },
    });
  });

  it('is an ERROR when a capacity parameter is not a number', async () => {
    await createTable(clients.dynamoDb, 'bad-param', { ProvisionedThroughput: THROUGHPUT });
    await scaleAll(['table/bad-param']);

    const result = await runCheck(CHECK, rules, clients, tableRef('bad-param'), {
      params: { minProvisionedReadCapacity: 'five' },
    });

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('minProvisionedReadCapacity must be a number');
  });

  it('is an ERROR when the table does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, tableRef('missing-table'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('ResourceNotFoundException');
  });
});

describe(`${CHECK} (SDK mock: moto enforces no IAM)`, () => {
  it('is an ERROR naming the auto scaling action when access is denied', async () => {
    await createTable(clients.dynamoDb, 'denied', { ProvisionedThroughput: THROUGHPUT });
    const autoScaling = new ApplicationAutoScalingClient({});
    mockClient(autoScaling).on(DescribeScalableTargetsCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { ...clients, autoScaling }, tableRef('denied'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('application-autoscaling:DescribeScalableTargets');
  });
});
