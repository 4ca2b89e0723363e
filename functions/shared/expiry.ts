/**
 * When a waiver stops applying. `expires` is an ISO 8601 date (`2025-06-30`) or a date-time with a
 * time zone (`2025-06-30T17:00:00Z`, `2025-06-30T19:00:00+02:00`). A date-only expiry lasts through
 * that whole day in UTC: the waiver applies until 00:00:00Z of the next day. A date-time without a
 * time zone is refused, because it would mean a different instant on a laptop and in Lambda.
 * https://www.iso.org/iso-8601-date-and-time-format.html
 */

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** The first instant (ms since the epoch) at which the waiver no longer applies; undefined when unreadable. */
export function expiryInstant(expires: unknown): number | undefined {
  if (typeof expires !== 'string') return undefined;
  const text = expires.trim();
  const date = DATE_ONLY.exec(text) ?? DATE_TIME.exec(text);
  if (!date) return undefined;
  const [, year, month, day] = date.map(Number) as [number, number, number, number];
  // Reject dates the calendar does not have (2025-02-30), which Date would roll over silently.
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (
    calendar.getUTCFullYear() !== year ||
    calendar.getUTCMonth() !== month - 1 ||
    calendar.getUTCDate() !== day
  )
    return undefined;
  if (DATE_ONLY.test(text)) return calendar.getTime() + 24 * 60 * 60 * 1000;
  const instant = Date.parse(text);
  return Number.isNaN(instant) ? undefined : instant;
}

/** True once the waiver's expiry has passed; a waiver without `expires` never expires. */
export function isExpired(expires: string | undefined, now: Date): boolean {
  if (expires === undefined) return false;
  const instant = expiryInstant(expires);
  // An unreadable expiry is refused when the waiver is read; here it fails closed.
  return instant === undefined || now.getTime() >= instant;
}
