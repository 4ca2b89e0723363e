/** Contracts shared by the registry, the check rules, the family handlers and the aggregate. */
import type { ResultDigest } from './digest.ts';

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
  'stack',
] as const;
export type Family = (typeof FAMILIES)[number];

export type Trigger = 'BeforeAllowTraffic' | 'AfterAllowTraffic' | 'adhoc';

/** Stack-wide and holistic checks run on the stack itself, under this pseudo resource type. */
export const STACK_RESOURCE_TYPE = 'AWS::CloudFormation::Stack';

export interface ResourceRef {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
}

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
}

/** The stack being audited; account and region come from its ARN. */
export interface StackInfo {
  readonly stackName: string;
  readonly stackId: string;
  readonly accountId: string;
  readonly region: string;
}

/** Present when the execution came from a CodeDeploy hook. */
export interface DeploymentInfo {
  readonly deploymentId: string;
  readonly hookExecutionId?: string;
}

export interface CheckContext<Clients> {
  readonly resource: ResourceRef;
  readonly params: CheckParams;
  readonly clients: Clients;
  readonly stack: StackInfo;
  readonly trigger: Trigger;
  readonly deployment?: DeploymentInfo;
  /** Per-invocation memo, so several checks on one resource share one API call. */
  readonly memo: <T>(key: string, load: () => Promise<T>) => Promise<T>;
}

export type CheckRule<Clients> = (context: CheckContext<Clients>) => Promise<CheckOutcome>;

/** One unit of work for the Map state: all checks of one family on one resource. */
export interface WorkItem {
  readonly family: Family;
  readonly resource: ResourceRef;
}

/** What a family Lambda returns for a work item: each check's result is its own entry. */
export interface WorkItemOutcome {
  readonly family: Family;
  readonly resource: ResourceRef;
  readonly results: readonly ItemResult[];
  /** The compact form the state machine keeps (see digest.ts). */
  readonly digest: ResultDigest;
}

/** What the Map keeps of a work item outcome (the check tasks' ResultSelector). */
export type DigestedOutcome = Omit<WorkItemOutcome, 'results'>;

/** A result inside a work item outcome: the resource is the item's, the severity the registry's. */
export interface ItemResult {
  readonly checkId: string;
  readonly status: Exclude<Status, 'SUPPRESSED'>;
  readonly message: string;
  readonly evidence?: Readonly<Record<string, unknown>>;
}
