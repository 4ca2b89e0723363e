/**
 * Which SAM resource a resource of the processed template was generated from, and what a waiver
 * written on a SAM resource covers. Pure: reads the processed template only.
 *
 * SAM records the origin in two places:
 * - `Metadata.SamResourceId`: SAM's tooling writes it (`sam build` on the resource that keeps the
 *   SAM logical id; the translator's metadata passthrough, which cfn-lint and `sam validate` use,
 *   copies it to every generated resource). CloudFormation's hosted transform copies nothing.
 * - The generated logical ids SAM documents for a function, which the processed template keeps in
 *   the cloud too: `<function>Role`, `<function>Alias<alias>`, `<function>Version<sha>`, and what
 *   its events and settings make (`<function><event>` rules, schedules, subscriptions, mappings,
 *   `<function><event>Permission…`, `<function>EventInvokeConfig`, `<function>Url`), on a function
 *   SAM tags `lambda:createdBy: SAM`. They count only where the resource also refers to the function
 *   (or its alias).
 *   https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-function.html
 *
 * A waiver (one check) written on a SAM function, or carried by a resource generated from it (SAM
 * copies a function's Tags to its role), applies to the function and to the resources generated
 * from it that the check audits: an IAM check's waiver reaches `<function>Role`, a Lambda check's
 * the function. When none of them is of a type the check audits, the waiver stays on the SAM
 * resource (and is reported as matching nothing, like any other). Never more than one check.
 */
import type { ResourceRef } from '../../statemachine/state.ts';
import type { Suppression } from '../shared/config.ts';

interface TemplateResource {
  readonly Type?: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly Metadata?: Readonly<Record<string, unknown>>;
}

export type TemplateResources = Readonly<Record<string, TemplateResource>>;

const SAM_FUNCTION_TAG = 'lambda:createdBy';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSamFunction(resource: TemplateResource): boolean {
  const tags = resource.Properties?.Tags;
  return (
    resource.Type === 'AWS::Lambda::Function' &&
    Array.isArray(tags) &&
    tags.some((tag) => isRecord(tag) && tag.Key === SAM_FUNCTION_TAG && tag.Value === 'SAM')
  );
}

/** The logical id a Ref or GetAtt names. */
function referenced(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** Every logical id a value refers to: Ref, Fn::GetAtt, and `${Name}` / `${Name.Attribute}` in Fn::Sub. */
function references(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) references(item, found);
  } else if (isRecord(value)) {
    const target = referenced(value);
    if (target) found.add(target);
    const sub = value['Fn::Sub'];
    const text = Array.isArray(sub) ? sub[0] : sub;
    if (typeof text === 'string') {
      for (const match of text.matchAll(/\$\{([^}!.]+)[^}]*\}/g)) found.add(match[1] as string);
    }
    for (const item of Object.values(value)) references(item, found);
  }
  return found;
}

/**
 * What SAM generates for a function's event sources and settings, named `<function><event>…` or
 * `<function>EventInvokeConfig`, `<function>Url`: each refers to the function or its alias.
 */
const EVENT_SOURCE_TYPES = new Set([
  'AWS::Lambda::Permission',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::Lambda::Url',
  'AWS::Events::Rule',
  'AWS::Scheduler::Schedule',
  'AWS::SNS::Subscription',
  'AWS::Logs::SubscriptionFilter',
  'AWS::IoT::TopicRule',
]);

/** The resources SAM generates from a function under its documented logical ids. */
function generatedFrom(functionId: string, resources: TemplateResources): string[] {
  const fn = resources[functionId];
  const aliases = Object.entries(resources)
    .filter(([id, r]) => r.Type === 'AWS::Lambda::Alias' && id.startsWith(`${functionId}Alias`))
    .filter(([, r]) => referenced(r.Properties?.FunctionName) === functionId)
    .map(([id]) => id);
  const targets = new Set([functionId, ...aliases]);
  const refersToFunction = (value: unknown) => [...references(value)].some((id) => targets.has(id));
  const role = `${functionId}Role`;
  return Object.entries(resources).flatMap(([id, r]) => {
    if (id === functionId || !id.startsWith(functionId)) return [];
    switch (r.Type) {
      case 'AWS::IAM::Role':
        return id === role && referenced(fn?.Properties?.Role) === role ? [id] : [];
      case 'AWS::Lambda::Alias':
        return aliases.includes(id) ? [id] : [];
      case 'AWS::Lambda::Version':
        return id.startsWith(`${functionId}Version`) && refersToFunction(r.Properties?.FunctionName)
          ? [id]
          : [];
      default:
        return EVENT_SOURCE_TYPES.has(r.Type ?? '') && refersToFunction(r.Properties) ? [id] : [];
    }
  });
}

/** Generated logical id → the SAM resource it came from (the SAM resource itself is not a key). */
export function samOrigins(declared: TemplateResources): Map<string, string> {
  // A template is read as it comes: an entry that is no resource object names nothing.
  const resources: TemplateResources = Object.fromEntries(
    Object.entries(declared).filter(([, resource]) => isRecord(resource)),
  );
  const origins = new Map<string, string>();
  for (const [id, resource] of Object.entries(resources)) {
    if (!isSamFunction(resource)) continue;
    for (const generated of generatedFrom(id, resources)) origins.set(generated, id);
  }
  // What SAM's tooling recorded wins over the naming scheme.
  for (const [id, resource] of Object.entries(resources)) {
    const recorded = resource.Metadata?.SamResourceId;
    if (typeof recorded === 'string' && recorded !== id && resources[recorded] !== undefined) {
      origins.set(id, recorded);
    }
  }
  return origins;
}

/**
 * The template's waivers with SAM's generated resources taken into account (see the module comment).
 * `checkTypes` gives the resource types a check audits (undefined for a check the gate does not know:
 * its waiver stays where it was written). `prefix` is the key prefix of a nested stack's resources
 * (`Child/`): the waivers name `Child/Fn`, the template `Fn`.
 */
export function samWaivers(
  suppressions: readonly Suppression[],
  resources: TemplateResources,
  checkTypes: (checkId: string) => readonly string[] | undefined,
  prefix = '',
): Suppression[] {
  const origins = samOrigins(resources);
  if (origins.size === 0) return [...suppressions];
  const members = new Map<string, string[]>();
  for (const [generated, origin] of origins) members.set(origin, [...(members.get(origin) ?? []), generated]);
  const seen = new Set<string>();
  return suppressions.flatMap((suppression) => {
    const written = suppression.logicalId.startsWith(prefix)
      ? suppression.logicalId.slice(prefix.length)
      : suppression.logicalId;
    const origin = origins.get(written) ?? written;
    const group = members.get(origin);
    const types = checkTypes(suppression.checkId);
    if (!group || !types) return [suppression];
    const covered = [origin, ...group].filter((id) => types.includes(resources[id]?.Type ?? ''));
    return (covered.length > 0 ? covered : [origin]).flatMap((logicalId) => {
      const key = `${suppression.checkId}@${prefix}${logicalId}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ ...suppression, logicalId: `${prefix}${logicalId}` }];
    });
  });
}

/**
 * The stack's resources (keyed as ListResources keys them: `Child/Fn` in the nested stack `Child`),
 * each named with the SAM resource it was generated from, read from the template of its own stack.
 */
export function withSamResourceIds(
  resources: readonly ResourceRef[],
  templates: readonly { readonly prefix: string; readonly template: unknown }[],
): ResourceRef[] {
  const origins = new Map<string, string>();
  for (const { prefix, template } of templates) {
    const declared = isRecord(template) && isRecord(template.Resources) ? template.Resources : {};
    for (const [generated, origin] of samOrigins(declared as TemplateResources)) {
      origins.set(`${prefix}${generated}`, `${prefix}${origin}`);
    }
  }
  if (origins.size === 0) return [...resources];
  return resources.map((resource) => {
    const samResourceId = origins.get(resource.logicalId);
    return samResourceId ? { ...resource, samResourceId } : resource;
  });
}
