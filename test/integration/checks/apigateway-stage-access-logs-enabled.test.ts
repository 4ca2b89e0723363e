import { beforeAll, describe, expect, it } from 'vitest';
import { createApiGatewayClients } from '../../../functions/checks/apigateway/clients.ts';
import { rules } from '../../../functions/checks/apigateway/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createRestApiStack, patchStage, stageResource } from '../../support/rest-api-stack.ts';

const CHECK = 'apigateway-stage-access-logs-enabled';
const clients = createApiGatewayClients();
const LOG_GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:api-access';

beforeAll(async () => {
  const { restApiId } = await createRestApiStack(clients, {
    stages: { JsonStage: 'json', ClfStage: 'clf', PlainStage: 'plain' },
  });
  await patchStage(clients.apiGateway, restApiId, 'json', [
    { op: 'replace', path: '/accessLogSettings/destinationArn', value: LOG_GROUP },
    { op: 'replace', path: '/accessLogSettings/format', value: '{"requestId":"$context.requestId"}' },
  ]);
  await patchStage(clients.apiGateway, restApiId, 'clf', [
    { op: 'replace', path: '/accessLogSettings/destinationArn', value: LOG_GROUP },
    {
      op: 'replace',
      path: '/accessLogSettings/format',
      value: '$context.identity.sourceIp $context.requestId',
    },
  ]);
});

describe(`${CHECK} (moto)`, () => {
  it('passes a stage with an access log destination', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('ClfStage', 'clf'));

    expect(result).toMatchObject({ status: 'PASS', evidence: { destinationArn: LOG_GROUP } });
  });

  it('passes a JSON format when requireJsonFormat is set', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('JsonStage', 'json'), {
      params: { requireJsonFormat: true },
    });

    expect(result.status).toBe('PASS');
  });

  it('fails a non-JSON format when requireJsonFormat is set', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('ClfStage', 'clf'), {
      params: { requireJsonFormat: 'true' },
    });

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'access logs are written, but their format is not JSON',
    });
  });

  it('fails a stage without access logging', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('PlainStage', 'plain'));

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'access logging is off (no accessLogSettings.destinationArn)',
    });
  });

  it('is an ERROR when the stage does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('PlainStage', 'gone'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NotFoundException');
  });
});
