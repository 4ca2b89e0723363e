/**
 * HTTP and WebSocket APIs (API Gateway v2) against moto: access logs and throttling on the stage,
 * authorization on the API's routes. moto's CloudFormation does not create v2 APIs, so the APIs are
 * made through the service API and the stage's API is found in the stack's template.
 */
import {
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { createApiGatewayClients } from '../../../functions/checks/apigateway/clients.ts';
import { rules } from '../../../functions/checks/apigateway/handler.ts';
import { runCheck, TEST_STACK } from '../../support/check-harness.ts';

const clients = createApiGatewayClients();
const v2 = clients.apiGatewayV2;

async function httpApi(name: string, protocol: 'HTTP' | 'WEBSOCKET' = 'HTTP'): Promise<string> {
  const { ApiId } = await v2.send(
    new CreateApiCommand({
      Name: name,
      ProtocolType: protocol,
      ...(protocol === 'WEBSOCKET' ? { RouteSelectionExpression: '$request.body.action' } : {}),
    }),
  );
  return String(ApiId);
}

/** A stack whose template names the stage's API literally (moto does not create v2 resources). */
async function stackWithStage(stackName: string, apiId: string, stageName: string) {
  await new CloudFormationClient({}).send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: JSON.stringify({
        Resources: {
          Queue: { Type: 'AWS::SQS::Queue' },
          HttpStage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: apiId, StageName: stageName } },
        },
      }),
    }),
  );
  return { ...TEST_STACK, stackName };
}

const stageRef = (stageName: string) => ({
  logicalId: 'HttpStage',
  physicalId: stageName,
  type: 'AWS::ApiGatewayV2::Stage',
});
const apiRef = (apiId: string) => ({
  logicalId: 'HttpApi',
  physicalId: apiId,
  type: 'AWS::ApiGatewayV2::Api',
});

describe('api-gwv2-access-logs-enabled (moto)', () => {
  it('passes a stage with an access log destination, fails one without', async () => {
    const apiId = await httpApi('logged');
    await v2.send(
      new CreateStageCommand({
        ApiId: apiId,
        StageName: 'prod',
        AccessLogSettings: {
          DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:access',
          Format: '$context.requestId',
        },
      }),
    );
    await v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev' }));
    const stack = await stackWithStage('v2-logs', apiId, 'prod');

    const logged = await runCheck('api-gwv2-access-logs-enabled', rules, clients, stageRef('prod'), {
      stack,
    });
    const bare = await runCheck('api-gwv2-access-logs-enabled', rules, clients, stageRef('dev'), {
      stack: await stackWithStage('v2-logs-dev', apiId, 'dev'),
    });

    expect(logged).toMatchObject({ status: 'PASS', evidence: { apiId, stageName: 'prod' } });
    expect(bare).toMatchObject({
      status: 'FAIL',
      message: `stage dev of API ${apiId} has no access log destination`,
    });
  });

  it('is an ERROR naming the stack when no API of it has the stage', async () => {
    const result = await runCheck(
      'api-gwv2-access-logs-enabled',
      rules,
      clients,
      { ...stageRef('none'), logicalId: 'Other' },
      {
        stack: await stackWithStage('v2-none', 'unknown', 'none'),
      },
    );

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('no HTTP or WebSocket API of stack v2-none has a stage named none');
  });
});

describe('api-gwv2-custom-throttling (moto)', () => {
  it('passes default route throttling, fails a stage without it', async () => {
    const apiId = await httpApi('throttled');
    await v2.send(
      new CreateStageCommand({
        ApiId: apiId,
        StageName: 'prod',
        DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
      }),
    );
    await v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'open' }));

    const throttled = await runCheck('api-gwv2-custom-throttling', rules, clients, stageRef('prod'), {
      stack: await stackWithStage('v2-throttle', apiId, 'prod'),
    });
    const open = await runCheck('api-gwv2-custom-throttling', rules, clients, stageRef('open'), {
      stack: await stackWithStage('v2-open', apiId, 'open'),
    });

    expect(throttled).toMatchObject({ status: 'PASS', evidence: { burstLimit: 100, rateLimit: 50 } });
    expect(open.status).toBe('FAIL');
  });
});

describe('api-gwv2-authorization-type-configured (moto)', () => {
  const CHECK = 'api-gwv2-authorization-type-configured';

  it('fails an HTTP API with an open route and names it; passes when every route is authorized', async () => {
    const apiId = await httpApi('routes');
    await v2.send(
      new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /items', AuthorizationType: 'AWS_IAM' }),
    );
    await v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'POST /hook' }));

    const result = await runCheck(CHECK, rules, clients, apiRef(apiId));

    expect(result).toMatchObject({ status: 'FAIL', evidence: { unauthorized: ['POST /hook (NONE)'] } });
  });

  it('honours authorizationType (Config parameter)', async () => {
    const apiId = await httpApi('iam-only');
    await v2.send(
      new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /items', AuthorizationType: 'AWS_IAM' }),
    );

    expect((await runCheck(CHECK, rules, clients, apiRef(apiId))).status).toBe('PASS');
    expect(
      (await runCheck(CHECK, rules, clients, apiRef(apiId), { params: { authorizationType: 'JWT' } })).status,
    ).toBe('FAIL');
  });

  it('judges only $connect on a WebSocket API', async () => {
    const apiId = await httpApi('socket', 'WEBSOCKET');
    const { AuthorizerId } = await v2.send(
      new CreateAuthorizerCommand({
        ApiId: apiId,
        Name: 'auth',
        AuthorizerType: 'REQUEST',
        AuthorizerUri:
          'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations',
        IdentitySource: ['route.request.header.Auth'],
      }),
    );
    await v2.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: '$connect',
        AuthorizationType: 'CUSTOM',
        AuthorizerId,
      }),
    );
    await v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'sendMessage' }));

    const result = await runCheck(CHECK, rules, clients, apiRef(apiId));

    expect(result).toMatchObject({ status: 'PASS', evidence: { protocol: 'WEBSOCKET', routes: 1 } });
  });

  it('is not applicable to an API without routes', async () => {
    expect((await runCheck(CHECK, rules, clients, apiRef(await httpApi('empty')))).status).toBe(
      'NOT_APPLICABLE',
    );
  });
});
