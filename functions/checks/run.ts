/**
 * Runs one work item (all checks of one family on one resource) and returns every check's result.
 * A rule never throws for a non-compliant resource; what it throws is mapped here:
 * AccessDenied and emulator gaps become ERROR results that say so, throttling is rethrown as
 * ThrottledError so the Map state's Retry tries the item again.
 */

import {
  type CheckTaskInput,
  isTrigger,
  type Trigger,
  type WorkItemOutcome,
} from '../../statemachine/state.ts';
import {
  errorMessage,
  errorName,
  httpStatusOf,
  InvalidInputError,
  isAccessDenied,
  isEmulatorGap,
  isThrottling,
  ThrottledError,
} from '../shared/errors.ts';
import { BUILT_IN_CATALOG, type Catalog, catalogOf } from './catalog.ts';
import { digestResults } from './digest.ts';
import { MalformedDataError } from './evaluators/malformed.ts';
import { type CheckDefinition, canonicalCheckId } from './registry.ts';
import {
  type CheckContext,
  type CheckFamily,
  type CheckOutcome,
  type CheckParams,
  type CheckRule,
  FAMILIES,
  type Family,
  type ItemResult,
} from './types.ts';

/** A family's rules by check id, or (for user-defined checks) the rule of a definition. */
export type FamilyRules<Clients> =
  | Readonly<Record<string, CheckRule<Clients>>>
  | ((check: CheckDefinition) => CheckRule<Clients> | undefined);

function ruleOf<Clients>(
  rules: FamilyRules<Clients>,
  check: CheckDefinition,
): CheckRule<Clients> | undefined {
  return typeof rules === 'function' ? rules(check) : rules[check.id];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates the Map item; a malformed one is a bug upstream and fails loudly. `accepts` says which
 * work items' families the function serves (its own, by default).
 */
export function parseCheckTaskInput(
  event: unknown,
  family: Family,
  accepts: (itemFamily: unknown) => boolean = (itemFamily) =>
    itemFamily === family && FAMILIES.includes(itemFamily as Family),
): CheckTaskInput {
  if (!isRecord(event) || !isRecord(event.workItem) || !isRecord(event.stack)) {
    throw new InvalidInputError('check task input needs workItem and stack');
  }
  const { workItem, trigger } = event;
  const resource = workItem.resource;
  if (!isRecord(resource) || typeof resource.type !== 'string' || typeof resource.logicalId !== 'string') {
    throw new InvalidInputError('workItem.resource needs logicalId, physicalId and type');
  }
  if (!accepts(workItem.family)) {
    throw new InvalidInputError(
      `work item of family ${String(workItem.family)} sent to the ${family} checks`,
    );
  }
  if (!isTrigger(trigger)) {
    throw new InvalidInputError(`unknown trigger ${String(trigger)}`);
  }
  return event as unknown as CheckTaskInput;
}

/** Defaults from the registry, overridden by the gate's configured parameters. */
export function resolveParams(check: CheckDefinition, configured: CheckParams | undefined): CheckParams {
  const defaults = Object.fromEntries(
    Object.entries(check.params).map(([name, spec]) => [name, spec.default]),
  );
  return { ...defaults, ...configured };
}

function failureOutcome(check: CheckDefinition, error: unknown): CheckOutcome {
  if (isThrottling(error)) {
    throw new ThrottledError(`${check.id}: ${errorName(error)} after SDK retries`);
  }
  if (isAccessDenied(error)) {
    return {
      status: 'ERROR',
      message: `access denied (${errorName(error)}); the auditor role needs ${check.iamActions.join(', ')}`,
    };
  }
  if (isEmulatorGap(error)) {
    return {
      status: 'ERROR',
      message: `the emulator does not implement a call this check needs (${emulatorAnswer(error)}; the check calls ${check.iamActions.join(', ')})`,
    };
  }
  if (error instanceof MalformedDataError) {
    return { status: 'ERROR', message: `malformed API data: ${errorMessage(error).slice(0, 400)}` };
  }
  if (error instanceof TypeError || error instanceof SyntaxError || error instanceof RangeError) {
    // Our own code met data it did not expect: say so, and where, without the raw runtime exception.
    return {
      status: 'ERROR',
      message: `${check.id} could not read an API answer it did not expect (${errorMessage(error).slice(0, 200)}${whereThrown(error)})`,
    };
  }
  return { status: 'ERROR', message: `${errorName(error)}: ${errorMessage(error).slice(0, 240)}` };
}

/** `at file:line` of the first fitgate frame of a stack trace, for a defect report. */
function whereThrown(error: Error): string {
  const frame = (error.stack ?? '').split('\n').find((line) => /functions\/checks\//.test(line));
  const location = frame ? /functions\/checks\/([^):]+:\d+)/.exec(frame)?.[1] : undefined;
  return location ? `, in ${location}` : '';
}

/**
 * What the emulator answered, in one line. For a body the SDK cannot parse (moto's HTML error
 * page), the SDK's own several-line message names only its internals, so the status is given.
 */
function emulatorAnswer(error: unknown): string {
  const message = errorMessage(error);
  if (/Deserialization error|XML parse error|Unable to parse|invalid XML/i.test(message)) {
    const body = (error as { $response?: { body?: unknown } }).$response?.body;
    const title = typeof body === 'string' ? /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim() : undefined;
    return title ? `HTTP ${title}` : `HTTP ${httpStatusOf(error) ?? '?'}, a body the SDK cannot parse`;
  }
  return `${errorName(error)}: ${message.replace(/\s+/g, ' ').slice(0, 160)}`;
}

export async function runWorkItem<Clients>(
  family: CheckFamily,
  rules: FamilyRules<Clients>,
  clients: Clients,
  input: CheckTaskInput,
  catalog: Catalog = catalogOf(input.checks),
): Promise<WorkItemOutcome> {
  const { workItem } = input;
  // Deprecated ids still name their check in configuration (registry ALIASES).
  const disabled = new Set((input.checks?.disabled ?? []).map(canonicalCheckId));
  const configured = Object.fromEntries(
    Object.entries(input.checks?.params ?? {}).map(([id, params]) => [canonicalCheckId(id), params]),
  );
  const checks = catalog
    .checksFor(family, workItem.resource.type, input.trigger)
    .filter((check) => !disabled.has(check.id));
  const memoized = new Map<string, Promise<unknown>>();
  const memo = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let pending = memoized.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = load();
      memoized.set(key, pending);
    }
    return pending;
  };

  const paramsById = new Map(checks.map((check) => [check.id, resolveParams(check, configured[check.id])]));

  const results = await Promise.all(
    checks.map(async (check): Promise<ItemResult> => {
      const rule = ruleOf(rules, check);
      const context: CheckContext<Clients> = {
        resource: workItem.resource,
        params: paramsById.get(check.id) ?? {},
        peerParams: (checkId) => paramsById.get(canonicalCheckId(checkId)),
        clients,
        stack: input.stack,
        trigger: input.trigger,
        deployment: input.deployment,
        memo,
      };
      let outcome: CheckOutcome;
      if (!rule) {
        outcome = { status: 'ERROR', message: `no rule is bound to ${check.id} in the ${family} checks` };
      } else {
        try {
          outcome = await rule(context);
        } catch (error) {
          outcome = failureOutcome(check, error);
        }
      }
      return { checkId: check.id, ...outcome };
    }),
  );
  const checkIds = checks.map((check) => check.id);
  return {
    family,
    resource: workItem.resource,
    results,
    digest: digestResults(checkIds, results, input.messageBudget),
  };
}

/** The checks a work item runs, in the order its digest lists them. */
export function checkIdsFor(
  family: CheckFamily,
  resourceType: string,
  trigger: Trigger,
  disabled: ReadonlySet<string>,
  catalog: Catalog = BUILT_IN_CATALOG,
): string[] {
  return catalog
    .checksFor(family, resourceType, trigger)
    .filter((check) => !disabled.has(check.id))
    .map((check) => check.id);
}

/** A family Lambda handler: validate the item, run its checks. */
export function makeFamilyHandler<Clients>(family: Family, rules: FamilyRules<Clients>, clients: Clients) {
  return async (event: unknown): Promise<WorkItemOutcome> =>
    runWorkItem(family, rules, clients, parseCheckTaskInput(event, family));
}
