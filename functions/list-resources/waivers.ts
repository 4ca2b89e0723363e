/**
 * Waivers written into a template, validated exactly like the gate configuration's own: the same
 * schema (a known check id, one resource, a reason of at least 10 characters, an `expires` that is
 * an ISO 8601 date or a date-time with a time zone). An invalid waiver is reported, never applied;
 * malformed metadata (an object where a list belongs, null entries, odd text) is a note, never a crash.
 *
 * Sources, each naming the resource it sits on:
 *   Metadata.fitgate.suppressions: [{ checkId, reason, owner?, expires? }]
 *   Metadata.cdk_nag.rules_to_suppress: [{ id, reason }] — mapped to the checks whose registry
 *     anchors name that exact cdk-nag rule id (no pattern, no prefix); an acknowledgement limited
 *     to some findings (`applies_to`, or an id with a `[finding]`) waives no whole check.
 *   Tags: `fitgate:suppress:<checkId>` = reason.
 */
import { findCheck, registry } from '../checks/registry.ts';
import {
  describeIssue,
  type GateConfig,
  type Suppression,
  shown,
  suppressionSchema,
} from '../shared/config.ts';
import { samWaivers, type TemplateResources } from './sam-origins.ts';

/** A cdk-nag rule id: `<Pack>-<Rule>`, e.g. `AwsSolutions-S1`, `Serverless-LambdaTracing`. */
const CDK_NAG_RULE_ID = /^[A-Za-z][A-Za-z0-9.]*-[A-Za-z0-9.]+$/;

/** The cdk-nag rule ids a registry row's anchors name (`AwsSolutions-S1`, `cdk-nag Serverless X`). */
function cdkNagRuleIds(anchors: string | undefined): string[] {
  return (anchors ?? '')
    .split('·')
    .map((part) => part.trim())
    .flatMap((part) => {
      if (/^AwsSolutions-[A-Za-z0-9]+$/.test(part)) return [part];
      // The Serverless pack's rules are named after their function: `cdk-nag LambdaTracing`.
      const serverless = /^cdk-nag (?:Serverless )?([A-Za-z0-9]+)$/.exec(part);
      return serverless ? [`Serverless-${serverless[1]}`] : [];
    });
}

/** cdk-nag rule id → our check ids, by exact id: `.*`, `SH` or `AwsSolutions` waive nothing. */
export function checksForCdkNagRule(ruleId: string): string[] {
  if (!CDK_NAG_RULE_ID.test(ruleId)) return [];
  return registry.filter((check) => cdkNagRuleIds(check.anchors).includes(ruleId)).map((check) => check.id);
}

const TAG_PREFIX = 'fitgate:suppress:';

/** What a template (or one nested stack's template) says about waivers. */
export interface TemplateWaivers {
  readonly suppressions: Suppression[];
  /** `checkId@key (source): problem`, reported and not applied. */
  readonly invalid: string[];
  /** Metadata the gate could not read at all. */
  readonly notes: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text fit for a note: one short line, without control characters. */
function printable(value: unknown): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  return shown(value).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/**
 * Reads every template waiver. `prefix` is the key of the nested stack the template belongs to
 * (`Child/`), so a child template's waivers name the child's own resources.
 */
export function readTemplateWaivers(template: unknown, prefix = ''): TemplateWaivers {
  const result: TemplateWaivers = { suppressions: [], invalid: [], notes: [] };
  const resources = isRecord(template) && isRecord(template.Resources) ? template.Resources : {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isRecord(resource)) continue;
    const key = `${prefix}${logicalId}`;
    const metadata = isRecord(resource.Metadata) ? resource.Metadata : {};
    const accept = (candidate: Record<string, unknown>, source: NonNullable<Suppression['source']>) => {
      const parsed = suppressionSchema.safeParse(candidate, { reportInput: true });
      if (parsed.success) {
        result.suppressions.push({ ...(parsed.data as Suppression), source });
        return true;
      }
      const [issue] = parsed.error.issues;
      result.invalid.push(
        `${printable(candidate.checkId).replace(/^"|"$/g, '')}@${key} (${source}): ${issue ? describeIssue(issue, suppressionSchema) : 'not valid'}`,
      );
      return false;
    };
    const list = (value: unknown, where: string): unknown[] => {
      if (value === undefined) return [];
      if (Array.isArray(value)) return value;
      result.notes.push(`${where} of ${key} is not a list (got ${printable(value)}): ignored`);
      return [];
    };

    const fitgate = metadata.fitgate;
    if (fitgate !== undefined && !isRecord(fitgate)) {
      result.notes.push(`Metadata.fitgate of ${key} is not an object (got ${printable(fitgate)}): ignored`);
    }
    const entries = list(
      isRecord(fitgate) ? fitgate.suppressions : undefined,
      'Metadata.fitgate.suppressions',
    );
    entries.forEach((entry, index) => {
      if (!isRecord(entry)) {
        result.notes.push(
          `Metadata.fitgate.suppressions[${index}] of ${key} is not an object (got ${printable(entry)}): ignored`,
        );
        return;
      }
      // The waiver names the resource it sits on; a logicalId of its own would point elsewhere.
      if (entry.logicalId !== undefined && entry.logicalId !== logicalId && entry.logicalId !== key) {
        result.invalid.push(
          `${printable(entry.checkId).replace(/^"|"$/g, '')}@${key} (metadata): logicalId ${printable(entry.logicalId)} is not the resource the waiver sits on`,
        );
        return;
      }
      accept({ ...entry, logicalId: key }, 'metadata');
    });

    const cdkNag = metadata.cdk_nag;
    const rules = list(
      isRecord(cdkNag) ? cdkNag.rules_to_suppress : undefined,
      'Metadata.cdk_nag.rules_to_suppress',
    );
    rules.forEach((rule, index) => {
      if (!isRecord(rule) || typeof rule.id !== 'string') {
        result.notes.push(
          `Metadata.cdk_nag.rules_to_suppress[${index}] of ${key} has no rule id (got ${printable(rule)}): ignored`,
        );
        return;
      }
      const appliesTo = rule.applies_to ?? rule.appliesTo;
      if (appliesTo !== undefined || rule.id.includes('[')) {
        result.notes.push(
          `cdk-nag acknowledgement ${printable(rule.id)} on ${key} covers some findings only: it waives no fitgate check`,
        );
        return;
      }
      const checkIds = checksForCdkNagRule(rule.id);
      if (checkIds.length === 0) {
        result.notes.push(
          `cdk-nag acknowledgement ${printable(rule.id)} on ${key} names no fitgate check: ignored`,
        );
        return;
      }
      for (const checkId of checkIds) {
        if (accept({ checkId, logicalId: key, reason: rule.reason }, 'cdk-nag')) {
          const added = result.suppressions.pop() as Suppression;
          result.suppressions.push({ ...added, reason: `cdk-nag ${rule.id}: ${added.reason}` });
        }
      }
    });

    const properties = isRecord(resource.Properties) ? resource.Properties : {};
    // Tags may also be an intrinsic (Fn::If …) or a map (SAM): only a list of Key/Value pairs names waivers.
    const tags = Array.isArray(properties.Tags) ? properties.Tags : [];
    for (const tag of tags) {
      if (!isRecord(tag) || typeof tag.Key !== 'string' || !tag.Key.startsWith(TAG_PREFIX)) continue;
      accept({ checkId: tag.Key.slice(TAG_PREFIX.length), logicalId: key, reason: tag.Value }, 'tag');
    }
  }
  // A waiver on a SAM resource also covers what SAM generated from it (sam-origins.ts).
  const checkTypes = (checkId: string) => findCheck(checkId)?.resourceTypes;
  return {
    ...result,
    suppressions: samWaivers(result.suppressions, resources as TemplateResources, checkTypes, prefix),
  };
}

/** The configuration carried in the state: the gate's, plus the template's valid waivers. */
export function withTemplateWaivers(
  config: GateConfig,
  fromTemplates: readonly TemplateWaivers[],
): GateConfig {
  const invalid = fromTemplates.flatMap((waivers) => waivers.invalid);
  return {
    ...config,
    suppressions: [...config.suppressions, ...fromTemplates.flatMap((waivers) => waivers.suppressions)],
    ...(invalid.length > 0
      ? { invalidSuppressions: [...(config.invalidSuppressions ?? []), ...invalid] }
      : {}),
  };
}
