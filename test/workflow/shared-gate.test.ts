/**
 * One gate for many stacks, under load: twenty stacks deployed into moto, twenty CodeDeploy
 * deployments of them in the stand-in, all gated at the same time through one shared gate. The real
 * hooks find each deployment's stack from the deployment itself (AppSpec → function → its
 * aws:cloudformation:stack-name tag) while CodeDeploy throttles their reads, start one execution
 * each in moto's Step Functions, and the real workflow then runs the twenty executions concurrently.
 *
 * moto runs no Lambda code, so the smoke invocation of each target version goes to a named
 * aws-sdk-client-mock of the Lambda client (only Invoke is mocked).
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../cli/emulation/codedeploy-standin.ts';
import { deployStack } from '../../cli/emulation/deploy/index.ts';
import { loadDefinition, runGateLocally } from '../../cli/emulation/runner.ts';
import { fromItem } from '../../functions/aggregate/history.ts';
import { createStackClients } from '../../functions/checks/stack/clients.ts';
import { makeHandler as makeStackChecks } from '../../functions/checks/stack/handler.ts';
import { HOOK_MAX_ATTEMPTS, hookClients, makeHandler as makeHook } from '../../functions/hook/handler.ts';
import { createDynamoDbClient, createSfnClient } from '../../functions/shared/clients.ts';
import type { ExecutionInput } from '../../statemachine/state.ts';
import { invokeAnswer } from '../support/deployments.ts';
import {
  createHistoryTable,
  HISTORY_TABLE,
  registerDeployment,
  serviceTemplate,
} from '../support/gate-fixtures.ts';

const STACKS = Array.from({ length: 20 }, (_, index) => `team-svc-${String(index + 1).padStart(2, '0')}`);
const dynamoDb = createDynamoDbClient();
const sfn = createSfnClient();
let standIn: CodeDeployStandIn;
let stateMachineArn: string;
/** The function each stack deployed, by stack name. */
const functions = new Map<string, string>();

const smokeLambda = new LambdaClient({});
const smokeLambdaMock = mockClient(smokeLambda);

async function deployService(stackName: string): Promise<void> {
  const deployed = await deployStack({ stackName, template: serviceTemplate() });
  const fn = deployed.resources.find((resource) => resource.logicalId === 'Fn');
  if (!fn) throw new Error(`${stackName} has no function`);
  functions.set(stackName, fn.physicalId);
}

/** A deployment of the stack's function, in an application named as CloudFormation names it. */
function deploymentOf(stackName: string, index: number) {
  return registerDeployment(standIn, functions.get(stackName) ?? '', {
    applicationName: `${stackName}-Application-${index}ABCDEF`,
    // Half of them name their AppSpec by digest only, so the hook must call GetApplicationRevision.
    revisionByReference: index % 2 === 0,
  });
}

function sharedHook(guarded: readonly string[]) {
  return makeHook({
    ...hookClients(),
    stateMachineArn,
    guardedStacks: JSON.stringify(guarded),
    trigger: 'BeforeAllowTraffic',
  });
}

function callsOf(operation: string): number {
  return standIn.calls().filter((call) => call.operation === operation).length;
}

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  process.env.AWS_ENDPOINT_URL_CODEDEPLOY = standIn.endpoint;
  await createHistoryTable(dynamoDb);
  ({ stateMachineArn = '' } = await sfn.send(
    new CreateStateMachineCommand({
      name: 'fitgate-shared',
      definition: JSON.stringify(loadDefinition()),
      roleArn: 'arn:aws:iam::123456789012:role/fitgate-state-machine',
    }),
  ));
  for (const stackName of [...STACKS, 'other-team-svc']) await deployService(stackName);
  smokeLambdaMock.on(InvokeCommand).resolves(invokeAnswer({ statusCode: 200 }));
}, 300_000);

afterAll(async () => {
  await standIn.stop();
  smokeLambdaMock.restore();
});

describe('one shared gate, twenty gated deployments of different stacks at once', () => {
  it('gives each deployment exactly one status and each stack its own history, through throttled reads', {
    timeout: 240_000,
  }, async () => {
    // Prepare: twenty deployments, and CodeDeploy throttling a dozen of the hooks' first reads.
    const deployments = STACKS.map((stackName, index) => ({ stackName, ...deploymentOf(stackName, index) }));
    const throttledGets = 12;
    const throttledRevisions = 6;
    standIn.failNext('GetDeployment', 'ThrottlingException', throttledGets);
    standIn.failNext('GetApplicationRevision', 'ThrottlingException', throttledRevisions);
    const hook = sharedHook(['team-svc-*']);

    // Act 1: CodeDeploy invokes the twenty pre-traffic hooks at the same time.
    const started = await Promise.all(
      deployments.map((deployment) =>
        hook({
          DeploymentId: deployment.deploymentId,
          LifecycleEventHookExecutionId: deployment.hookExecutionId,
        }),
      ),
    );

    // Assess 1: every hook resolved its own stack from its deployment, and retried what was throttled.
    expect(started.map((result) => [result.started, result.stackName, result.note])).toEqual(
      deployments.map((deployment) => [true, deployment.stackName, undefined]),
    );
    expect(callsOf('GetDeployment')).toBe(deployments.length + throttledGets);
    expect(callsOf('GetApplicationRevision')).toBe(deployments.length / 2 + throttledRevisions);
    expect(HOOK_MAX_ATTEMPTS).toBeGreaterThan(1);
    const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(executions).toHaveLength(deployments.length);
    const inputs = await Promise.all(
      executions.map(async (execution) => {
        const described = await sfn.send(
          new DescribeExecutionCommand({ executionArn: execution.executionArn }),
        );
        return { name: String(execution.name), input: JSON.parse(described.input ?? '{}') as ExecutionInput };
      }),
    );
    for (const deployment of deployments) {
      expect(inputs.map(({ input }) => input)).toContainEqual({
        stackName: deployment.stackName,
        trigger: 'BeforeAllowTraffic',
        deploymentId: deployment.deploymentId,
        hookExecutionId: deployment.hookExecutionId,
      });
    }

    // Act 2: the twenty executions run at once, as Step Functions would run them.
    const runs = await Promise.all(
      inputs.map(({ name, input }) =>
        runGateLocally(input, {
          executionName: name,
          historyTableName: HISTORY_TABLE,
          fastRetries: true,
          familyHandlers: { stack: makeStackChecks({ ...createStackClients(), lambda: smokeLambda }) },
        }),
      ),
    );

    // Assess 2: one status per deployment, one history item per stack, each with its own deployment.
    expect(runs.map((run) => run.status)).toEqual(runs.map(() => 'SUCCEEDED'));
    const statuses = standIn.statuses();
    for (const deployment of deployments) {
      expect(statuses.filter((status) => status.deploymentId === deployment.deploymentId)).toEqual([
        expect.objectContaining({
          lifecycleEventHookExecutionId: deployment.hookExecutionId,
          status: 'Succeeded',
        }),
      ]);
    }
    const { Items = [] } = await dynamoDb.send(new ScanCommand({ TableName: HISTORY_TABLE }));
    const history = Items.map(fromItem);
    for (const deployment of deployments) {
      expect(history.filter((record) => record.stackName === deployment.stackName)).toEqual([
        expect.objectContaining({ deploymentId: deployment.deploymentId, trigger: 'BeforeAllowTraffic' }),
      ]);
    }
    expect(history).toHaveLength(deployments.length);
  });

  it('refuses a deployment of a stack it does not guard, reporting Failed once with the reason', async () => {
    // Prepare
    const deployment = deploymentOf('other-team-svc', 99);
    // Act
    const result = await sharedHook(['team-svc-*'])({
      DeploymentId: deployment.deploymentId,
      LifecycleEventHookExecutionId: deployment.hookExecutionId,
    });
    // Assess
    expect(result.started).toBe(false);
    expect(result.note).toMatch(
      /^InvalidInputError: stack other-team-svc \(of .+\) is not guarded by this gate, which guards team-svc-\*/,
    );
    expect(standIn.statuses().filter((status) => status.deploymentId === deployment.deploymentId)).toEqual([
      expect.objectContaining({ status: 'Failed' }),
    ]);
  });

  it('reports Failed when CodeDeploy keeps throttling past the retries, rather than leaving the deployment waiting', async () => {
    // Prepare
    const deployment = deploymentOf(STACKS[0] ?? '', 100);
    standIn.failNext('GetDeployment', 'ThrottlingException', HOOK_MAX_ATTEMPTS);
    // Act
    const result = await sharedHook(['team-svc-*'])({
      DeploymentId: deployment.deploymentId,
      LifecycleEventHookExecutionId: deployment.hookExecutionId,
    });
    // Assess
    expect(result).toMatchObject({ started: false, note: expect.stringMatching(/^ThrottlingException/) });
    expect(standIn.statuses().filter((status) => status.deploymentId === deployment.deploymentId)).toEqual([
      expect.objectContaining({ status: 'Failed' }),
    ]);
  }, 60_000);
});
