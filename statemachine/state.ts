/**
 * The state contracts: one type per shape that crosses a state boundary of the fitness state
 * machine, in the order the data flows (docs/state-contracts.md draws the same flow).
 *
 *   execution input + the check functions (CheckFunctionRef[]) ─► ListResources ─► AuditPlan
 *   AuditPlan.items[i] (or the items file in S3) + plan context ─► Map item (CheckTaskInput)
 *     ─► lambda:invoke of functions[item.fn] ─► WorkItemOutcome
 *   the Map keeps DigestedOutcome | FailedOutcome per item (inline), or writes them to S3
 *     (MapResultsLocation) ─► Aggregate (AggregateInput)
 *   Aggregate ─► AggregateOutput { report, metricData, historyItem } ─► PublishMetrics, RecordHistory,
 *   ReportToCodeDeploy ─► the execution's output: the Report
 *
 * Every handler, the local runner, the definition builder and the construct import these; nothing
 * re-declares them.
 */
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ResultDigest } from '../functions/checks/digest.ts';
import type {
  CheckFamily,
  CheckResult,
  ItemResult,
  Pillar,
  Severity,
  Status,
} from '../functions/checks/types.ts';
import type { GateConfig, GatePolicy, GateResources } from '../functions/shared/config.ts';

// ── Triggers ────────────────────────────────────────────────────────────────────────────────────

/** What started an execution: one of CodeDeploy's two traffic hooks, a hand-started audit, or predict. */
export const TRIGGERS = ['BeforeAllowTraffic', 'AfterAllowTraffic', 'adhoc', 'predict'] as const;
export type Trigger = (typeof TRIGGERS)[number];

/** The CodeDeploy lifecycle events the hooks serve. */
export const HOOK_TRIGGERS = [
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
] as const satisfies readonly Trigger[];
export type HookTrigger = (typeof HOOK_TRIGGERS)[number];

/**
 * The error of the Fail state a run ends in when it could not evaluate the stack and gates no
 * CodeDeploy hook (an ad-hoc run, or a hook claim CodeDeploy did not confirm): the state machine
 * reported nothing, and the EventBridge safety net must not report either.
 */
export const AUDIT_FAILED_ERROR = 'FitnessAuditFailed';

export function isTrigger(value: unknown): value is Trigger {
  return typeof value === 'string' && (TRIGGERS as readonly string[]).includes(value);
}

export function isHookTrigger(value: unknown): value is HookTrigger {
  return typeof value === 'string' && (HOOK_TRIGGERS as readonly string[]).includes(value);
}

// ── Identities ──────────────────────────────────────────────────────────────────────────────────

/** The CodeDeploy deployment an execution gates; present only when a hook started it. */
export interface Deployment {
  readonly deploymentId: string;
  readonly hookExecutionId?: string;
}

/** The stack being audited; account and region come from its ARN. */
export interface StackInfo {
  readonly stackName: string;
  readonly stackId: string;
  readonly accountId: string;
  readonly region: string;
  /**
   * The stack update this run gates: `<stackId>@<LastUpdatedTime, else CreationTime>` (see
   * docs/baselines.md). Runs of one release are never each other's baseline. Absent when unknown.
   */
  readonly releaseId?: string;
}

export interface ResourceRef {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
  /** The SAM resource this one was generated from, where the template records it (sam-origins.ts). */
  readonly samResourceId?: string;
}

// ── Execution input ─────────────────────────────────────────────────────────────────────────────

/**
 * The state machine's input. Started by a hook: every field but `policy`. Started by hand, only
 * `stackName` is required.
 */
export interface ExecutionInput {
  readonly stackName: string;
  readonly trigger?: Trigger;
  readonly deploymentId?: string;
  readonly hookExecutionId?: string;
  /**
   * Policy overrides. An ad-hoc run takes them as they are; a hook-triggered run only those that make
   * the gate stricter (config.ts tightenPolicy); the rest are ignored with a note.
   */
  readonly policy?: Partial<GatePolicy>;
}

/**
 * A function the Map can route a work item to: a built-in family's check Lambda (`id` is the family)
 * or, later, a user-defined check function. The definition lists them once, in ListResources' input.
 */
export interface CheckFunctionRef {
  readonly id: string;
  readonly arn: string;
}

/** What the ListResources task receives: the execution input and the context object's facts. */
export interface ListResourcesInput {
  readonly input: unknown;
  readonly executionName: string;
  readonly startedAt: string;
  /** The check functions work items can be routed to; without it, one per built-in family. */
  readonly functions?: readonly CheckFunctionRef[];
  /** The gate's own resources, written into the definition at synth time (never from the input). */
  readonly gateResources?: GateResources;
  /**
   * The gate's user-defined fitness functions, written into the definition at synth time
   * (functions/list-resources/fitness-functions.ts); layered over the gate's configuration.
   */
  readonly fitnessFunctions?: Pick<GateConfig['checks'], 'metrics' | 'functions'>;
}

/** An S3 object, in the PascalCase Step Functions' ItemReader and ResultWriter use. */
export interface S3Location {
  readonly Bucket: string;
  readonly Key: string;
}

// ── ListResources → Map ─────────────────────────────────────────────────────────────────────────

/**
 * One unit of work for the Map state: all checks of one family on one resource. A user-defined check
 * function is a family of its own (its id, `acme/coverage`), served by the `custom` family's function.
 */
export interface WorkItem {
  readonly family: CheckFamily;
  readonly resource: ResourceRef;
  /** Index into AuditPlan.functions: the function that runs this item (a short key: the Map carries thousands). */
  readonly fn: number;
}

/** What ListResources measured of the stack. */
export interface Inventory {
  /** Which resources the gate judges, and how (functions/checks/coverage.ts); the report's `coverage`. */
  readonly coverage: Coverage;
  /**
   * Rows skipped: blank (no type: a type the emulator does not model, or a false Condition), gone
   * (deleted) and unidentified (a type but no physical id, so no check can look the resource up).
   */
  readonly skipped: { readonly blank: number; readonly gone: number; readonly unidentified: number };
  readonly complexity: number;
}

/** A resource judged through its parent: what a check of the parent reads includes it. */
export interface CoverageThrough {
  readonly logicalId: string;
  readonly type: string;
  /** The logical id (key) of the resource it is judged through. */
  readonly parent: string;
  readonly checks: readonly string[];
}

export interface CoverageNotJudged {
  readonly logicalId: string;
  readonly type: string;
  readonly reason: string;
}

/** Resources of a type declared to carry no risk worth a check (NO_RISK_TYPES), with the reason. */
export interface CoverageNoRisk {
  readonly type: string;
  readonly count: number;
  readonly reason: string;
}

/**
 * Coverage (docs/plan-and-coverage.md): every resource of the stack is judged directly, judged
 * through a parent, of a no-risk type, or not judged; resources = audited + throughParent + noRisk +
 * notJudged. percent = 100 × (audited + throughParent) / (resources − noRisk), null when that is 0.
 */
export interface Coverage {
  /** Resources of the stack (nested stacks included), less those of a false Condition and those being deleted. */
  readonly resources: number;
  /** Resources judged directly: at least one check ran on them. */
  readonly audited: number;
  /** Types of the resources not judged at all (neither directly nor through a parent; no-risk types aside). */
  readonly unsupportedTypes: readonly string[];
  readonly throughParent: number;
  readonly notJudged: number;
  readonly noRisk: number;
  readonly percent: number | null;
  readonly sets: {
    readonly direct: readonly { readonly type: string; readonly count: number }[];
    readonly throughParent: readonly CoverageThrough[];
    readonly notJudged: readonly CoverageNotJudged[];
    readonly noRisk: readonly CoverageNoRisk[];
  };
  /** Entries of the listed sets left out to keep the state small (the counts above are complete). */
  readonly omitted?: { readonly throughParent?: number; readonly notJudged?: number };
}

/** The state after ListResources: everything later states read. */
export interface AuditPlan {
  readonly stack: StackInfo;
  readonly trigger: Trigger;
  readonly deployment: Deployment | null;
  readonly execution: { readonly name: string; readonly startedAt: string };
  readonly config: GateConfig;
  /** The work items; empty when they are too many for the state and live in S3 (`itemsLocation`). */
  readonly items: readonly WorkItem[];
  readonly itemCount: number;
  /** The items file the Distributed Map reads (a JSON array of WorkItem), for plans too large for the state. */
  readonly itemsLocation?: S3Location;
  /** ARNs of the check functions, indexed by WorkItem.fn. */
  readonly functions: readonly string[];
  readonly inventory: Inventory;
  readonly notes: readonly string[];
  /** Bytes of failure messages each work item may carry through the Map. */
  readonly messageBudget: number;
}

// ── Map item → check function → Map result ──────────────────────────────────────────────────────

/** Per-check configuration the gate passes to every work item. */
export interface CheckSettings {
  readonly disabled?: readonly string[];
  readonly params?: GateConfig['checks']['params'];
  /** The user-defined metric fitness functions (functions/checks/user-defined.ts). */
  readonly metrics?: GateConfig['checks']['metrics'];
  /** The user-defined check functions' declarations (their Lambdas are the construct's props). */
  readonly functions?: GateConfig['checks']['functions'];
}

/** The Map state's item: the work item plus what every check needs to know. */
export interface CheckTaskInput {
  /** The work item (a check function needs its family and resource, not its routing). */
  readonly workItem: Pick<WorkItem, 'family' | 'resource'> & Partial<Pick<WorkItem, 'fn'>>;
  /** The function the item is routed to (the Map's ItemSelector picks it from AuditPlan.functions). */
  readonly functionArn?: string;
  readonly stack: StackInfo;
  readonly trigger: Trigger;
  readonly deployment?: Deployment | null;
  readonly checks?: CheckSettings;
  /** Bytes of failure messages this item may keep in its digest (see digest.ts). */
  readonly messageBudget?: number;
}

/**
 * What a user-defined check function receives: one work item (one check on one resource) and its
 * context. The `custom` family invokes the user's Lambda with it (docs/schemas/check-function-input.schema.json)
 * and validates the answer against docs/schemas/check-function-answer.schema.json.
 */
export interface CustomCheckInput {
  readonly checkId: string;
  readonly workItem: Pick<WorkItem, 'family' | 'resource'>;
  readonly stack: StackInfo;
  readonly trigger: Trigger;
  readonly deployment: Deployment | null;
  readonly params: Readonly<Record<string, string | number | boolean | string[]>>;
}

/** What a check function returns for a work item: each check's result is its own entry. */
export interface WorkItemOutcome {
  readonly family: CheckFamily;
  readonly resource: ResourceRef;
  readonly results: readonly ItemResult[];
  /** The compact form the state machine keeps (see digest.ts). */
  readonly digest: ResultDigest;
}

/** What the Map keeps of a work item outcome (the check task's ResultSelector). */
export type DigestedOutcome = Omit<WorkItemOutcome, 'results'>;

/**
 * A Map iteration whose function failed after its retries (the CheckFailed state). It keeps the
 * error name only: Step Functions bounds it (256 characters), while a Cause can hold a function's
 * whole stack trace (up to 32 KiB) and stays readable in the iteration's own history.
 */
export interface FailedOutcome {
  readonly family: string;
  readonly resource: ResourceRef;
  readonly error: { readonly Error?: string; readonly Cause?: string };
}

export type MapOutcome = DigestedOutcome | FailedOutcome;

/** The Distributed Map's output: its results went to S3 (ResultWriter), the manifest is here. */
export interface MapResultsLocation {
  readonly MapRunArn?: string;
  readonly ResultWriterDetails: S3Location;
}

// ── Aggregate ───────────────────────────────────────────────────────────────────────────────────

/** The Aggregate task's input: the plan, with the Map's outcomes in place of the work items. */
export interface AggregateInput {
  readonly stack: StackInfo;
  readonly trigger: Trigger;
  readonly deployment: Deployment | null;
  readonly execution: { readonly name: string; readonly startedAt: string };
  readonly config: GateConfig;
  readonly inventory: Inventory;
  /** The Map's outcomes (inline), or where the Distributed Map wrote them. */
  readonly outcomes: readonly MapOutcome[] | MapResultsLocation;
  /** How many outcomes the Map must deliver (AuditPlan.itemCount). */
  readonly itemCount?: number;
  readonly notes?: readonly string[];
}

export interface WaiverReport {
  readonly applied: number;
  readonly unmatched: readonly string[];
  readonly expired: readonly string[];
  readonly refused: readonly string[];
  /** Template waivers that failed validation (`checkId@key (source): problem`); never applied. */
  readonly invalid?: readonly string[];
}

/** The fitness report: the execution's output and `fitgate audit --format json`. */
export interface Report {
  readonly stack: string;
  readonly trigger: Trigger;
  readonly deploymentId?: string;
  readonly fitness: number | null;
  readonly quality: number | null;
  readonly complexity: number;
  readonly penalty: number;
  readonly baseline: number | null;
  readonly decision: 'Succeeded' | 'Failed';
  readonly reasons: readonly string[];
  readonly summary: Readonly<Record<Status, number>>;
  readonly pillars: Readonly<Partial<Record<Pillar, number>>>;
  readonly coverage: Coverage;
  /** What to fix next: each finding's fitness gain, and what would make a failed gate pass. */
  readonly plan: Plan;
  readonly diff: {
    readonly new: readonly string[];
    readonly fixed: readonly string[];
    readonly since: string | null;
    /** Findings left out of `new` and `fixed` to keep the report inside the state limit. */
    readonly omitted?: { readonly new: number; readonly fixed: number };
  };
  readonly waivers: WaiverReport;
  readonly notes: readonly string[];
  readonly results: readonly CheckResult[];
  /** Results left out to keep the report inside the state limit (worst results are kept first). */
  readonly resultsOmitted?: Readonly<Partial<Record<Status, number>>>;
  /**
   * Set by the state machine when RecordHistory failed (the RecordHistory Catch writes it): the run is
   * missing from the history, so it is neither a baseline nor listed by `fitgate history`.
   */
  readonly historyError?: { readonly Error: string; readonly Cause?: string };
  /** Only in `fitgate predict` reports: what was predicted, against what, and what could not be. */
  readonly prediction?: Prediction;
}

// ── Improvement plan (functions/aggregate/plan.ts) ────────────────────────────────────────────

/** A non-passing finding, and the fitness the stack would have if it alone passed. */
export interface PlanFinding {
  readonly checkId: string;
  readonly logicalId: string;
  readonly severity: Severity;
  readonly status: 'FAIL' | 'ERROR';
  /** Fitness with this finding passing and every other result as it is (the report's scoring). */
  readonly fitness: number | null;
  /** fitness − the report's fitness; null when the report has no fitness. */
  readonly gain: number | null;
}

/** One remediation on one resource: the findings one change fixes (the registry's `fix` group). */
export interface PlanStep {
  /** The registry's fix group, or the check id when the check is a group of its own. */
  readonly fix: string;
  readonly logicalId: string;
  readonly remediation: string;
  /** A critical finding while the policy fails on critical: the gate cannot pass without it. */
  readonly required: boolean;
  /** Fitness with every finding of the step passing. */
  readonly fitness: number | null;
  readonly gain: number | null;
  readonly findings: readonly PlanFinding[];
}

/** The fewest findings whose fixes make a failed gate pass: required (critical) ones first. */
export interface RestorePlan {
  /** The fitness the gate needs (baseline − maxRegression, minFitness); null when only critical findings fail it. */
  readonly target: number | null;
  /** Fitness once they are fixed. */
  readonly fitness: number | null;
  /** False when fixing every finding does not reach the target (the drop comes from complexity). */
  readonly reachable: boolean;
  /** How many findings the set holds (the list may be cut). */
  readonly size: number;
  readonly findings: readonly string[];
}

export interface Plan {
  /** Steps, required first, then by gain (highest first). */
  readonly steps: readonly PlanStep[];
  /** Steps and findings left out to keep the report inside the state limit. */
  readonly stepsOmitted?: number;
  readonly findingsOmitted?: number;
  /** Only when the gate Failed. */
  readonly restore?: RestorePlan;
}

// ── Predict (fitgate predict) ───────────────────────────────────────────────────────────────────

/** Something a prediction cannot know; the listed findings are NOT_APPLICABLE with the reason. */
export interface PredictionLimit {
  /**
   * runtime-data: needs the deployed version running; account: an account setting or later event;
   * not-modelled: a template setting the emulator cannot hold; deploy-time: a value resolved only
   * at deploy time; not-created: a resource the emulator could not create.
   */
  readonly kind: 'runtime-data' | 'account' | 'not-modelled' | 'deploy-time' | 'not-created';
  /** What it is about: a check id, `LogicalId: setting`, `LogicalId (Type)`, `parameter Name`. */
  readonly subject: string;
  readonly reason: string;
  /** The findings (`checkId@logicalId`, `*` for every resource) or check ids it makes NOT_APPLICABLE. */
  readonly checks: readonly string[];
}

export interface Prediction {
  /** The template predicted: its file, and the CDK assembly stack it comes from. */
  readonly template: string;
  readonly assemblyStack?: string;
  /** One line: would the release pass the gate, and why. */
  readonly verdict: string;
  /** Where the baseline came from: the gate's history, a report file, or none. */
  readonly baseline: { readonly source: 'history' | 'file' | 'none'; readonly detail: string };
  readonly limits: readonly PredictionLimit[];
}

// ── History ─────────────────────────────────────────────────────────────────────────────────────

/**
 * What CodeDeploy made of the deployment a run gated: PENDING until its deployment state-change
 * event (SUCCESS / FAILURE / STOP) or a GetDeployment says; absent for runs without a deployment.
 */
export const DEPLOYMENT_OUTCOMES = ['PENDING', 'SUCCEEDED', 'FAILED', 'STOPPED'] as const;
export type DeploymentOutcome = (typeof DEPLOYMENT_OUTCOMES)[number];
/** Who told the gate the outcome: the EventBridge event, or GetDeployment at baseline lookup. */
export type OutcomeSource = 'event' | 'GetDeployment';

/** One history item per execution: partition `stackName`, sort `runId` = `<startedAt>#<executionName>`. */
export interface HistoryRecord
  extends Pick<
    Report,
    | 'trigger'
    | 'deploymentId'
    | 'fitness'
    | 'quality'
    | 'complexity'
    | 'penalty'
    | 'baseline'
    | 'decision'
    | 'reasons'
  > {
  readonly stackName: string;
  readonly runId: string;
  readonly executionName: string;
  readonly startedAt: string;
  readonly hookExecutionId?: string;
  /** The stack update the run gated (StackInfo.releaseId). */
  readonly releaseId?: string;
  /** CodeDeploy's outcome of the deployment; `decision` stays the gate's own verdict. */
  readonly outcome?: DeploymentOutcome;
  readonly outcomeAt?: string;
  readonly outcomeSource?: OutcomeSource;
  /**
   * A hook run whose decision was Succeeded and whose deployment CodeDeploy finished successfully
   * (outcome SUCCEEDED). Written false, set by whoever learns the outcome; ad-hoc runs never are.
   */
  readonly accepted: boolean;
  /**
   * Fitness over the checks an ad-hoc audit runs (those of every trigger): what an ad-hoc or
   * predict run is compared with, like with like. Null when nothing of that set was scored.
   */
  readonly auditFitness?: number | null;
  /** Failing findings (`checkId@logicalId`), most important first; cut to fit the item. */
  readonly findings: readonly string[];
  /** How many findings and reasons were cut to keep the item inside its size budget. */
  readonly findingsOmitted?: number;
  readonly reasonsOmitted?: number;
  readonly summary: Readonly<Record<string, number>>;
  /** The share of the stack the run judged (Coverage.percent, and what it counts); absent in older items. */
  readonly coverage?: HistoryCoverage;
}

export interface HistoryCoverage {
  readonly percent: number | null;
  /** Resources judged, directly or through a parent. */
  readonly judged: number;
  readonly resources: number;
  readonly noRisk: number;
}

/** History item in DynamoDB JSON, as the RecordHistory state's putItem takes it. */
export type HistoryItem = Record<string, AttributeValue>;

/** Aggregate's output: the report, and what PublishMetrics and RecordHistory send. */
export interface AggregateOutput {
  readonly report: Report;
  readonly metricData: MetricDatum[];
  readonly historyItem: HistoryItem;
  readonly deployment: Deployment | null;
}
