/** The EventBridge safety net's pure core: which hook, if any, a failed execution owed a status. */
import { AUDIT_FAILED_ERROR } from '../../statemachine/state.ts';

export interface StatusChangeEvent {
  readonly detail?: {
    readonly status?: string;
    readonly input?: string | null;
    readonly executionArn?: string;
    /** The error the execution failed with (its Fail state's, or the uncaught one). */
    readonly error?: string | null;
  };
}

const TERMINAL_FAILURES = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/** The hook to report Failed for, or undefined (an ad-hoc run, or not a failure). */
export function hookOwedFailure(
  event: StatusChangeEvent,
): { deploymentId: string; hookExecutionId: string } | undefined {
  const detail = event.detail;
  if (!detail?.status || !TERMINAL_FAILURES.has(detail.status) || !detail.input) return undefined;
  // The state machine decided the run gates no hook (ad-hoc, or a claim CodeDeploy did not confirm):
  // a status for the ids in its input would be a forged one. TIMED_OUT and ABORTED runs carry no
  // such verdict, so the net reports for their claim (CodeDeploy refuses ids it is not waiting on).
  if (detail.error === AUDIT_FAILED_ERROR) return undefined;
  let input: unknown;
  try {
    input = JSON.parse(detail.input);
  } catch {
    return undefined;
  }
  const { deploymentId, hookExecutionId } = (input ?? {}) as Record<string, unknown>;
  if (typeof deploymentId !== 'string' || typeof hookExecutionId !== 'string') return undefined;
  return { deploymentId, hookExecutionId };
}
