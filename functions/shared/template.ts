/**
 * Reads CloudFormation templates the way CloudFormation does: JSON, or YAML with short-form
 * intrinsic tags (`!GetAtt [Res, Arn]`, `!Sub …`) turned into their long form and unquoted dates
 * (`2012-10-17`) left as strings. Used at run time (ListResources reads waivers, the API Gateway
 * checks find a stage's REST API) and by the local emulation, which sends moto JSON made here.
 */
import {
  type CollectionTag,
  type Document,
  parseDocument,
  type ScalarTag,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Condition?: string;
  readonly DependsOn?: string | string[];
  readonly Metadata?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface CfnParameter {
  readonly Type?: string;
  readonly Default?: unknown;
  readonly [key: string]: unknown;
}

export interface CfnTemplate {
  readonly AWSTemplateFormatVersion?: string;
  readonly Description?: string;
  readonly Parameters?: Record<string, CfnParameter>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** A template that cannot be read: bad YAML/JSON, an unknown tag, no Resources. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

// ---------------------------------------------------------------------------------------------
// Loader
// ---------------------------------------------------------------------------------------------

const SHORT_FORM_TAGS = [
  'Ref',
  'GetAtt',
  'Sub',
  'Join',
  'If',
  'Equals',
  'And',
  'Or',
  'Not',
  'Condition',
  'FindInMap',
  'Select',
  'Split',
  'Base64',
  'GetAZs',
  'ImportValue',
  'Cidr',
  'Transform',
  'Length',
  'ToJsonString',
];

function longFormKey(tag: string): string {
  return tag === 'Ref' || tag === 'Condition' ? tag : `Fn::${tag}`;
}

function cloudFormationTags(): (ScalarTag | CollectionTag)[] {
  const tags: (ScalarTag | CollectionTag)[] = [];
  for (const name of SHORT_FORM_TAGS) {
    const key = longFormKey(name);
    tags.push({
      tag: `!${name}`,
      // `!GetAtt Res.Attr.Sub` names attribute `Attr.Sub` of `Res`.
      resolve: (text: string) => {
        if (name !== 'GetAtt') return { [key]: text };
        const dot = text.indexOf('.');
        return { [key]: dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)] };
      },
    });
    tags.push({
      tag: `!${name}`,
      collection: 'seq',
      resolve: (seq: YAMLSeq) => ({ [key]: seq.toJSON() }),
    } as unknown as CollectionTag);
    tags.push({
      tag: `!${name}`,
      collection: 'map',
      resolve: (map: YAMLMap) => ({ [key]: map.toJSON() }),
    } as unknown as CollectionTag);
  }
  return tags;
}

const CFN_TAGS = cloudFormationTags();

/**
 * CloudFormation (like PyYAML) accepts a flow collection whose closing `}` or `]` sits left of its
 * key, e.g. a JSON policy pasted under `KeyPolicy:`; YAML 1.2 does not. Inside a flow collection
 * indentation carries no meaning, so each closing line the parser reports as badly indented takes
 * the indentation of the line above it; nothing else in the text changes.
 */
function parseYaml(text: string): Document.Parsed {
  const options = { schema: 'core', customTags: CFN_TAGS } as const;
  const lines = text.split('\n');
  let document = parseDocument(lines.join('\n'), options);
  for (let attempt = 0; attempt < 100; attempt++) {
    let changed = false;
    for (const error of document.errors.filter((item) => item.code === 'BAD_INDENT')) {
      const index = (error.linePos?.[0].line ?? 0) - 1;
      const line = lines[index];
      const above = lines
        .slice(0, Math.max(0, index))
        .reverse()
        .find((candidate) => candidate.trim() !== '');
      if (line === undefined || above === undefined || !/^\s*[}\]][\s,}\]]*$/.test(line)) continue;
      const indent = above.length - above.trimStart().length;
      if (indent <= line.length - line.trimStart().length) continue;
      lines[index] = ' '.repeat(indent) + line.trimStart();
      changed = true;
    }
    if (!changed) break;
    document = parseDocument(lines.join('\n'), options);
  }
  return document;
}

/**
 * Parses a template text. JSON when `format` says so or the text starts with `{`; otherwise YAML
 * with the 1.2 core schema, so `2012-10-17` stays a string, and CloudFormation's short-form tags
 * become their long form.
 */
export function parseTemplate(text: string, source = 'template', format?: 'json' | 'yaml'): CfnTemplate {
  let parsed: unknown;
  let json = format === 'json' || (format === undefined && text.trimStart().startsWith('{'));
  if (json) {
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // A YAML flow mapping also starts with `{`; only a declared .json file must be JSON.
      if (format === 'json') {
        throw new TemplateError(`${source} is not valid JSON: ${(error as Error).message}`);
      }
      json = false;
    }
  }
  if (!json) {
    const document = parseYaml(text);
    const problem = document.errors[0] ?? document.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
    if (problem) {
      throw new TemplateError(`${source} is not a readable YAML template: ${problem.message.split('\n')[0]}`);
    }
    parsed = document.toJS({ maxAliasCount: -1 });
  }
  if (!isRecord(parsed) || !isRecord(parsed.Resources)) {
    throw new TemplateError(`${source} has no Resources section`);
  }
  return parsed as CfnTemplate;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
