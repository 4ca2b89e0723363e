import { describe, expect, it } from 'vitest';
import { advance, newProgressState, progressLine, progressReporter } from '../../cli/progress.ts';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, write: (text: string) => writes.push(text) };
}

describe('progress', () => {
  it('counts work items once ListResources has planned them', () => {
    const state = newProgressState();

    advance(state, { kind: 'entered', state: 'ListResources' });
    expect(progressLine(state)).toBe('listing the stack’s resources…');
    advance(state, { kind: 'exited', state: 'ListResources', output: { items: [1, 2, 3] } });
    advance(state, { kind: 'entered', state: 'CheckEachWorkItem' });
    advance(state, { kind: 'item-done' });
    expect(progressLine(state)).toBe('checking 1/3 work items…');
    advance(state, { kind: 'entered', state: 'RunChecks' });
    expect(progressLine(state)).toBe('checking 1/3 work items…');
    advance(state, { kind: 'entered', state: 'Aggregate' });
    expect(progressLine(state)).toBe('scoring…');
  });

  it('rewrites one line on a terminal and clears it at the end', () => {
    const tty = stream(true);
    const progress = progressReporter(tty, true);

    progress.event({ kind: 'entered', state: 'ListResources' });
    progress.event({ kind: 'exited', state: 'ListResources', output: { items: [1] } });
    progress.event({ kind: 'entered', state: 'CheckEachWorkItem' });
    progress.event({ kind: 'item-done' });
    progress.end();

    expect(tty.writes).toEqual([
      '\r\u001b[2Klisting the stack’s resources…',
      '\r\u001b[2Kchecking 0/1 work items…',
      '\r\u001b[2Kchecking 1/1 work items…',
      '\r\u001b[2K',
    ]);
  });

  it('prints whole lines elsewhere, and nothing at all when disabled', () => {
    const log = stream(false);
    const quiet = stream(false);

    for (const reporter of [progressReporter(log, true), progressReporter(quiet, false)]) {
      reporter.event({ kind: 'entered', state: 'ListResources' });
      reporter.say('deployed v1');
    }

    expect(log.writes).toEqual(['listing the stack’s resources…\n', 'deployed v1\n']);
    expect(quiet.writes).toEqual([]);
  });
});
