import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { BackupClient, ListBackupPlansCommand } from '@aws-sdk/client-backup';
import {
  DescribeContinuousBackupsCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { rules } from '../../../functions/checks/dynamodb/handler.ts';
import { registry } from '../../../functions/checks/registry.ts';
import { runWorkItem } from '../../../functions/checks/run.ts';
import { TEST_STACK } from '../../support/check-harness.ts';
import { stackRef, tableRef } from '../../support/dynamodb-fixtures.ts';

function mockedClients() {
  const clients = {
    dynamoDb: new DynamoDBClient({}),
    autoScaling: new ApplicationAutoScalingClient({}),
    backup: new BackupClient({}),
  };
  return {
    clients,
    dynamoDb: mockClient(clients.dynamoDb),
    autoScaling: mockClient(clients.autoScaling),
    backup: mockClient(clients.backup),
  };
}

describe('dynamodb family handler', () => {
  it('binds a rule to every dynamodb check of the registry, and to nothing else', () => {
    const checkIds = registry.filter((check) => check.family === 'dynamodb').map((check) => check.id);

    expect(Object.keys(rules).sort()).toEqual(checkIds.sort());
    expect(checkIds).toHaveLength(6);
  });

  it('runs the five table checks with one DescribeTable between them (SDK mock: counts calls)', async () => {
    const mocked = mockedClients();
    mocked.dynamoDb.on(DescribeTableCommand).resolves({
      Table: {
        TableName: 'orders',
        BillingModeSummary: { BillingMode: 'PROVISIONED' },
        SSEDescription: {
          SSEType: 'KMS',
          Status: 'ENABLED',
          KMSMasterKeyArn: 'arn:aws:kms:us-east-1:1:key/k',
        },
        DeletionProtectionEnabled: true,
      },
    });
    mocked.dynamoDb.on(DescribeContinuousBackupsCommand).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' },
      },
    });
    mocked.autoScaling.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [] });
    mocked.backup.on(ListBackupPlansCommand).resolves({ BackupPlansList: [] });

    const outcome = await runWorkItem('dynamodb', rules, mocked.clients, {
      workItem: { family: 'dynamodb', resource: tableRef('orders') },
      stack: TEST_STACK,
      trigger: 'adhoc',
    });

    expect(outcome.results.map((result) => [result.checkId, result.status])).toEqual([
      ['dynamodb-table-encrypted-kms', 'PASS'],
      ['dynamodb-pitr-enabled', 'PASS'],
      ['dynamodb-resources-protected-by-backup-plan', 'FAIL'],
      ['dynamodb-autoscaling-enabled', 'FAIL'],
      ['dynamodb-table-deletion-protection-enabled', 'PASS'],
    ]);
    expect(mocked.dynamoDb.commandCalls(DescribeTableCommand)).toHaveLength(1);
  });

  it('runs only the throughput check on the stack pseudo-resource (SDK mock)', async () => {
    const mocked = mockedClients();
    mocked.dynamoDb
      .on(DescribeLimitsCommand)
      .resolves({ AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000 });
    mocked.dynamoDb.on(ListTablesCommand).resolves({ TableNames: [] });

    const outcome = await runWorkItem('dynamodb', rules, mocked.clients, {
      workItem: { family: 'dynamodb', resource: stackRef() },
      stack: TEST_STACK,
      trigger: 'adhoc',
    });

    expect(outcome.results.map((result) => [result.checkId, result.status])).toEqual([
      ['dynamodb-throughput-limit-check', 'PASS'],
    ]);
  });
});
