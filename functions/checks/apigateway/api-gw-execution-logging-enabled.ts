import { GetAccountCommand } from '@aws-sdk/client-api-gateway';
import { listParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { ApiGatewayClients } from './clients.ts';
import { loadStage } from './stage.ts';

/**
 * PASS when `methodSettings["*\/*"].loggingLevel` is one of `loggingLevel` and no single method turns
 * logging OFF. Logs reach CloudWatch only when the account has a CloudWatch role, which the evidence notes.
 */
export const apiGwExecutionLoggingEnabled: CheckRule<ApiGatewayClients> = async (context) => {
  const { identity, stage } = await loadStage(context);
  const accepted = listParam(context.params.loggingLevel).map((level) => level.toUpperCase());
  const settings = stage.methodSettings ?? {};
  const level = settings['*/*']?.loggingLevel ?? 'OFF';
  const evidence = { ...identity, loggingLevel: level };
  if (!accepted.includes(level.toUpperCase())) {
    return {
      status: 'FAIL',
      message: `execution logging for all methods ("*/*") is ${level}, expected one of ${accepted.join(', ')}`,
      evidence,
    };
  }
  const silenced = Object.entries(settings)
    .filter(([key, setting]) => key !== '*/*' && setting.loggingLevel?.toUpperCase() === 'OFF')
    .map(([key]) => key);
  if (silenced.length > 0) {
    return {
      status: 'FAIL',
      message: `execution logging is ${level} for the stage but OFF for ${silenced.join(', ')}`,
      evidence: { ...evidence, methodsWithLoggingOff: silenced },
    };
  }
  const account = await context.memo('apigateway-account', () =>
    context.clients.apiGateway.send(new GetAccountCommand({})),
  );
  const deliveryNote = account.cloudwatchRoleArn
    ? ''
    : ' (but the account has no CloudWatch role, so API Gateway cannot deliver the logs)';
  return {
    status: 'PASS',
    message: `execution logging is ${level} for every method${deliveryNote}`,
    evidence: { ...evidence, accountHasCloudWatchRole: Boolean(account.cloudwatchRoleArn) },
  };
};
