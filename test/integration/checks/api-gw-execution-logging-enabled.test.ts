import { APIGatewayClient, UpdateAccountCommand } from '@aws-sdk/client-api-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiGatewayClients } from '../../../functions/checks/apigateway/clients.ts';
import { rules } from '../../../functions/checks/apigateway/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createRestApiStack, patchStage, stageResource } from '../../support/rest-api-stack.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'api-gw-execution-logging-enabled';
const clients = createApiGatewayClients();
let restApiId = '';

async function setAccountRole(roleArn: string) {
  await clients.apiGateway.send(
    new UpdateAccountCommand({
      patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: roleArn }],
    }),
  );
}

beforeAll(async () => {
  ({ restApiId } = await createRestApiStack(clients, {
    stages: {
      InfoStage: 'info',
      ErrorStage: 'error',
      UnsetStage: 'unset',
      SilencedStage: 'silenced',
      MissingStage: 'missing',
    },
  }));
  await patchStage(clients.apiGateway, restApiId, 'info', [
    { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
  ]);
  await patchStage(clients.apiGateway, restApiId, 'error', [
    { op: 'replace', path: '/*/*/logging/loglevel', value: 'ERROR' },
  ]);
  await patchStage(clients.apiGateway, restApiId, 'silenced', [
    { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
    { op: 'replace', path: '/~1orders/GET/logging/loglevel', value: 'OFF' },
  ]);
});

describe(`${CHECK} (moto)`, () => {
  it('passes a stage that logs INFO for all methods, and says when the account cannot deliver logs', async () => {
    await setAccountRole('');

    const result = await runCheck(CHECK, rules, clients, stageResource('InfoStage', 'info'));

    expect(result.status).toBe('PASS');
    expect(result.message).toContain('INFO for every method');
    expect(result.message).toContain('no CloudWatch role');
    expect(result.evidence).toMatchObject({ restApiId, stageName: 'info', accountHasCloudWatchRole: false });
  });

  it('passes a stage that logs ERROR when the account has a CloudWatch role', async () => {
    await setAccountRole('arn:aws:iam::123456789012:role/apigw-logs');

    const result = await runCheck(CHECK, rules, clients, stageResource('ErrorStage', 'error'));

    expect(result).toMatchObject({ status: 'PASS', message: 'execution logging is ERROR for every method' });
    expect(result.evidence).toMatchObject({ accountHasCloudWatchRole: true });
  });

  it('fails a stage without "*/*" method settings', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('UnsetStage', 'unset'));

    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('is OFF, expected one of ERROR, INFO');
  });

  it('fails a level that is not in loggingLevel', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('ErrorStage', 'error'), {
      params: { loggingLevel: 'INFO' },
    });

    expect(result).toMatchObject({ status: 'FAIL', evidence: { loggingLevel: 'ERROR' } });
  });

  it('fails a stage where one method turns logging OFF', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('SilencedStage', 'silenced'));

    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('OFF for ~1orders/GET');
    expect(result.evidence).toMatchObject({ methodsWithLoggingOff: ['~1orders/GET'] });
  });

  it('is an ERROR, not a FAIL, when the declared stage does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('MissingStage', 'not-deployed'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NotFoundException');
  });

  describe('access denied (SDK mock: moto does not enforce IAM)', () => {
    const apiGateway = new APIGatewayClient({});
    const mock = mockClient(apiGateway);
    afterEach(() => mock.reset());

    it('is an ERROR that names the missing permission', async () => {
      mock.onAnyCommand().rejects(accessDenied());

      const result = await runCheck(
        CHECK,
        rules,
        { ...clients, apiGateway },
        stageResource('InfoStage', 'info'),
      );

      expect(result.status).toBe('ERROR');
      expect(result.message).toContain('access denied (AccessDeniedException)');
      expect(result.message).toContain('apigateway:GET');
    });
  });
});
