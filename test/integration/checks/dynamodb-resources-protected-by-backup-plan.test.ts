import {
  BackupClient,
  type BackupSelection,
  CreateBackupPlanCommand,
  GetBackupSelectionCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
} from '@aws-sdk/client-backup';
import { DynamoDBClient, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createDynamoDbClients } from '../../../functions/checks/dynamodb/clients.ts';
import { rules } from '../../../functions/checks/dynamodb/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createTable, tableArn, tableRef } from '../../support/dynamodb-fixtures.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'dynamodb-resources-protected-by-backup-plan';
const clients = createDynamoDbClients();
const ROLE = 'arn:aws:iam::123456789012:role/backup';

/** A Backup client mock holding one plan with the given selections (moto cannot store selections). */
function backupWithSelections(selections: readonly Omit<BackupSelection, 'IamRoleArn'>[]) {
  const backup = new BackupClient({});
  const mock = mockClient(backup);
  mock.on(ListBackupPlansCommand).resolves({
    BackupPlansList: [{ BackupPlanId: 'plan-1', BackupPlanName: 'daily' }],
  });
  mock.on(ListBackupSelectionsCommand).resolves({
    BackupSelectionsList: selections.map((_, index) => ({
      SelectionId: `sel-${index}`,
      BackupPlanId: 'plan-1',
    })),
  });
  selections.forEach((selection, index) => {
    mock.on(GetBackupSelectionCommand, { BackupPlanId: 'plan-1', SelectionId: `sel-${index}` }).resolves({
      BackupPlanId: 'plan-1',
      SelectionId: `sel-${index}`,
      BackupSelection: { IamRoleArn: ROLE, ...selection },
    });
  });
  return { backup, mock };
}

describe(`${CHECK} (moto)`, () => {
  it('fails when the region has no backup plan', async () => {
    await createTable(clients.dynamoDb, 'no-plans');

    const result = await runCheck(CHECK, rules, clients, tableRef('no-plans'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'there is no backup plan in the region' });
  });

  it('is an ERROR that names the emulator gap once a plan exists (moto lacks backup selections)', async () => {
    await createTable(clients.dynamoDb, 'with-plan');
    await clients.backup.send(
      new CreateBackupPlanCommand({
        BackupPlan: {
          BackupPlanName: 'daily',
          Rules: [{ RuleName: 'daily', TargetBackupVaultName: 'Default' }],
        },
      }),
    );

    const result = await runCheck(CHECK, rules, clients, tableRef('with-plan'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toMatch(/^the emulator does not implement a call this check needs/);
  });
});

describe(`${CHECK} (SDK mock: moto has no backup selections; tags come from moto)`, () => {
  it('passes a table selected by its ARN', async () => {
    await createTable(clients.dynamoDb, 'by-arn');
    const { backup } = backupWithSelections([{ SelectionName: 'tables', Resources: [tableArn('by-arn')] }]);

    const result = await runCheck(CHECK, rules, { ...clients, backup }, tableRef('by-arn'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'backup plan daily covers the table by ARN',
      evidence: { backupPlanId: 'plan-1', selectionName: 'tables', coveredBy: 'resources' },
    });
  });

  it('passes a table selected by a wildcard ARN', async () => {
    await createTable(clients.dynamoDb, 'by-wildcard');
    const { backup } = backupWithSelections([
      { SelectionName: 'all-tables', Resources: ['arn:aws:dynamodb:*:*:table/*'] },
    ]);

    const result = await runCheck(CHECK, rules, { ...clients, backup }, tableRef('by-wildcard'));

    expect(result.status).toBe('PASS');
  });

  it('fails a table that NotResources excludes from a "*" selection', async () => {
    await createTable(clients.dynamoDb, 'excluded');
    const { backup } = backupWithSelections([
      { SelectionName: 'everything-else', Resources: ['*'], NotResources: [tableArn('excluded')] },
    ]);

    const result = await runCheck(CHECK, rules, { ...clients, backup }, tableRef('excluded'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'none of the 1 backup plan(s) selects the table',
    });
  });

  it('fails a table when only other resources are selected', async () => {
    await createTable(clients.dynamoDb, 'not-selected');
    const { backup } = backupWithSelections([
      { SelectionName: 'others', Resources: [tableArn('other-table'), 'arn:aws:s3:::bucket'] },
    ]);

    const result = await runCheck(CHECK, rules, { ...clients, backup }, tableRef('not-selected'));

    expect(result.status).toBe('FAIL');
  });

  it('passes a table whose moto tags match ListOfTags', async () => {
    await createTable(clients.dynamoDb, 'tagged', { Tags: [{ Key: 'backup', Value: 'daily' }] });
    const { backup } = backupWithSelections([
      {
        SelectionName: 'by-tag',
        ListOfTags: [
          { ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'weekly' },
          { ConditionType: 'STRINGEQUALS', ConditionKey: 'aws:ResourceTag/backup', ConditionValue: 'daily' },
        ],
      },
    ]);

    const result = await runCheck(CHECK, rules, { ...clients, backup }, tableRef('tagged'));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'backup plan daily covers the table by tag',
      evidence: { coveredBy: 'tags' },
    });
  });

  it('fails a table whose tags do not match ListOfTags', async () => {
    await createTable(clients.dynamoDb, 'tagged-other', { Tags: [{ Key: 'backup', Value: 'never' }] });
    const { backup } = backupWithSelections([
      {
        SelectionName: 'by-tag',
        ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }],
      },
    ]);

    const result = await runCheck(CHECK, rules, { ...clients, backup }, tableRef('tagged-other'));

    expect(result.status).toBe('FAIL');
  });

  it('requires every Condition to match a "*" selection', async () => {
    await createTable(clients.dynamoDb, 'conditioned', {
      Tags: [
        { Key: 'backup', Value: 'daily' },
        { Key: 'env', Value: 'prod' },
      ],
    });
    const selection = (env: string) => ({
      SelectionName: `prod-${env}`,
      Resources: ['*'],
      Conditions: {
        StringEquals: [{ ConditionKey: 'aws:ResourceTag/backup', ConditionValue: 'daily' }],
        StringLike: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: env }],
      },
    });

    const matching = await runCheck(
      CHECK,
      rules,
      { ...clients, backup: backupWithSelections([selection('pr*')]).backup },
      tableRef('conditioned'),
    );
    const mismatching = await runCheck(
      CHECK,
      rules,
      { ...clients, backup: backupWithSelections([selection('dev*')]).backup },
      tableRef('conditioned'),
    );

    expect(matching).toMatchObject({ status: 'PASS', evidence: { coveredBy: 'tags' } });
    expect(mismatching.status).toBe('FAIL');
  });

  it('reads the tags only when a selection uses them', async () => {
    await createTable(clients.dynamoDb, 'arn-only');
    const dynamoDb = new DynamoDBClient({});
    const dynamoDbCalls = mockClient(dynamoDb);
    const { backup } = backupWithSelections([{ SelectionName: 'tables', Resources: [tableArn('arn-only')] }]);

    const result = await runCheck(CHECK, rules, { ...clients, dynamoDb, backup }, tableRef('arn-only'));

    expect(result.status).toBe('PASS');
    expect(dynamoDbCalls.commandCalls(ListTagsOfResourceCommand)).toHaveLength(0);
  });

  it('looks through every page of plans and selections', async () => {
    await createTable(clients.dynamoDb, 'paged');
    const backup = new BackupClient({});
    const mock = mockClient(backup);
    mock
      .on(ListBackupPlansCommand)
      .resolvesOnce({ BackupPlansList: [{ BackupPlanId: 'p1', BackupPlanName: 'first' }], NextToken: 'more' })
      .resolvesOnce({ BackupPlansList: [{ BackupPlanId: 'p2', BackupPlanName: 'second' }] });
    mock.on(ListBackupSelectionsCommand, { BackupPlanId: 'p1' }).resolves({ BackupSelectionsList: [] });
    mock
      .on(ListBackupSelectionsCommand, { BackupPlanId: 'p2' })
      .resolvesOnce({ BackupSelectionsList: [{ SelectionId: 's1' }], NextToken: 'next' })
      .resolvesOnce({ BackupSelectionsList: [{ SelectionId: 's2' }] });
    mock.on(GetBackupSelectionCommand, { SelectionId: 's1' }).resolves({
      BackupSelection: { SelectionName: 'buckets', IamRoleArn: ROLE, Resources: ['arn:aws:s3:::*'] },
    });
    mock.on(GetBackupSelectionCommand, { SelectionId: 's2' }).resolves({
      BackupSelection: { SelectionName: 'tables', IamRoleArn: ROLE, Resources: [tableArn('paged')] },
    });

    const result = await runCheck(CHECK, rules, { ...clients, backup }, tableRef('paged'));

    expect(result).toMatchObject({
      status: 'PASS',
      evidence: { backupPlanName: 'second', selectionName: 'tables' },
    });
  });

  it('is an ERROR naming backup:ListBackupPlans when access is denied', async () => {
    const backup = new BackupClient({});
    mockClient(backup).on(ListBackupPlansCommand).rejects(accessDenied());

    const result = await runCheck(CHECK, rules, { ...clients, backup }, tableRef('denied'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('backup:ListBackupPlans');
  });
});
