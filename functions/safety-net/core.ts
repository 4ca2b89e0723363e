/** The EventBridge safety net's pure core: which hook, if any, a failed execution owed a status. */

export interface StatusChangeEvent {
  readonly detail?: {
    readonly status?: string;
    readonly input?: string | null;
    readonly executionArn?: string;
  };
}

const TERMINAL_FAILURES = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/** The hook to report Failed for, or undefined (an ad-hoc run, or not a failure). */
export function hookOwedFailure(
  event: StatusChangeEvent,
): { deploymentId: string; hookExecutionId: string } | undefined {
  const detail = event.detail;
  if (!detail?.status || !TERMINAL_FAILURES.has(detail.status) || !detail.input) return undefined;
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
