/** The secretsmanager and events families: every registry check has a rule, and nothing else does. */
import { describe, expect, it } from 'vitest';
import { rules as eventsRules } from '../../../functions/checks/events/handler.ts';
import { registry } from '../../../functions/checks/registry.ts';
import { rules as secretsRules } from '../../../functions/checks/secretsmanager/handler.ts';
import { FAMILIES } from '../../../functions/checks/types.ts';

describe.each([
  ['secretsmanager', secretsRules, 3],
  ['events', eventsRules, 2],
] as const)('%s family handler', (family, rules, count) => {
  it('binds a rule to every check of the family, and to nothing else', () => {
    const checkIds = registry.filter((check) => check.family === family).map((check) => check.id);

    expect(FAMILIES).toContain(family);
    expect(Object.keys(rules).sort()).toEqual(checkIds.sort());
    expect(checkIds).toHaveLength(count);
  });
});
