import { setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeStackDriftDetectionStatusCommand,
  type DescribeStackDriftDetectionStatusCommandOutput,
  DetectStackDriftCommand,
} from '@aws-sdk/client-cloudformation';
import { numberParam } from '../evaluators/params.ts';
import type { CheckOutcome, CheckRule } from '../types.ts';
import type { StackClients } from './clients.ts';

const MAX_POLL_INTERVAL_MS = 5_000;

function verdict(status: DescribeStackDriftDetectionStatusCommandOutput): CheckOutcome {
  const evidence = {
    detectionStatus: status.DetectionStatus,
    stackDriftStatus: status.StackDriftStatus,
    driftedStackResourceCount: status.DriftedStackResourceCount,
  };
  if (status.DetectionStatus === 'DETECTION_FAILED') {
    return {
      status: 'ERROR',
      message: `drift detection failed: ${status.DetectionStatusReason ?? 'no reason given'}`.slice(0, 300),
      evidence,
    };
  }
  if (status.StackDriftStatus === 'IN_SYNC') {
    return { status: 'PASS', message: 'the stack matches its template (IN_SYNC)', evidence };
  }
  if (status.StackDriftStatus === 'DRIFTED') {
    return {
      status: 'FAIL',
      message: `${status.DriftedStackResourceCount ?? 'some'} resource(s) drifted from the template`,
      evidence,
    };
  }
  return { status: 'ERROR', message: `drift status is ${status.StackDriftStatus ?? 'unknown'}`, evidence };
}

/**
 * Starts drift detection and polls until it is no longer in progress, up to `maxWaitSeconds`:
 * IN_SYNC passes, DRIFTED fails, a failed or unknown detection is an ERROR.
 */
export const cloudformationStackDriftDetectionCheck: CheckRule<StackClients> = async ({
  resource,
  params,
  clients,
}) => {
  const maxWaitMs = (numberParam(params.maxWaitSeconds, 'maxWaitSeconds') ?? 60) * 1000;
  const deadline = Date.now() + maxWaitMs;
  const { StackDriftDetectionId } = await clients.cloudFormation.send(
    new DetectStackDriftCommand({ StackName: resource.physicalId }),
  );
  for (let attempt = 1; ; attempt++) {
    const status = await clients.cloudFormation.send(
      new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId }),
    );
    if (status.DetectionStatus !== 'DETECTION_IN_PROGRESS') return verdict(status);
    const delay = Math.min(attempt * 1000, MAX_POLL_INTERVAL_MS);
    if (Date.now() + delay > deadline) {
      return {
        status: 'ERROR',
        message: `drift detection ${StackDriftDetectionId} was still in progress after ${maxWaitMs / 1000} s`,
        evidence: { stackDriftDetectionId: StackDriftDetectionId },
      };
    }
    await sleep(delay);
  }
};
