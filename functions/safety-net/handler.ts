/**
 * Safety net: when a fitness execution FAILS, TIMES OUT or is ABORTED, report Failed to CodeDeploy
 * (EventBridge "Step Functions Execution Status Change"). If the state machine already reported,
 * CodeDeploy refuses the second status and that counts as done.
 */
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { createCodeDeployClient, createSfnClient, TIMEOUTS } from '../shared/clients.ts';
import { reportHookStatus } from '../shared/codedeploy.ts';
import { errorMessage } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { hookOwedFailure, type StatusChangeEvent } from './core.ts';

export interface SafetyNetDeps {
  readonly codeDeploy: CodeDeployClient;
  /** Asks for the error of a FAILED execution whose event did not carry it. */
  readonly sfn?: SFNClient;
}

/**
 * The event with the execution's error filled in: a FAILED event that carries none gets it from
 * DescribeExecution (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html).
 * When that read fails too, the event stays as it came and the net fails closed: it reports.
 */
async function withError(event: StatusChangeEvent, sfn: SFNClient | undefined): Promise<StatusChangeEvent> {
  const detail = event.detail;
  if (!sfn || detail?.status !== 'FAILED' || detail.error || !detail.executionArn) return event;
  try {
    const { error } = await sfn.send(new DescribeExecutionCommand({ executionArn: detail.executionArn }));
    return { ...event, detail: { ...detail, error: error ?? null } };
  } catch (error) {
    logger.warn('could not read the failed execution’s error; reporting for its claim', {
      executionArn: detail.executionArn,
      error: errorMessage(error),
    });
    return event;
  }
}

export function makeHandler(deps: SafetyNetDeps) {
  return async (event: StatusChangeEvent): Promise<{ reported: string }> => {
    const hook = hookOwedFailure(await withError(event, deps.sfn));
    if (!hook) return { reported: 'nothing owed' };
    const outcome = await reportHookStatus(deps.codeDeploy, hook, 'Failed');
    logger.warn('fitness execution ended badly; reported Failed', {
      executionArn: event.detail?.executionArn,
      status: event.detail?.status,
      outcome,
    });
    return { reported: outcome };
  };
}

export const handler = makeHandler({
  codeDeploy: createCodeDeployClient(TIMEOUTS.reporter),
  sfn: createSfnClient(TIMEOUTS.reporter),
});
