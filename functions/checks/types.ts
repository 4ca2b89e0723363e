/** The checks' vocabulary: statuses, severities, pillars, families, and what a rule sees and returns. */
import type { Deployment, ResourceRef, StackInfo, Trigger } from '../../statemachine/state.ts';

export const STATUSES = ['PASS', 'FAIL', 'NOT_APPLICABLE', 'ERROR', 'SUPPRESSED'] as const;
export type Status = (typeof STATUSES)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const PILLARS = ['security', 'reliability', 'operational-excellence', 'performance', 'cost'] as const;
export type Pillar = (typeof PILLARS)[number];

export const FAMILIES = [
  's3',
  'dynamodb',
  'lambda',
  'apigateway',
  'stepfunctions',
  'sqs',
  'sns',
  'iam',
  'logs',
  'kms',
  'cloudwatch',
  'secretsmanager',
  'events',
  'stack',
  'metrics',
  'custom',
] as const;
export type Family = (typeof FAMILIES)[number];

/**
 * The id of a user-defined fitness function: `<namespace>/<name>` (`acme/api-p99-latency`). Built-in
 * ids never hold a `/`, so the two can never collide (functions/checks/user-defined.ts validates it).
 */
export type UserCheckId = `${string}/${string}`;

/**
 * What a work item and a check are grouped by: a built-in family, or a user-defined check function's
 * own id (each one is a family of one check, served by the `custom` family's function).
 */
export type CheckFamily = Family | UserCheckId;

/**
 * Each family's name in PascalCase: its check function's construct id (`<Name>Checks`) and the ASL's
 * `${<Name>ChecksFunctionArn}` substitution. Adding a family adds one entry here and to FAMILIES.
 */
export const FAMILY_NAMES: Readonly<Record<Family, string>> = {
  s3: 'S3',
  dynamodb: 'DynamoDb',
  lambda: 'Lambda',
  apigateway: 'ApiGateway',
  stepfunctions: 'StepFunctions',
  sqs: 'Sqs',
  sns: 'Sns',
  iam: 'Iam',
  logs: 'Logs',
  kms: 'Kms',
  cloudwatch: 'CloudWatch',
  secretsmanager: 'SecretsManager',
  events: 'Events',
  stack: 'Stack',
  metrics: 'Metrics',
  custom: 'Custom',
};

/** Stack-wide and holistic checks run on the stack itself, under this pseudo resource type. */
export const STACK_RESOURCE_TYPE = 'AWS::CloudFormation::Stack';

export type ParamValue = string | number | boolean | readonly string[];
export type CheckParams = Readonly<Record<string, ParamValue | undefined>>;

/** What a rule returns: a rule never throws for a non-compliant resource. */
export interface CheckOutcome {
  readonly status: 'PASS' | 'FAIL' | 'NOT_APPLICABLE' | 'ERROR';
  readonly message: string;
  /** Facts behind the verdict; never secrets (no env var values, no key material). */
  readonly evidence?: Readonly<Record<string, unknown>>;
}

/** One check on one resource, as carried in the state machine and the report. */
export interface CheckResult {
  readonly checkId: string;
  readonly resourceType: string;
  readonly logicalId: string;
  readonly physicalId: string;
  readonly status: Status;
  readonly severity: Severity;
  readonly message: string;
  readonly evidence?: Readonly<Record<string, unknown>>;
  /** The SAM resource the audited resource was generated from (e.g. FnRole ← Fn). */
  readonly samResourceId?: string;
}

export interface CheckContext<Clients> {
  readonly resource: ResourceRef;
  readonly params: CheckParams;
  readonly clients: Clients;
  readonly stack: StackInfo;
  readonly trigger: Trigger;
  readonly deployment?: Deployment | null;
  /** Per-invocation memo, so several checks on one resource share one API call. */
  readonly memo: <T>(key: string, load: () => Promise<T>) => Promise<T>;
  /**
   * The parameters of another check of the same work item, undefined when that check does not run in
   * it (disabled, or not for this trigger): lets a check defer to another, as the fixed metric
   * thresholds defer to a conclusive canary judgment.
   */
  readonly peerParams?: (checkId: string) => CheckParams | undefined;
}

export type CheckRule<Clients> = (context: CheckContext<Clients>) => Promise<CheckOutcome>;

/** A result inside a work item outcome: the resource is the item's, the severity the registry's. */
export interface ItemResult {
  readonly checkId: string;
  readonly status: Exclude<Status, 'SUPPRESSED'>;
  readonly message: string;
  readonly evidence?: Readonly<Record<string, unknown>>;
}
