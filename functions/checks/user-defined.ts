/**
 * User-defined fitness functions: declared in the gate's configuration (and, for check functions,
 * registered with their Lambda in the FitnessGate props), they become CheckDefinitions like the
 * built-ins, so scoring, waivers, diff, history, pillars, coverage and reports treat them alike.
 *
 *   metric functions — a CloudWatch metric, a metric-math expression, or a number in a JSON document
 *     CI wrote to S3, compared with a threshold; evaluated by the built-in `metrics` family.
 *   check functions  — a user's own Lambda (any runtime) that receives the work-item contract and
 *     answers with a check result; invoked through the built-in `custom` family, which validates the
 *     answer (functions/checks/custom/contract.ts).
 *
 * Their ids take a namespace, `<namespace>/<name>` (`acme/api-p99-latency`): built-in ids never hold
 * a `/`, so a user-defined id can never collide with one, today or after a new built-in lands.
 * docs/fitness-functions.md documents every field.
 */
import {
  array,
  boolean,
  int,
  literal,
  number,
  record,
  strictObject,
  string,
  union,
  type infer as zInfer,
  enum as zodEnum,
} from 'zod';
import { TRIGGERS, type Trigger } from '../../statemachine/state.ts';
import type { CheckDefinition } from './registry.ts';
import { PILLARS, SEVERITIES, STACK_RESOURCE_TYPE, type UserCheckId } from './types.ts';

/** A configuration value as users may write it (`as const` included): readonly all the way down. */
type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** `<namespace>/<name>`, lowercase kebab on both sides (a namespace of your team or product). */
export const USER_CHECK_ID = /^[a-z0-9][a-z0-9-]{0,39}\/[a-z0-9][a-z0-9-]{0,79}$/;

export function isUserCheckId(id: string): id is UserCheckId {
  return USER_CHECK_ID.test(id);
}

const userIdSchema = string({ error: 'must be text' }).regex(USER_CHECK_ID, {
  error: (issue) =>
    `must be <namespace>/<name> in lowercase kebab case, e.g. acme/api-p99-latency; built-in ids have no namespace, so yours cannot collide with them (got ${JSON.stringify(issue.input)})`,
});

/** What every user-defined function declares, as a built-in's registry row does. */
const declarationShape = {
  id: userIdSchema,
  title: string().trim().min(3).max(200),
  severity: zodEnum(SEVERITIES),
  pillar: zodEnum(PILLARS),
  remediation: string().trim().min(1).max(1000).optional(),
  /** Only run for these triggers (default: every trigger). */
  triggers: array(zodEnum(TRIGGERS)).min(1).optional(),
};

// ── Metric functions ────────────────────────────────────────────────────────────────────────────

/**
 * CloudWatch's statistics: the five basic ones and the extended ones (p99, p99.9, tm90, wm98, tc90,
 * ts90, IQM, and the range forms TM(10%:90%), PR(:300), …).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html
 */
const STATISTIC =
  /^(SampleCount|Average|Sum|Minimum|Maximum|IQM|(p|tm|wm|tc|ts)\d{1,2}(\.\d{1,10})?|(TM|WM|TC|TS|PR)\(\d*(\.\d+)?%?:\d*(\.\d+)?%?\))$/;

/** Placeholders a dimension value, a document key or an expression may hold, resolved per run. */
export const PLACEHOLDER = /\$\{(stackName|deploymentId|version|functionName|tag:[^}]{1,128})\}/g;

const placeholderText = (max: number) =>
  string()
    .min(1)
    .max(max)
    .refine((text) => !/\$\{/.test(text.replace(PLACEHOLDER, '')), {
      error: (issue) =>
        `holds an unknown placeholder; known: \${stackName}, \${deploymentId}, \${version}, \${functionName}, \${tag:<Key>} (got ${JSON.stringify(issue.input)})`,
    });

export const metricStatSchema = strictObject({
  namespace: string().min(1).max(255),
  name: string().min(1).max(255),
  /** Dimension name → value; values may hold placeholders (`${version}`). At most 30 (CloudWatch's limit). */
  dimensions: record(string().min(1).max(255), placeholderText(1024))
    .refine((dims) => Object.keys(dims).length <= 30, { error: 'may hold at most 30 dimensions' })
    .optional(),
  stat: string().regex(STATISTIC, {
    error: (issue) =>
      `must be a CloudWatch statistic (Sum, Average, Minimum, Maximum, SampleCount, p99, p99.9, tm90, IQM, PR(:300), …) (got ${JSON.stringify(issue.input)})`,
  }),
  unit: string().min(1).max(40).optional(),
});
export type MetricStatConfig = DeepReadonly<zInfer<typeof metricStatSchema>>;

/** A metric-math query id: lowercase first, then letters, digits and underscores (GetMetricData's rule). */
const QUERY_ID = /^[a-z][a-zA-Z0-9_]{0,254}$/;

/** A number in a JSON document CI wrote to S3 (one way a pipeline attaches measures to a release). */
export const documentSourceSchema = strictObject({
  bucket: string()
    .min(3)
    .max(63)
    .regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, { error: 'must be an S3 bucket name' }),
  /** The object's key; may hold placeholders (`releases/${tag:release}.json`). */
  key: placeholderText(1024),
  /** Where the number is in the document: a dot path (`coverage.lines`). */
  field: string()
    .min(1)
    .max(256)
    .regex(/^[^.]+(\.[^.]+)*$/, { error: 'must be a dot path such as coverage.lines' }),
});
export type DocumentSource = DeepReadonly<zInfer<typeof documentSourceSchema>>;

/**
 * The comparison says when the function FAILS, as a CloudWatch alarm's ComparisonOperator says when
 * it is in ALARM: `GreaterThanThreshold` 500 fails a p99 above 500 ms.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
export const COMPARISONS = [
  'GreaterThanThreshold',
  'GreaterThanOrEqualToThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** What a function with no data in its window is: never a silent pass. */
export const MISSING_DATA = ['ERROR', 'NOT_APPLICABLE'] as const;

export const DEFAULT_WINDOW_MINUTES = 10;
export const MAX_WINDOW_MINUTES = 24 * 60;

export const metricFunctionSchema = strictObject({
  ...declarationShape,
  /** One CloudWatch metric and statistic. */
  metric: metricStatSchema.optional(),
  /** A metric-math expression over `metrics` (ids → metric), e.g. `100 * errors / invocations`. */
  expression: placeholderText(2048).optional(),
  metrics: record(string().regex(QUERY_ID, { error: 'must start with a lowercase letter' }), metricStatSchema)
    .refine((queries) => Object.keys(queries).length <= 10, { error: 'may hold at most 10 metrics' })
    .optional(),
  /** A number in a JSON document in S3 (written by CI). */
  document: documentSourceSchema.optional(),
  /**
   * The window: `minutes` long, ending when the check runs; `from: 'deployment'` starts it when the
   * deployment was created instead (a run without a deployment falls back to `minutes`, and says so).
   */
  window: strictObject({
    minutes: int().min(1).max(MAX_WINDOW_MINUTES).optional(),
    from: union([literal('run'), literal('deployment')]).optional(),
  }).optional(),
  /** Seconds per datapoint (a multiple of 60); default: the whole window as one datapoint. */
  period: int()
    .min(60)
    .max(MAX_WINDOW_MINUTES * 60)
    .refine((seconds) => seconds % 60 === 0, { error: 'must be a multiple of 60 seconds' })
    .optional(),
  comparison: zodEnum(COMPARISONS),
  threshold: number(),
  /** FAIL when at least this many datapoints breach (default 1). */
  datapointsToFail: int().min(1).max(1440).optional(),
  missingData: zodEnum(MISSING_DATA).optional(),
}).superRefine((fn, context) => {
  const sources = [fn.metric, fn.expression, fn.document].filter((source) => source !== undefined);
  if (sources.length !== 1) {
    context.addIssue({
      code: 'custom',
      message: 'needs exactly one of metric, expression (with metrics) or document',
    });
  }
  if (fn.expression !== undefined && (fn.metrics === undefined || Object.keys(fn.metrics).length === 0)) {
    context.addIssue({ code: 'custom', path: ['metrics'], message: 'is required with an expression' });
  }
  if (fn.metrics !== undefined && fn.expression === undefined) {
    context.addIssue({ code: 'custom', path: ['expression'], message: 'is required with metrics' });
  }
});
export type MetricFunction = DeepReadonly<zInfer<typeof metricFunctionSchema>>;

// ── Check functions ─────────────────────────────────────────────────────────────────────────────

/** An IAM action (`service:Action`, wildcards allowed in the action part). */
const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;

/** Resource types a check function looks at: CloudFormation type names, or the stack itself. */
const RESOURCE_TYPE = /^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/;

/** A parameter value a check function receives: text, a number, true/false or a list of text. */
export const paramValueSchema = union([string(), number(), boolean(), array(string())]);

export const checkFunctionSchema = strictObject({
  ...declarationShape,
  /** One work item per resource of these types (`AWS::CloudFormation::Stack`: once, on the stack). */
  resourceTypes: array(
    string().regex(RESOURCE_TYPE, {
      error: (issue) =>
        `must be a CloudFormation type such as AWS::S3::Bucket (got ${JSON.stringify(issue.input)})`,
    }),
  )
    .min(1)
    .max(50),
  scope: union([literal('atomic'), literal('holistic')]).optional(),
  /** The read-only actions the function needs; the construct grants them to the function's role. */
  iamActions: array(
    string().regex(IAM_ACTION, {
      error: (issue) =>
        `must be an IAM action such as s3:GetBucketTagging (got ${JSON.stringify(issue.input)})`,
    }),
  ).max(100),
  /** Values the function receives in its input (checks.functions[].params). */
  params: record(string().min(1).max(64), paramValueSchema).optional(),
});
export type CheckFunctionDeclaration = DeepReadonly<zInfer<typeof checkFunctionSchema>>;

// ── As check definitions ────────────────────────────────────────────────────────────────────────

/**
 * The IAM actions the metrics family needs, whatever the functions: GetMetricData, the deployment
 * (its creation time and target version, for windows and placeholders) and the stack's tags.
 * Reading a document needs s3:GetObject on its bucket, which the construct grants per bucket.
 */
export const METRIC_EVALUATOR_ACTIONS = [
  'cloudwatch:GetMetricData',
  'codedeploy:GetDeployment',
  'codedeploy:GetApplicationRevision',
  'cloudformation:DescribeStacks',
] as const;

function metricSourceText(fn: MetricFunction): string {
  if (fn.metric) return `${fn.metric.stat} of ${fn.metric.namespace} ${fn.metric.name}`;
  if (fn.document) return `${fn.document.field} in s3://${fn.document.bucket}/${fn.document.key}`;
  return `metric math ${fn.expression}`;
}

/**
 * A metric function runs for every trigger but predict unless it says otherwise: a template not yet
 * deployed has no metrics of its own.
 */
export const METRIC_DEFAULT_TRIGGERS: readonly Trigger[] = [
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
  'adhoc',
];

export function metricDefinition(fn: MetricFunction): CheckDefinition {
  return {
    id: fn.id,
    title: fn.title,
    family: 'metrics',
    severity: fn.severity,
    pillar: fn.pillar,
    resourceTypes: [STACK_RESOURCE_TYPE],
    scope: 'holistic',
    params: {},
    iamActions: [...METRIC_EVALUATOR_ACTIONS, ...(fn.document ? ['s3:GetObject'] : [])],
    remediation:
      fn.remediation ??
      `Bring ${metricSourceText(fn)} back within its threshold (fails when ${fn.comparison} ${fn.threshold}).`,
    emulator: fn.metric && !/^(SampleCount|Average|Sum|Minimum|Maximum)$/.test(fn.metric.stat) ? 'no' : 'yes',
    triggers: fn.triggers ?? METRIC_DEFAULT_TRIGGERS,
    origin: 'metric-function',
  };
}

export function checkFunctionDefinition(fn: CheckFunctionDeclaration): CheckDefinition {
  return {
    id: fn.id,
    title: fn.title,
    family: fn.id as UserCheckId,
    severity: fn.severity,
    pillar: fn.pillar,
    resourceTypes: [...new Set(fn.resourceTypes)],
    scope: fn.scope ?? (fn.resourceTypes.includes(STACK_RESOURCE_TYPE) ? 'holistic' : 'atomic'),
    params: {},
    iamActions: [...new Set(fn.iamActions)].sort(),
    remediation: fn.remediation ?? `See the ${fn.id} check function's documentation.`,
    emulator: 'yes',
    ...(fn.triggers ? { triggers: fn.triggers } : {}),
    origin: 'check-function',
  };
}

export interface UserDefinedSettings {
  readonly metrics?: readonly MetricFunction[];
  readonly functions?: readonly CheckFunctionDeclaration[];
}

/** The user-defined functions as check definitions, in declaration order (metric functions first). */
export function userDefinitions(settings: UserDefinedSettings | undefined): CheckDefinition[] {
  return [
    ...(settings?.metrics ?? []).map(metricDefinition),
    ...(settings?.functions ?? []).map(checkFunctionDefinition),
  ];
}

/** The first id declared twice, metric functions and check functions together. */
export function duplicateUserId(settings: UserDefinedSettings): string | undefined {
  const seen = new Set<string>();
  for (const { id } of [...(settings.metrics ?? []), ...(settings.functions ?? [])]) {
    if (seen.has(id)) return id;
    seen.add(id);
  }
  return undefined;
}
