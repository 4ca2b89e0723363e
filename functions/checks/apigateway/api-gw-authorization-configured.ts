import { paginateGetResources } from '@aws-sdk/client-api-gateway';
import type { CheckRule } from '../types.ts';
import type { ApiGatewayClients } from './clients.ts';

const LISTED_METHODS = 20;

/** PASS when every method of the REST API except OPTIONS has an authorizationType other than NONE. */
export const apiGwAuthorizationConfigured: CheckRule<ApiGatewayClients> = async ({ resource, clients }) => {
  const restApiId = resource.physicalId;
  const open: string[] = [];
  let methods = 0;
  for await (const page of paginateGetResources(
    { client: clients.apiGateway, pageSize: 500 },
    { restApiId, embed: ['methods'] },
  )) {
    for (const apiResource of page.items ?? []) {
      for (const [httpMethod, method] of Object.entries(apiResource.resourceMethods ?? {})) {
        if (httpMethod.toUpperCase() === 'OPTIONS') continue;
        methods += 1;
        if ((method.authorizationType ?? 'NONE').toUpperCase() === 'NONE') {
          open.push(`${httpMethod} ${apiResource.path ?? apiResource.id ?? '?'}`);
        }
      }
    }
  }
  if (open.length > 0) {
    return {
      status: 'FAIL',
      message: `${open.length} of ${methods} methods need no authorization: ${open.slice(0, 5).join(', ')}${open.length > 5 ? ', …' : ''}`,
      evidence: { restApiId, methodsWithoutAuthorization: open.slice(0, LISTED_METHODS) },
    };
  }
  return {
    status: 'PASS',
    message:
      methods === 0
        ? 'the API has no methods other than OPTIONS'
        : `all ${methods} methods (OPTIONS aside) require authorization`,
    evidence: { restApiId, methods },
  };
};
