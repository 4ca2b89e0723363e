import { GetAccountCommand, paginateGetUsagePlans } from '@aws-sdk/client-api-gateway';
import type { CheckRule } from '../types.ts';
import type { ApiGatewayClients } from './clients.ts';
import { loadStage } from './stage.ts';

function isSet(limit: number | undefined): limit is number {
  return limit !== undefined && limit >= 0;
}

/**
 * PASS when the stage's "*\/*" method settings set a rate and a burst limit other than the account
 * defaults, or a usage plan that covers the stage sets a throttle.
 */
export const apiGwCustomThrottling: CheckRule<ApiGatewayClients> = async (context) => {
  const { identity, stage } = await loadStage(context);
  const { clients, memo } = context;
  const all = stage.methodSettings?.['*/*'];
  const rateLimit = all?.throttlingRateLimit;
  const burstLimit = all?.throttlingBurstLimit;
  const account = await memo('apigateway-account', () => clients.apiGateway.send(new GetAccountCommand({})));
  const accountDefaults = {
    rateLimit: account.throttleSettings?.rateLimit,
    burstLimit: account.throttleSettings?.burstLimit,
  };
  const stageThrottled =
    isSet(rateLimit) &&
    isSet(burstLimit) &&
    (rateLimit !== accountDefaults.rateLimit || burstLimit !== accountDefaults.burstLimit);
  if (stageThrottled) {
    return {
      status: 'PASS',
      message: `the stage throttles at ${rateLimit} requests/s with a burst of ${burstLimit}`,
      evidence: { ...identity, rateLimit, burstLimit, accountDefaults },
    };
  }

  for await (const page of paginateGetUsagePlans({ client: clients.apiGateway, pageSize: 500 }, {})) {
    for (const plan of page.items ?? []) {
      const apiStage = plan.apiStages?.find(
        (candidate) => candidate.apiId === identity.restApiId && candidate.stage === identity.stageName,
      );
      if (!apiStage) continue;
      const planThrottle = isSet(plan.throttle?.rateLimit) || isSet(plan.throttle?.burstLimit);
      if (planThrottle || Object.keys(apiStage.throttle ?? {}).length > 0) {
        return {
          status: 'PASS',
          message: `usage plan ${plan.name ?? plan.id} throttles the stage`,
          evidence: { ...identity, usagePlanId: plan.id, throttle: plan.throttle },
        };
      }
    }
  }

  const message =
    isSet(rateLimit) && isSet(burstLimit)
      ? `the stage throttling (${rateLimit}/s, burst ${burstLimit}) equals the account defaults and no usage plan throttles it`
      : 'the stage sets no throttling of its own and no usage plan throttles it';
  return { status: 'FAIL', message, evidence: { ...identity, rateLimit, burstLimit, accountDefaults } };
};
