/**
 * A loopback stand-in for the few CodeDeploy calls the gate makes; moto has no
 * PutLifecycleEventHookExecutionStatus. It speaks CodeDeploy's JSON 1.1 wire protocol, so the real
 * @aws-sdk/client-codedeploy code path runs against it (AWS_ENDPOINT_URL_CODEDEPLOY).
 *
 * Like the real service it refuses a second status for one hook execution with
 * LifecycleEventAlreadyCompletedException, and it records every status it accepts.
 */
import { createHash } from 'node:crypto';
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
}

export interface RecordedStatus {
  readonly deploymentId: string;
  readonly lifecycleEventHookExecutionId: string;
  readonly status: string;
  readonly at: string;
}

export interface CodeDeployStandIn {
  readonly endpoint: string;
  addDeployment(deployment: StandInDeployment): void;
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

  function deploymentOf(body: Record<string, unknown>): StandInDeployment {
    const id = body.deploymentId;
    if (typeof id !== 'string' || id === '')
      throw new ServiceError('DeploymentIdRequiredException', 'deploymentId is required');
    const deployment = deployments.get(id);
    if (!deployment)
      throw new ServiceError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`);
    return deployment;
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
          status: 'InProgress',
          revision: revisionOf(deployment, !deployment.revisionByReference),
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
    addDeployment: (deployment) => void deployments.set(deployment.deploymentId, deployment),
    statuses: () => [...recorded],
    calls: () => [...received],
    failNext: (operation, errorType, times = 1) => void injected.set(operation, { errorType, times }),
    reset() {
      deployments.clear();
      completed.clear();
      recorded.length = 0;
      received.length = 0;
      injected.clear();
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
