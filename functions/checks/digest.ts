/**
 * The compact form of a work item's results that travels in the state machine's state.
 *
 * A family Lambda returns every check's full result (visible in the task's output in the console)
 * plus this digest; the task's ResultSelector keeps only the digest, so the Map's output for a
 * 500-resource stack stays far below the 256 KiB state limit. The digest lists one status letter
 * per check in registry order (`checksFor(family, type, trigger)` less the disabled checks, which
 * the Aggregate recomputes) and the messages of the non-passing ones. `catalog` fingerprints that
 * order, so a check Lambda and an Aggregate built from different catalogs are caught, not misread.
 */
import type { ItemResult } from './types.ts';

export interface ResultDigest {
  /** FNV-1a fingerprint of the ordered check ids the statuses refer to. */
  readonly catalog: string;
  /** One letter per check: P(ASS) F(AIL) N(OT_APPLICABLE) E(RROR). */
  readonly statuses: string;
  /**
   * Messages of the F, N and E results, in order; PASS needs none. A message the item's budget could
   * not hold is null: it stays readable in the check task's own output.
   */
  readonly messages: readonly (string | null)[];
}

const CODES: Readonly<Record<ItemResult['status'], string>> = {
  PASS: 'P',
  FAIL: 'F',
  NOT_APPLICABLE: 'N',
  ERROR: 'E',
};
const STATUSES: Readonly<Record<string, ItemResult['status']>> = {
  P: 'PASS',
  F: 'FAIL',
  N: 'NOT_APPLICABLE',
  E: 'ERROR',
};
export const MAX_DIGEST_MESSAGE = 160;

export function catalogFingerprint(checkIds: readonly string[]): string {
  let hash = 0x811c9dc5;
  for (const char of checkIds.join('\n')) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Errors first, then failures, then not-applicable: the order messages get the budget in. */
const MESSAGE_PRIORITY: Readonly<Record<string, number>> = { E: 0, F: 1, N: 2 };

/**
 * `messageBudget` bounds the bytes of messages one item carries, so the Map's output stays bounded
 * whatever the stack's size (ListResources sets it from the number of work items).
 */
export function digestResults(
  checkIds: readonly string[],
  results: readonly ItemResult[],
  messageBudget = Number.POSITIVE_INFINITY,
): ResultDigest {
  const byId = new Map(results.map((result) => [result.checkId, result]));
  let statuses = '';
  const pending: { slot: number; code: string; text: string }[] = [];
  for (const checkId of checkIds) {
    const result = byId.get(checkId);
    const status = result?.status ?? 'ERROR';
    statuses += CODES[status];
    if (status !== 'PASS') {
      const text = (result?.message ?? 'the check returned no result').slice(0, MAX_DIGEST_MESSAGE);
      pending.push({ slot: pending.length, code: CODES[status], text });
    }
  }
  const messages: (string | null)[] = pending.map(() => null);
  let left = messageBudget;
  for (const { slot, text } of [...pending].sort(
    (a, b) => (MESSAGE_PRIORITY[a.code] ?? 3) - (MESSAGE_PRIORITY[b.code] ?? 3),
  )) {
    const cost = Buffer.byteLength(text, 'utf8') + 3;
    if (cost > left) continue;
    messages[slot] = text;
    left -= cost;
  }
  return { catalog: catalogFingerprint(checkIds), statuses, messages };
}

/** The results a digest stands for, or undefined when it was made from another catalog. */
export function expandDigest(
  checkIds: readonly string[],
  digest: ResultDigest,
  passMessage: (checkId: string) => string,
  omittedMessage: (checkId: string, status: ItemResult['status']) => string = () => '',
): ItemResult[] | undefined {
  if (digest.catalog !== catalogFingerprint(checkIds) || digest.statuses.length !== checkIds.length)
    return undefined;
  let nextMessage = 0;
  return checkIds.map((checkId, index) => {
    const status = STATUSES[digest.statuses[index] ?? 'E'] ?? 'ERROR';
    const message =
      status === 'PASS'
        ? passMessage(checkId)
        : (digest.messages[nextMessage++] ?? omittedMessage(checkId, status));
    return { checkId, status, message };
  });
}
