/** The CodeDeploy stand-in, driven through the real @aws-sdk/client-codedeploy over its JSON 1.1 protocol. */
import {
  CodeDeployClient,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  type LifecycleEventStatus,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../cli/emulation/codedeploy-standin.ts';

let standIn: CodeDeployStandIn;
let codeDeploy: CodeDeployClient;
const deployment = {
  deploymentId: 'd-STANDIN001',
  applicationName: 'svc-app',
  deploymentGroupName: 'svc-group',
  appSpec: { functionName: 'svc-fn', alias: 'live', currentVersion: '3', targetVersion: '4' },
  hookExecutionIds: ['hook-pre', 'hook-post'],
};
// A plain string, so the test can also send a status CodeDeploy does not know.
const report = (hookExecutionId: string, status: string) =>
  codeDeploy.send(
    new PutLifecycleEventHookExecutionStatusCommand({
      deploymentId: deployment.deploymentId,
      lifecycleEventHookExecutionId: hookExecutionId,
      status: status as LifecycleEventStatus,
    }),
  );

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  codeDeploy = new CodeDeployClient({ endpoint: standIn.endpoint, maxAttempts: 1 });
});

afterAll(async () => {
  await standIn.stop();
});

beforeEach(() => {
  standIn.reset();
  standIn.addDeployment(deployment);
});

describe('CodeDeploy stand-in', () => {
  const statusNow = async () =>
    (await codeDeploy.send(new GetDeploymentCommand({ deploymentId: deployment.deploymentId })))
      .deploymentInfo;
  const states = () => standIn.stateChangeEvents().map((event) => event.detail.state);

  it('ends a deployment once every hook succeeded, and sends START then SUCCESS', async () => {
    expect((await statusNow())?.status).toBe('InProgress');
    await report('hook-pre', 'Succeeded');
    expect((await statusNow())?.status).toBe('InProgress');

    await report('hook-post', 'Succeeded');

    const info = await statusNow();
    expect(info?.status).toBe('Succeeded');
    expect(info?.completeTime).toBeInstanceOf(Date);
    expect(states()).toEqual(['START', 'SUCCESS']);
    expect(standIn.stateChangeEvents()[1]).toMatchObject({
      source: 'aws.codedeploy',
      'detail-type': 'CodeDeploy Deployment State-change Notification',
      resources: [
        'arn:aws:codedeploy:us-east-1:123456789012:application:svc-app',
        'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:svc-app/svc-group',
      ],
      detail: {
        application: 'svc-app',
        deploymentGroup: 'svc-group',
        deploymentId: 'd-STANDIN001',
        state: 'SUCCESS',
      },
    });
  });

  it('fails a deployment on the first Failed hook (FAILURE), and stops one on demand (STOP), once', async () => {
    await report('hook-pre', 'Failed');
    expect((await statusNow())?.status).toBe('Failed');
    standIn.endDeployment(deployment.deploymentId, 'Stopped');
    expect((await statusNow())?.status).toBe('Failed');
    expect(states()).toEqual(['START', 'FAILURE']);

    standIn.reset();
    standIn.addDeployment(deployment);
    await report('hook-pre', 'Succeeded');
    standIn.endDeployment(deployment.deploymentId, 'Stopped');
    expect((await statusNow())?.status).toBe('Stopped');
    expect(states()).toEqual(['START', 'STOP']);
  });

  it('records a status and refuses a second one for the same hook execution, as CodeDeploy does', async () => {
    const first = await report('hook-pre', 'Succeeded');

    await expect(report('hook-pre', 'Failed')).rejects.toMatchObject({
      name: 'LifecycleEventAlreadyCompletedException',
    });
    expect(first.lifecycleEventHookExecutionId).toBe('hook-pre');
    expect(standIn.statuses().map((s) => [s.lifecycleEventHookExecutionId, s.status])).toEqual([
      ['hook-pre', 'Succeeded'],
    ]);
  });

  it('keeps the two hooks of one deployment apart', async () => {
    await report('hook-pre', 'Succeeded');
    await report('hook-post', 'Failed');

    expect(standIn.statuses().map((s) => s.status)).toEqual(['Succeeded', 'Failed']);
  });

  it('refuses unknown deployments, hook executions and statuses', async () => {
    await expect(
      codeDeploy.send(
        new PutLifecycleEventHookExecutionStatusCommand({
          deploymentId: 'd-NOPE00000',
          lifecycleEventHookExecutionId: 'x',
          status: 'Succeeded',
        }),
      ),
    ).rejects.toMatchObject({ name: 'DeploymentDoesNotExistException' });
    await expect(report('hook-other', 'Succeeded')).rejects.toMatchObject({
      name: 'InvalidLifecycleEventHookExecutionIdException',
    });
    await expect(report('hook-pre', 'Done')).rejects.toMatchObject({
      name: 'InvalidLifecycleEventHookExecutionStatusException',
    });
    expect(standIn.statuses()).toEqual([]);
  });

  it('describes the deployment with its Lambda AppSpec (GetDeployment, GetApplicationRevision)', async () => {
    const { deploymentInfo } = await codeDeploy.send(
      new GetDeploymentCommand({ deploymentId: deployment.deploymentId }),
    );
    const { revision } = await codeDeploy.send(
      new GetApplicationRevisionCommand({ applicationName: 'svc-app', revision: deploymentInfo?.revision }),
    );

    expect(deploymentInfo).toMatchObject({
      applicationName: 'svc-app',
      deploymentGroupName: 'svc-group',
      computePlatform: 'Lambda',
    });
    const appSpec = JSON.parse(revision?.appSpecContent?.content ?? '{}');
    expect(appSpec.Resources[0]['svc-fn'].Properties).toEqual({
      Name: 'svc-fn',
      Alias: 'live',
      CurrentVersion: '3',
      TargetVersion: '4',
    });
  });

  it('can be told to fail the next call (fault injection), and records every call', async () => {
    standIn.failNext('PutLifecycleEventHookExecutionStatus', 'ThrottlingException');

    await expect(report('hook-pre', 'Succeeded')).rejects.toMatchObject({ name: 'ThrottlingException' });
    await report('hook-pre', 'Succeeded');

    expect(standIn.calls().map((c) => c.operation)).toEqual([
      'PutLifecycleEventHookExecutionStatus',
      'PutLifecycleEventHookExecutionStatus',
    ]);
    expect(standIn.statuses()).toHaveLength(1);
  });
});
