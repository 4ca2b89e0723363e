/**
 * DeadlineNet: the second, independent safety net. EventBridge delivers Step Functions status events
 * on a best-effort basis (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-states.html),
 * so besides the ExecutionEndedBadly rule each hook creates a one-off EventBridge Scheduler schedule
 * for its execution's deadline (the construct's execution timeout plus a margin); the Deadline
 * function it invokes stops an execution that still runs and reports Failed unless the execution
 * succeeded. Least privilege throughout: the hooks may create schedules only in this net's group and
 * pass only its scheduler role, which may invoke only the Deadline function and write only to the
 * dead-letter queue.
 *
 *   const deadlineNet = new DeadlineNet(this, 'DeadlineNet', { stateMachine, executionTimeout, hooks, deadLetters });
 */
import path from 'node:path';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, type IConstruct } from 'constructs';
import {
  DEADLINE_ENV,
  DEADLINE_MARGIN_SECONDS,
  SCHEDULER_PRECISION_SECONDS,
} from '../../functions/deadline/core.ts';
import { FitgateFunction, PROJECT_ROOT } from './fitgate-function.ts';

export const DEADLINE_ENTRY = path.join(PROJECT_ROOT, 'functions', 'deadline', 'handler.ts');
/** CodeDeploy waits at most one hour for a hook's status. */
const CODEDEPLOY_HOOK_WAIT = Duration.hours(1);
/** The Deadline function's own timeout: three short calls with the reporter budget (≈ 15 s each). */
const DEADLINE_FUNCTION_TIMEOUT = Duration.seconds(60);

export interface DeadlineNetProps {
  /** The fitness state machine whose executions the net guards. */
  readonly stateMachine: sfn.StateMachine;
  /** The state machine's TimeoutSeconds, exactly as the construct configures it. */
  readonly executionTimeout: Duration;
  /** The hook functions that start executions and arm the net. */
  readonly hooks: readonly FitgateFunction[];
  /** Where an invocation that cannot be delivered or keeps failing ends up (and raises the alarm). */
  readonly deadLetters: sqs.IQueue;
  readonly logRetention?: logs.RetentionDays;
}

export class DeadlineNet extends Construct {
  readonly scheduleGroup: scheduler.ScheduleGroup;
  readonly schedulerRole: iam.Role;
  readonly deadline: FitgateFunction;
  /** The deadline function, as a grantee for CodeDeploy's PutLifecycleEventHookExecutionStatus. */
  readonly deadlineFunction: lambda.IFunction;
  /** Policies with a wildcard resource that cannot be narrower, each with the reason (for cdk-nag). */
  readonly wildcards: readonly (readonly [IConstruct, ReadonlyMap<string, string>])[];

  constructor(scope: Construct, id: string, props: DeadlineNetProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Latest possible report: the deadline, the scheduler's precision, and the function's own run.
    const latest =
      props.executionTimeout.toSeconds() +
      DEADLINE_MARGIN_SECONDS +
      SCHEDULER_PRECISION_SECONDS +
      DEADLINE_FUNCTION_TIMEOUT.toSeconds();
    if (latest >= CODEDEPLOY_HOOK_WAIT.toSeconds()) {
      throw new Error(
        `DeadlineNet: an execution timeout of ${props.executionTimeout.toMinutes()} minutes leaves the deadline net no time before CodeDeploy's one-hour hook wait ends`,
      );
    }

    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'Schedules');

    this.deadline = new FitgateFunction(this, 'Deadline', {
      entry: DEADLINE_ENTRY,
      description:
        'fitgate: at an execution deadline, stops it if it still runs and reports Failed unless it succeeded',
      timeout: DEADLINE_FUNCTION_TIMEOUT,
      // EventBridge Scheduler invokes Lambda asynchronously: Lambda retries, then the dead letters.
      // https://docs.aws.amazon.com/lambda/latest/dg/with-eventbridge-scheduler.html
      onFailure: new destinations.SqsDestination(props.deadLetters),
      retryAttempts: 2,
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });
    this.deadlineFunction = this.deadline.function;
    const executions = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${props.stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const observeExecutions = new iam.Policy(this.deadline, 'ObserveExecutions', {
      roles: [this.deadline.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'DescribeAndStopGateExecutions',
          actions: ['states:DescribeExecution', 'states:StopExecution'],
          resources: [executions],
        }),
      ],
    });

    // The role EventBridge Scheduler assumes; the confused-deputy conditions tie it to this account
    // and this net's schedule group.
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: 'fitgate DeadlineNet: EventBridge Scheduler invokes the Deadline function',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnEquals: { 'aws:SourceArn': this.scheduleGroup.scheduleGroupArn },
      }),
    });
    this.schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeDeadline',
        actions: ['lambda:InvokeFunction'],
        resources: [this.deadline.function.functionArn],
      }),
    );
    this.schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DeadLetters',
        actions: ['sqs:SendMessage'],
        resources: [props.deadLetters.queueArn],
      }),
    );

    const schedules = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.scheduleGroup.scheduleGroupName}/*`,
    });
    const armDeadline = new iam.Policy(this, 'ArmDeadline', {
      roles: props.hooks.map((hook) => hook.role),
      statements: [
        new iam.PolicyStatement({
          sid: 'CreateDeadlineSchedules',
          actions: ['scheduler:CreateSchedule'],
          resources: [schedules],
        }),
        new iam.PolicyStatement({
          sid: 'PassSchedulerRole',
          actions: ['iam:PassRole'],
          resources: [this.schedulerRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      ],
    });
    for (const hook of props.hooks) {
      const environment: Record<string, string> = {
        [DEADLINE_ENV.scheduleGroupName]: this.scheduleGroup.scheduleGroupName,
        [DEADLINE_ENV.targetArn]: this.deadline.function.functionArn,
        [DEADLINE_ENV.roleArn]: this.schedulerRole.roleArn,
        [DEADLINE_ENV.executionTimeoutSeconds]: String(props.executionTimeout.toSeconds()),
        [DEADLINE_ENV.deadLetterArn]: props.deadLetters.queueArn,
      };
      for (const [name, value] of Object.entries(environment)) hook.function.addEnvironment(name, value);
    }

    this.wildcards = [
      [
        observeExecutions,
        new Map([
          [
            executions,
            'Execution ARNs end in the execution name, unknown at synth time; the pattern names the gate state machine only',
          ],
        ]),
      ],
      [
        armDeadline,
        new Map([
          [
            schedules,
            'Schedule names derive from each execution name, unknown at synth time; the pattern names this net schedule group only',
          ],
        ]),
      ],
    ];
  }
}
