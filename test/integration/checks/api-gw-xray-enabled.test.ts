import { beforeAll, describe, expect, it } from 'vitest';
import { createApiGatewayClients } from '../../../functions/checks/apigateway/clients.ts';
import { rules } from '../../../functions/checks/apigateway/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createRestApiStack, patchStage, stageResource } from '../../support/rest-api-stack.ts';

const CHECK = 'api-gw-xray-enabled';
const clients = createApiGatewayClients();

beforeAll(async () => {
  const { restApiId } = await createRestApiStack(clients, {
    stages: { TracedStage: 'traced', UntracedStage: 'untraced', OffStage: 'off' },
  });
  await patchStage(clients.apiGateway, restApiId, 'traced', [
    { op: 'replace', path: '/tracingEnabled', value: 'true' },
  ]);
  await patchStage(clients.apiGateway, restApiId, 'off', [
    { op: 'replace', path: '/tracingEnabled', value: 'false' },
  ]);
});

describe(`${CHECK} (moto)`, () => {
  it('passes a stage with tracing enabled', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('TracedStage', 'traced'));

    expect(result).toMatchObject({ status: 'PASS', evidence: { stageName: 'traced' } });
  });

  it('fails a stage that never set tracing', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('UntracedStage', 'untraced'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'X-Ray tracing is off for the stage' });
  });

  it('fails a stage with tracing turned off', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('OffStage', 'off'));

    expect(result.status).toBe('FAIL');
  });

  it('is an ERROR when the stage does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('OffStage', 'gone'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NotFoundException');
  });
});
