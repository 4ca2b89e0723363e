/**
 * CloudFormation templates for the local emulation: the file loader and an intrinsic-function
 * resolver for the properties the deploy helper applies through the service APIs. Parsing itself
 * is shared with the Lambda code (functions/shared/template.ts).
 *
 * moto's own YAML loader misreads `!GetAtt [Res, Arn]` and turns unquoted `2012-10-17` into a
 * date (HTTP 500), so the deploy helper always sends the template as JSON produced there.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import {
  type CfnParameter,
  type CfnResource,
  type CfnTemplate,
  parseTemplate,
  TemplateError,
} from '../../functions/shared/template.ts';

export {
  type CfnParameter,
  type CfnResource,
  type CfnTemplate,
  parseTemplate,
  TemplateError,
} from '../../functions/shared/template.ts';

/** An intrinsic the resolver cannot evaluate; `where` names the resource and property. */
export class TemplateResolveError extends Error {
  readonly where: string;

  constructor(where: string, reason: string) {
    super(`cannot resolve ${where}: ${reason}`);
    this.name = 'TemplateResolveError';
    this.where = where;
  }
}

/** Reads a template file: .json as JSON, anything else (.yaml, .yml, .template) as YAML or JSON. */
export function loadTemplateFile(path: string): CfnTemplate {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TemplateError(
      `cannot read template ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  return parseTemplate(text, basename(path), extname(path).toLowerCase() === '.json' ? 'json' : undefined);
}

// ---------------------------------------------------------------------------------------------
// Resolver
// ---------------------------------------------------------------------------------------------

/** What Ref AWS::NoValue resolves to; objects drop the key and lists drop the item. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export interface StackContext {
  readonly stackName: string;
  readonly stackId: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition?: string;
  readonly urlSuffix?: string;
  /** Parameter values given to CreateStack; template defaults fill the rest. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Logical id → physical id (what Ref returns for a resource). */
  readonly physicalIds?: Readonly<Record<string, string>>;
  /** Logical id → attribute values read from the emulator; they win over derived values. */
  readonly attributes?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Export name → value, for Fn::ImportValue. */
  readonly exports?: Readonly<Record<string, string>>;
}

const DEFAULT_ACCOUNT = '123456789012';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The one key of an intrinsic-function object (`{ "Fn::Sub": … }`), or undefined. */
function intrinsicKey(value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? key : undefined;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function ipv4ToNumber(ip: string): number {
  const parts = ip.split('.').map((part) => Number.parseInt(part, 10));
  if (parts.length !== 4 || parts.some((part) => !(part >= 0 && part <= 255)))
    throw new Error(`bad IPv4 ${ip}`);
  return parts.reduce((sum, part) => sum * 256 + part, 0);
}

function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * Evaluates CloudFormation intrinsic functions against a deployed (or about to be deployed)
 * stack: parameters, pseudo parameters, conditions, mappings, and the physical ids and
 * attributes of the stack's resources.
 */
export class IntrinsicResolver {
  private readonly physicalIds = new Map<string, string>();
  private readonly attributes = new Map<string, Record<string, unknown>>();
  private readonly conditionCache = new Map<string, boolean>();
  private readonly parameterValues: Record<string, string>;
  readonly template: CfnTemplate;
  private readonly context: StackContext;

  constructor(template: CfnTemplate, context: StackContext) {
    this.template = template;
    this.context = context;
    this.parameterValues = { ...(context.parameters ?? {}) };
    for (const [logicalId, physicalId] of Object.entries(context.physicalIds ?? {})) {
      this.physicalIds.set(logicalId, physicalId);
    }
    for (const [logicalId, values] of Object.entries(context.attributes ?? {})) {
      this.attributes.set(logicalId, { ...values });
    }
  }

  get region(): string {
    return this.context.region;
  }

  get accountId(): string {
    return this.context.accountId;
  }

  get partition(): string {
    return this.context.partition ?? 'aws';
  }

  /** Records the physical id of a resource (e.g. one the deploy helper created itself). */
  setPhysicalId(logicalId: string, physicalId: string): void {
    this.physicalIds.set(logicalId, physicalId);
  }

  setAttributes(logicalId: string, values: Record<string, unknown>): void {
    this.attributes.set(logicalId, { ...this.attributes.get(logicalId), ...values });
  }

  physicalId(logicalId: string): string | undefined {
    return this.physicalIds.get(logicalId);
  }

  /** True when the resource has no Condition or its Condition is true. */
  isResourceEnabled(logicalId: string): boolean {
    const resource = this.template.Resources[logicalId];
    if (!resource) return false;
    return resource.Condition === undefined || this.condition(resource.Condition, `${logicalId}.Condition`);
  }

  condition(name: string, where = `Conditions.${name}`): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new TemplateResolveError(where, `condition ${name} is not defined`);
    // A provisional false breaks cycles; CloudFormation rejects circular conditions anyway.
    this.conditionCache.set(name, false);
    const value = this.evaluateCondition(definition, `Conditions.${name}`);
    this.conditionCache.set(name, value);
    return value;
  }

  /**
   * The value of a resource property (a dotted path such as `VersioningConfiguration.Status`) with
   * every intrinsic resolved; undefined when absent. The top-level property is resolved as a whole,
   * so a `Fn::If` around a nested block works.
   */
  property(logicalId: string, path: string): unknown {
    const [top, ...rest] = path.split('.');
    const properties = this.template.Resources[logicalId]?.Properties;
    if (!top || !isRecord(properties) || properties[top] === undefined) return undefined;
    let value = this.resolve(properties[top], `${logicalId}.${top}`);
    for (const key of rest) {
      if (!isRecord(value)) return undefined;
      value = value[key];
    }
    return value === NO_VALUE ? undefined : value;
  }

  /** Resolves every intrinsic in `value`; `where` names the place for error messages. */
  resolve(value: unknown, where: string): unknown {
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      value.forEach((item, index) => {
        const resolved = this.resolve(item, `${where}[${index}]`);
        if (resolved !== NO_VALUE) items.push(resolved);
      });
      return items;
    }
    if (!isRecord(value)) return value;
    const key = intrinsicKey(value);
    if (key && key !== 'Condition') return this.intrinsic(key, value[key], where);
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) {
      const resolved = this.resolve(item, `${where}.${name}`);
      if (resolved !== NO_VALUE) out[name] = resolved;
    }
    return out;
  }

  private resolveString(value: unknown, where: string, fn: string): string {
    const resolved = this.resolve(value, where);
    const text = scalarText(resolved);
    if (text === undefined)
      throw new TemplateResolveError(where, `${fn} needs a string, got ${describe(resolved)}`);
    return text;
  }

  private resolveList(value: unknown, where: string, fn: string): unknown[] {
    const resolved = this.resolve(value, where);
    if (!Array.isArray(resolved))
      throw new TemplateResolveError(where, `${fn} needs a list, got ${describe(resolved)}`);
    return resolved;
  }

  private args(value: unknown, count: number, where: string, fn: string): unknown[] {
    if (!Array.isArray(value) || value.length < count) {
      throw new TemplateResolveError(where, `${fn} needs a list of ${count} arguments`);
    }
    return value;
  }

  private intrinsic(fn: string, argument: unknown, where: string): unknown {
    switch (fn) {
      case 'Ref':
        return this.ref(this.resolveString(argument, where, 'Ref'), where);
      case 'Fn::GetAtt':
        return this.getAtt(argument, where);
      case 'Fn::Sub':
        return this.sub(argument, where);
      case 'Fn::Join': {
        const [delimiter, list] = this.args(argument, 2, where, fn);
        const separator = this.resolveString(delimiter, where, fn);
        return this.resolveList(list, where, fn)
          .map((item) => {
            const text = scalarText(item);
            if (text === undefined) throw new TemplateResolveError(where, `Fn::Join item ${describe(item)}`);
            return text;
          })
          .join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = this.args(argument, 2, where, fn);
        const position = Number(this.resolveString(index, where, fn));
        const items = this.resolveList(list, where, fn);
        if (!Number.isInteger(position) || position < 0 || position >= items.length) {
          throw new TemplateResolveError(
            where,
            `Fn::Select index ${position} is outside a list of ${items.length}`,
          );
        }
        return items[position];
      }
      case 'Fn::Split': {
        const [delimiter, source] = this.args(argument, 2, where, fn);
        return this.resolveString(source, where, fn).split(this.resolveString(delimiter, where, fn));
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = this.args(argument, 3, where, fn);
        const name = this.resolveString(condition, where, fn);
        return this.resolve(this.condition(name, where) ? whenTrue : whenFalse, where);
      }
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
        return this.evaluateCondition({ [fn]: argument }, where);
      case 'Fn::FindInMap':
        return this.findInMap(argument, where);
      case 'Fn::Base64':
        return Buffer.from(this.resolveString(argument, where, fn), 'utf8').toString('base64');
      case 'Fn::GetAZs': {
        const region = this.resolveString(argument, where, fn) || this.region;
        const letters = region === 'us-east-1' ? 'abcdef' : 'abc';
        return [...letters].map((letter) => `${region}${letter}`);
      }
      case 'Fn::ImportValue': {
        const name = this.resolveString(argument, where, fn);
        const exported = this.context.exports?.[name];
        if (exported === undefined) {
          throw new TemplateResolveError(
            where,
            `Fn::ImportValue ${name}: no stack in the emulator exports it`,
          );
        }
        return exported;
      }
      case 'Fn::Cidr':
        return this.cidr(argument, where);
      case 'Fn::Length':
        return this.resolveList(argument, where, fn).length;
      case 'Fn::ToJsonString':
        return JSON.stringify(this.resolve(argument, where));
      default:
        throw new TemplateResolveError(where, `${fn} is not supported by the emulator's resolver`);
    }
  }

  private evaluateCondition(definition: unknown, where: string): boolean {
    if (typeof definition === 'boolean') return definition;
    if (typeof definition === 'string') return definition.toLowerCase() === 'true';
    if (!isRecord(definition))
      throw new TemplateResolveError(where, `not a condition: ${describe(definition)}`);
    const fn = intrinsicKey(definition);
    const argument = fn ? definition[fn] : undefined;
    switch (fn) {
      case 'Condition':
        return this.condition(this.resolveString(argument, where, 'Condition'), where);
      case 'Fn::Equals': {
        const [left, right] = this.args(argument, 2, where, fn);
        return sameValue(this.resolve(left, where), this.resolve(right, where));
      }
      case 'Fn::And':
        return this.args(argument, 1, where, fn).every((item) => this.evaluateCondition(item, where));
      case 'Fn::Or':
        return this.args(argument, 1, where, fn).some((item) => this.evaluateCondition(item, where));
      case 'Fn::Not': {
        const [inner] = this.args(argument, 1, where, fn);
        return !this.evaluateCondition(inner, where);
      }
      default: {
        const resolved = this.resolve(definition, where);
        if (typeof resolved === 'boolean') return resolved;
        if (typeof resolved === 'string') return resolved.toLowerCase() === 'true';
        throw new TemplateResolveError(where, `not a condition: ${describe(definition)}`);
      }
    }
  }

  private ref(name: string, where: string): unknown {
    switch (name) {
      case 'AWS::AccountId':
        return this.context.accountId || DEFAULT_ACCOUNT;
      case 'AWS::Region':
        return this.region;
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::StackName':
        return this.context.stackName;
      case 'AWS::StackId':
        return this.context.stackId;
      case 'AWS::URLSuffix':
        return this.context.urlSuffix ?? 'amazonaws.com';
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter) return this.parameter(name, parameter, where);
    const resource = this.template.Resources[name];
    if (!resource) throw new TemplateResolveError(where, `Ref ${name}: no such parameter or resource`);
    const physicalId = this.physicalIds.get(name);
    if (physicalId === undefined || physicalId === '') {
      throw new TemplateResolveError(
        where,
        `Ref ${name} (${resource.Type}): the emulator holds no such resource`,
      );
    }
    return physicalId;
  }

  private parameter(name: string, parameter: CfnParameter, where: string): unknown {
    const given = this.parameterValues[name];
    const value = given ?? (parameter.Default === undefined ? undefined : String(parameter.Default));
    if (value === undefined)
      throw new TemplateResolveError(where, `parameter ${name} has no value and no default`);
    const type = parameter.Type ?? 'String';
    if (type.startsWith('AWS::SSM::Parameter::Value')) {
      throw new TemplateResolveError(where, `parameter ${name} is an SSM parameter reference (${type})`);
    }
    if (type === 'CommaDelimitedList' || type.startsWith('List<')) {
      return value === '' ? [] : value.split(',').map((item) => item.trim());
    }
    return value;
  }

  private getAtt(argument: unknown, where: string): unknown {
    let logicalId: string;
    let attribute: string;
    if (typeof argument === 'string') {
      const dot = argument.indexOf('.');
      if (dot < 0) throw new TemplateResolveError(where, `Fn::GetAtt ${argument} names no attribute`);
      logicalId = argument.slice(0, dot);
      attribute = argument.slice(dot + 1);
    } else {
      const [resource, name] = this.args(argument, 2, where, 'Fn::GetAtt');
      logicalId = this.resolveString(resource, where, 'Fn::GetAtt');
      attribute = this.resolveString(name, where, 'Fn::GetAtt');
    }
    return this.attribute(logicalId, attribute, where);
  }

  /** The value of `Fn::GetAtt [logicalId, attribute]`. */
  attribute(logicalId: string, attribute: string, where = `${logicalId}.${attribute}`): unknown {
    const resource = this.template.Resources[logicalId];
    if (!resource)
      throw new TemplateResolveError(where, `Fn::GetAtt ${logicalId}.${attribute}: no such resource`);
    const known = this.attributes.get(logicalId)?.[attribute];
    if (known !== undefined) return known;
    const physicalId = this.physicalIds.get(logicalId);
    if (!physicalId) {
      throw new TemplateResolveError(
        where,
        `Fn::GetAtt ${logicalId}.${attribute} (${resource.Type}): the emulator holds no such resource`,
      );
    }
    const derived = this.derivedAttribute(resource, logicalId, physicalId, attribute);
    if (derived === undefined) {
      throw new TemplateResolveError(
        where,
        `Fn::GetAtt ${logicalId}.${attribute}: attribute ${attribute} of ${resource.Type} is not known to the emulator`,
      );
    }
    return derived;
  }

  private derivedAttribute(
    resource: CfnResource,
    logicalId: string,
    id: string,
    attribute: string,
  ): string | undefined {
    const { region, partition } = this;
    const account = this.accountId;
    const suffix = this.context.urlSuffix ?? 'amazonaws.com';
    switch (resource.Type) {
      case 'AWS::S3::Bucket':
        return {
          Arn: `arn:${partition}:s3:::${id}`,
          DomainName: `${id}.s3.${suffix}`,
          RegionalDomainName: `${id}.s3.${region}.${suffix}`,
          DualStackDomainName: `${id}.s3.dualstack.${region}.${suffix}`,
          WebsiteURL: `http://${id}.s3-website-${region}.${suffix}`,
        }[attribute];
      case 'AWS::DynamoDB::Table':
        return attribute === 'Arn' ? `arn:${partition}:dynamodb:${region}:${account}:table/${id}` : undefined;
      case 'AWS::Lambda::Function':
        return attribute === 'Arn'
          ? `arn:${partition}:lambda:${region}:${account}:function:${id}`
          : undefined;
      case 'AWS::SQS::Queue': {
        const name = id.slice(id.lastIndexOf('/') + 1);
        return { Arn: `arn:${partition}:sqs:${region}:${account}:${name}`, QueueName: name, QueueUrl: id }[
          attribute
        ];
      }
      case 'AWS::SNS::Topic':
        return { TopicArn: id, TopicName: id.slice(id.lastIndexOf(':') + 1) }[attribute];
      case 'AWS::IAM::Role': {
        if (attribute !== 'Arn') return undefined;
        const path = this.property(logicalId, 'Path');
        return `arn:${partition}:iam::${account}:role${typeof path === 'string' ? path : '/'}${id}`;
      }
      case 'AWS::IAM::ManagedPolicy':
        return attribute === 'PolicyArn' ? id : undefined;
      case 'AWS::KMS::Key':
        return { Arn: `arn:${partition}:kms:${region}:${account}:key/${id}`, KeyId: id }[attribute];
      case 'AWS::Logs::LogGroup':
        return attribute === 'Arn'
          ? `arn:${partition}:logs:${region}:${account}:log-group:${id}:*`
          : undefined;
      case 'AWS::StepFunctions::StateMachine':
        return { Arn: id, Name: id.slice(id.lastIndexOf(':') + 1) }[attribute];
      case 'AWS::Events::Rule': {
        if (attribute !== 'Arn') return undefined;
        const bus = this.property(logicalId, 'EventBusName');
        const busName = typeof bus === 'string' ? bus.slice(bus.lastIndexOf('/') + 1) : 'default';
        return `arn:${partition}:events:${region}:${account}:rule/${busName === 'default' ? '' : `${busName}/`}${id}`;
      }
      case 'AWS::Kinesis::Stream':
        return attribute === 'Arn' ? `arn:${partition}:kinesis:${region}:${account}:stream/${id}` : undefined;
      case 'AWS::Events::EventBus':
        return { Arn: `arn:${partition}:events:${region}:${account}:event-bus/${id}`, Name: id }[attribute];
      case 'AWS::CloudWatch::Alarm':
        return attribute === 'Arn'
          ? `arn:${partition}:cloudwatch:${region}:${account}:alarm:${id}`
          : undefined;
      case 'AWS::ApplicationAutoScaling::ScalingPolicy':
        return attribute === 'Arn' ? id : undefined;
      default:
        return undefined;
    }
  }

  private sub(argument: unknown, where: string): string {
    let text: unknown = argument;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(argument)) {
      const [body, map] = this.args(argument, 1, where, 'Fn::Sub');
      text = body;
      if (map !== undefined) {
        if (!isRecord(map)) throw new TemplateResolveError(where, 'Fn::Sub variables must be a map');
        variables = map;
      }
    }
    if (typeof text !== 'string') throw new TemplateResolveError(where, 'Fn::Sub needs a string');
    return text.replace(/\$\{([^}]*)\}/g, (_match, rawName: string) => {
      if (rawName.startsWith('!')) return `\${${rawName.slice(1)}}`;
      const name = rawName.trim();
      let value: unknown;
      if (name in variables) {
        value = this.resolve(variables[name], `${where}.${name}`);
      } else if (name.includes('.') && !name.startsWith('AWS::')) {
        const dot = name.indexOf('.');
        value = this.attribute(name.slice(0, dot), name.slice(dot + 1), where);
      } else {
        value = this.ref(name, where);
      }
      const textValue = scalarText(value);
      if (textValue === undefined) {
        throw new TemplateResolveError(where, `Fn::Sub \${${name}} is ${describe(value)}, not a string`);
      }
      return textValue;
    });
  }

  private findInMap(argument: unknown, where: string): unknown {
    const [mapName, topKey, secondKey, options] = this.args(argument, 3, where, 'Fn::FindInMap');
    const names = [mapName, topKey, secondKey].map((item) =>
      this.resolveString(item, where, 'Fn::FindInMap'),
    );
    const [map, top, second] = names as [string, string, string];
    const value = this.template.Mappings?.[map]?.[top]?.[second];
    if (value !== undefined) return this.resolve(value, where);
    if (isRecord(options) && 'DefaultValue' in options) return this.resolve(options.DefaultValue, where);
    throw new TemplateResolveError(where, `Fn::FindInMap ${map}.${top}.${second} is not in the Mappings`);
  }

  private cidr(argument: unknown, where: string): string[] {
    const [block, count, bits] = this.args(argument, 3, where, 'Fn::Cidr');
    const [base, prefixText] = this.resolveString(block, where, 'Fn::Cidr').split('/');
    const howMany = Number(this.resolveString(count, where, 'Fn::Cidr'));
    const hostBits = Number(this.resolveString(bits, where, 'Fn::Cidr'));
    const prefix = Number(prefixText);
    if (!base || !Number.isInteger(prefix) || base.includes(':')) {
      throw new TemplateResolveError(where, 'Fn::Cidr supports IPv4 blocks only');
    }
    const start = ipv4ToNumber(base);
    const size = 2 ** hostBits;
    if (howMany * size > 2 ** (32 - prefix)) {
      throw new TemplateResolveError(
        where,
        `Fn::Cidr: ${howMany} /${32 - hostBits} blocks do not fit /${prefix}`,
      );
    }
    return Array.from(
      { length: howMany },
      (_, index) => `${numberToIpv4(start + index * size)}/${32 - hostBits}`,
    );
  }
}

function sameValue(left: unknown, right: unknown): boolean {
  const leftText = scalarText(left);
  const rightText = scalarText(right);
  if (leftText !== undefined && rightText !== undefined) return leftText === rightText;
  return JSON.stringify(left) === JSON.stringify(right);
}

function describe(value: unknown): string {
  if (value === NO_VALUE) return 'AWS::NoValue';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'an object';
  return JSON.stringify(value) ?? String(value);
}

// ---------------------------------------------------------------------------------------------
// Where each resource is written
// ---------------------------------------------------------------------------------------------

export interface ResourceLocation {
  /** 1-based line and column of the resource's logical id under Resources. */
  readonly line: number;
  readonly column: number;
  /** The construct path CDK records in the resource's Metadata (`aws:cdk:path`). */
  readonly cdkPath?: string;
}

/**
 * The line of each resource in a template file, for reports that point into it (SARIF). JSON is
 * YAML 1.2, so one YAML parse with a line counter reads both; CloudFormation's short-form tags only
 * produce warnings here, and positions are all that is read.
 */
export function resourceLocations(path: string): Map<string, ResourceLocation> {
  const locations = new Map<string, ResourceLocation>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return locations;
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, schema: 'core', strict: false, uniqueKeys: false });
  const resources = document.get('Resources', true);
  if (!isMap(resources)) return locations;
  for (const pair of resources.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const logicalId = String(pair.key.value);
    const { line, col } = lineCounter.linePos(pair.key.range[0]);
    const metadata = isMap(pair.value) ? pair.value.get('Metadata', true) : undefined;
    const cdkPath = isMap(metadata) ? metadata.get('aws:cdk:path') : undefined;
    locations.set(logicalId, {
      line,
      column: col,
      ...(typeof cdkPath === 'string' ? { cdkPath } : {}),
    });
  }
  return locations;
}
