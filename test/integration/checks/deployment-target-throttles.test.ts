import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../../cli/emulation/codedeploy-standin.ts';
import { createStackClients, type StackClients } from '../../../functions/checks/stack/clients.ts';
import { rules } from '../../../functions/checks/stack/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import {
  aliasDimensions,
  putLambdaMetric,
  registerDeployment,
  stackResource,
} from '../../support/deployments.ts';

const CHECK = 'deployment-target-throttles';
let standIn: CodeDeployStandIn;
let clients: StackClients;

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  clients = { ...createStackClients(), codeDeploy: new CodeDeployClient({ endpoint: standIn.endpoint }) };
});
afterAll(async () => {
  await standIn.stop();
});

const throttles = (deploymentId: string) =>
  runCheck(CHECK, rules, clients, stackResource(), {
    trigger: 'AfterAllowTraffic',
    deployment: { deploymentId },
  });

describe(`${CHECK} (moto metrics, CodeDeploy stand-in)`, () => {
  it('passes an alias without throttled invocations', async () => {
    const { deploymentId } = registerDeployment(standIn, 'calm');
    await putLambdaMetric(clients.cloudWatch, 'Throttles', aliasDimensions('calm'), 0);

    const result = await throttles(deploymentId);

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'calm:live throttled nothing in the last 10 minutes',
      evidence: { throttles: 0 },
    });
  });

  it('passes when no Throttles metric exists at all', async () => {
    const { deploymentId } = registerDeployment(standIn, 'never-throttled');

    const result = await throttles(deploymentId);

    expect(result.status).toBe('PASS');
  });

  it('fails an alias with throttled invocations, summed over the window', async () => {
    const { deploymentId } = registerDeployment(standIn, 'busy');
    await putLambdaMetric(clients.cloudWatch, 'Throttles', aliasDimensions('busy'), 3, 2);
    await putLambdaMetric(clients.cloudWatch, 'Throttles', aliasDimensions('busy'), 4, 5);

    const result = await throttles(deploymentId);

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'busy:live throttled 7 invocation(s) in the last 10 minutes',
      evidence: { throttles: 7, targetVersion: '2' },
    });
  });

  it('ignores throttles of another alias of the function', async () => {
    const { deploymentId } = registerDeployment(standIn, 'two-aliases');
    await putLambdaMetric(clients.cloudWatch, 'Throttles', aliasDimensions('two-aliases', 'canary'), 9);

    const result = await throttles(deploymentId);

    expect(result.status).toBe('PASS');
  });

  it('is not applicable without a deployment', async () => {
    const result = await runCheck(CHECK, rules, clients, stackResource(), { trigger: 'AfterAllowTraffic' });

    expect(result.status).toBe('NOT_APPLICABLE');
  });

  it('is an ERROR when the deployment does not exist', async () => {
    const result = await throttles('d-UNKNOWN');

    expect(result.status).toBe('ERROR');
  });
});
