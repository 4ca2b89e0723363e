/**
 * The gate's own resources, which an audit of the stack that holds the gate leaves out: when the
 * gate lives in the stack it guards, its functions and roles are the auditor, not the service.
 *
 * Which resources those are comes only from the gate itself: the FitnessGate construct lists its
 * own CfnResources at synth time (stack ARN and logical ids) and writes the list into the
 * ListResources task's Parameters in the state machine definition, where neither a template nor an
 * execution input can reach. A template that calls a resource "gate" (the old
 * `Metadata.fitgate.component` mark) has it audited like any other. The list lives in the definition
 * rather than in FITGATE_CONFIG because ~90 logical ids do not fit Lambda's 4 KB of environment.
 */
import type { GateResources } from '../shared/config.ts';
import type { StackResourceRow, TrimmedRow } from './rows.ts';

/** The Parameters key of the ListResources task that carries the list. */
export const GATE_RESOURCES_PARAMETER = 'gateResources';

/** Reads the list the state machine hands in; anything malformed leaves nothing out. */
export function parseGateResources(value: unknown): GateResources | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { stackId, logicalIds } = value as Record<string, unknown>;
  if (typeof stackId !== 'string' || !Array.isArray(logicalIds)) return undefined;
  return { stackId, logicalIds: logicalIds.filter((id): id is string => typeof id === 'string') };
}

/** A row of one stack (the root or a nested one), with the ARN or name of the stack that lists it. */
export interface ListedRow {
  readonly row: TrimmedRow;
  readonly summary: StackResourceRow;
  /** The stack that lists the row (ARN; moto names nested stacks by name). */
  readonly stackId: string;
}

/** True for a row of the gate's own stack whose logical id the gate listed as its own. */
export function isGateResource(listed: ListedRow, gate: GateResources | undefined): boolean {
  if (!gate || listed.stackId !== gate.stackId) return false;
  const logicalId = listed.summary.LogicalResourceId;
  return logicalId !== undefined && gate.logicalIds.includes(logicalId);
}

/**
 * The state machine definition with the gate's own resources in the ListResources task's
 * Parameters. The construct calls it at synth time; the local runner, to run a gate's definition.
 */
export function withGateResources<D extends { States: Record<string, unknown> }>(
  definition: D,
  gate: GateResources | { readonly stackId: unknown; readonly logicalIds: readonly string[] },
): D {
  return withListResourcesParameter(definition, GATE_RESOURCES_PARAMETER, gate);
}

/** The definition with one more key in the ListResources task's Parameters (what the construct adds at synth time). */
export function withListResourcesParameter<D extends { States: Record<string, unknown> }>(
  definition: D,
  name: string,
  value: unknown,
): D {
  const listResources = definition.States.ListResources as
    | { Parameters?: Record<string, unknown> }
    | undefined;
  if (!listResources) throw new Error('the definition has no ListResources state');
  return {
    ...definition,
    States: {
      ...definition.States,
      ListResources: { ...listResources, Parameters: { ...listResources.Parameters, [name]: value } },
    },
  };
}

/**
 * The gate's own logical ids as a synthesized template carries them: in the ListResources
 * Parameters of a FitnessGate state machine's definition. For running a synthesized gate's template
 * locally (`fitgate predict`), where no deployed definition hands the list in.
 */
export function gateLogicalIdsOf(template: { Resources?: Record<string, unknown> } | undefined): string[] {
  const ids: string[] = [];
  for (const resource of Object.values(template?.Resources ?? {})) {
    const { Type, Properties } = (resource ?? {}) as {
      Type?: unknown;
      Properties?: { DefinitionString?: unknown };
    };
    if (Type !== 'AWS::StepFunctions::StateMachine' || typeof Properties?.DefinitionString !== 'string')
      continue;
    try {
      const definition = JSON.parse(Properties.DefinitionString) as {
        States?: { ListResources?: { Parameters?: Record<string, unknown> } };
      };
      const listed = definition.States?.ListResources?.Parameters?.[GATE_RESOURCES_PARAMETER];
      const parsed = parseGateResources(listed);
      if (parsed) ids.push(...parsed.logicalIds);
    } catch {
      // Not a definition this gate wrote.
    }
  }
  return ids;
}
