import { makeFamilyHandler } from '../run.ts';
import { apiGwAssociatedWithWaf } from './api-gw-associated-with-waf.ts';
import { apiGwAuthorizationConfigured } from './api-gw-authorization-configured.ts';
import { apiGwCustomThrottling } from './api-gw-custom-throttling.ts';
import { apiGwExecutionLoggingEnabled } from './api-gw-execution-logging-enabled.ts';
import { apiGwXrayEnabled } from './api-gw-xray-enabled.ts';
import { apiGwv2AccessLogsEnabled } from './api-gwv2-access-logs-enabled.ts';
import { apiGwv2AuthorizationTypeConfigured } from './api-gwv2-authorization-type-configured.ts';
import { apiGwv2CustomThrottling } from './api-gwv2-custom-throttling.ts';
import { apigatewayStageAccessLogsEnabled } from './apigateway-stage-access-logs-enabled.ts';
import { type ApiGatewayClients, createApiGatewayClients } from './clients.ts';

/** Rules of the apigateway family, by check id (the inventory test pins this against the registry). */
export const rules = {
  'api-gw-execution-logging-enabled': apiGwExecutionLoggingEnabled,
  'apigateway-stage-access-logs-enabled': apigatewayStageAccessLogsEnabled,
  'api-gw-authorization-configured': apiGwAuthorizationConfigured,
  'api-gw-associated-with-waf': apiGwAssociatedWithWaf,
  'api-gw-xray-enabled': apiGwXrayEnabled,
  'api-gw-custom-throttling': apiGwCustomThrottling,
  'api-gwv2-access-logs-enabled': apiGwv2AccessLogsEnabled,
  'api-gwv2-authorization-type-configured': apiGwv2AuthorizationTypeConfigured,
  'api-gwv2-custom-throttling': apiGwv2CustomThrottling,
};

export const makeHandler = (clients: ApiGatewayClients) => makeFamilyHandler('apigateway', rules, clients);

export const handler = makeHandler(createApiGatewayClients());
