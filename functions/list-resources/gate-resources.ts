/** The gate's own resources, which an audit of the stack that holds the gate leaves out. */
import type { TrimmedRow } from './rows.ts';

/**
 * The FitnessGate construct marks its own resources (`Metadata.fitgate.component: "gate"`). When
 * the gate lives in the stack it guards, they are the auditor, not the service: leaving them in
 * would let the gate's own functions and roles move the service's fitness.
 */
export const GATE_COMPONENT = 'gate';

export function gateResourceIds(template: { Resources?: Record<string, unknown> } | undefined): Set<string> {
  const ids = new Set<string>();
  for (const [logicalId, resource] of Object.entries(template?.Resources ?? {})) {
    const metadata = (resource as { Metadata?: { fitgate?: { component?: unknown } } } | null)?.Metadata;
    if (metadata?.fitgate?.component === GATE_COMPONENT) ids.add(logicalId);
  }
  return ids;
}

/** Rows and template without the gate's own resources. */
export function withoutGateResources<T extends { Resources?: Record<string, unknown> }>(
  rows: readonly TrimmedRow[],
  template: T | undefined,
): { rows: TrimmedRow[]; template: T | undefined; excluded: number; gateIds: ReadonlySet<string> } {
  const gateIds = gateResourceIds(template);
  if (gateIds.size === 0) return { rows: [...rows], template, excluded: 0, gateIds };
  const kept = rows.filter((row) => !('resource' in row) || !gateIds.has(row.resource.logicalId));
  const resources = Object.fromEntries(
    Object.entries(template?.Resources ?? {}).filter(([id]) => !gateIds.has(id)),
  );
  return {
    rows: kept,
    template: template && { ...template, Resources: resources },
    excluded: rows.length - kept.length,
    gateIds,
  };
}
