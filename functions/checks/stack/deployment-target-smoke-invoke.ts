import { InvokeCommand } from '@aws-sdk/client-lambda';
import { textParam } from '../evaluators/params.ts';
import { redactSecrets } from '../evaluators/secrets.ts';
import type { CheckRule } from '../types.ts';
import type { StackClients } from './clients.ts';
import { deploymentTarget, NO_DEPLOYMENT } from './deployment-target.ts';

const EXCERPT_LENGTH = 120;

/** A short, secret-free excerpt of what the function answered: evidence never carries the body. */
function excerpt(text: string): string {
  const redacted = redactSecrets(text).replace(/\s+/g, ' ').trim();
  return redacted.length > EXCERPT_LENGTH ? `${redacted.slice(0, EXCERPT_LENGTH)}…` : redacted;
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Invokes `Name:TargetVersion` of the deployment with `payload`. FAIL on a FunctionError, a non-2xx
 * invoke status, or an API Gateway proxy response with statusCode ≥ 400.
 */
export const deploymentTargetSmokeInvoke: CheckRule<StackClients> = async (context) => {
  if (!context.deployment) return NO_DEPLOYMENT;
  const target = await deploymentTarget(context, context.deployment.deploymentId);
  const qualifiedName = `${target.functionName}:${target.targetVersion}`;
  const response = await context.clients.lambda.send(
    new InvokeCommand({
      FunctionName: qualifiedName,
      InvocationType: 'RequestResponse',
      Payload: new TextEncoder().encode(textParam(context.params.payload) ?? '{}'),
    }),
  );
  const body = response.Payload ? new TextDecoder().decode(response.Payload) : '';
  const answer = jsonObject(body);
  const evidence = { function: qualifiedName, statusCode: response.StatusCode };

  if (response.FunctionError) {
    const errorType = excerpt(String(answer?.errorType ?? response.FunctionError));
    return {
      status: 'FAIL',
      message: `${qualifiedName} raised an error on the smoke invocation (${errorType})`,
      evidence: {
        ...evidence,
        functionError: response.FunctionError,
        errorType,
        excerpt: excerpt(String(answer?.errorMessage ?? body)),
      },
    };
  }
  const statusCode = response.StatusCode ?? 0;
  if (statusCode < 200 || statusCode > 299) {
    return {
      status: 'FAIL',
      message: `the smoke invocation of ${qualifiedName} returned ${statusCode}`,
      evidence,
    };
  }
  const httpStatus = Number(answer?.statusCode);
  if (answer && 'statusCode' in answer && Number.isFinite(httpStatus) && httpStatus >= 400) {
    return {
      status: 'FAIL',
      message: `${qualifiedName} answered the smoke invocation with HTTP ${httpStatus}`,
      evidence: { ...evidence, httpStatus, excerpt: excerpt(String(answer.body ?? '')) },
    };
  }
  return {
    status: 'PASS',
    message: `${qualifiedName} answered the smoke invocation`,
    evidence: { ...evidence, ...(Number.isFinite(httpStatus) ? { httpStatus } : {}) },
  };
};
