/**
 * The fitness state machine as code: a pure builder of the Amazon States Language definition, from
 * the check families (FAMILIES) and the registry. `npm run build:asl` writes its output to
 * statemachine/fitness.asl.json, the one definition the FitnessGate construct deploys and the local
 * runner runs; a unit test fails when the file is stale. docs/architecture.md draws the flow.
 *
 *   ListResources ─► WhereAreTheItems ─┬─► CheckEachWorkItem (inline Map over the plan's items)
 *                                      └─► CheckEachWorkItemFromS3 (Distributed Map: items and results in S3)
 *     each item: RunChecks (lambda:invoke of the item's function) ─► its digest, or CheckFailed
 *   ─► Aggregate ─► PublishMetrics ─► RecordHistory ─► CameFromCodeDeploy ─► ReportToCodeDeploy
 *   any failure ─► DescribeFailure (of ListResources) or DescribeAuditFailure (later)
 *     ─► FailureCameFromCodeDeploy ─► ReportFailedToCodeDeploy ─► GateFailed
 *                                  └─► AuditFailed (a run that gates no hook: nothing reported)
 *
 * JSONPath only: aws-local-stepfunctions runs this definition locally and does not run JSONata.
 */
import { registry } from '../functions/checks/registry.ts';
import { FAMILIES, FAMILY_NAMES, type Family } from '../functions/checks/types.ts';
import { awsSdkErrorName, dynamoDbErrorName } from './error-names.ts';
import { AUDIT_FAILED_ERROR, type CheckFunctionRef } from './state.ts';

export type AslState = Readonly<Record<string, unknown>>;

export interface AslDefinition {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly TimeoutSeconds?: number;
  readonly States: Readonly<Record<string, AslState>>;
}

/** The gate's Lambda functions' timeout; a Lambda task waits a little longer, so Lambda's own timeout speaks first. */
export const LAMBDA_TIMEOUT_SECONDS = 100;
const TASK_TIMEOUT_SECONDS = LAMBDA_TIMEOUT_SECONDS + 20;

/** The execution's own timeout; the construct sets its `executionTimeout` (CodeDeploy waits one hour). */
export const DEFAULT_EXECUTION_TIMEOUT_SECONDS = 900;

/** The one retry policy: exponential backoff with full jitter, capped. */
export const RETRY_POLICY = {
  IntervalSeconds: 1,
  MaxAttempts: 5,
  BackoffRate: 2,
  MaxDelaySeconds: 30,
  JitterStrategy: 'FULL',
} as const;

/**
 * Transient failures of a Lambda invocation
 * (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html), and
 * ThrottledError: a check whose AWS API kept throttling after the SDK's own retries.
 */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'ThrottledError',
] as const;

/**
 * CodeDeploy's answers to PutLifecycleEventHookExecutionStatus that no retry changes
 * (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_PutLifecycleEventHookExecutionStatus.html#API_PutLifecycleEventHookExecutionStatus_Errors).
 * Everything else (throttling, 5xx, the SDK's generic exception, a timeout) is retried.
 */
export const CODEDEPLOY_TERMINAL_ERRORS = [
  'DeploymentDoesNotExistException',
  'DeploymentIdRequiredException',
  'InvalidDeploymentIdException',
  'InvalidLifecycleEventHookExecutionIdException',
  'InvalidLifecycleEventHookExecutionStatusException',
  'LifecycleEventAlreadyCompletedException',
  'UnsupportedActionForDeploymentTypeException',
].map((name) => awsSdkErrorName('codedeploy', name));

/** PutMetricData's answers for a request that will never be accepted (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html#API_PutMetricData_Errors). */
const CLOUDWATCH_TERMINAL_ERRORS = [
  'InvalidParameterValueException',
  'MissingRequiredParameterException',
  'InvalidParameterCombinationException',
].map((name) => awsSdkErrorName('cloudwatch', name));

/** PutItem answers that no retry changes: a missing table, an invalid or oversized item, no permission. */
const DYNAMODB_TERMINAL_ERRORS = [
  'ResourceNotFoundException',
  'ValidationException',
  'ConditionalCheckFailedException',
  'AccessDeniedException',
].map(dynamoDbErrorName);

const ALREADY_COMPLETED = awsSdkErrorName('codedeploy', 'LifecycleEventAlreadyCompletedException');

/** The names of the states other code refers to (the runner, the CLI's progress, the tests). */
export const STATE_NAMES = {
  listResources: 'ListResources',
  inlineMap: 'CheckEachWorkItem',
  distributedMap: 'CheckEachWorkItemFromS3',
  runChecks: 'RunChecks',
  runChecksAtScale: 'RunChecksAtScale',
  aggregate: 'Aggregate',
  publishMetrics: 'PublishMetrics',
  recordHistory: 'RecordHistory',
  reportToCodeDeploy: 'ReportToCodeDeploy',
  reportFailedToCodeDeploy: 'ReportFailedToCodeDeploy',
} as const;

/** Where the Distributed Map writes its results in the work bucket (`${WorkBucketName}`). */
export const MAP_RESULTS_PREFIX = 'map-results';

/** The definition substitution that the construct fills with a family's check function ARN. */
export function checkFunctionSubstitution(family: Family): string {
  return `${FAMILY_NAMES[family]}ChecksFunctionArn`;
}

/**
 * The families whose functions run the user-defined fitness functions: every gate has them, since
 * their checks come from the configuration (functions/checks/user-defined.ts), not the registry.
 */
export const USER_DEFINED_FAMILIES: readonly Family[] = ['metrics', 'custom'];

/** Families with at least one check in the registry, and the user-defined ones: each has its own check function. */
export function checkFamilies(): Family[] {
  return FAMILIES.filter(
    (family) => USER_DEFINED_FAMILIES.includes(family) || registry.some((check) => check.family === family),
  );
}

/** The built-in check functions, as the definition lists them (ARNs are substitutions). */
export function builtInCheckFunctions(): CheckFunctionRef[] {
  return checkFamilies().map((family) => ({ id: family, arn: `\${${checkFunctionSubstitution(family)}}` }));
}

export type RetryPolicy = Readonly<Record<keyof typeof RETRY_POLICY, unknown>>;

function retriers(policy: RetryPolicy) {
  return {
    on: (errors: readonly string[]) => [{ ErrorEquals: [...errors], ...policy }],
    /** Every failure is retried but the terminal answers (a retrier with MaxAttempts 0 stops them first). */
    allBut: (terminal: readonly string[]) => [
      { ErrorEquals: [...terminal], MaxAttempts: 0 },
      { ErrorEquals: ['States.ALL'], ...policy },
    ],
  };
}
type Retriers = ReturnType<typeof retriers>;

/** ListResources' failures go to DescribeFailure (the claim is the input); later ones to DescribeAuditFailure. */
const catchAll = (next: 'DescribeFailure' | 'DescribeAuditFailure') => [
  { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: next },
];

/** What ListResources fails with for a run that gates no waiting hook (functions/list-resources/deployment.ts). */
const AD_HOC_AUDIT_ERROR = 'AdHocAuditError';

function lambdaTask(
  retry: Retriers,
  comment: string,
  substitution: string,
  parameters: AslState,
  next: string,
  onFailure: Parameters<typeof catchAll>[0],
): AslState {
  return {
    Type: 'Task',
    Comment: comment,
    Resource: `\${${substitution}}`,
    Parameters: parameters,
    TimeoutSeconds: TASK_TIMEOUT_SECONDS,
    Retry: retry.on(LAMBDA_TRANSIENT_ERRORS),
    Catch: catchAll(onFailure),
    Next: next,
  };
}

/** Each Map iteration's input: the work item, its function's ARN, and what every check needs. */
const ITEM_SELECTOR = {
  'workItem.$': '$$.Map.Item.Value',
  'functionArn.$': 'States.ArrayGetItem($.functions, $$.Map.Item.Value.fn)',
  'stack.$': '$.stack',
  'trigger.$': '$.trigger',
  'deployment.$': '$.deployment',
  'checks.$': '$.config.checks',
  'messageBudget.$': '$.messageBudget',
};

/**
 * One work item: one Task invoking the item's function. State names are unique in the whole
 * definition, so the distributed processor's states carry a suffix.
 */
function itemProcessor(retry: Retriers, runChecks: string, checkFailed: string): Record<string, AslState> {
  return {
    [runChecks]: {
      Type: 'Task',
      Comment:
        "Invokes the work item's check function: all checks of one family on one resource. The task's output holds every check's result; the Map keeps the digest.",
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName.$': '$.functionArn', 'Payload.$': '$' },
      TimeoutSeconds: TASK_TIMEOUT_SECONDS,
      ResultSelector: {
        'family.$': '$.Payload.family',
        'resource.$': '$.Payload.resource',
        'digest.$': '$.Payload.digest',
      },
      Retry: retry.on(LAMBDA_TRANSIENT_ERRORS),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: checkFailed }],
      End: true,
    },
    [checkFailed]: {
      Type: 'Pass',
      Comment:
        "The function failed after its retries: its checks become ERROR results and the Map goes on. Only the error's name is kept (bounded); its cause stays in this iteration's history.",
      Parameters: {
        'family.$': '$.workItem.family',
        'resource.$': '$.workItem.resource',
        error: { 'Error.$': '$.error.Error' },
      },
      End: true,
    },
  };
}

function reportToCodeDeploy(
  retry: Retriers,
  status: Readonly<Record<string, string>>,
  from: string,
): AslState {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::aws-sdk:codedeploy:putLifecycleEventHookExecutionStatus',
    Parameters: {
      'DeploymentId.$': `${from}.deploymentId`,
      'LifecycleEventHookExecutionId.$': `${from}.hookExecutionId`,
      ...status,
    },
    TimeoutSeconds: TASK_TIMEOUT_SECONDS,
    ResultPath: null,
    Retry: retry.allBut(CODEDEPLOY_TERMINAL_ERRORS),
  };
}

export interface BuildOptions {
  /** The check functions work items can be routed to. @default one per built-in family */
  readonly checkFunctions?: readonly CheckFunctionRef[];
  /** @default RETRY_POLICY (a conformance test shortens the waits) */
  readonly retryPolicy?: RetryPolicy;
}

export function buildDefinition(options: BuildOptions = {}): AslDefinition {
  const checkFunctions = options.checkFunctions ?? builtInCheckFunctions();
  const retry = retriers(options.retryPolicy ?? RETRY_POLICY);
  const mapCommon = {
    MaxConcurrencyPath: '$.config.maxConcurrency',
    ItemSelector: ITEM_SELECTOR,
    ResultPath: '$.items',
    Catch: catchAll('DescribeAuditFailure'),
    Next: STATE_NAMES.aggregate,
  };
  return {
    Comment:
      'fitgate: audit a CloudFormation stack, score its fitness, publish and record it, and tell CodeDeploy whether the deployment may go on. Generated by statemachine/definition.ts (npm run build:asl).',
    StartAt: STATE_NAMES.listResources,
    TimeoutSeconds: DEFAULT_EXECUTION_TIMEOUT_SECONDS,
    States: {
      [STATE_NAMES.listResources]: lambdaTask(
        retry,
        'Paginate ListStackResources (nested stacks too), trim rows, resolve the configuration, plan the work items and route each to its check function.',
        'ListResourcesFunctionArn',
        {
          'input.$': '$',
          'executionName.$': '$$.Execution.Name',
          'startedAt.$': '$$.Execution.StartTime',
          functions: checkFunctions,
        },
        'WhereAreTheItems',
        'DescribeFailure',
      ),
      WhereAreTheItems: {
        Type: 'Choice',
        Comment:
          'A plan too large for the 256 KiB state was written to S3: the Distributed Map reads it there and writes its results there.',
        Choices: [{ Variable: '$.itemsLocation', IsPresent: true, Next: STATE_NAMES.distributedMap }],
        Default: STATE_NAMES.inlineMap,
      },
      [STATE_NAMES.inlineMap]: {
        Type: 'Map',
        Comment: 'One iteration per work item, visible in the console with its input and output.',
        ItemsPath: '$.items',
        ...mapCommon,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: STATE_NAMES.runChecks,
          States: itemProcessor(retry, STATE_NAMES.runChecks, 'CheckFailed'),
        },
      },
      [STATE_NAMES.distributedMap]: {
        Type: 'Map',
        Comment:
          'One child execution per work item, read from the items file; the results go to S3, so neither the state nor this execution history grows with the stack.',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { 'Bucket.$': '$.itemsLocation.Bucket', 'Key.$': '$.itemsLocation.Key' },
        },
        ...mapCommon,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: STATE_NAMES.runChecksAtScale,
          States: itemProcessor(retry, STATE_NAMES.runChecksAtScale, 'CheckFailedAtScale'),
        },
        // The bucket by name: where paths in ResultWriter point is read differently by interpreters.
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: '${WorkBucketName}', Prefix: MAP_RESULTS_PREFIX },
        },
      },
      [STATE_NAMES.aggregate]: lambdaTask(
        retry,
        'Score quality, complexity and fitness; compare with the last accepted baseline; decide.',
        'AggregateFunctionArn',
        {
          'stack.$': '$.stack',
          'trigger.$': '$.trigger',
          'deployment.$': '$.deployment',
          'execution.$': '$.execution',
          'config.$': '$.config',
          'inventory.$': '$.inventory',
          'outcomes.$': '$.items',
          'itemCount.$': '$.itemCount',
          'notes.$': '$.notes',
        },
        STATE_NAMES.publishMetrics,
        'DescribeAuditFailure',
      ),
      [STATE_NAMES.publishMetrics]: {
        Type: 'Task',
        Comment:
          'Fitness, Quality, Complexity and per-pillar scores; a failure here must not stop the report to CodeDeploy.',
        Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
        Parameters: { Namespace: '${MetricNamespace}', 'MetricData.$': '$.metricData' },
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        ResultPath: null,
        Retry: retry.allBut(CLOUDWATCH_TERMINAL_ERRORS),
        Catch: [
          { ErrorEquals: ['States.ALL'], ResultPath: '$.publishError', Next: STATE_NAMES.recordHistory },
        ],
        Next: STATE_NAMES.recordHistory,
      },
      [STATE_NAMES.recordHistory]: {
        Type: 'Task',
        Comment:
          'One history item per execution: the source of the baseline and of `fitgate history`. A failure is written into the report (historyError) and counted, never silent, and never stops the report to CodeDeploy.',
        Resource: 'arn:aws:states:::dynamodb:putItem',
        Parameters: { TableName: '${HistoryTableName}', 'Item.$': '$.historyItem' },
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        ResultPath: null,
        Retry: retry.allBut(DYNAMODB_TERMINAL_ERRORS),
        Catch: [
          {
            ErrorEquals: ['States.ALL'],
            ResultPath: '$.report.historyError',
            Next: 'CountHistoryWriteFailure',
          },
        ],
        Next: 'CameFromCodeDeploy',
      },
      CountHistoryWriteFailure: {
        Type: 'Task',
        Comment: 'The HistoryWriteFailures metric the dashboard shows: a run missing from the history.',
        Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
        Parameters: {
          Namespace: '${MetricNamespace}',
          MetricData: [
            {
              MetricName: 'HistoryWriteFailures',
              Dimensions: [{ Name: 'StackName', 'Value.$': '$.report.stack' }],
              Value: 1,
              Unit: 'Count',
            },
          ],
        },
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        ResultPath: null,
        Retry: retry.allBut(CLOUDWATCH_TERMINAL_ERRORS),
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.publishError', Next: 'CameFromCodeDeploy' }],
        Next: 'CameFromCodeDeploy',
      },
      CameFromCodeDeploy: {
        Type: 'Choice',
        Comment:
          'Only a hook run ListResources confirmed with CodeDeploy reports ($.deployment is null otherwise); ad-hoc audits report to nobody.',
        Choices: [
          { Variable: '$.deployment.hookExecutionId', IsPresent: true, Next: STATE_NAMES.reportToCodeDeploy },
        ],
        Default: 'Done',
      },
      [STATE_NAMES.reportToCodeDeploy]: {
        ...reportToCodeDeploy(retry, { 'Status.$': '$.report.decision' }, '$.deployment'),
        Comment: 'The verdict; every transient failure is retried, only terminal answers stop it.',
        Catch: [
          { ErrorEquals: [ALREADY_COMPLETED], ResultPath: '$.alreadyReported', Next: 'Done' },
          { ErrorEquals: ['States.ALL'], ResultPath: '$.reportError', Next: 'ReportFailed' },
        ],
        OutputPath: '$.report',
        End: true,
      },
      Done: { Type: 'Pass', OutputPath: '$.report', End: true },
      DescribeFailure: {
        Type: 'Pass',
        Comment:
          'Catch-all of ListResources: the claim is the execution input; a run ListResources found to gate no waiting hook fails with AdHocAuditError and reports nothing.',
        Parameters: { 'failure.$': '$.failure', 'input.$': '$$.Execution.Input' },
        Next: 'FailureCameFromCodeDeploy',
      },
      DescribeAuditFailure: {
        Type: 'Pass',
        Comment:
          'Catch-all after ListResources: the hook to report is the one ListResources confirmed with CodeDeploy ($.deployment, null for an ad-hoc run), never the execution input.',
        Parameters: { 'failure.$': '$.failure', 'input.$': '$.deployment' },
        Next: 'FailureCameFromCodeDeploy',
      },
      FailureCameFromCodeDeploy: {
        Type: 'Choice',
        Comment:
          'Report Failed only for a hook the run speaks for: not for ad-hoc runs, nor for hook claims CodeDeploy did not confirm (AdHocAuditError).',
        Choices: [
          {
            And: [
              { Variable: '$.input.hookExecutionId', IsPresent: true },
              { Not: { Variable: '$.failure.Error', StringEquals: AD_HOC_AUDIT_ERROR } },
            ],
            Next: STATE_NAMES.reportFailedToCodeDeploy,
          },
        ],
        Default: 'AuditFailed',
      },
      [STATE_NAMES.reportFailedToCodeDeploy]: {
        ...reportToCodeDeploy(retry, { Status: 'Failed' }, '$.input'),
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.reportError', Next: 'GateFailed' }],
        Next: 'GateFailed',
      },
      ReportFailed: {
        Type: 'Fail',
        Error: 'ReportToCodeDeployFailed',
        Cause: 'The status could not be sent to CodeDeploy; the EventBridge safety net reports Failed.',
      },
      GateFailed: {
        Type: 'Fail',
        Error: 'FitnessGateFailed',
        Cause:
          'The gate could not evaluate the stack; the deployment was reported Failed. See the failure in the execution history.',
      },
      // Its own error name, so the EventBridge safety net (functions/safety-net) tells it from a hook
      // run whose report may not have reached CodeDeploy, and reports nothing either.
      AuditFailed: {
        Type: 'Fail',
        Error: AUDIT_FAILED_ERROR,
        Cause:
          'The audit could not evaluate the stack. The run gates no CodeDeploy hook (an ad-hoc run, or a hook claim CodeDeploy did not confirm), so nothing was reported. See the failure in the execution history.',
      },
    },
  };
}

/** The definition file's text: what `npm run build:asl` writes and the staleness test compares. */
export function definitionText(definition: AslDefinition = buildDefinition()): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}
