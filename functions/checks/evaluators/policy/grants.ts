/**
 * "Does this identity policy allow X?" — the questions of AWS Config's IAM rules, answered with IAM's
 * matching (wildcards in actions and ARNs, NotAction and NotResource honoured). Like those rules,
 * conditions are not evaluated: "This rule does not evaluate the conditions provided in IAM
 * policies" (https://docs.aws.amazon.com/config/latest/developerguide/iam-customer-policy-blocked-kms-actions.html).
 */
import type { Statement } from './document.ts';
import { patternCovers, patternsOverlap } from './match.ts';

/** How much of a resource space (a probe such as `arn:aws:kms:us-east-1:123456789012:key/*`) a statement reaches. */
export type Reach = 'all' | 'all-but' | 'some' | 'none';

export function resourceReach(statement: Statement, probe: string): Reach {
  if (statement.notResources) {
    // NotResource grants every resource it does not list.
    return statement.notResources.some((excluded) => patternCovers(excluded, probe, 'arn'))
      ? 'none'
      : 'all-but';
  }
  const resources = statement.resources ?? ['*'];
  if (resources.some((pattern) => patternCovers(pattern, probe, 'arn'))) return 'all';
  return resources.some((pattern) => patternsOverlap(pattern, probe, 'arn')) ? 'some' : 'none';
}

/** Every resource of the partition: `*`, `arn:*`, `arn:aws:*:*:*:*` all reach it. */
export function everyResource(partition = 'aws'): string {
  return `arn:${partition}:*:*:*:*`;
}

/** An Allow whose Action reaches every action (`*`, `*:*`); NotAction always leaves something out. */
export function allowsEveryAction(statement: Statement): boolean {
  return (
    statement.effect === 'Allow' && (statement.actions ?? []).some((action) => patternCovers(action, '*:*'))
  );
}

/** Whether the statement grants an action matching one of `patterns` (Action or NotAction). */
export function grantsAnyOf(statement: Statement, patterns: readonly string[]): boolean {
  if (statement.actions) {
    return statement.actions.some((action) => patterns.some((pattern) => patternsOverlap(action, pattern)));
  }
  const excluded = statement.notActions ?? [];
  return patterns.some((pattern) => !excluded.some((exclusion) => patternCovers(exclusion, pattern)));
}

/**
 * The grants of whole services: `s3:*`, `*`, or NotAction (which grants every service it does not
 * name). Each entry names the action pattern that does it.
 */
export function serviceWideGrants(statement: Statement): string[] {
  if (statement.effect !== 'Allow') return [];
  if (statement.notActions) {
    return statement.notActions.some((excluded) => patternCovers(excluded, '*:*'))
      ? []
      : [`NotAction ${JSON.stringify(statement.notActions)}`];
  }
  return (statement.actions ?? []).filter((action) => action === '*' || /^[^:]+:\*+$/.test(action));
}
