import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

const CHECK = 'deployment-target-duration-regression';
let standIn: CodeDeployStandIn;
let clients: StackClients;

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  clients = { ...createStackClients(), codeDeploy: new CodeDeployClient({ endpoint: standIn.endpoint }) };
});
afterAll(async () => {
  await standIn.stop();
});

function regression(
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
  it('is not applicable when neither version has Duration data', async () => {
    const { deploymentId } = registerDeployment(standIn, 'quiet');

    const result = await regression(deploymentId);

    expect(result).toMatchObject({
      status: 'NOT_APPLICABLE',
      evidence: { targetVersion: '2', currentVersion: '1' },
    });
    expect(result.message).toContain('target version has none');
  });

  it('is an ERROR that says the emulator lacks percentiles once there is data (moto answers p90 with HTTP 500)', async () => {
    const { deploymentId } = registerDeployment(standIn, 'measured');
    await putLambdaMetric(clients.cloudWatch, 'Duration', versionDimensions('measured', '2'), 120);

    const result = await regression(deploymentId);

    expect(result.status).toBe('ERROR');
    expect(result.message).toMatch(/^the emulator does not implement a call this check needs/);
  });

  it('is not applicable when the deployment has no previous version', async () => {
    const { deploymentId } = registerDeployment(standIn, 'first', {
      currentVersion: '3',
      targetVersion: '3',
    });

    const result = await regression(deploymentId);

    expect(result).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'the deployment has no previous version to compare with',
    });
  });

  it('is not applicable without a deployment', async () => {
    const result = await runCheck(CHECK, rules, clients, stackResource(), { trigger: 'AfterAllowTraffic' });

    expect(result.status).toBe('NOT_APPLICABLE');
  });
});

describe(`${CHECK} (SDK mock: moto has no percentile statistics)`, () => {
  const cloudWatch = new CloudWatchClient({});
  const mock = mockClient(cloudWatch);
  afterEach(() => mock.reset());

  /** Answers the p90 query of each version (by its ExecutedVersion dimension). */
  function p90s(byVersion: Record<string, number[]>) {
    mock.on(GetMetricDataCommand).callsFake((input) => {
      const dimensions = input.MetricDataQueries?.[0]?.MetricStat?.Metric?.Dimensions ?? [];
      const version = dimensions.find((d: { Name?: string }) => d.Name === 'ExecutedVersion')?.Value ?? '';
      return { MetricDataResults: [{ Id: 'm', Values: byVersion[version] ?? [] }] };
    });
  }

  it('passes a target version within maxSlowdownPercent of the current one', async () => {
    const { deploymentId } = registerDeployment(standIn, 'similar');
    p90s({ '1': [100], '2': [115] });

    const result = await regression(deploymentId, {}, { ...clients, cloudWatch });

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'p90 115 ms for version 2 vs 100 ms for version 1 (15%)',
      evidence: { targetP90Ms: 115, currentP90Ms: 100, slowdownPercent: 15, maxSlowdownPercent: 20 },
    });
    const query =
      mock.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries?.[0]?.MetricStat;
    expect(query).toMatchObject({
      Stat: 'p90',
      Period: 600,
      Metric: { Namespace: 'AWS/Lambda', MetricName: 'Duration' },
    });
  });

  it('fails a target version slower than maxSlowdownPercent, taking the slower period of the window', async () => {
    const { deploymentId } = registerDeployment(standIn, 'slower');
    p90s({ '1': [200, 180], '2': [230, 260] });

    const defaults = await regression(deploymentId, {}, { ...clients, cloudWatch });
    const lenient = await regression(deploymentId, { maxSlowdownPercent: 50 }, { ...clients, cloudWatch });

    expect(defaults).toMatchObject({
      status: 'FAIL',
      message: 'p90 260 ms for version 2 vs 200 ms for version 1: 30% slower (limit 20%)',
    });
    expect(lenient.status).toBe('PASS');
  });

  it('is not applicable when only the target version has data', async () => {
    const { deploymentId } = registerDeployment(standIn, 'new-only');
    p90s({ '2': [90] });

    const result = await regression(deploymentId, {}, { ...clients, cloudWatch });

    expect(result.status).toBe('NOT_APPLICABLE');
    expect(result.message).toContain('current version has none');
  });
});
