/**
 * The deadline net: invoked (asynchronously) by the one-off schedule the hook created for an
 * execution, once the execution's timeout and a margin have passed. It stops the execution if it
 * still runs and reports Failed unless the execution succeeded; CodeDeploy refuses a second status,
 * which counts as done. A failure here is retried by Lambda and then lands in the dead-letter queue.
 */
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DescribeExecutionCommand, type SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { createCodeDeployClient, createSfnClient, TIMEOUTS } from '../shared/clients.ts';
import { reportHookStatus } from '../shared/codedeploy.ts';
import { errorMessage, errorName, isAwsError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { type ObservedStatus, owedAction, parseDeadlineEvent } from './core.ts';

export interface DeadlineDeps {
  readonly sfn: SFNClient;
  readonly codeDeploy: CodeDeployClient;
}

export interface DeadlineResult {
  readonly status: ObservedStatus;
  readonly stopped: boolean;
  readonly reported: 'reported' | 'already-completed' | 'nothing owed';
}

async function observe(sfn: SFNClient, executionArn: string): Promise<ObservedStatus> {
  try {
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return (status as ObservedStatus | undefined) ?? 'UNKNOWN';
  } catch (error) {
    if (isAwsError(error, 'ExecutionDoesNotExist')) return 'MISSING';
    // Not knowing is no reason to leave CodeDeploy waiting: report Failed all the same.
    logger.error('cannot describe the execution at its deadline', { error: errorMessage(error) });
    return 'UNKNOWN';
  }
}

async function stop(sfn: SFNClient, executionArn: string): Promise<boolean> {
  try {
    await sfn.send(
      new StopExecutionCommand({
        executionArn,
        error: 'FitgateDeadlineExceeded',
        cause: 'the fitness execution was still running after its deadline; fitgate reported Failed',
      }),
    );
    return true;
  } catch (error) {
    logger.error('cannot stop the execution past its deadline', {
      error: `${errorName(error)}: ${errorMessage(error)}`,
    });
    return false;
  }
}

export function makeHandler(deps: DeadlineDeps) {
  return async (event: unknown): Promise<DeadlineResult> => {
    const deadline = parseDeadlineEvent(event);
    logger.appendKeys({ deploymentId: deadline.deploymentId, executionArn: deadline.executionArn });
    const status = await observe(deps.sfn, deadline.executionArn);
    const owed = owedAction(status);
    const stopped = owed.stop ? await stop(deps.sfn, deadline.executionArn) : false;
    if (!owed.report) {
      logger.info('the execution succeeded and reported before its deadline', { status });
      return { status, stopped, reported: 'nothing owed' };
    }
    const reported = await reportHookStatus(deps.codeDeploy, deadline, 'Failed');
    const log = reported === 'reported' ? logger.warn.bind(logger) : logger.info.bind(logger);
    log('deadline reached; Failed owed to CodeDeploy', {
      status,
      stopped,
      reported,
      deadline: deadline.deadline,
    });
    return { status, stopped, reported };
  };
}

export const handler = makeHandler({
  sfn: createSfnClient(TIMEOUTS.reporter),
  codeDeploy: createCodeDeployClient(TIMEOUTS.reporter),
});
