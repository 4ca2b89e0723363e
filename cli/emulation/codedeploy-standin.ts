/**
 * A loopback stand-in for the few CodeDeploy calls the gate makes; moto has no
 * PutLifecycleEventHookExecutionStatus. It speaks CodeDeploy's JSON 1.1 wire protocol, so the real
 * @aws-sdk/client-codedeploy code path runs against it (AWS_ENDPOINT_URL_CODEDEPLOY).
 *
 * Like the real service it refuses a second status for one hook execution with
 * LifecycleEventAlreadyCompletedException, and it records every status it accepts. A deployment
 * ends as CodeDeploy ends it: Failed as soon as a hook reports Failed, Succeeded once every hook
 * succeeded (unless a test ends it otherwise: an alarm rollback, a stop). GetDeployment reports the
 * status, and each state change is kept as the EventBridge event CodeDeploy would send
 * (`CodeDeploy Deployment State-change Notification`, START then SUCCESS / FAILURE / STOP; see
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-cloudwatch-events.html).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface LambdaAppSpec {
  readonly functionName: string;
  readonly alias: string;
  readonly currentVersion: string;
  readonly targetVersion: string;
  readonly hooks?: { readonly BeforeAllowTraffic?: string; readonly AfterAllowTraffic?: string };
}

export interface StandInDeployment {
  readonly deploymentId: string;
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly appSpec: LambdaAppSpec;
  /** Hook execution ids CodeDeploy handed to the hooks; any other id is refused. */
  readonly hookExecutionIds: readonly string[];
  /**
   * GetDeployment names the revision by its digest only, so its AppSpec must be read with
   * GetApplicationRevision. @default false: the AppSpec is inline in GetDeployment
   */
  readonly revisionByReference?: boolean;
  /**
   * The lifecycle event each hook execution id serves. Default: the first id BeforeAllowTraffic,
   * the second AfterAllowTraffic, as CodeDeploy runs them in that order.
   */
  readonly hookEvents?: Readonly<Record<string, 'BeforeAllowTraffic' | 'AfterAllowTraffic'>>;
  /** GetDeployment's status. @default 'InProgress' */
  readonly status?:
    | 'Created'
    | 'Queued'
    | 'InProgress'
    | 'Baking'
    | 'Succeeded'
    | 'Failed'
    | 'Stopped'
    | 'Ready';
}

export interface RecordedStatus {
  readonly deploymentId: string;
  readonly lifecycleEventHookExecutionId: string;
  readonly status: string;
  readonly at: string;
}

/** A deployment's status as GetDeployment reports it. */
export type StandInDeploymentStatus = NonNullable<StandInDeployment['status']>;

/** The EventBridge event CodeDeploy sends when a deployment changes state. */
export interface DeploymentStateChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'CodeDeploy Deployment State-change Notification';
  readonly source: 'aws.codedeploy';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: {
    readonly region: string;
    readonly application: string;
    readonly deploymentId: string;
    readonly instanceGroupId: string;
    readonly state: 'START' | 'SUCCESS' | 'FAILURE' | 'STOP';
    readonly deploymentGroup: string;
  };
}

export interface CodeDeployStandIn {
  readonly endpoint: string;
  addDeployment(deployment: StandInDeployment): void;
  /** Ends a deployment as an alarm rollback (Failed) or a stop (Stopped) would. */
  endDeployment(deploymentId: string, status: 'Succeeded' | 'Failed' | 'Stopped'): void;
  /** The deployment state-change events so far, oldest first (what EventBridge would deliver). */
  stateChangeEvents(): DeploymentStateChangeEvent[];
  /** Every status accepted so far, oldest first. */
  statuses(): RecordedStatus[];
  /** Every operation received, including refused ones. */
  calls(): { operation: string; body: Record<string, unknown> }[];
  /** Make the next N calls of an operation fail with the given error (fault injection). */
  failNext(operation: string, errorType: string, times?: number): void;
  reset(): void;
  stop(): Promise<void>;
}

const TARGET_PREFIX = 'CodeDeploy_20141006.';
const ACCOUNT = '123456789012';
const EVENT_STATES = { Succeeded: 'SUCCESS', Failed: 'FAILURE', Stopped: 'STOP' } as const;
const HOOK_STATUSES = new Set(['Pending', 'InProgress', 'Succeeded', 'Failed', 'Skipped', 'Unknown']);

class ServiceError extends Error {
  readonly type: string;
  readonly httpStatus: number;
  constructor(type: string, message: string, httpStatus = 400) {
    super(message);
    this.name = type;
    this.type = type;
    this.httpStatus = httpStatus;
  }
}

/** The AppSpec CodeDeploy keeps for a Lambda deployment (the shape CDK/SAM generate). */
export function appSpecContent(spec: LambdaAppSpec): string {
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        [spec.functionName]: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Name: spec.functionName,
            Alias: spec.alias,
            CurrentVersion: spec.currentVersion,
            TargetVersion: spec.targetVersion,
          },
        },
      },
    ],
    Hooks: Object.entries(spec.hooks ?? {}).map(([event, fn]) => ({ [event]: fn })),
  });
}

function revisionOf(deployment: StandInDeployment, inline = true) {
  const content = appSpecContent(deployment.appSpec);
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { revisionType: 'AppSpecContent', appSpecContent: inline ? { content, sha256 } : { sha256 } };
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startCodeDeployStandIn(): Promise<CodeDeployStandIn> {
  const deployments = new Map<string, StandInDeployment>();
  const completed = new Map<string, RecordedStatus>();
  const recorded: RecordedStatus[] = [];
  const received: { operation: string; body: Record<string, unknown> }[] = [];
  const injected = new Map<string, { errorType: string; times: number }>();
  const statuses = new Map<string, StandInDeploymentStatus>();
  const completeTimes = new Map<string, number>();
  const events: DeploymentStateChangeEvent[] = [];
  const region = () => process.env.AWS_REGION ?? 'us-east-1';

  function emit(deployment: StandInDeployment, state: DeploymentStateChangeEvent['detail']['state']) {
    const app = deployment.applicationName;
    events.push({
      version: '0',
      id: randomUUID(),
      'detail-type': 'CodeDeploy Deployment State-change Notification',
      source: 'aws.codedeploy',
      account: ACCOUNT,
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: region(),
      resources: [
        `arn:aws:codedeploy:${region()}:${ACCOUNT}:application:${app}`,
        `arn:aws:codedeploy:${region()}:${ACCOUNT}:deploymentgroup:${app}/${deployment.deploymentGroupName}`,
      ],
      detail: {
        region: region(),
        application: app,
        deploymentId: deployment.deploymentId,
        instanceGroupId: createHash('sha256').update(deployment.deploymentId).digest('hex').slice(0, 36),
        state,
        deploymentGroup: deployment.deploymentGroupName,
      },
    });
  }

  /** GetDeployment's status now: as registered, then as the deployment ends. */
  const statusOf = (deployment: StandInDeployment) =>
    statuses.get(deployment.deploymentId) ?? deployment.status ?? 'InProgress';

  function end(deployment: StandInDeployment, status: 'Succeeded' | 'Failed' | 'Stopped') {
    if (statusOf(deployment) !== 'InProgress') return;
    statuses.set(deployment.deploymentId, status);
    completeTimes.set(deployment.deploymentId, Date.now() / 1000);
    emit(deployment, EVENT_STATES[status]);
  }

  /** CodeDeploy fails a deployment on a Failed hook, and finishes it once every hook succeeded. */
  function settle(deployment: StandInDeployment) {
    const reported = deployment.hookExecutionIds.map(
      (hookId) => completed.get(`${deployment.deploymentId}/${hookId}`)?.status,
    );
    if (reported.includes('Failed')) end(deployment, 'Failed');
    else if (reported.every((status) => status === 'Succeeded' || status === 'Skipped'))
      end(deployment, 'Succeeded');
  }

  function deploymentOf(body: Record<string, unknown>): StandInDeployment {
    const id = body.deploymentId;
    if (typeof id !== 'string' || id === '')
      throw new ServiceError('DeploymentIdRequiredException', 'deploymentId is required');
    const deployment = deployments.get(id);
    if (!deployment)
      throw new ServiceError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`);
    return deployment;
  }

  const targetIdOf = (deployment: StandInDeployment) =>
    `${deployment.appSpec.functionName}:${deployment.appSpec.alias}`;

  /**
   * The Lambda target's lifecycle events as CodeDeploy reports them: a hook's event is InProgress
   * from the moment the events before it succeeded until its status is reported (only while the
   * deployment itself is InProgress), Pending before, Succeeded or Failed after.
   */
  function lifecycleEventsOf(deployment: StandInDeployment) {
    const eventOf = (id: string, index: number) =>
      deployment.hookEvents?.[id] ?? (index === 0 ? 'BeforeAllowTraffic' : 'AfterAllowTraffic');
    const reported = new Map<string, string>();
    deployment.hookExecutionIds.forEach((id, index) => {
      const status = completed.get(`${deployment.deploymentId}/${id}`)?.status;
      if (status) reported.set(eventOf(id, index), status);
    });
    const declared = new Set(deployment.hookExecutionIds.map(eventOf));
    const inProgress = statusOf(deployment) === 'InProgress';
    let earlierSucceeded = true;
    return ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic'].map((name) => {
      const hooked = declared.has(name as 'BeforeAllowTraffic');
      let status = reported.get(name);
      // An event without a hook (AllowTraffic, a hook the AppSpec does not declare) passes by itself.
      if (!status && !hooked) status = earlierSucceeded ? 'Succeeded' : 'Pending';
      if (!status) status = earlierSucceeded && inProgress ? 'InProgress' : 'Pending';
      earlierSucceeded = earlierSucceeded && status === 'Succeeded';
      return { lifecycleEventName: name, status };
    });
  }

  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    PutLifecycleEventHookExecutionStatus(body) {
      const deployment = deploymentOf(body);
      const hookId = body.lifecycleEventHookExecutionId;
      const status = body.status;
      if (typeof hookId !== 'string' || !deployment.hookExecutionIds.includes(hookId)) {
        throw new ServiceError(
          'InvalidLifecycleEventHookExecutionIdException',
          `invalid hook execution id ${String(hookId)}`,
        );
      }
      if (typeof status !== 'string' || !HOOK_STATUSES.has(status)) {
        throw new ServiceError(
          'InvalidLifecycleEventHookExecutionStatusException',
          `invalid status ${String(status)}`,
        );
      }
      const key = `${deployment.deploymentId}/${hookId}`;
      if (completed.has(key)) {
        throw new ServiceError(
          'LifecycleEventAlreadyCompletedException',
          `The lifecycle event ${hookId} has already completed with status ${completed.get(key)?.status}.`,
        );
      }
      const entry = {
        deploymentId: deployment.deploymentId,
        lifecycleEventHookExecutionId: hookId,
        status,
        at: new Date().toISOString(),
      };
      if (status === 'Succeeded' || status === 'Failed' || status === 'Skipped') completed.set(key, entry);
      recorded.push(entry);
      settle(deployment);
      return { lifecycleEventHookExecutionId: hookId };
    },
    GetDeployment(body) {
      const deployment = deploymentOf(body);
      return {
        deploymentInfo: {
          deploymentId: deployment.deploymentId,
          applicationName: deployment.applicationName,
          deploymentGroupName: deployment.deploymentGroupName,
          computePlatform: 'Lambda',
          status: statusOf(deployment),
          ...(completeTimes.has(deployment.deploymentId)
            ? { completeTime: completeTimes.get(deployment.deploymentId) }
            : {}),
          revision: revisionOf(deployment, !deployment.revisionByReference),
        },
      };
    },
    // A Lambda deployment has one target, `<function>:<alias>`.
    ListDeploymentTargets(body) {
      const deployment = deploymentOf(body);
      return { targetIds: [targetIdOf(deployment)] };
    },
    GetDeploymentTarget(body) {
      const deployment = deploymentOf(body);
      if (body.targetId !== targetIdOf(deployment)) {
        throw new ServiceError('DeploymentTargetDoesNotExistException', `no target ${String(body.targetId)}`);
      }
      return {
        deploymentTarget: {
          deploymentTargetType: 'LambdaTarget',
          lambdaTarget: {
            deploymentId: deployment.deploymentId,
            targetId: targetIdOf(deployment),
            status: statusOf(deployment),
            lifecycleEvents: lifecycleEventsOf(deployment),
          },
        },
      };
    },
    GetApplicationRevision(body) {
      // A revision is stored per application and found by its digest, as CodeDeploy keeps them.
      const wanted = (body.revision as { appSpecContent?: { sha256?: string } } | undefined)?.appSpecContent
        ?.sha256;
      const deployment = [...deployments.values()].find(
        (d) =>
          d.applicationName === body.applicationName &&
          (wanted === undefined || revisionOf(d).appSpecContent.sha256 === wanted),
      );
      if (!deployment) {
        throw new ServiceError(
          'ApplicationDoesNotExistException',
          `No application found for name: ${String(body.applicationName)}`,
        );
      }
      return {
        applicationName: deployment.applicationName,
        revision: revisionOf(deployment),
        revisionInfo: {
          description: `revision of ${deployment.deploymentId}`,
          registerTime: Date.now() / 1000,
        },
      };
    },
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const reply = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(payload));
    };
    try {
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
      const body = await readBody(request);
      received.push({ operation, body });
      const handler = operations[operation];
      if (request.method !== 'POST' || !handler) {
        throw new ServiceError(
          'UnknownOperationException',
          `the stand-in does not implement ${operation || 'this request'}`,
        );
      }
      const fault = injected.get(operation);
      if (fault && fault.times > 0) {
        fault.times -= 1;
        throw new ServiceError(
          fault.errorType,
          `injected ${fault.errorType}`,
          fault.errorType.includes('Throttl') ? 400 : 500,
        );
      }
      reply(200, handler(body));
    } catch (error) {
      const serviceError =
        error instanceof ServiceError ? error : new ServiceError('InternalFailure', String(error), 500);
      reply(serviceError.httpStatus, { __type: serviceError.type, message: serviceError.message });
    }
  }

  const server: Server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    addDeployment(deployment) {
      deployments.set(deployment.deploymentId, deployment);
      statuses.set(deployment.deploymentId, deployment.status ?? 'InProgress');
      emit(deployment, 'START');
    },
    endDeployment(deploymentId, status) {
      const deployment = deployments.get(deploymentId);
      if (!deployment) throw new Error(`no deployment ${deploymentId} in the stand-in`);
      end(deployment, status);
    },
    stateChangeEvents: () => [...events],
    statuses: () => [...recorded],
    calls: () => [...received],
    failNext: (operation, errorType, times = 1) => void injected.set(operation, { errorType, times }),
    reset() {
      deployments.clear();
      completed.clear();
      recorded.length = 0;
      received.length = 0;
      injected.clear();
      statuses.clear();
      completeTimes.clear();
      events.length = 0;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
