/**
 * An API answered with data a check cannot read (a policy that is not JSON, a null where an object
 * belongs, a field of the wrong type). The check result is an ERROR that says what was malformed
 * and where, never the raw runtime exception the bad data would otherwise cause.
 */
export class MalformedDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedDataError';
  }
}
