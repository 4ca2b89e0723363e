import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  createApiGatewayClient,
  createApiGatewayV2Client,
  createCloudFormationClient,
} from '../../shared/clients.ts';

/**
 * The clients the API Gateway checks use: REST APIs (v1) and HTTP/WebSocket APIs (v2). A stage's
 * physical id is only its name, so the stage checks also read the stack (template and resources) to
 * find the API it belongs to.
 */
export interface ApiGatewayClients {
  readonly apiGateway: APIGatewayClient;
  readonly apiGatewayV2: ApiGatewayV2Client;
  readonly cloudFormation: CloudFormationClient;
}

export function createApiGatewayClients(): ApiGatewayClients {
  return {
    apiGateway: createApiGatewayClient(),
    apiGatewayV2: createApiGatewayV2Client(),
    cloudFormation: createCloudFormationClient(),
  };
}
