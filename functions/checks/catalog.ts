/**
 * The checks one run knows: the built-in registry plus the user-defined fitness functions of its
 * configuration (user-defined.ts). The configuration travels in the state, so ListResources, every
 * check function and the Aggregate derive the same catalog from it; the registry's own lookups
 * (findCheck, checksFor) stay the built-in catalog.
 */
import type { Trigger } from '../../statemachine/state.ts';
import { type CheckDefinition, canonicalCheckId, registry } from './registry.ts';
import type { CheckFamily } from './types.ts';
import { type UserDefinedSettings, userDefinitions } from './user-defined.ts';

export interface Catalog {
  readonly checks: readonly CheckDefinition[];
  /** The check of an id (deprecated built-in aliases included). */
  find(checkId: string): CheckDefinition | undefined;
  /** The checks one family runs on one resource type for one trigger, in catalog order. */
  checksFor(family: CheckFamily, resourceType: string, trigger: Trigger): CheckDefinition[];
  /** Families that have a check on a resource type: one work item per (resource, family). */
  familiesFor(resourceType: string): CheckFamily[];
}

function makeCatalog(checks: readonly CheckDefinition[]): Catalog {
  const byId = new Map(checks.map((check) => [check.id, check]));
  return {
    checks,
    find: (checkId) => byId.get(canonicalCheckId(checkId)),
    checksFor: (family, resourceType, trigger) =>
      checks.filter(
        (check) =>
          check.family === family &&
          check.resourceTypes.includes(resourceType) &&
          (check.triggers === undefined || check.triggers.includes(trigger)),
      ),
    familiesFor: (resourceType) => [
      ...new Set(checks.filter((c) => c.resourceTypes.includes(resourceType)).map((c) => c.family)),
    ],
  };
}

export const BUILT_IN_CATALOG: Catalog = makeCatalog(registry);

// One catalog per settings object: a run's handlers ask for it many times with the same configuration.
const catalogs = new WeakMap<object, Catalog>();

/** The catalog of a configuration's check settings (`config.checks`, or a check task's `checks`). */
export function catalogOf(settings: UserDefinedSettings | undefined): Catalog {
  if (!settings || ((settings.metrics?.length ?? 0) === 0 && (settings.functions?.length ?? 0) === 0)) {
    return BUILT_IN_CATALOG;
  }
  let catalog = catalogs.get(settings);
  if (!catalog) {
    catalog = makeCatalog([...registry, ...userDefinitions(settings)]);
    catalogs.set(settings, catalog);
  }
  return catalog;
}
