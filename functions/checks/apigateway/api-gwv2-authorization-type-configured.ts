import { textParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { ApiGatewayClients } from './clients.ts';
import { loadHttpApi } from './http-api.ts';

/**
 * PASS when every route of an HTTP API has an authorizer (`AuthorizationType` ≠ NONE, and equal to
 * `authorizationType` when given: AWS_IAM, CUSTOM or JWT)
 * (https://docs.aws.amazon.com/config/latest/developerguide/api-gwv2-authorization-type-configured.html).
 * A WebSocket API authorizes only at `$connect`, the one route that accepts an authorizer
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-control-access.html),
 * so only that route is judged.
 */
export const apiGwv2AuthorizationTypeConfigured: CheckRule<ApiGatewayClients> = async (context) => {
  const { api, routes } = await loadHttpApi(context);
  const required = textParam(context.params.authorizationType)?.toUpperCase();
  const websocket = api.ProtocolType === 'WEBSOCKET';
  const judged = websocket ? routes.filter((route) => route.RouteKey === '$connect') : routes;
  if (judged.length === 0) {
    return {
      status: 'NOT_APPLICABLE',
      message: websocket ? 'the WebSocket API has no $connect route' : 'the API has no routes',
    };
  }
  const open = judged.filter((route) => {
    const type = route.AuthorizationType ?? 'NONE';
    return type === 'NONE' || (required !== undefined && type !== required);
  });
  const evidence = {
    protocol: api.ProtocolType,
    routes: judged.length,
    unauthorized: open.map((route) => `${route.RouteKey} (${route.AuthorizationType ?? 'NONE'})`),
  };
  if (open.length > 0) {
    return {
      status: 'FAIL',
      message: `${open.length} of ${judged.length} route(s) ${required ? `do not use ${required}` : 'have no authorizer'}: ${evidence.unauthorized.join(', ')}`,
      evidence,
    };
  }
  return { status: 'PASS', message: `every ${websocket ? '$connect ' : ''}route is authorized`, evidence };
};
