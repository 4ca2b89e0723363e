/**
 * Whether an AWS Backup selection covers a resource (pure). Per the BackupSelection API: an ARN in
 * `Resources` (wildcards allowed) selects a resource unless `NotResources` excludes it, and
 * `Conditions` (AND of tag tests) narrow that choice; `ListOfTags` (OR of StringEquals tag tests)
 * selects a resource on its own.
 */
import type { BackupSelection, Condition, ConditionParameter } from '@aws-sdk/client-backup';
import { wildcardMatch } from '../evaluators/policy.ts';

export type ResourceTags = Readonly<Record<string, string>>;

const TAG_KEY_PREFIX = /^aws:ResourceTag\//i;

function tagValue(tags: ResourceTags, conditionKey: string | undefined): string | undefined {
  if (!conditionKey) return undefined;
  return tags[conditionKey.replace(TAG_KEY_PREFIX, '')];
}

function listOfTagsMatch(conditions: readonly Condition[], tags: ResourceTags): boolean {
  return conditions.some(
    (condition) =>
      condition.ConditionType === 'STRINGEQUALS' &&
      tagValue(tags, condition.ConditionKey) === condition.ConditionValue,
  );
}

function conditionTests(selection: BackupSelection, tags: ResourceTags): boolean[] {
  const test = (
    parameters: readonly ConditionParameter[] | undefined,
    matches: (value: string | undefined, expected: string) => boolean,
  ) =>
    (parameters ?? []).map((parameter) =>
      matches(tagValue(tags, parameter.ConditionKey), parameter.ConditionValue ?? ''),
    );
  const conditions = selection.Conditions;
  return [
    ...test(conditions?.StringEquals, (value, expected) => value === expected),
    ...test(conditions?.StringNotEquals, (value, expected) => value !== expected),
    ...test(
      conditions?.StringLike,
      (value, expected) => value !== undefined && wildcardMatch(expected, value),
    ),
    ...test(
      conditions?.StringNotLike,
      (value, expected) => value === undefined || !wildcardMatch(expected, value),
    ),
  ];
}

/** True when the selection needs the resource's tags to decide. */
export function selectionUsesTags(selection: BackupSelection): boolean {
  return (selection.ListOfTags ?? []).length > 0 || conditionTests(selection, {}).length > 0;
}

/** How the selection covers the resource: 'resources', 'tags', or undefined when it does not. */
export function selectionCovers(
  selection: BackupSelection,
  resourceArn: string,
  tags: ResourceTags,
): 'resources' | 'tags' | undefined {
  const arnMatches = (patterns: readonly string[] | undefined) =>
    (patterns ?? []).some((pattern) => pattern === '*' || wildcardMatch(pattern, resourceArn));
  const conditions = conditionTests(selection, tags);
  const resources = selection.Resources ?? [];
  const chosen =
    resources.length > 0
      ? arnMatches(resources) && conditions.every(Boolean)
      : conditions.length > 0 && conditions.every(Boolean);
  if (chosen && !arnMatches(selection.NotResources)) return conditions.length > 0 ? 'tags' : 'resources';
  if (listOfTagsMatch(selection.ListOfTags ?? [], tags)) return 'tags';
  return undefined;
}
