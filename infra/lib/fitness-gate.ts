/**
 * FitnessGate: the whole gate as one construct. CodeDeploy's pre- and post-traffic hooks start the
 * fitness state machine (statemachine/fitness.asl.json); it lists the guarded stack, runs every
 * check family's small Lambda over the work items, scores the result, publishes the metrics, records
 * the history item and reports the verdict to CodeDeploy. An EventBridge rule reports Failed when an
 * execution fails, times out or is aborted, so a deployment never waits for a verdict that will not
 * come.
 *
 *   const gate = new FitnessGate(this, 'FitnessGate', { policy: { minFitness: 60 } });
 *   gate.guard(deploymentGroup);
 *
 * One gate can also guard many stacks (a shared gate, once per account and region): its hooks find
 * the stack to audit from each deployment, and groups in any stack point at them by name
 * (`CodeDeployHook_<gateName>-PreTraffic`, the names SAM's default CodeDeploy role may invoke).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  Annotations,
  ArnFormat,
  type CfnElement,
  CfnOutput,
  CfnResource,
  Duration,
  Fn,
  Lazy,
  RemovalPolicy,
  Stack,
  Token,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, DependencyGroup, type IConstruct } from 'constructs';
import { FAMILIES, FAMILY_NAMES, type Family, PILLARS, SEVERITIES } from '../../functions/checks/types.ts';
import type { CheckFunctionDeclaration } from '../../functions/checks/user-defined.ts';
import { isGuardedStack } from '../../functions/hook/core.ts';
import {
  escapePlaceholders,
  type FitnessFunctions,
  withFitnessFunctions,
} from '../../functions/list-resources/fitness-functions.ts';
import { withGateResources } from '../../functions/list-resources/gate-resources.ts';
import { type GateConfig, type GateConfigInput, resolveConfig } from '../../functions/shared/config.ts';
import { LAMBDA_TIMEOUT_SECONDS, MAP_RESULTS_PREFIX } from '../../statemachine/definition.ts';
import {
  auditorStatements,
  guardedNamePatterns,
  guardedStackArns,
  statementsForActions,
} from './auditor-policy.ts';
import { assertSupportedCdk, Validations } from './cdk-compat.ts';
import { DeadlineNet } from './deadline-net.ts';
import {
  DEFAULT_LOG_RETENTION,
  FitgateFunction,
  type FitgateFunctionProps,
  PROJECT_ROOT,
} from './fitgate-function.ts';
import { gateExportName, HISTORY_TABLE_OUTPUT, STATE_MACHINE_OUTPUT } from './gate-outputs.ts';
import { OutcomeTracker } from './outcome-tracker.ts';

const FUNCTIONS_DIR = path.join(PROJECT_ROOT, 'functions');

/** The one state machine definition, run in the cloud and locally alike. */
export const ASL_PATH = path.join(PROJECT_ROOT, 'statemachine', 'fitness.asl.json');

/** Where each Lambda's handler lives (each exports `handler`). */
export const ENTRIES = {
  hook: path.join(FUNCTIONS_DIR, 'hook', 'handler.ts'),
  listResources: path.join(FUNCTIONS_DIR, 'list-resources', 'handler.ts'),
  aggregate: path.join(FUNCTIONS_DIR, 'aggregate', 'handler.ts'),
  safetyNet: path.join(FUNCTIONS_DIR, 'safety-net', 'handler.ts'),
  checks: (family: Family) => path.join(FUNCTIONS_DIR, 'checks', family, 'handler.ts'),
} as const;

/** A family's name in construct ids and in the ASL's `${<Name>ChecksFunctionArn}` substitutions. */
export { FAMILY_NAMES };

export const DEFAULT_METRIC_NAMESPACE = 'Fitgate';
export const DEFAULT_EXECUTION_TIMEOUT = Duration.minutes(15);
/** CodeDeploy waits at most one hour for a hook; the execution must end well before that. */
export const MAX_EXECUTION_TIMEOUT = Duration.minutes(55);
/** Lambda allows 4 KB of environment in total; the configuration must leave room for the rest. */
export const MAX_CONFIG_BYTES = 3_000;

/** DynamoDB actions that write items, which need the history key's encrypt actions too. */
const HISTORY_WRITE_ACTIONS = new Set([
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
]);
const HISTORY_KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const HISTORY_KEY_WRITE_ACTIONS = [
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
];

/** Severities that count failures on the dashboard (informational checks weigh nothing). */
const FAILURE_SEVERITIES = SEVERITIES.filter((severity) => severity !== 'informational');

/** The CodeDeploy lifecycle events the two hook functions serve. */
export const HOOK_TRIGGERS = {
  PreTrafficHook: 'BeforeAllowTraffic',
  PostTrafficHook: 'AfterAllowTraffic',
} as const;

/**
 * What guard() needs of a deployment group: CDK's LambdaDeploymentGroup fits. Imported groups do
 * not, because CloudFormation sets the hooks on the alias that the group's stack owns.
 */
export interface GuardableDeploymentGroup extends codedeploy.ILambdaDeploymentGroup {
  addPreHook(hook: lambda.IFunction): void;
  addPostHook(hook: lambda.IFunction): void;
  grantPutLifecycleEventHookExecutionStatus(grantee: iam.IGrantable): iam.Grant;
}

/**
 * A user-defined check function: your Lambda (any runtime) and its declaration, as a built-in check
 * declares itself. It receives the work-item contract (docs/schemas/check-function-input.schema.json)
 * and answers a check result (docs/schemas/check-function-answer.schema.json); docs/fitness-functions.md.
 */
export interface CustomCheck extends CheckFunctionDeclaration {
  /** The function the gate invokes for each work item of this check. */
  readonly function: lambda.IFunction;
}

export interface FitnessGateProps extends GateConfigInput {
  /**
   * Check functions of your own, scored, waived and reported like the built-ins. The gate grants its
   * custom-checks function invoke on each, and each function's role the `iamActions` it declares.
   * @default none
   */
  readonly customChecks?: readonly CustomCheck[];
  /**
   * Metrics the dashboard shows next to fitness: latency, concurrent users, your top business metric.
   * @default none
   */
  readonly businessMetrics?: readonly cloudwatch.IMetric[];
  /**
   * The one stack the gate audits (the gate's own stack, or another one audited on demand).
   * Give guardedStacks instead for a gate that guards several.
   * @default the name of the stack that holds the gate
   */
  readonly guardedStackName?: string;
  /**
   * The stacks the gate guards: stack names, or patterns where `*` is any run of characters
   * (`orders-*`); each covers its nested stacks. A gate that guards several stacks is shared: deploy
   * it once per account and region in a stack of its own and point deployment groups of any stack at
   * its hooks. Only these stacks can be audited, and reported on, by this gate.
   * @default [guardedStackName]
   */
  readonly guardedStacks?: readonly string[];
  /**
   * The gate's name, unique in its account and region: the hooks are
   * `CodeDeployHook_<gateName>-PreTraffic` and `CodeDeployHook_<gateName>-PostTraffic`, and the stack
   * exports `<gateName>-StateMachineArn` and `<gateName>-HistoryTable`. Letters, digits and hyphens,
   * at most 37 characters (a Lambda function name has at most 64).
   * @default `fitgate-<stack name, 20 characters at most>-<8 hex digits of the stack name and construct path>`
   */
  readonly gateName?: string;
  /** CloudWatch namespace of Fitness, Quality, Complexity and the per-pillar scores. @default 'Fitgate' */
  readonly metricNamespace?: string;
  /** Create the CloudWatch dashboard (of the guarded stack). @default true when the gate guards one named stack */
  readonly dashboard?: boolean;
  /** @default a name CloudFormation generates */
  readonly dashboardName?: string;
  /** Functions whose traffic, errors and latency the dashboard shows next to fitness. @default none */
  readonly serviceFunctions?: readonly lambda.IFunction[];
  /** How long one execution may run (the hook waits at most one hour). @default 15 minutes */
  readonly executionTimeout?: Duration;
  /** Retention of every log group of the gate. @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN: the history is the baseline of every future deployment */
  readonly historyRemovalPolicy?: RemovalPolicy;
  /** Customer-managed key of the history table. @default an AWS managed key */
  readonly historyEncryptionKey?: kms.IKey;
  /** Notified when the safety net itself cannot run (its dead-letter queue is not empty). @default none */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

export class FitnessGate extends Construct {
  /** The hook function names of a gate: stable, documented, and invokable under SAM's default CodeDeploy role. */
  static hookFunctionName(gateName: string, hook: keyof typeof HOOK_TRIGGERS): string {
    return `${HOOK_NAME_PREFIX}${gateName}-${hook.replace(/Hook$/, '')}`;
  }

  /**
   * Points a deployment group at the hooks of a shared gate known only by its name (deployed from
   * another app): the alias update calls them, the group's role may invoke them, and the group's
   * stack outputs the gate's state machine and history table (imported from the gate's exports) for
   * `fitgate audit` and `fitgate history`. The gate's own policies already cover the stack.
   */
  static guardByName(deploymentGroup: GuardableDeploymentGroup, gateName: string): void {
    guardWithHooksNamed(deploymentGroup, validGateName(gateName));
  }

  readonly guardedStackName: string;
  /** The stack names and patterns the gate guards (see FitnessGateProps.guardedStacks). */
  readonly guardedStacks: readonly string[];
  /** The gate's name in its account and region (see FitnessGateProps.gateName). */
  readonly gateName: string;
  readonly metricNamespace: string;
  /** The resolved configuration handed to ListResources (FITGATE_CONFIG). */
  readonly config: GateConfig;
  readonly stateMachine: sfn.StateMachine;
  readonly historyTable: dynamodb.Table;
  readonly preTrafficHook: lambda.IFunction;
  readonly postTrafficHook: lambda.IFunction;
  readonly listResourcesFunction: lambda.IFunction;
  readonly aggregateFunction: lambda.IFunction;
  readonly safetyNetFunction: lambda.IFunction;
  /** Marks the history items of each deployment with CodeDeploy's outcome (EventBridge rule + function). */
  readonly outcomeTracker: OutcomeTracker;
  readonly checkFunctions: Readonly<Record<Family, lambda.IFunction>>;
  readonly safetyNetDeadLetters: sqs.Queue;
  /** The second safety net: a schedule per execution at its deadline. */
  readonly deadlineNet: DeadlineNet;
  /** Where a plan too large for the state goes: the Distributed Map's items file and results (one day). */
  readonly workBucket: s3.Bucket;
  readonly dashboard?: cloudwatch.Dashboard;

  private readonly statusReporters: iam.IGrantable[];
  private readonly hookFunctions: readonly FitgateFunction[];
  private readonly guarded = new Set<string>();

  constructor(scope: Construct, id: string, props: FitnessGateProps = {}) {
    super(scope, id);
    assertSupportedCdk();
    const stack = Stack.of(this);
    if (props.guardedStackName !== undefined && props.guardedStacks !== undefined) {
      throw new Error('FitnessGate takes guardedStackName or guardedStacks, not both');
    }
    this.guardedStacks = validGuardedStacks(
      props.guardedStacks ?? [props.guardedStackName ?? stack.stackName],
    );
    this.guardedStackName = props.guardedStackName ?? this.guardedStacks[0] ?? stack.stackName;
    this.gateName = props.gateName === undefined ? defaultGateName(this) : validGateName(props.gateName);
    this.metricNamespace = props.metricNamespace ?? DEFAULT_METRIC_NAMESPACE;
    const executionTimeout = props.executionTimeout ?? DEFAULT_EXECUTION_TIMEOUT;
    if (executionTimeout.toSeconds() > MAX_EXECUTION_TIMEOUT.toSeconds()) {
      throw new Error(
        `FitnessGate executionTimeout must be at most ${MAX_EXECUTION_TIMEOUT.toMinutes()} minutes: CodeDeploy waits one hour for a hook`,
      );
    }
    // The same validation ListResources applies: a bad policy fails the synth, not the first deployment.
    const customChecks = props.customChecks ?? [];
    this.config = resolveConfig(
      {
        policy: props.policy,
        checks: props.checks,
        suppressions: props.suppressions,
        maxConcurrency: props.maxConcurrency,
      },
      customChecks.length > 0
        ? { checks: { functions: customChecks.map(({ function: _, ...declaration }) => declaration) } }
        : undefined,
    );
    const registered = new Set(customChecks.map((check) => check.id));
    const unbound = (this.config.checks.functions ?? []).find((fn) => !registered.has(fn.id));
    if (unbound) {
      throw new Error(
        `FitnessGate checks.functions declares ${unbound.id} without its Lambda: register it in customChecks instead`,
      );
    }
    // The user-defined fitness functions go into the definition (withFitnessFunctions), not the 4 KB environment.
    const { metrics, functions, ...builtInChecks } = this.config.checks;
    const fitnessFunctions = { ...(metrics ? { metrics } : {}), ...(functions ? { functions } : {}) };
    const configJson = JSON.stringify({ ...this.config, checks: builtInChecks });
    if (Buffer.byteLength(configJson) > MAX_CONFIG_BYTES) {
      throw new Error(
        `FitnessGate configuration is ${Buffer.byteLength(configJson)} bytes; Lambda environments hold 4 KB, keep it under ${MAX_CONFIG_BYTES} (move waivers to resource metadata)`,
      );
    }
    const functionDefaults: Partial<FitgateFunctionProps> = {
      logRetention: props.logRetention ?? DEFAULT_LOG_RETENTION,
    };

    this.historyTable = new dynamodb.Table(this, 'History', {
      partitionKey: { name: 'stackName', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'runId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: props.historyEncryptionKey
        ? dynamodb.TableEncryption.CUSTOMER_MANAGED
        : dynamodb.TableEncryption.AWS_MANAGED,
      encryptionKey: props.historyEncryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.historyRemovalPolicy ?? RemovalPolicy.RETAIN,
      deletionProtection: (props.historyRemovalPolicy ?? RemovalPolicy.RETAIN) === RemovalPolicy.RETAIN,
    });
    this.outcomeTracker = new OutcomeTracker(this, 'OutcomeTracker', {
      historyTable: this.historyTable,
      grantHistory: (grantee, ...actions) => this.grantHistory(grantee, ...actions),
      functionDefaults,
    });

    // One small Lambda per check family, each with a role generated from its checks' IAM actions.
    const checkFunctions = {} as Record<Family, lambda.IFunction>;
    const checkConstructs: FitgateFunction[] = [];
    for (const family of FAMILIES) {
      const checks = new FitgateFunction(this, `${FAMILY_NAMES[family]}Checks`, {
        ...functionDefaults,
        entry: ENTRIES.checks(family),
        description: `fitgate: runs the ${family} checks on one resource`,
        timeout: Duration.seconds(LAMBDA_TIMEOUT_SECONDS),
        ...(family === 'custom' && customChecks.length > 0
          ? {
              environment: {
                FITGATE_CHECK_FUNCTIONS: stack.toJsonString(
                  Object.fromEntries(customChecks.map((check) => [check.id, check.function.functionArn])),
                ),
              },
            }
          : {}),
      });
      const { statements, wildcardReasons } = auditorStatements(this, family, this.guardedStacks);
      if (statements.length > 0) {
        const auditorPolicy = new iam.Policy(checks, 'AuditorPolicy', { statements, roles: [checks.role] });
        suppressWildcards(auditorPolicy, wildcardReasons);
      }
      if (family === 'metrics') this.grantMetricDocuments(checks.role);
      if (family === 'custom') this.grantCustomChecks(checks.role, customChecks);
      checkFunctions[family] = checks.function;
      checkConstructs.push(checks);
    }
    this.checkFunctions = checkFunctions;

    const listResources = new FitgateFunction(this, 'ListResources', {
      ...functionDefaults,
      entry: ENTRIES.listResources,
      description: 'fitgate: lists the guarded stack and plans the work items',
      memorySize: 512,
      timeout: Duration.seconds(LAMBDA_TIMEOUT_SECONDS),
      environment: { FITGATE_CONFIG: configJson, HISTORY_TABLE_NAME: this.historyTable.tableName },
    });
    // The history table's key schema is verified before any work.
    this.grantHistory(listResources, 'dynamodb:DescribeTable');
    const stackArns = guardedStackArns(this, this.guardedStacks);
    listResources.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadGuardedStack',
        actions: [
          'cloudformation:ListStackResources',
          'cloudformation:DescribeStacks',
          'cloudformation:GetTemplate',
        ],
        resources: stackArns,
      }),
    );
    // A run that claims a hook is one only if CodeDeploy is waiting for that hook (list-resources/deployment.ts).
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html
    listResources.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'VerifyHookClaims',
        actions: [
          'codedeploy:GetDeployment',
          'codedeploy:ListDeploymentTargets',
          'codedeploy:GetDeploymentTarget',
          'codedeploy:GetApplicationRevision',
        ],
        resources: codeDeployReadArns(stack),
      }),
    );

    const aggregate = new FitgateFunction(this, 'Aggregate', {
      ...functionDefaults,
      entry: ENTRIES.aggregate,
      description: 'fitgate: scores the results against the last accepted baseline',
      timeout: Duration.seconds(LAMBDA_TIMEOUT_SECONDS),
      environment: { HISTORY_TABLE_NAME: this.historyTable.tableName },
    });
    // Query for the baseline; UpdateItem records an outcome learned from GetDeployment (see guard()).
    this.grantHistory(aggregate, 'dynamodb:Query', 'dynamodb:UpdateItem');

    const taskFunctions: Record<string, FitgateFunction> = {
      ListResourcesFunctionArn: listResources,
      AggregateFunctionArn: aggregate,
    };
    FAMILIES.forEach((family, index) => {
      const checks = checkConstructs[index];
      if (checks) taskFunctions[`${FAMILY_NAMES[family]}ChecksFunctionArn`] = checks;
    });

    this.workBucket = this.createWorkBucket();
    const stateMachineLogs = new logs.LogGroup(this, 'StateMachineLogs', {
      // The vended-logs prefix keeps Step Functions from growing the account's log resource policy.
      logGroupName: `/aws/vendedlogs/states/${stack.stackName}-${this.node.id}-${this.node.addr.slice(0, 8)}`,
      retention: props.logRetention ?? DEFAULT_LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: `fitgate: fitness of ${this.guardedStacks.join(', ')}`,
      // Lazy: the gate's own resources are listed once the whole construct tree exists (synth time).
      definitionBody: sfn.DefinitionBody.fromString(
        Lazy.string({
          produce: () => definitionFor(executionTimeout, this.ownLogicalIds(), fitnessFunctions),
        }),
      ),
      definitionSubstitutions: {
        GateStackId: stack.stackId,
        ...Object.fromEntries(
          Object.entries(taskFunctions).map(([key, fn]) => [key, fn.function.functionArn]),
        ),
        MetricNamespace: this.metricNamespace,
        HistoryTableName: this.historyTable.tableName,
        WorkBucketName: this.workBucket.bucketName,
      },
      logs: { destination: stateMachineLogs, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // The tasks call unqualified function ARNs: no `:*` version wildcard as grantInvoke would add.
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'InvokeGateFunctions',
        actions: ['lambda:InvokeFunction'],
        resources: Object.values(taskFunctions).map((fn) => fn.function.functionArn),
      }),
    );
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PublishFitnessMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': this.metricNamespace } },
      }),
    );
    this.grantHistory(this.stateMachine, 'dynamodb:PutItem');
    this.grantWorkBucket(listResources, aggregate);

    // Two hooks from one entry: CodeDeploy does not tell a hook which lifecycle event it serves.
    const hooks = Object.entries(HOOK_TRIGGERS).map(([hookId, trigger]) => {
      const hook = new FitgateFunction(this, hookId, {
        ...functionDefaults,
        entry: ENTRIES.hook,
        functionName: FitnessGate.hookFunctionName(this.gateName, hookId as keyof typeof HOOK_TRIGGERS),
        description: `fitgate: ${trigger} hook, starts the fitness execution`,
        // Room for the bounded reads that find the stack, StartExecution and the deadline schedule
        // (or a Failed report).
        timeout: Duration.seconds(60),
        environment: {
          STATE_MACHINE_ARN: this.stateMachine.stateMachineArn,
          GUARDED_STACKS: JSON.stringify(this.guardedStacks),
          HOOK_TRIGGER: trigger,
        },
      });
      this.stateMachine.grantStartExecution(hook);
      return hook;
    });
    const [preTrafficHook, postTrafficHook] = hooks as [FitgateFunction, FitgateFunction];
    this.hookFunctions = hooks;
    this.preTrafficHook = preTrafficHook.function;
    this.postTrafficHook = postTrafficHook.function;

    // Safety net: whatever ends an execution badly, CodeDeploy hears Failed.
    this.safetyNetDeadLetters = new sqs.Queue(this, 'SafetyNetDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const safetyNet = new FitgateFunction(this, 'SafetyNet', {
      ...functionDefaults,
      entry: ENTRIES.safetyNet,
      description: 'fitgate: reports Failed to CodeDeploy when an execution fails, times out or is aborted',
      timeout: Duration.seconds(30),
      onFailure: new destinations.SqsDestination(this.safetyNetDeadLetters),
      retryAttempts: 2,
    });
    // A FAILED event without its error: the net reads it, to leave alone runs that gate no hook.
    const gateExecutions = Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const describeExecutions = new iam.Policy(safetyNet, 'DescribeExecutions', {
      roles: [safetyNet.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'DescribeGateExecutions',
          actions: ['states:DescribeExecution'],
          resources: [gateExecutions],
        }),
      ],
    });
    suppressWildcards(
      describeExecutions,
      new Map([
        [
          gateExecutions,
          'Execution ARNs end in the execution name, unknown at synth time; the pattern names the gate state machine only',
        ],
      ]),
    );
    new events.Rule(this, 'ExecutionEndedBadly', {
      description: 'fitgate: a fitness execution failed, timed out or was aborted',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [this.stateMachine.stateMachineArn],
        },
      },
      targets: [
        new targets.LambdaFunction(safetyNet.function, {
          deadLetterQueue: this.safetyNetDeadLetters,
          retryAttempts: 8,
          maxEventAge: Duration.hours(1),
        }),
      ],
    });
    const deadLettersAlarm = new cloudwatch.Alarm(this, 'SafetyNetDeadLettersAlarm', {
      alarmDescription: 'fitgate: the safety net could not report a failed execution to CodeDeploy',
      metric: this.safetyNetDeadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmAction) deadLettersAlarm.addAlarmAction(props.alarmAction);
    this.listResourcesFunction = listResources.function;
    this.aggregateFunction = aggregate.function;
    this.safetyNetFunction = safetyNet.function;
    // Safety net 2: EventBridge delivers the status events above only on a best-effort basis.
    this.deadlineNet = new DeadlineNet(this, 'DeadlineNet', {
      stateMachine: this.stateMachine,
      executionTimeout,
      hooks,
      deadLetters: this.safetyNetDeadLetters,
      logRetention: props.logRetention ?? DEFAULT_LOG_RETENTION,
    });
    for (const [policy, reasons] of this.deadlineNet.wildcards) suppressWildcards(policy, reasons);
    this.statusReporters = [this.stateMachine, safetyNet, this.deadlineNet.deadline];

    if (props.dashboard ?? isSingleStack(this.guardedStacks)) {
      this.dashboard = this.createDashboard(props, deadLettersAlarm);
    }

    this.suppressPlatformWildcards(
      [
        ...checkConstructs,
        listResources,
        aggregate,
        ...hooks,
        safetyNet,
        this.deadlineNet.deadline,
        this.outcomeTracker.function,
      ],
      stackArns,
      new Set([listResources, aggregate, this.outcomeTracker.function]),
    );
    this.shareWithGuardedStacks();
  }

  /**
   * Gates a deployment group: its pre- and post-traffic hooks start the fitness execution, and the
   * state machine and the safety net may report the verdict on this group's deployments. The group
   * may live in another stack than the gate (a shared gate), if the gate guards that stack.
   */
  guard(deploymentGroup: GuardableDeploymentGroup): void {
    if (this.guarded.has(deploymentGroup.node.path)) return;
    this.assertGuardsStackOf(deploymentGroup);
    this.guarded.add(deploymentGroup.node.path);
    if (Stack.of(deploymentGroup) !== Stack.of(this)) {
      this.guardInAnotherStack(deploymentGroup);
      return;
    }
    // CDK grants the group's role invoke on the hooks and the hooks PutLifecycleEventHookExecutionStatus.
    deploymentGroup.addPreHook(this.preTrafficHook);
    deploymentGroup.addPostHook(this.postTrafficHook);
    for (const reporter of this.statusReporters) {
      deploymentGroup.grantPutLifecycleEventHookExecutionStatus(reporter);
    }
    this.grantReadDeploymentsOf(deploymentGroup);
    // A baseline candidate whose outcome no event recorded yet: the Aggregate asks CodeDeploy.
    iam.Grant.addToPrincipal({
      grantee: this.aggregateFunction,
      actions: ['codedeploy:GetDeployment'],
      resourceArns: [deploymentGroup.deploymentGroupArn],
    });
    // addPreHook/addPostHook grant the group's role invoke on `<hook arn>:*` as well.
    for (const hook of this.hookFunctions) {
      const logicalId = Stack.of(this).getLogicalId(hook.function.node.defaultChild as CfnElement);
      Validations.of(deploymentGroup).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: `CDK's LambdaDeploymentGroup grants CodeDeploy invoke on every version of the fitgate ${hook.node.id} (${logicalId}); CodeDeploy calls the unqualified function`,
      });
    }
  }

  /**
   * The Distributed Map's bucket, for plans too large for the 256 KiB state: ListResources writes the
   * items file (`work-items/`), the Map reads it and writes its results (`map-results/`), Aggregate
   * reads them. Objects expire in a day.
   */
  private createWorkBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'WorkBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { expiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "Transient working data of the gate's own executions (expires in a day); access goes through the state machine's and the functions' roles only",
    });
    return bucket;
  }

  /** Each principal gets only its own actions on the work bucket, on its own prefix. */
  private grantWorkBucket(listResources: FitgateFunction, aggregate: FitgateFunction): void {
    const bucket = this.workBucket;
    const items = bucket.arnForObjects('work-items/*');
    const results = bucket.arnForObjects(`${MAP_RESULTS_PREFIX}/*`);
    listResources.function.addEnvironment('WORK_BUCKET_NAME', bucket.bucketName);
    listResources.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'WriteWorkItems', actions: ['s3:PutObject'], resources: [items] }),
    );
    aggregate.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ReadMapResults', actions: ['s3:GetObject'], resources: [results] }),
    );
    // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html and
    // input-output-resultwriter.html: what the ItemReader and the ResultWriter need.
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'ReadWorkItems', actions: ['s3:GetObject'], resources: [items] }),
    );
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WriteMapResults',
        actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        resources: [results],
      }),
    );
    // The child executions: as CDK's own DistributedMap, a policy apart from the role's default policy,
    // which the state machine depends on (a statement naming the state machine there would be a cycle).
    const childExecutions = new iam.Policy(this.stateMachine, 'DistributedMapPolicy');
    this.stateMachine.role.attachInlinePolicy(childExecutions);
    this.stateMachine.grantStartExecution(childExecutions);
    this.stateMachine.grantExecution(childExecutions, 'states:DescribeExecution', 'states:StopExecution');
    const stack = Stack.of(this);
    const bucketArn = flatten(stack.resolve(bucket.bucketArn));
    suppressWildcards(
      this.stateMachine.role.node.tryFindChild('DefaultPolicy') ?? this.stateMachine,
      new Map([
        [`${bucketArn}/work-items/*`, 'The items file of each execution is named after the execution'],
        [`${bucketArn}/${MAP_RESULTS_PREFIX}/*`, 'The Distributed Map names its results after its Map Run'],
      ]),
    );
    for (const fn of [listResources, aggregate]) {
      const prefix = fn === listResources ? 'work-items' : MAP_RESULTS_PREFIX;
      suppressWildcards(
        fn.role.node.tryFindChild('DefaultPolicy') ?? fn,
        new Map([[`${bucketArn}/${prefix}/*`, 'Objects are named after each execution or Map Run']]),
      );
    }
    const executionArns = (
      stack.resolve(childExecutions.document.toJSON()) as { Statement: { Resource: unknown }[] }
    ).Statement.flatMap((statement) => [statement.Resource].flat().map(flatten));
    suppressWildcards(
      childExecutions,
      new Map(
        executionArns
          .filter((arn) => arn.endsWith(':*'))
          .map((arn) => [
            arn,
            'Child executions of the Distributed Map are named by Step Functions at run time',
          ]),
      ),
    );
  }

  /**
   * The logical ids of every CloudFormation resource of this construct in its stack: what an audit
   * of that stack leaves out (list-resources/gate-resources.ts). Computed at synth time, from the
   * construct tree, so a template cannot add to the list.
   */
  private ownLogicalIds(): string[] {
    const stack = Stack.of(this);
    return this.node
      .findAll()
      .filter((node): node is CfnResource => node instanceof CfnResource && Stack.of(node) === stack)
      .map((resource) => stack.getLogicalId(resource))
      .sort();
  }

  /**
   * Lets a principal run `fitgate audit --stack NAME` in the cloud: find the audited and the gate's
   * stack (DescribeStacks, for the stack outputs), start an execution, follow it and read its output.
   */
  grantStartAudit(grantee: iam.IGrantable): iam.Grant {
    this.grantFindGate(grantee);
    // cli/commands/audit.ts polls DescribeExecution and pages GetExecutionHistory for progress and failures.
    this.stateMachine.grantExecution(grantee, 'states:DescribeExecution', 'states:GetExecutionHistory');
    return this.stateMachine.grantStartExecution(grantee);
  }

  /** Lets a principal read the history (`fitgate history`), found through the stacks' outputs. */
  grantReadHistory(grantee: iam.IGrantable): iam.Grant {
    this.grantFindGate(grantee);
    return this.grantHistory(grantee, 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:DescribeTable');
  }

  /**
   * Table actions on the history table, plus, when a customer managed key encrypts it, the key
   * actions DynamoDB needs of the caller: kms:Decrypt and kms:DescribeKey to read, and to write also
   * kms:Encrypt and kms:GenerateDataKey(WithoutPlaintext)
   * (https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html). Every role that
   * reads or writes the history goes through here.
   */
  grantHistory(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    const grant = this.historyTable.grant(grantee, ...actions);
    const key = this.historyTable.encryptionKey;
    if (key) {
      const writes = actions.some((action) => HISTORY_WRITE_ACTIONS.has(action));
      key.grant(grantee, ...HISTORY_KEY_READ_ACTIONS, ...(writes ? HISTORY_KEY_WRITE_ACTIONS : []));
    }
    return grant;
  }

  /**
   * One of the gate's metrics for the guarded stack (published by the state machine): Fitness,
   * Quality, Complexity, Penalty (+ `Trigger`), PillarQuality (+ `Pillar`), Failures (+ `Severity`),
   * HistoryWriteFailures.
   */
  metric(
    metricName: string,
    dimensions: Readonly<Record<string, string>> = {},
    props: cloudwatch.MetricOptions = {},
  ): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.metricNamespace,
      metricName,
      dimensionsMap: { StackName: this.guardedStackName, ...dimensions },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(5),
      ...props,
    });
  }

  // ── One gate for many stacks ──────────────────────────────────────────────────────────────────
  // What lets the hooks, the auditors and the status reporters serve every guarded stack, from
  // names and patterns known at synth time, and lets deployment groups of other stacks (or of SAM
  // templates) use the gate without a cross-stack reference back to them.

  /** True when the gate guards a stack of this name (a name, or a match of a `*` pattern). */
  guardsStack(stackName: string): boolean {
    return isGuardedStack(stackName, this.guardedStacks);
  }

  private assertGuardsStackOf(deploymentGroup: GuardableDeploymentGroup): void {
    const stackName = Stack.of(deploymentGroup).stackName;
    if (Token.isUnresolved(stackName) || this.guardsStack(stackName)) return;
    throw new Error(
      `FitnessGate.guard(): ${deploymentGroup.node.path} is in stack ${stackName}, which the gate ${this.gateName} does not guard (guardedStacks: ${this.guardedStacks.join(', ')}); add the stack, or a pattern that matches it, to guardedStacks`,
    );
  }

  /**
   * A group in another stack calls the hooks by their names and reads the gate's exports, so its
   * stack depends on the gate's and never the other way round; the gate's policies already cover it.
   */
  private guardInAnotherStack(deploymentGroup: GuardableDeploymentGroup): void {
    const groupStack = Stack.of(deploymentGroup);
    const gateStack = Stack.of(this);
    for (const key of ['account', 'region'] as const) {
      const [group, gate] = [groupStack[key], gateStack[key]];
      if (!Token.isUnresolved(group) && !Token.isUnresolved(gate) && group !== gate) {
        throw new Error(
          `FitnessGate.guard(): ${deploymentGroup.node.path} is in ${key} ${group}, the gate ${this.gateName} in ${gate}: CodeDeploy calls hooks of its own account and region; deploy a gate there`,
        );
      }
    }
    // The gate reports on `deploymentgroup:<guarded stack>-*/*` (shareWithGuardedStacks): an explicit name must fit.
    const cfnApplication = deploymentGroup.application.node.defaultChild as
      | { applicationName?: unknown }
      | undefined;
    const applicationName = cfnApplication?.applicationName;
    const reportable = guardedNamePatterns(this.guardedStacks).filter((name) => name.endsWith('*'));
    const named = typeof applicationName === 'string' && !Token.isUnresolved(applicationName);
    if (named && !isGuardedStack(applicationName, reportable)) {
      throw new Error(
        `FitnessGate.guard(): the application ${applicationName} of ${deploymentGroup.node.path} is named apart from its stack; a shared gate reports on applications named <stack>-…, as CloudFormation names them: leave applicationName out or start it with ${groupStack.stackName}-`,
      );
    }
    // Deployed after the gate (`cdk deploy --all` orders them), whose exports it imports.
    groupStack.node.addDependency(gateStack);
    guardWithHooksNamed(deploymentGroup, this.gateName);
  }

  /** The hooks may read this group's deployments and revisions, whatever its application is named. */
  private grantReadDeploymentsOf(deploymentGroup: GuardableDeploymentGroup): void {
    for (const hook of this.hookFunctions) {
      hook.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['codedeploy:GetDeployment'],
          resources: [deploymentGroup.deploymentGroupArn],
        }),
      );
      hook.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['codedeploy:GetApplicationRevision'],
          resources: [deploymentGroup.application.applicationArn],
        }),
      );
    }
  }

  /** DescribeStacks on the guarded stacks and the gate's own: the CLI finds the gate from their outputs. */
  private grantFindGate(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['cloudformation:DescribeStacks'],
      resourceArns: [...guardedStackArns(this, this.guardedStacks), Stack.of(this).stackId],
    });
  }

  /**
   * The grants and outputs that serve every guarded stack. The hooks always read the deployment's
   * function tags and its stack (how they find the stack to audit). A gate that guards other stacks
   * than its own (a shared gate) also lets the hooks read any guarded deployment (GetDeployment,
   * GetApplicationRevision), the hooks, the state machine and the safety nets report on any guarded
   * deployment group, and the Aggregate read their outcomes; a per-stack gate grants those on the
   * exact groups guard() is given, as before. The gate's stack outputs (and exports) name the state
   * machine and the history table for the CLI and for other stacks.
   *
   * CodeDeploy authorizes GetDeployment and PutLifecycleEventHookExecutionStatus on the deployment
   * group, GetApplicationRevision on the application, and matches those ARNs exactly, `:` and `/`
   * included; CloudFormation names what it creates `<stack>-<LogicalId>-<suffix>`, hence
   * `deploymentgroup:<stack>-*` + `/*` and `application:<stack>-*`.
   * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html
   */
  private shareWithGuardedStacks(): void {
    const stack = Stack.of(this);
    const stackArns = guardedStackArns(this, this.guardedStacks);
    const functions = stack.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const hookReasons = new Map<string, string>([
      ...stackArns.map((arn): [string, string] => [
        arn,
        'CloudFormation stack ARNs end in a stack id unknown at synth time; the pattern names the guarded stacks and their nested stacks only',
      ]),
      [
        functions,
        'the deployment target is known only at deployment time; ListTags reads only its tags, to find its stack',
      ],
    ]);
    for (const hook of this.hookFunctions) {
      // Which stack made the deployment's function: its aws:cloudformation:stack-name tag, and its root.
      hook.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ReadFunctionStack',
          actions: ['lambda:ListTags'],
          resources: [functions],
        }),
      );
      hook.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'FindRootStack',
          actions: ['cloudformation:DescribeStacks'],
          resources: stackArns,
        }),
      );
    }

    const perStack = this.guardedStacks.length === 1 && this.guardedStacks[0] === stack.stackName;
    if (!perStack) {
      const codeDeployArn = (resource: string, name: string) =>
        stack.formatArn({
          service: 'codedeploy',
          resource,
          resourceName: name,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        });
      const names = guardedNamePatterns(this.guardedStacks).filter((name) => name.endsWith('*'));
      const groups = names.map((name) => codeDeployArn('deploymentgroup', `${name}/*`));
      const applications = names.map((name) => codeDeployArn('application', name));
      const groupReasons = new Map(
        groups.map((arn): [string, string] => [
          arn,
          'deployment groups CloudFormation creates are named <stack>-<LogicalId>-<suffix>: the pattern covers the guarded stacks only',
        ]),
      );
      for (const [arn, reason] of groupReasons) hookReasons.set(arn, reason);
      for (const arn of applications) {
        hookReasons.set(
          arn,
          'applications CloudFormation creates are named <stack>-<LogicalId>-<suffix>: the pattern covers the guarded stacks only',
        );
      }
      for (const reporter of [...this.statusReporters, ...this.hookFunctions]) {
        reporter.grantPrincipal.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'ReportOnGuardedDeploymentGroups',
            actions: ['codedeploy:PutLifecycleEventHookExecutionStatus'],
            resources: groups,
          }),
        );
      }
      for (const hook of this.hookFunctions) {
        hook.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'ReadGuardedDeployments',
            actions: ['codedeploy:GetDeployment'],
            resources: groups,
          }),
        );
        hook.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'ReadGuardedRevisions',
            actions: ['codedeploy:GetApplicationRevision'],
            resources: applications,
          }),
        );
      }
      // The Aggregate asks CodeDeploy for the outcome of a baseline candidate of any guarded stack.
      this.aggregateFunction.role?.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ReadGuardedOutcomes',
          actions: ['codedeploy:GetDeployment'],
          resources: groups,
        }),
      );
      for (const grantee of [...this.statusReporters, this.aggregateFunction]) {
        // Every one's principal is its own role; the grants above land in its default policy.
        const policy = (grantee.grantPrincipal as Partial<IConstruct>).node?.tryFindChild('DefaultPolicy');
        if (policy) suppressWildcards(policy, groupReasons);
      }
    }
    for (const hook of this.hookFunctions) {
      const policy = hook.role.node.tryFindChild('DefaultPolicy');
      if (policy) suppressWildcards(policy, hookReasons);
    }

    new CfnOutput(this, 'StateMachineArnOutput', {
      description: `fitgate ${this.gateName}: the fitness state machine (fitgate audit)`,
      value: this.stateMachine.stateMachineArn,
      exportName: gateExportName(this.gateName, 'StateMachineArn'),
    }).overrideLogicalId(STATE_MACHINE_OUTPUT);
    new CfnOutput(this, 'HistoryTableOutput', {
      description: `fitgate ${this.gateName}: the history table (fitgate history)`,
      value: this.historyTable.tableName,
      exportName: gateExportName(this.gateName, 'HistoryTable'),
    }).overrideLogicalId(HISTORY_TABLE_OUTPUT);
  }

  /** The metric functions' CI documents: s3:GetObject on each bucket they read (user-defined.ts). */
  private grantMetricDocuments(role: iam.IRole): void {
    const buckets = [
      ...new Set(
        (this.config.checks.metrics ?? []).flatMap((fn) => (fn.document ? [fn.document.bucket] : [])),
      ),
    ].sort();
    if (buckets.length === 0) return;
    const resources = buckets.map((bucket) => `arn:${Stack.of(this).partition}:s3:::${bucket}/*`);
    const policy = new iam.Policy(this, 'MetricDocumentsPolicy', {
      statements: [new iam.PolicyStatement({ sid: 'ReadCiDocuments', actions: ['s3:GetObject'], resources })],
      roles: [role],
    });
    suppressWildcards(
      policy,
      new Map(
        resources.map((arn) => [
          arn,
          "The metric functions' documents are named per release (placeholders in the key); the bucket is the user's",
        ]),
      ),
    );
  }

  /**
   * The custom-checks function invokes each user-defined check function (unqualified ARN); each
   * function's own role gets the read-only actions it declares, narrowed as the built-ins' are.
   */
  private grantCustomChecks(role: iam.IRole, customChecks: readonly CustomCheck[]): void {
    if (customChecks.length === 0) return;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeCustomChecks',
        actions: ['lambda:InvokeFunction'],
        resources: customChecks.map((check) => check.function.functionArn),
      }),
    );
    for (const check of customChecks) {
      if (check.iamActions.length === 0) continue;
      const checkRole = check.function.role;
      if (!checkRole) {
        Annotations.of(this).addWarningV2(
          'fitgate:customCheckRole',
          `custom check ${check.id}: its function has no role the gate can grant ${check.iamActions.join(', ')} to; grant them yourself`,
        );
        continue;
      }
      const { statements, wildcardReasons } = statementsForActions(
        this,
        check.iamActions,
        this.guardedStacks,
      );
      const policy = new iam.Policy(this, `CustomCheckGrants${pascalCase(check.id)}`, {
        statements,
        roles: [checkRole],
      });
      suppressWildcards(policy, wildcardReasons);
    }
  }

  private createDashboard(
    props: FitnessGateProps,
    deadLettersAlarm: cloudwatch.IAlarm,
  ): cloudwatch.Dashboard {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      ...(props.dashboardName ? { dashboardName: props.dashboardName } : {}),
      defaultInterval: Duration.days(7),
    });
    const { minFitness } = this.config.policy;
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# fitgate — ${this.guardedStackName}\nFitness = quality − λ·complexity (λ = ${this.config.policy.complexityWeight}). A deployment fails when fitness drops below the last accepted baseline by more than ${this.config.policy.maxRegression}${minFitness !== null ? `, falls under ${minFitness}` : ''}, or a critical check fails.`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Fitness over releases',
        left: [this.metric('Fitness', {}, { label: 'fitness' })],
        leftYAxis: { min: 0, max: 100 },
        leftAnnotations: minFitness !== null ? [{ value: minFitness, label: 'minFitness' }] : [],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Quality vs complexity',
        left: [this.metric('Quality', {}, { label: 'quality' })],
        right: [this.metric('Complexity', {}, { label: 'complexity' })],
        leftYAxis: { min: 0, max: 100, label: 'quality' },
        rightYAxis: { min: 0, label: 'complexity' },
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Failures by severity',
        left: FAILURE_SEVERITIES.map((severity) =>
          this.metric('Failures', { Severity: severity }, { label: severity }),
        ),
        view: cloudwatch.GraphWidgetView.BAR,
        stacked: true,
        width: 8,
      }),
    );
    if ((props.businessMetrics ?? []).length > 0) {
      // The talk's product dashboard: fitness beside latency, concurrent users, the top business metric.
      dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Fitness next to the business metrics',
          left: [...(props.businessMetrics ?? [])],
          right: [this.metric('Fitness', {}, { label: 'fitness' })],
          rightYAxis: { min: 0, max: 100, label: 'fitness' },
          width: 24,
        }),
      );
    }
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Quality by pillar',
        left: PILLARS.map((pillar) => this.metric('PillarQuality', { Pillar: pillar }, { label: pillar })),
        leftYAxis: { min: 0, max: 100 },
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Gate executions',
        left: [
          this.stateMachine.metricSucceeded({ statistic: cloudwatch.Stats.SUM }),
          this.stateMachine.metricFailed({ statistic: cloudwatch.Stats.SUM }),
          this.stateMachine.metricTimedOut({ statistic: cloudwatch.Stats.SUM }),
          this.stateMachine.metricAborted({ statistic: cloudwatch.Stats.SUM }),
        ],
        // A run the history missed is neither a baseline nor in `fitgate history` (RecordHistory failed).
        right: [
          this.metric(
            'HistoryWriteFailures',
            {},
            { statistic: cloudwatch.Stats.SUM, label: 'history write failures' },
          ),
        ],
        width: 8,
      }),
      new cloudwatch.AlarmWidget({ title: 'Safety net dead letters', alarm: deadLettersAlarm, width: 8 }),
    );
    for (const fn of props.serviceFunctions ?? []) {
      dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: `${fn.node.id}: traffic and errors`,
          left: [fn.metricInvocations({ statistic: cloudwatch.Stats.SUM })],
          right: [
            fn.metricErrors({ statistic: cloudwatch.Stats.SUM }),
            fn.metricThrottles({ statistic: cloudwatch.Stats.SUM }),
          ],
          width: 12,
        }),
        new cloudwatch.GraphWidget({
          title: `${fn.node.id}: latency`,
          left: [
            fn.metricDuration({ statistic: cloudwatch.Stats.p(50) }),
            fn.metricDuration({ statistic: cloudwatch.Stats.p(90) }),
          ],
          width: 12,
        }),
      );
    }
    return dashboard;
  }

  /** cdk-nag suppressions for the wildcards that AWS services themselves impose, each with its reason. */
  private suppressPlatformWildcards(
    functions: readonly FitgateFunction[],
    stackArns: readonly string[],
    historyUsers: ReadonlySet<FitgateFunction>,
  ): void {
    const historyIndexes = `${this.historyTable.tableArn}/index/*`;
    const whyIndexes =
      "Table.grant covers the history table's indexes too; its one index is byDeployment, the outcome tracker's";
    for (const fn of functions) {
      const reasons = new Map([
        ['*', 'X-Ray PutTraceSegments and PutTelemetryRecords support only Resource "*"'],
      ]);
      if (historyUsers.has(fn)) reasons.set(historyIndexes, whyIndexes);
      if (fn.node.id === 'ListResources') {
        for (const arn of stackArns) {
          reasons.set(
            arn,
            'CloudFormation stack ARNs end in a stack id unknown at synth time; the pattern names the guarded stack and its nested stacks only',
          );
        }
        for (const arn of codeDeployReadArns(Stack.of(this))) {
          reasons.set(
            arn,
            'The deployment an execution claims to gate is known only at run time; reads only, in this account and region',
          );
        }
      }
      const defaultPolicy = fn.role.node.tryFindChild('DefaultPolicy');
      if (defaultPolicy) suppressWildcards(defaultPolicy, reasons);
      Validations.of(fn.function).acknowledge({
        id: 'AwsSolutions-L1',
        reason: 'fitgate pins nodejs22.x: the runtime its tests and the local Step Functions runs use',
      });
    }
    const stateMachinePolicy = this.stateMachine.role.node.tryFindChild('DefaultPolicy');
    if (stateMachinePolicy) {
      suppressWildcards(
        stateMachinePolicy,
        new Map([
          [
            '*',
            'Resource "*" is required by CloudWatch Logs vended-log delivery (logs:CreateLogDelivery and friends), by X-Ray (PutTraceSegments, GetSampling*) and by cloudwatch:PutMetricData, which the cloudwatch:namespace condition limits to the gate namespace',
          ],
          [historyIndexes, whyIndexes],
        ]),
      );
    }
    Validations.of(this.safetyNetDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the safety net (EventBridge target and Lambda on-failure destination)',
    });
  }
}

/** CodeDeploy deployment groups and applications of this account and region (read-only verification). */
function codeDeployReadArns(stack: Stack): string[] {
  return ['deploymentgroup', 'application'].map((resource) =>
    stack.formatArn({
      service: 'codedeploy',
      resource,
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  );
}

/**
 * The ASL with the construct's execution timeout and the gate's own resources (ListResources leaves
 * them out; `${GateStackId}` is substituted with the stack's ARN at deployment).
 */
function definitionFor(
  timeout: Duration,
  logicalIds: readonly string[],
  fitnessFunctions: FitnessFunctions,
): string {
  const definition = JSON.parse(readFileSync(ASL_PATH, 'utf8')) as { States: Record<string, unknown> };
  const gated = withFitnessFunctions(
    withGateResources(definition, { stackId: '${GateStackId}', logicalIds }),
    fitnessFunctions,
  );
  return escapePlaceholders(JSON.stringify({ ...gated, TimeoutSeconds: timeout.toSeconds() }));
}

/** cdk-nag's flat rendering of a resource ARN: `${Token}` → `<AWS::Region>`, GetAtt → `<Logical.Attr>`. */
function flatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    const join = record['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, items] = join as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (typeof record.Ref === 'string') return `<${record.Ref}>`;
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.map(flatten).join('.')}>`;
  }
  return JSON.stringify(node);
}

/**
 * One acknowledgment of cdk-nag's AwsSolutions-IAM5 per wildcard resource (finding ids are
 * `AwsSolutions-IAM5[Resource::<arn>]`), each with the reason the resource cannot be narrower.
 */
/** `acme/api-p99` → `AcmeApiP99`: a construct id from a check id. */
function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function suppressWildcards(policy: IConstruct, reasons: ReadonlyMap<string, string>): void {
  const stack = Stack.of(policy);
  for (const [arn, reason] of reasons) {
    const finding = `Resource::${Token.isUnresolved(arn) ? flatten(stack.resolve(arn)) : arn}`;
    Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  }
}

// ── One gate for many stacks: names, validation, and the hooks as other stacks see them ─────────

/** SAM's default CodeDeploy role (AWSCodeDeployRoleForLambda) may invoke `function:CodeDeployHook_*` only. */
export const HOOK_NAME_PREFIX = 'CodeDeployHook_';
/** A Lambda function name has at most 64 characters: the prefix, the gate name and `-PostTraffic`. */
export const MAX_GATE_NAME_LENGTH = 64 - HOOK_NAME_PREFIX.length - '-PostTraffic'.length;

function validGateName(gateName: string): string {
  // Letters, digits and hyphens fit a function name and an export name alike.
  if (!new RegExp(`^[A-Za-z0-9][A-Za-z0-9-]{0,${MAX_GATE_NAME_LENGTH - 1}}$`).test(gateName)) {
    throw new Error(
      `FitnessGate gateName must be 1–${MAX_GATE_NAME_LENGTH} letters, digits and hyphens, starting with a letter or digit (got ${JSON.stringify(gateName)})`,
    );
  }
  return gateName;
}

function validGuardedStacks(guarded: readonly string[]): readonly string[] {
  if (guarded.length === 0) throw new Error('FitnessGate guardedStacks must name at least one stack');
  for (const name of guarded) {
    // CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128 characters.
    if (!Token.isUnresolved(name) && !/^[A-Za-z*][A-Za-z0-9*-]{0,127}$/.test(name)) {
      throw new Error(
        `FitnessGate guardedStacks: ${JSON.stringify(name)} is neither a stack name nor a pattern of one (letters, digits, hyphens and *)`,
      );
    }
  }
  return [...guarded];
}

/** One named stack: the gate's dashboard has a stack to show. */
function isSingleStack(guarded: readonly string[]): boolean {
  return guarded.length === 1 && !guarded[0]?.includes('*');
}

/** Unique per account and region: stack names are, and the path tells two gates of one stack apart. */
function defaultGateName(gate: Construct): string {
  const { stackName } = Stack.of(gate);
  const resolved = Token.isUnresolved(stackName) ? '' : stackName;
  const digest = createHash('sha256').update(`${resolved}/${gate.node.path}`).digest('hex').slice(0, 8);
  const readable = resolved.replace(/[^A-Za-z0-9-]/g, '').slice(0, 20);
  return ['fitgate', readable, digest].filter(Boolean).join('-');
}

/**
 * What CDK's LambdaDeploymentGroup grants a hook of another stack: PutLifecycleEventHookExecutionStatus
 * on the group. The gate's own policies already allow it on every guarded stack's groups, and adding
 * it to the gate's roles from here would make the gate's stack depend on the group's, so the grant is
 * recorded as done.
 */
class GrantedByGate extends iam.PrincipalBase {
  readonly policyFragment = new iam.PrincipalPolicyFragment({});

  override addToPrincipalPolicy(): iam.AddToPrincipalPolicyResult {
    return { statementAdded: true, policyDependable: new DependencyGroup() };
  }

  dedupeString(): string | undefined {
    return undefined;
  }
}

/**
 * A gate hook as a deployment group of another stack sees it: by its stable name, so the alias update
 * names it literally and no cross-stack reference ties the two stacks together.
 */
class GateHookReference extends lambda.FunctionBase {
  readonly functionName: string;
  readonly functionArn: string;
  readonly grantPrincipal: iam.IPrincipal = new GrantedByGate();
  readonly role = undefined;
  readonly permissionsNode = this.node;
  readonly architecture = lambda.Architecture.ARM_64;
  readonly tenancyConfig = undefined;
  readonly resourceArnsForGrantInvoke: string[];
  protected readonly canCreatePermissions = false;

  constructor(scope: Construct, id: string, functionName: string) {
    super(scope, id);
    this.functionName = functionName;
    this.functionArn = Stack.of(this).formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: functionName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.resourceArnsForGrantInvoke = [this.functionArn, `${this.functionArn}:*`];
  }
}

/** Points a group at the hooks of the gate with this name, and outputs the gate's exports in its stack. */
function guardWithHooksNamed(deploymentGroup: GuardableDeploymentGroup, gateName: string): void {
  const stack = Stack.of(deploymentGroup);
  const scopeId = `FitgateGate-${gateName}`;
  let scope = stack.node.tryFindChild(scopeId) as Construct | undefined;
  if (!scope) {
    scope = new Construct(stack, scopeId);
    for (const hookId of Object.keys(HOOK_TRIGGERS) as (keyof typeof HOOK_TRIGGERS)[]) {
      new GateHookReference(scope, hookId, FitnessGate.hookFunctionName(gateName, hookId));
    }
    // `fitgate audit --stack <this stack>` and `fitgate history` find the gate here.
    new CfnOutput(scope, 'StateMachineArn', {
      description: `fitgate ${gateName}: the fitness state machine that gates this stack`,
      value: Fn.importValue(gateExportName(gateName, 'StateMachineArn')),
    }).overrideLogicalId(STATE_MACHINE_OUTPUT);
    new CfnOutput(scope, 'HistoryTable', {
      description: `fitgate ${gateName}: the history table of this stack's gated deployments`,
      value: Fn.importValue(gateExportName(gateName, 'HistoryTable')),
    }).overrideLogicalId(HISTORY_TABLE_OUTPUT);
  }
  const hooks = scope.node.children.filter((child) => child instanceof GateHookReference);
  const [preTrafficHook, postTrafficHook] = hooks as [GateHookReference, GateHookReference];
  deploymentGroup.addPreHook(preTrafficHook);
  deploymentGroup.addPostHook(postTrafficHook);
  // addPreHook/addPostHook grant the group's role invoke on `<hook arn>:*` as well.
  suppressWildcards(
    deploymentGroup,
    new Map(
      hooks.map((hook): [string, string] => [
        `${(hook as GateHookReference).functionArn}:*`,
        `CDK's LambdaDeploymentGroup grants CodeDeploy invoke on every version of ${(hook as GateHookReference).functionName}; CodeDeploy calls the unqualified function`,
      ]),
    ),
  );
}
