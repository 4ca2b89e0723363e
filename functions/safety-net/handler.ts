/**
 * Safety net: when a fitness execution FAILS, TIMES OUT or is ABORTED, report Failed to CodeDeploy
 * (EventBridge "Step Functions Execution Status Change"). If the state machine already reported,
 * CodeDeploy refuses the second status and that counts as done.
 */
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { createCodeDeployClient, TIMEOUTS } from '../shared/clients.ts';
import { reportHookStatus } from '../shared/codedeploy.ts';
import { logger } from '../shared/logger.ts';
import { hookOwedFailure, type StatusChangeEvent } from './core.ts';

export function makeHandler(deps: { codeDeploy: CodeDeployClient }) {
  return async (event: StatusChangeEvent): Promise<{ reported: string }> => {
    const hook = hookOwedFailure(event);
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

export const handler = makeHandler({ codeDeploy: createCodeDeployClient(TIMEOUTS.reporter) });
