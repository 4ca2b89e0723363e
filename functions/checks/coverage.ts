/**
 * Coverage: which resources of a stack the gate judges, and how. Every resource is in exactly one of
 * four sets (docs/plan-and-coverage.md):
 *
 *   judged directly        a check runs on it (it has a work item)
 *   judged through parent  a check that runs on another resource reads what this one sets (a bucket
 *                          policy, read as the bucket's policy); the registry declares these links
 *                          (CheckDefinition.judgesThrough) and the template shows them (a Ref)
 *   no risk                its type is in NO_RISK_TYPES, with the reason; left out of the percentage
 *   not judged             everything else, each with why
 *
 * percent = 100 × (direct + through parent) / (resources − no risk). Pure: ListResources (a deployed
 * stack) and `fitgate checks --coverage` (a template) both call it.
 */
import type {
  Coverage,
  CoverageNoRisk,
  CoverageNotJudged,
  CoverageThrough,
} from '../../statemachine/state.ts';
import { fitList } from '../shared/fit-list.ts';
import { type CheckDefinition, type JudgedThrough, registry } from './registry.ts';

/**
 * Types that carry no risk worth a check: nothing runs in them, nothing is stored or granted by
 * them. Left out of the percentage's denominator, and named in every report, never silently.
 */
export const NO_RISK_TYPES: Readonly<Record<string, string>> = {
  'AWS::CDK::Metadata': 'CDK’s record of the library versions used; it creates nothing in the account',
  'AWS::CloudFormation::WaitConditionHandle':
    'a presigned URL CloudFormation waits on during the stack operation; it stores and grants nothing',
  'AWS::CloudFormation::WaitCondition':
    'a wait for signals during the stack operation; nothing of it runs or stays afterwards',
  'AWS::CloudFormation::Stack':
    'a nested stack is a container: its own resources are listed and judged one by one (Child/Resource)',
  'AWS::KMS::Alias': 'a name for a key, with no settings or permissions of its own; the key is judged',
  'AWS::Logs::QueryDefinition': 'a saved CloudWatch Logs Insights query: text that stores and grants nothing',
};

/** A resource as coverage sees it: its key, type, and what identifies and links it. */
export interface CoverageResource {
  /** The resource's key: its logical id, prefixed by its nested stack's (`Child/Bucket`). */
  readonly logicalId: string;
  /** A type, or undefined for a row listed without one that the template does not explain. */
  readonly type: string | undefined;
  /** Absent: listed without a physical id (no check can look it up), or only in a template. */
  readonly physicalId?: string;
  /** The template's properties of the resource, unresolved (references are read from them). */
  readonly properties?: Readonly<Record<string, unknown>>;
  /** The key prefix of its template (`''` at the root, `Child/` in a nested stack). */
  readonly prefix?: string;
  /** Set when no check can reach it whatever its type (a row without a physical id, say). */
  readonly unreachable?: string;
}

export type ResourceVerdict =
  | { readonly kind: 'direct'; readonly checks: readonly string[] }
  | { readonly kind: 'through'; readonly parent: string; readonly checks: readonly string[] }
  | { readonly kind: 'no-risk'; readonly reason: string }
  | { readonly kind: 'not-judged'; readonly reason: string };

export interface JudgedResource {
  readonly resource: CoverageResource;
  readonly verdict: ResourceVerdict;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SUB_VARIABLE = /\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g;

/**
 * What a property value names: logical ids (Ref, Fn::GetAtt, `${Id}` / `${Id.Attr}` in Fn::Sub) and
 * literal strings (a name, ARN or URL that may be a physical id). Pseudo parameters are skipped.
 */
export function referencesIn(value: unknown): { logicalIds: Set<string>; literals: Set<string> } {
  const logicalIds = new Set<string>();
  const literals = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      literals.add(node);
      return;
    }
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!isRecord(node)) return;
    const keys = Object.keys(node);
    const [key] = keys;
    if (keys.length === 1 && key === 'Ref' && typeof node.Ref === 'string') {
      if (!node.Ref.startsWith('AWS::')) logicalIds.add(node.Ref);
      return;
    }
    if (keys.length === 1 && key === 'Fn::GetAtt') {
      const target = node['Fn::GetAtt'];
      const id = Array.isArray(target) ? target[0] : typeof target === 'string' ? target.split('.')[0] : '';
      if (typeof id === 'string' && id) logicalIds.add(id);
      return;
    }
    if (keys.length === 1 && key === 'Fn::Sub') {
      const argument = node['Fn::Sub'];
      const text = Array.isArray(argument) ? argument[0] : argument;
      const bound = Array.isArray(argument) && isRecord(argument[1]) ? argument[1] : {};
      if (typeof text === 'string') {
        for (const [, id] of text.matchAll(SUB_VARIABLE)) {
          if (id && !(id in bound)) logicalIds.add(id);
        }
      }
      for (const item of Object.values(bound)) visit(item);
      return;
    }
    for (const item of Object.values(node)) visit(item);
  };
  visit(value);
  return { logicalIds, literals };
}

const tailOf = (text: string) => text.split(/[:/]/).pop() ?? '';
/** Properties that name their resource: BucketName, QueueName, TopicName, FunctionName, RoleName, Name, … */
const NAMING_PROPERTY = /^([A-Z][A-Za-z]*)?Name$/;

/**
 * What the properties of each resource name, in its template: a Ref / Fn::GetAtt / Fn::Sub to a
 * logical id of the same template; a literal that is a physical id (the id itself, or an ARN or URL
 * ending with it); or the very expression another resource of the template is named by (a bucket
 * policy's `Bucket: !Sub ${App}-logs` and the bucket's `BucketName: !Sub ${App}-logs` resolve to one
 * name). Memoized per resource and property: a 500-resource stack stays linear.
 */
class References {
  private readonly byKey: ReadonlyMap<string, CoverageResource>;
  private readonly byName = new Map<string, CoverageResource[]>();
  /** A resource's naming properties (BucketName, QueueName, RoleName, …), by their JSON text. */
  private readonly byNamingExpression = new Map<string, CoverageResource[]>();
  private readonly cache = new Map<CoverageResource, Map<string, CoverageResource[]>>();
  private readonly reverse = new Map<string, Map<CoverageResource, CoverageResource[]>>();
  private readonly resources: readonly CoverageResource[];

  constructor(resources: readonly CoverageResource[]) {
    this.resources = resources;
    this.byKey = new Map(resources.map((r) => [r.logicalId, r]));
    for (const resource of resources) {
      for (const [property, value] of Object.entries(resource.properties ?? {})) {
        if (!NAMING_PROPERTY.test(property) || (typeof value !== 'string' && !isRecord(value))) continue;
        const text = `${resource.prefix ?? ''}${JSON.stringify(value)}`;
        this.byNamingExpression.set(text, [...(this.byNamingExpression.get(text) ?? []), resource]);
      }
      if (!resource.physicalId) continue;
      for (const name of new Set([resource.physicalId, tailOf(resource.physicalId)])) {
        if (name) this.byName.set(name, [...(this.byName.get(name) ?? []), resource]);
      }
    }
  }

  /** The resources `property` of `from` names. */
  named(from: CoverageResource, property: string): CoverageResource[] {
    const own = this.cache.get(from) ?? new Map<string, CoverageResource[]>();
    this.cache.set(from, own);
    const known = own.get(property);
    if (known) return known;
    const found = new Set<CoverageResource>();
    const value = from.properties?.[property];
    if (value !== undefined) {
      const { logicalIds, literals } = referencesIn(value);
      for (const id of logicalIds) {
        const target = this.byKey.get(`${from.prefix ?? ''}${id}`);
        if (target) found.add(target);
      }
      for (const literal of literals) {
        for (const name of new Set([literal, tailOf(literal)])) {
          for (const target of this.byName.get(name) ?? []) found.add(target);
        }
      }
      for (const item of Array.isArray(value) ? value : [value]) {
        const text = `${from.prefix ?? ''}${JSON.stringify(item)}`;
        for (const target of this.byNamingExpression.get(text) ?? []) found.add(target);
      }
    }
    found.delete(from);
    const list = [...found];
    own.set(property, list);
    return list;
  }

  /** The resources whose `property` names `target`. */
  naming(target: CoverageResource, property: string): CoverageResource[] {
    let index = this.reverse.get(property);
    if (!index) {
      index = new Map();
      for (const resource of this.resources) {
        for (const named of this.named(resource, property))
          index.set(named, [...(index.get(named) ?? []), resource]);
      }
      this.reverse.set(property, index);
    }
    return index.get(target) ?? [];
  }
}

/** Every check's declared links, by the type judged through them. */
function linksByType(checks: readonly CheckDefinition[]) {
  const links = new Map<string, { check: CheckDefinition; link: JudgedThrough }[]>();
  for (const check of checks) {
    for (const link of check.judgesThrough ?? []) {
      links.set(link.type, [...(links.get(link.type) ?? []), { check, link }]);
    }
  }
  return links;
}

/**
 * Sorts every resource into one of the four sets. `directChecks` says which checks run on a resource
 * (ListResources: its work items' checks for the trigger; a template: every check of its type).
 */
export function judgeResources(
  resources: readonly CoverageResource[],
  directChecks: (resource: CoverageResource) => readonly string[],
  checks: readonly CheckDefinition[] = registry,
): JudgedResource[] {
  const references = new References(resources);
  const links = linksByType(checks);
  // Which checks judge each resource, directly or through; grown to a fixed point so that a
  // version served by an alias of a judged function is judged too.
  const judgedBy = new Map<CoverageResource, Set<string>>();
  const parentOf = new Map<CoverageResource, string>();
  for (const resource of resources) {
    const direct = resource.unreachable ? [] : directChecks(resource);
    if (direct.length > 0) judgedBy.set(resource, new Set(direct));
  }
  const direct = new Set(judgedBy.keys());
  for (let changed = true; changed; ) {
    changed = false;
    for (const resource of resources) {
      if (direct.has(resource) || !resource.type) continue;
      for (const { check, link } of links.get(resource.type) ?? []) {
        if (judgedBy.get(resource)?.has(check.id)) continue;
        const parents = [
          ...(link.by ?? []).flatMap((property) => references.named(resource, property)),
          ...(link.from ?? []).flatMap((property) => references.naming(resource, property)),
        ].filter((parent) => judgedBy.get(parent)?.has(check.id));
        const [parent] = parents;
        if (!parent) continue;
        const set = judgedBy.get(resource) ?? new Set<string>();
        set.add(check.id);
        judgedBy.set(resource, set);
        if (!parentOf.has(resource)) parentOf.set(resource, parent.logicalId);
        changed = true;
      }
    }
  }
  const typed = new Set(checks.flatMap((check) => check.resourceTypes));
  return resources.map((resource): JudgedResource => {
    const by = [...(judgedBy.get(resource) ?? [])];
    if (direct.has(resource)) return { resource, verdict: { kind: 'direct', checks: by } };
    const parent = parentOf.get(resource);
    if (parent) return { resource, verdict: { kind: 'through', parent, checks: by } };
    const type = resource.type;
    if (type && NO_RISK_TYPES[type])
      return { resource, verdict: { kind: 'no-risk', reason: NO_RISK_TYPES[type] } };
    return { resource, verdict: { kind: 'not-judged', reason: whyNotJudged(resource, typed, links) } };
  });
}

function whyNotJudged(
  resource: CoverageResource,
  typed: ReadonlySet<string>,
  links: ReadonlyMap<string, unknown>,
): string {
  if (!resource.type) return 'listed without a type, which the template does not explain';
  if (typed.has(resource.type))
    return resource.unreachable ?? 'its checks are disabled or do not run for this trigger';
  if (links.has(resource.type))
    return 'the resource it would be judged through is not in the stack, or not judged';
  return 'no check judges this type';
}

/**
 * Bytes of each listed set the report keeps (the counts stay complete; the rest is counted in
 * `omitted`): the coverage travels in ListResources' state and in the report, inside 256 KiB.
 */
export const COVERAGE_LIST_BUDGET_BYTES = 8 * 1024;

const percentOf = (judged: number, scope: number) =>
  scope === 0 ? null : Math.round((10000 * judged) / scope) / 100;

/** The report's coverage: counts, the percentage, and the sets (each cut to `budgetBytes`). */
export function coverageOf(
  judged: readonly JudgedResource[],
  budgetBytes = COVERAGE_LIST_BUDGET_BYTES,
): Coverage {
  const direct = new Map<string, number>();
  const through: CoverageThrough[] = [];
  const notJudged: CoverageNotJudged[] = [];
  const noRisk = new Map<string, number>();
  for (const { resource, verdict } of judged) {
    const type = resource.type ?? '(no type)';
    if (verdict.kind === 'direct') direct.set(type, (direct.get(type) ?? 0) + 1);
    else if (verdict.kind === 'through')
      through.push({ logicalId: resource.logicalId, type, parent: verdict.parent, checks: verdict.checks });
    else if (verdict.kind === 'no-risk') noRisk.set(type, (noRisk.get(type) ?? 0) + 1);
    else notJudged.push({ logicalId: resource.logicalId, type, reason: verdict.reason });
  }
  const audited = [...direct.values()].reduce((sum, count) => sum + count, 0);
  const excluded = [...noRisk.values()].reduce((sum, count) => sum + count, 0);
  const byName = <T extends { logicalId: string }>(a: T, b: T) => a.logicalId.localeCompare(b.logicalId);
  const keptThrough = fitList(through.sort(byName), budgetBytes);
  const keptNotJudged = fitList(notJudged.sort(byName), budgetBytes);
  const omitted = {
    ...(keptThrough.omitted > 0 ? { throughParent: keptThrough.omitted } : {}),
    ...(keptNotJudged.omitted > 0 ? { notJudged: keptNotJudged.omitted } : {}),
  };
  return {
    resources: judged.length,
    audited,
    unsupportedTypes: [
      ...new Set(notJudged.flatMap((entry) => (entry.type === '(no type)' ? [] : [entry.type]))),
    ].sort(),
    throughParent: through.length,
    notJudged: notJudged.length,
    noRisk: excluded,
    percent: percentOf(audited + through.length, judged.length - excluded),
    sets: {
      direct: [...direct]
        .map(([type, count]) => ({ type, count }))
        .sort((a, b) => a.type.localeCompare(b.type)),
      throughParent: keptThrough.kept,
      notJudged: keptNotJudged.kept,
      noRisk: [...noRisk]
        .map(([type, count]): CoverageNoRisk => ({ type, count, reason: NO_RISK_TYPES[type] ?? '' }))
        .sort((a, b) => a.type.localeCompare(b.type)),
    },
    ...(Object.keys(omitted).length > 0 ? { omitted } : {}),
  };
}

/** Every check that judges a type directly (whatever the trigger): what a template alone can tell. */
export function checksOfType(
  type: string | undefined,
  checks: readonly CheckDefinition[] = registry,
): string[] {
  return type ? checks.filter((check) => check.resourceTypes.includes(type)).map((check) => check.id) : [];
}
