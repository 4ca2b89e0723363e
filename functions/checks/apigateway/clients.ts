import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { createApiGatewayClient, createCloudFormationClient } from '../../shared/clients.ts';

/**
 * The clients the API Gateway checks use. A stage's physical id is only its name, so the stage checks
 * also read the stack (template and resources) to find the REST API it belongs to.
 */
export interface ApiGatewayClients {
  readonly apiGateway: APIGatewayClient;
  readonly cloudFormation: CloudFormationClient;
}

export function createApiGatewayClients(): ApiGatewayClients {
  return { apiGateway: createApiGatewayClient(), cloudFormation: createCloudFormationClient() };
}
