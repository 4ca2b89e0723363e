import type { CheckRule } from '../types.ts';
import type { ApiGatewayClients } from './clients.ts';
import { loadHttpStage } from './http-api.ts';

/**
 * PASS when the HTTP or WebSocket API stage sends access logs somewhere (`AccessLogSettings.DestinationArn`)
 * (https://docs.aws.amazon.com/config/latest/developerguide/api-gwv2-access-logs-enabled.html).
 */
export const apiGwv2AccessLogsEnabled: CheckRule<ApiGatewayClients> = async (context) => {
  const { identity, stage } = await loadHttpStage(context);
  const destinationArn = stage.AccessLogSettings?.DestinationArn;
  if (!destinationArn) {
    return {
      status: 'FAIL',
      message: `stage ${identity.stageName} of API ${identity.apiId} has no access log destination`,
      evidence: identity,
    };
  }
  return {
    status: 'PASS',
    message: `access logs go to ${destinationArn}`,
    evidence: { ...identity, destinationArn },
  };
};
