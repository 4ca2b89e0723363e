import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  attributeValueSize,
  fitRecord,
  HISTORY_ITEM_BUDGET_BYTES,
  itemSize,
  MAX_RECORDED_REASON_BYTES,
  parseHistoryItem,
  toItem,
} from '../../functions/aggregate/history.ts';
import { makeRecord } from '../cli/report-fixtures.ts';

const DYNAMODB_ITEM_LIMIT = 400 * 1024;

describe('itemSize (DynamoDB item-size rules)', () => {
  it('counts attribute names and values as the DynamoDB developer guide says', () => {
    // Strings: UTF-8 bytes. Numbers: 1 byte per two significant digits + 1. Null/Boolean: 1 byte.
    expect(itemSize({ name: { S: 'abc' } })).toBe(4 + 3);
    expect(itemSize({ é: { S: 'é' } })).toBe(2 + 2);
    expect(attributeValueSize({ N: '12345' })).toBe(3 + 1);
    expect(attributeValueSize({ N: '0012.3400' })).toBe(2 + 1);
    expect(attributeValueSize({ N: '-7' })).toBe(1 + 1);
    expect(attributeValueSize({ BOOL: true })).toBe(1);
    expect(attributeValueSize({ NULL: true })).toBe(1);
    expect(attributeValueSize({ B: new Uint8Array(10) })).toBe(10);
    // Lists and maps: 3 bytes, plus 1 byte and the size of each element (a map element's name too).
    expect(attributeValueSize({ L: [] })).toBe(3);
    expect(attributeValueSize({ L: [{ S: 'ab' }, { S: 'c' }] })).toBe(3 + (1 + 2) + (1 + 1));
    expect(attributeValueSize({ M: { PASS: { N: '12' } } })).toBe(3 + 4 + 1 + 2);
  });
});

describe('fitRecord', () => {
  const longId = (i: number) =>
    `VeryLongLogicalIdForABucketThatCdkGeneratedFromAPath${String(i).padStart(4, '0')}AB12`;
  const worst = makeRecord({
    findings: Array.from({ length: 3300 }, (_, i) => `s3-bucket-public-read-prohibited@${longId(i)}`),
    reasons: Array.from(
      { length: 600 },
      (_, i) => `critical s3-bucket-public-read-prohibited failed on ${longId(i)}: ${'x'.repeat(120)}`,
    ),
  });

  it('would exceed 400 KB uncut on the worst stack, and fits its budget cut, counting what it cut', () => {
    expect(itemSize(toItem(worst))).toBeGreaterThan(DYNAMODB_ITEM_LIMIT);

    const fitted = fitRecord(worst);

    const size = itemSize(toItem(fitted));
    expect(size).toBeLessThanOrEqual(HISTORY_ITEM_BUDGET_BYTES);
    expect(size).toBeGreaterThan(HISTORY_ITEM_BUDGET_BYTES - 200);
    expect(fitted.findings).toEqual(worst.findings.slice(0, fitted.findings.length));
    expect(fitted.findings.length + (fitted.findingsOmitted ?? 0)).toBe(3300);
    expect(fitted.reasons[0]).toBe(worst.reasons[0]);
    expect(fitted.reasons.length + (fitted.reasonsOmitted ?? 0)).toBe(600);
  });

  it('leaves a record that fits untouched, with no counters', () => {
    const record = makeRecord({ findings: ['a@B'], reasons: ['one'] });
    expect(fitRecord(record)).toEqual(record);
  });

  it('cuts one overlong reason to a bounded size, on a character boundary', () => {
    const fitted = fitRecord(makeRecord({ reasons: ['é'.repeat(2000)] }));
    const [reason] = fitted.reasons;
    expect(Buffer.byteLength(reason ?? '', 'utf8')).toBeLessThanOrEqual(MAX_RECORDED_REASON_BYTES);
    expect(reason?.endsWith('…')).toBe(true);
    expect(reason).not.toContain('\uFFFD');
  });
});

describe('parseHistoryItem', () => {
  const sound = () => toItem(makeRecord({ outcome: 'SUCCEEDED', releaseId: 'arn@2026-01-02T03:04:05.000Z' }));

  it('reads back what toItem wrote, with no problems', () => {
    const record = makeRecord({
      outcome: 'SUCCEEDED',
      releaseId: 'r',
      auditFitness: 70.2,
      findingsOmitted: 3,
      coverage: { percent: 83.33, judged: 10, resources: 13, noRisk: 1 },
    });
    expect(parseHistoryItem(toItem(record))).toEqual({ record, problems: [] });
    const nothingScored = makeRecord({ coverage: { percent: null, judged: 0, resources: 1, noRisk: 1 } });
    expect(parseHistoryItem(toItem(nothingScored)).record.coverage).toEqual(nothingScored.coverage);
  });

  it.each<[string, Record<string, AttributeValue>, string]>([
    ['a number stored as a string', { fitness: { S: '71.4' } }, 'fitness is not a number or null'],
    ['a missing fitness', { fitness: undefined as never }, 'fitness is not present'],
    [
      'a run id that is no ISO time',
      { runId: { S: '2026-13-45#x' } },
      'runId "2026-13-45#x" is not <ISO time>#<execution name>',
    ],
    [
      'a run id without an execution name',
      { runId: { S: '2026-01-02T03:04:05.000Z' } },
      'is not <ISO time>#<execution name>',
    ],
    [
      'a start time other than its run id',
      { startedAt: { S: '2026-01-02T03:04:06.000Z' } },
      'is not the time in its runId',
    ],
    ['an unknown trigger', { trigger: { S: 'Manual' } }, 'trigger "Manual" is unknown'],
    [
      'a decision of another vocabulary',
      { decision: { S: 'PASSED' } },
      'decision is not one of Succeeded, Failed',
    ],
    ['accepted as a string', { accepted: { S: 'true' } }, 'accepted is not true or false'],
    ['findings as a string', { findings: { S: 'a@B' } }, 'findings is not a list of strings'],
    ['coverage as a number', { coverage: { N: '80' } }, 'coverage is not a map'],
    [
      'a coverage percent as a string',
      {
        coverage: {
          M: { percent: { S: '80' }, judged: { N: '4' }, resources: { N: '5' }, noRisk: { N: '0' } },
        },
      },
      'coverage.percent is not a number or null',
    ],
    [
      'an unknown outcome',
      { outcome: { S: 'ROLLED_BACK' } },
      'outcome is not one of PENDING, SUCCEEDED, FAILED, STOPPED',
    ],
    ['an accepted ad-hoc run', { trigger: { S: 'adhoc' } }, 'accepted, but a adhoc run gates no deployment'],
    [
      'an accepted run the gate failed',
      { decision: { S: 'Failed' } },
      'accepted, but the gate decided Failed',
    ],
    [
      'an accepted run CodeDeploy failed',
      { outcome: { S: 'FAILED' } },
      "accepted, but CodeDeploy's outcome is FAILED",
    ],
    [
      'an accepted run without a deployment',
      { deploymentId: undefined as never, outcome: undefined as never },
      'accepted, but it has no deploymentId',
    ],
  ])('names %s', (_, change, problem) => {
    const item = { ...sound(), ...change };
    for (const [name, value] of Object.entries(change)) if (value === undefined) delete item[name];

    const { problems } = parseHistoryItem(item);

    expect(problems.join('; ')).toContain(problem);
  });

  it('accepts an item an older gate wrote: accepted, no outcome, no release, no coverage', () => {
    const item = toItem(makeRecord({ accepted: true }));
    expect(item.coverage).toBeUndefined();
    expect(parseHistoryItem(item).problems).toEqual([]);
  });
});
