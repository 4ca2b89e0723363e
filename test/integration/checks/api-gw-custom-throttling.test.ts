import { CreateUsagePlanCommand } from '@aws-sdk/client-api-gateway';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiGatewayClients } from '../../../functions/checks/apigateway/clients.ts';
import { rules } from '../../../functions/checks/apigateway/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createRestApiStack, patchStage, stageResource } from '../../support/rest-api-stack.ts';

const CHECK = 'api-gw-custom-throttling';
const clients = createApiGatewayClients();

beforeAll(async () => {
  const { restApiId } = await createRestApiStack(clients, {
    stages: {
      ThrottledStage: 'throttled',
      DefaultStage: 'defaults',
      PlainStage: 'plain',
      PlannedStage: 'planned',
      UnthrottledPlanStage: 'unthrottled-plan',
    },
  });
  await patchStage(clients.apiGateway, restApiId, 'throttled', [
    { op: 'replace', path: '/*/*/throttling/rateLimit', value: '50' },
    { op: 'replace', path: '/*/*/throttling/burstLimit', value: '100' },
  ]);
  // Exactly the account defaults moto reports (10000/s, burst 5000): not a setting of the stage's own.
  await patchStage(clients.apiGateway, restApiId, 'defaults', [
    { op: 'replace', path: '/*/*/throttling/rateLimit', value: '10000' },
    { op: 'replace', path: '/*/*/throttling/burstLimit', value: '5000' },
  ]);
  await clients.apiGateway.send(
    new CreateUsagePlanCommand({
      name: 'partner-plan',
      apiStages: [{ apiId: restApiId, stage: 'planned' }],
      throttle: { rateLimit: 10, burstLimit: 20 },
    }),
  );
  await clients.apiGateway.send(
    new CreateUsagePlanCommand({
      name: 'free-plan',
      apiStages: [{ apiId: restApiId, stage: 'unthrottled-plan' }],
    }),
  );
});

describe(`${CHECK} (moto)`, () => {
  it('passes a stage with its own rate and burst limits', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('ThrottledStage', 'throttled'));

    expect(result).toMatchObject({
      status: 'PASS',
      evidence: { rateLimit: 50, burstLimit: 100, accountDefaults: { rateLimit: 10000, burstLimit: 5000 } },
    });
  });

  it('passes a stage that a throttled usage plan covers', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('PlannedStage', 'planned'));

    expect(result).toMatchObject({ status: 'PASS', message: 'usage plan partner-plan throttles the stage' });
  });

  it('fails a stage whose limits equal the account defaults', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('DefaultStage', 'defaults'));

    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('equals the account defaults');
  });

  it('fails a stage without throttling settings', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('PlainStage', 'plain'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'the stage sets no throttling of its own and no usage plan throttles it',
    });
  });

  it('fails a stage whose usage plan sets no throttle', async () => {
    const result = await runCheck(
      CHECK,
      rules,
      clients,
      stageResource('UnthrottledPlanStage', 'unthrottled-plan'),
    );

    expect(result.status).toBe('FAIL');
  });

  it('is an ERROR when the stage does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('PlainStage', 'gone'));

    expect(result.status).toBe('ERROR');
  });
});
