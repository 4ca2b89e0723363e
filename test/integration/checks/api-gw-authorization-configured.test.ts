import {
  APIGatewayClient,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiGatewayClients } from '../../../functions/checks/apigateway/clients.ts';
import { rules } from '../../../functions/checks/apigateway/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'api-gw-authorization-configured';
const clients = createApiGatewayClients();
const restApi = (id: string) => ({
  logicalId: 'OrdersApi',
  physicalId: id,
  type: 'AWS::ApiGateway::RestApi',
});

async function createApi(name: string, methods: Record<string, string>): Promise<string> {
  const { id } = await clients.apiGateway.send(new CreateRestApiCommand({ name }));
  const { items } = await clients.apiGateway.send(new GetResourcesCommand({ restApiId: id }));
  const rootId = items?.[0]?.id;
  const orders = await clients.apiGateway.send(
    new CreateResourceCommand({ restApiId: id, parentId: rootId, pathPart: 'orders' }),
  );
  for (const [method, authorizationType] of Object.entries(methods)) {
    await clients.apiGateway.send(
      new PutMethodCommand({ restApiId: id, resourceId: orders.id, httpMethod: method, authorizationType }),
    );
  }
  return String(id);
}

describe(`${CHECK} (moto)`, () => {
  it('passes when every method but OPTIONS has an authorizer', async () => {
    const id = await createApi('authorized', { GET: 'AWS_IAM', POST: 'COGNITO_USER_POOLS', OPTIONS: 'NONE' });

    const result = await runCheck(CHECK, rules, clients, restApi(id));

    expect(result).toMatchObject({
      status: 'PASS',
      message: 'all 2 methods (OPTIONS aside) require authorization',
    });
  });

  it('fails when a method needs no authorization, and names it', async () => {
    const id = await createApi('open', { GET: 'NONE', POST: 'CUSTOM' });

    const result = await runCheck(CHECK, rules, clients, restApi(id));

    expect(result.status).toBe('FAIL');
    expect(result.message).toBe('1 of 2 methods need no authorization: GET /orders');
    expect(result.evidence).toMatchObject({ methodsWithoutAuthorization: ['GET /orders'] });
  });

  it('passes an API that has no methods to authorize', async () => {
    const id = await createApi('empty', {});

    const result = await runCheck(CHECK, rules, clients, restApi(id));

    expect(result).toMatchObject({ status: 'PASS', message: 'the API has no methods other than OPTIONS' });
  });

  it('is an ERROR when the API does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, restApi('nope123456'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('NotFoundException');
  });

  describe('paging and access denied (SDK mock: moto returns every resource in one page and does not enforce IAM)', () => {
    const apiGateway = new APIGatewayClient({});
    const mock = mockClient(apiGateway);
    afterEach(() => mock.reset());

    it('reads every page of resources', async () => {
      mock
        .on(GetResourcesCommand, { position: undefined })
        .resolves({
          items: [{ id: 'r1', path: '/a', resourceMethods: { GET: { authorizationType: 'AWS_IAM' } } }],
          position: 'p2',
        })
        .on(GetResourcesCommand, { position: 'p2' })
        .resolves({
          items: [{ id: 'r2', path: '/b', resourceMethods: { DELETE: { authorizationType: 'NONE' } } }],
        });

      const result = await runCheck(CHECK, rules, { ...clients, apiGateway }, restApi('paged'));

      expect(result).toMatchObject({
        status: 'FAIL',
        evidence: { methodsWithoutAuthorization: ['DELETE /b'] },
      });
      expect(mock.commandCalls(GetResourcesCommand)[0]?.args[0].input).toMatchObject({
        embed: ['methods'],
        limit: 500,
      });
    });

    it('is an ERROR that names the missing permission', async () => {
      mock.onAnyCommand().rejects(accessDenied());

      const result = await runCheck(CHECK, rules, { ...clients, apiGateway }, restApi('denied'));

      expect(result.status).toBe('ERROR');
      expect(result.message).toContain('apigateway:GET');
    });
  });
});
