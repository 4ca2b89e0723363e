import { describe, expect, it } from 'vitest';
import { catalogFingerprint, digestResults, expandDigest } from '../../functions/checks/digest.ts';

const ids = ['check-a', 'check-b', 'check-c', 'check-d'];
const title = (id: string) => `title of ${id}`;

describe('result digest', () => {
  it('round-trips statuses and the messages of non-passing results', () => {
    const results = [
      { checkId: 'check-a', status: 'PASS' as const, message: 'fine' },
      { checkId: 'check-b', status: 'FAIL' as const, message: 'versioning is Suspended' },
      { checkId: 'check-c', status: 'NOT_APPLICABLE' as const, message: 'no function URL' },
      { checkId: 'check-d', status: 'ERROR' as const, message: 'AccessDenied' },
    ];

    const digest = digestResults(ids, results);

    expect(digest).toEqual({
      catalog: catalogFingerprint(ids),
      statuses: 'PFNE',
      messages: ['versioning is Suspended', 'no function URL', 'AccessDenied'],
    });
    expect(expandDigest(ids, digest, title)).toEqual([
      { checkId: 'check-a', status: 'PASS', message: 'title of check-a' },
      ...results.slice(1),
    ]);
  });

  it('reports a check that returned nothing as an ERROR', () => {
    expect(digestResults(['check-a'], []).statuses).toBe('E');
  });

  it('refuses a digest of another catalog or length', () => {
    const digest = digestResults(ids, []);

    expect(expandDigest(['check-a', 'check-b', 'check-d', 'check-c'], digest, title)).toBeUndefined();
    expect(expandDigest(ids, { ...digest, statuses: 'PP' }, title)).toBeUndefined();
  });

  it('fingerprints order-sensitively and stably', () => {
    expect(catalogFingerprint(['a', 'b'])).not.toBe(catalogFingerprint(['b', 'a']));
    expect(catalogFingerprint(['a', 'b'])).toBe(catalogFingerprint(['a', 'b']));
    expect(catalogFingerprint([])).toMatch(/^[0-9a-f]{8}$/);
  });
});
