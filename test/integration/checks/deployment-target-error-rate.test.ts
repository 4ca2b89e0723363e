import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../../cli/emulation/codedeploy-standin.ts';
import { createStackClients, type StackClients } from '../../../functions/checks/stack/clients.ts';
import { rules } from '../../../functions/checks/stack/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import {
  putLambdaMetric,
  registerDeployment,
  stackResource,
  versionDimensions,
} from '../../support/deployments.ts';
import { accessDenied } from '../../support/service-errors.ts';

// Metrics are put into moto with PutMetricData and read back with the check's own GetMetricData.
const CHECK = 'deployment-target-error-rate';
let standIn: CodeDeployStandIn;
let clients: StackClients;

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  clients = { ...createStackClients(), codeDeploy: new CodeDeployClient({ endpoint: standIn.endpoint }) };
});
afterAll(async () => {
  await standIn.stop();
});

async function deploymentWithTraffic(functionName: string, invocations: number, errors: number) {
  const deployment = registerDeployment(standIn, functionName);
  if (invocations > 0) {
    await putLambdaMetric(
      clients.cloudWatch,
      'Invocations',
      versionDimensions(functionName, '2'),
      invocations,
    );
    await putLambdaMetric(clients.cloudWatch, 'Errors', versionDimensions(functionName, '2'), errors);
  }
  return deployment;
}

function errorRate(
  deploymentId: string,
  params: Record<string, number> = {},
  client: StackClients = clients,
) {
  return runCheck(CHECK, rules, client, stackResource(), {
    trigger: 'AfterAllowTraffic',
    deployment: { deploymentId },
    params,
  });
}

describe(`${CHECK} (moto metrics, CodeDeploy stand-in)`, () => {
  it('passes a target version whose error rate stays within the limit', async () => {
    const { deploymentId } = await deploymentWithTraffic('steady', 400, 2);

    const result = await errorRate(deploymentId);

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'steady:live version 2 failed 2 of 400 invocations (0.5%)',
      evidence: {
        invocations: 400,
        errors: 2,
        errorRatePercent: 0.5,
        maxErrorRatePercent: 1,
        windowMinutes: 10,
      },
    });
  });

  it('fails a target version above maxErrorRatePercent', async () => {
    const { deploymentId } = await deploymentWithTraffic('flaky', 200, 10);

    const defaults = await errorRate(deploymentId);
    const lenient = await errorRate(deploymentId, { maxErrorRatePercent: 10 });

    expect(defaults).toMatchObject({
      status: 'FAIL',
      message: 'flaky:live version 2 failed 10 of 200 invocations (5% > 1%)',
    });
    expect(lenient.status).toBe('PASS');
  });

  it('counts only the target version, not the one it replaces', async () => {
    const { deploymentId } = await deploymentWithTraffic('replacing', 100, 0);
    await putLambdaMetric(clients.cloudWatch, 'Invocations', versionDimensions('replacing', '1'), 100);
    await putLambdaMetric(clients.cloudWatch, 'Errors', versionDimensions('replacing', '1'), 100);

    const result = await errorRate(deploymentId);

    expect(result).toMatchObject({ status: 'PASS', evidence: { invocations: 100, errors: 0 } });
  });

  it('ignores datapoints older than windowMinutes', async () => {
    const deployment = registerDeployment(standIn, 'old-traffic');
    await putLambdaMetric(clients.cloudWatch, 'Invocations', versionDimensions('old-traffic', '2'), 50, 30);
    await putLambdaMetric(clients.cloudWatch, 'Errors', versionDimensions('old-traffic', '2'), 50, 30);

    const recent = await errorRate(deployment.deploymentId, { windowMinutes: 10 });
    const wide = await errorRate(deployment.deploymentId, { windowMinutes: 60 });

    expect(recent.status).toBe('NOT_APPLICABLE');
    expect(wide.status).toBe('FAIL');
  });

  it('is not applicable when the target version had no invocations', async () => {
    const { deploymentId } = await deploymentWithTraffic('idle', 0, 0);

    const result = await errorRate(deploymentId);

    expect(result).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'idle:live version 2 was not invoked in the last 10 minutes, so it has no error rate',
    });
  });

  it('is not applicable without a deployment, and runs only after traffic shift', async () => {
    const withoutDeployment = await runCheck(CHECK, rules, clients, stackResource(), {
      trigger: 'AfterAllowTraffic',
    });
    const beforeTraffic = runCheck(CHECK, rules, clients, stackResource(), {
      trigger: 'BeforeAllowTraffic',
      deployment: { deploymentId: 'd-ANY' },
    });

    expect(withoutDeployment.status).toBe('NOT_APPLICABLE');
    await expect(beforeTraffic).rejects.toThrow('did not run');
  });

  it('is an ERROR when the deployment does not exist', async () => {
    const result = await errorRate('d-UNKNOWN');

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('DeploymentDoesNotExistException');
  });

  describe('access denied (SDK mock: moto does not enforce IAM)', () => {
    it('is an ERROR that names cloudwatch:GetMetricData', async () => {
      const cloudWatch = new CloudWatchClient({});
      const mock = mockClient(cloudWatch);
      mock.on(GetMetricDataCommand).rejects(accessDenied());
      const { deploymentId } = registerDeployment(standIn, 'denied');

      const result = await errorRate(deploymentId, {}, { ...clients, cloudWatch });

      mock.restore();
      expect(result.status).toBe('ERROR');
      expect(result.message).toContain('cloudwatch:GetMetricData');
    });
  });
});
