/**
 * The lists that grow with the stack travel in Step Functions state (256 KiB for the whole state):
 * each is kept within a byte budget, first entries first (callers order them by importance), and
 * `omitted` counts the rest, so nothing is cut silently.
 */
export function fitList<T>(items: readonly T[], budgetBytes: number): { kept: T[]; omitted: number } {
  let used = 2;
  let kept = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item), 'utf8') + 1;
    if (used + size > budgetBytes) break;
    used += size;
    kept += 1;
  }
  return { kept: items.slice(0, kept), omitted: items.length - kept };
}
