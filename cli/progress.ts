/**
 * Progress of a fitness execution, on stderr only (stdout carries the result): "checking 12/37
 * work items…". Fed by the local runner's events or by a cloud execution's history, through the same
 * small tracker. Shown when stderr is a terminal or with --progress.
 */

export interface ProgressState {
  phase: string;
  done: number;
  total: number | undefined;
}

const PHASES: Readonly<Record<string, string>> = {
  ListResources: 'listing the stack’s resources',
  CheckEachWorkItem: 'checking',
  CheckEachWorkItemFromS3: 'checking',
  Aggregate: 'scoring',
  PublishMetrics: 'publishing metrics',
  RecordHistory: 'recording history',
  ReportToCodeDeploy: 'reporting to CodeDeploy',
  ReportFailedToCodeDeploy: 'reporting Failed to CodeDeploy',
  DescribeFailure: 'the workflow failed',
};

/** What happened, in the vocabulary both the local runner and a cloud execution history share. */
export type ProgressEvent =
  | { readonly kind: 'entered'; readonly state: string }
  | { readonly kind: 'exited'; readonly state: string; readonly output?: unknown }
  | { readonly kind: 'item-done' };

export function newProgressState(): ProgressState {
  return { phase: 'starting', done: 0, total: undefined };
}

/** Advances the state; returns whether the visible line changed. */
export function advance(state: ProgressState, event: ProgressEvent): boolean {
  const before = progressLine(state);
  if (event.kind === 'entered') {
    const phase = PHASES[event.state];
    if (phase) state.phase = phase;
  } else if (event.kind === 'exited') {
    if (event.state === 'ListResources') {
      const plan = event.output as { items?: unknown; itemCount?: unknown } | undefined;
      // A plan too large for the state keeps its items in S3 and only their count here.
      if (typeof plan?.itemCount === 'number') state.total = plan.itemCount;
      else if (Array.isArray(plan?.items)) state.total = plan.items.length;
    }
  } else {
    state.done += 1;
  }
  return progressLine(state) !== before;
}

export function progressLine(state: ProgressState): string {
  if (state.phase === 'checking') {
    return `checking ${state.done}/${state.total ?? '?'} work items…`;
  }
  return `${state.phase}…`;
}

export interface ProgressReporter {
  readonly enabled: boolean;
  event(event: ProgressEvent): void;
  /** A line of its own (e.g. "deployed v2"), clearing the running line first. */
  say(line: string): void;
  /** Clears the running line. */
  end(): void;
}

interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * On a terminal the line is rewritten in place; elsewhere (--progress into a file or a CI log) a
 * line is printed when the phase changes and at most once a second while checking.
 */
export function progressReporter(stream: ProgressStream, enabled: boolean): ProgressReporter {
  const state = newProgressState();
  const tty = Boolean(stream.isTTY);
  let shown = false;
  let lastPrinted = 0;
  let lastPhase = '';
  const clear = () => {
    if (tty && shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  return {
    enabled,
    event(event) {
      if (!enabled || !advance(state, event)) return;
      const line = progressLine(state);
      if (tty) {
        stream.write(`\r\x1b[2K${line}`);
        shown = true;
        return;
      }
      const now = Date.now();
      const complete = state.total !== undefined && state.done === state.total;
      if (state.phase !== lastPhase || now - lastPrinted >= 1000 || complete) {
        stream.write(`${line}\n`);
        lastPrinted = now;
        lastPhase = state.phase;
      }
    },
    say(line) {
      if (!enabled) return;
      clear();
      stream.write(`${line}\n`);
    },
    end() {
      clear();
      state.phase = 'starting';
      state.done = 0;
      state.total = undefined;
      lastPhase = '';
    },
  };
}
