/** Waivers written into the template, and the configuration they join. */
import { findCheck, registry } from '../checks/registry.ts';
import type { GateConfig, Suppression } from '../shared/config.ts';
import { samWaivers } from './sam-origins.ts';

/** cdk-nag rule id → our check ids, read from the registry's anchors (e.g. "AwsSolutions-S1"). */
export function checksForCdkNagRule(ruleId: string): string[] {
  const pattern = new RegExp(`(^|[\\s·(])${ruleId.replace(/[-]/g, '\\-')}($|[\\s·)])`);
  return registry.filter((check) => check.anchors && pattern.test(check.anchors)).map((check) => check.id);
}

interface TemplateResource {
  readonly Metadata?: {
    readonly fitgate?: { readonly suppressions?: readonly Record<string, unknown>[] };
    readonly cdk_nag?: { readonly rules_to_suppress?: readonly Record<string, unknown>[] };
  };
  readonly Properties?: { readonly Tags?: unknown };
}

const TAG_PREFIX = 'fitgate:suppress:';

/**
 * Waivers written into the template: `Metadata.fitgate.suppressions` ([{checkId, reason, owner?,
 * expires?}]), cdk-nag acknowledgements (`Metadata.cdk_nag.rules_to_suppress`, mapped through the
 * registry's anchors) and tags `fitgate:suppress:<checkId>` = reason. Each names one resource.
 */
export function templateSuppressions(template: {
  Resources?: Record<string, TemplateResource>;
}): Suppression[] {
  const suppressions: Suppression[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    for (const entry of resource.Metadata?.fitgate?.suppressions ?? []) {
      suppressions.push({
        checkId: String(entry.checkId),
        logicalId,
        reason: String(entry.reason ?? ''),
        ...(entry.owner ? { owner: String(entry.owner) } : {}),
        ...(entry.expires ? { expires: String(entry.expires) } : {}),
        source: 'metadata',
      });
    }
    for (const rule of resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
      for (const checkId of checksForCdkNagRule(String(rule.id))) {
        suppressions.push({
          checkId,
          logicalId,
          reason: `cdk-nag ${String(rule.id)}: ${String(rule.reason ?? '')}`,
          source: 'cdk-nag',
        });
      }
    }
    const tags = Array.isArray(resource.Properties?.Tags)
      ? (resource.Properties.Tags as { Key?: unknown; Value?: unknown }[])
      : [];
    for (const tag of tags) {
      if (typeof tag.Key === 'string' && tag.Key.startsWith(TAG_PREFIX) && typeof tag.Value === 'string') {
        suppressions.push({
          checkId: tag.Key.slice(TAG_PREFIX.length),
          logicalId,
          reason: tag.Value,
          source: 'tag',
        });
      }
    }
  }
  // A waiver on a SAM resource also covers what SAM generated from it (sam-origins.ts).
  return samWaivers(suppressions, template.Resources ?? {}, (checkId) => findCheck(checkId)?.resourceTypes);
}

/** The configuration carried in the state: the gate's, plus the template's waivers. */
export function withTemplateSuppressions(
  config: GateConfig,
  fromTemplate: readonly Suppression[],
): GateConfig {
  return { ...config, suppressions: [...config.suppressions, ...fromTemplate] };
}
