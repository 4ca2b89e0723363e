import type { BackupSelection } from '@aws-sdk/client-backup';
import { describe, expect, it } from 'vitest';
import { selectionCovers, selectionUsesTags } from '../../../functions/checks/dynamodb/backup-selection.ts';

const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders';
const ROLE = 'arn:aws:iam::123456789012:role/backup';
const selection = (fields: Omit<BackupSelection, 'SelectionName' | 'IamRoleArn'>): BackupSelection => ({
  SelectionName: 's',
  IamRoleArn: ROLE,
  ...fields,
});

describe('selectionCovers', () => {
  it.each([
    [[TABLE], 'resources'],
    [['*'], 'resources'],
    [['arn:aws:dynamodb:*:*:table/*'], 'resources'],
    [['arn:aws:dynamodb:us-east-1:123456789012:table/ord?rs'], 'resources'],
    [['arn:aws:dynamodb:us-east-1:123456789012:table/order'], undefined],
    [['arn:aws:s3:::*'], undefined],
    [[], undefined],
  ] as const)('Resources %j covers the table by %s', (resources, expected) => {
    expect(selectionCovers(selection({ Resources: [...resources] }), TABLE, {})).toBe(expected);
  });

  it('lets NotResources exclude a table that Resources selects', () => {
    const excluding = selection({ Resources: ['*'], NotResources: ['arn:aws:dynamodb:*:*:table/ord*'] });

    expect(selectionCovers(excluding, TABLE, {})).toBeUndefined();
  });

  it('selects by ListOfTags when any StringEquals test matches, with or without the aws:ResourceTag/ prefix', () => {
    const byTags = selection({
      ListOfTags: [
        { ConditionType: 'STRINGEQUALS', ConditionKey: 'team', ConditionValue: 'payments' },
        { ConditionType: 'STRINGEQUALS', ConditionKey: 'aws:ResourceTag/backup', ConditionValue: 'daily' },
      ],
    });

    expect(selectionCovers(byTags, TABLE, { backup: 'daily' })).toBe('tags');
    expect(selectionCovers(byTags, TABLE, { team: 'payments' })).toBe('tags');
    expect(selectionCovers(byTags, TABLE, { backup: 'weekly' })).toBeUndefined();
    expect(selectionCovers(byTags, TABLE, {})).toBeUndefined();
  });

  it('narrows Resources with Conditions, all of which must hold', () => {
    const narrowed = selection({
      Resources: ['*'],
      Conditions: {
        StringEquals: [{ ConditionKey: 'aws:ResourceTag/backup', ConditionValue: 'daily' }],
        StringNotEquals: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'dev' }],
        StringLike: [{ ConditionKey: 'aws:ResourceTag/team', ConditionValue: 'pay*' }],
        StringNotLike: [{ ConditionKey: 'aws:ResourceTag/tier', ConditionValue: 'temp*' }],
      },
    });

    expect(selectionCovers(narrowed, TABLE, { backup: 'daily', env: 'prod', team: 'payments' })).toBe('tags');
    expect(
      selectionCovers(narrowed, TABLE, { backup: 'daily', env: 'dev', team: 'payments' }),
    ).toBeUndefined();
    expect(selectionCovers(narrowed, TABLE, { backup: 'daily', team: 'billing' })).toBeUndefined();
    expect(
      selectionCovers(narrowed, TABLE, { backup: 'daily', team: 'payments', tier: 'temporary' }),
    ).toBeUndefined();
  });

  it('selects by Conditions alone when Resources is empty', () => {
    const conditionsOnly = selection({
      Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/backup', ConditionValue: 'daily' }] },
    });

    expect(selectionCovers(conditionsOnly, TABLE, { backup: 'daily' })).toBe('tags');
    expect(selectionCovers(conditionsOnly, TABLE, {})).toBeUndefined();
  });
});

describe('selectionUsesTags', () => {
  it.each([
    [selection({ Resources: [TABLE] }), false],
    [selection({ Resources: ['*'], Conditions: {} }), false],
    [
      selection({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'k', ConditionValue: 'v' }] }),
      true,
    ],
    [
      selection({
        Resources: ['*'],
        Conditions: { StringLike: [{ ConditionKey: 'k', ConditionValue: 'v*' }] },
      }),
      true,
    ],
  ])('%#: %s', (candidate, expected) => {
    expect(selectionUsesTags(candidate)).toBe(expected);
  });
});
