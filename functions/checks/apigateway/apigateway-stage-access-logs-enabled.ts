import { booleanParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { ApiGatewayClients } from './clients.ts';
import { loadStage } from './stage.ts';

function isJsonObject(format: string): boolean {
  try {
    const parsed: unknown = JSON.parse(format);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/** PASS when the stage has an access log destination (and, with `requireJsonFormat`, a JSON format). */
export const apigatewayStageAccessLogsEnabled: CheckRule<ApiGatewayClients> = async (context) => {
  const { identity, stage } = await loadStage(context);
  const destinationArn = stage.accessLogSettings?.destinationArn;
  if (!destinationArn) {
    return {
      status: 'FAIL',
      message: 'access logging is off (no accessLogSettings.destinationArn)',
      evidence: identity,
    };
  }
  const format = stage.accessLogSettings?.format;
  if (
    booleanParam(context.params.requireJsonFormat, 'requireJsonFormat', false) &&
    !isJsonObject(format ?? '')
  ) {
    return {
      status: 'FAIL',
      message: 'access logs are written, but their format is not JSON',
      evidence: { ...identity, destinationArn },
    };
  }
  return {
    status: 'PASS',
    message: `access logs go to ${destinationArn}`,
    evidence: { ...identity, destinationArn },
  };
};
