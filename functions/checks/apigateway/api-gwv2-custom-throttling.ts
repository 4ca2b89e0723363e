import type { CheckRule } from '../types.ts';
import type { ApiGatewayClients } from './clients.ts';
import { loadHttpStage } from './http-api.ts';

/**
 * PASS when the HTTP or WebSocket API stage sets its own default route throttling (both the burst and
 * the rate limit); without them every route takes the account-level quota, shared by all APIs
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html).
 */
export const apiGwv2CustomThrottling: CheckRule<ApiGatewayClients> = async (context) => {
  const { identity, stage } = await loadHttpStage(context);
  const settings = stage.DefaultRouteSettings ?? {};
  const evidence = {
    ...identity,
    burstLimit: settings.ThrottlingBurstLimit,
    rateLimit: settings.ThrottlingRateLimit,
  };
  if (settings.ThrottlingBurstLimit === undefined || settings.ThrottlingRateLimit === undefined) {
    return {
      status: 'FAIL',
      message: `stage ${identity.stageName} sets no default route throttling (burst and rate), so it takes the account-wide limits`,
      evidence,
    };
  }
  return {
    status: 'PASS',
    message: `default route throttling: burst ${settings.ThrottlingBurstLimit}, rate ${settings.ThrottlingRateLimit}/s`,
    evidence,
  };
};
