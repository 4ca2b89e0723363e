import { describe, expect, it } from 'vitest';
import { reportJson, toJson } from '../../cli/format/json.ts';
import { makeReport } from '../cli/report-fixtures.ts';

describe('reportJson', () => {
  it('is exactly the report, nothing added or dropped', () => {
    const report = makeReport();

    const text = reportJson(report);

    expect(JSON.parse(text)).toEqual(report);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('keeps the contract keys of docs/state-contracts.md in place', () => {
    const parsed = JSON.parse(reportJson(makeReport())) as Record<string, unknown>;

    for (const key of [
      'stack',
      'trigger',
      'fitness',
      'quality',
      'complexity',
      'penalty',
      'baseline',
      'decision',
      'reasons',
      'summary',
      'coverage',
      'plan',
      'diff',
      'results',
    ]) {
      expect(parsed).toHaveProperty(key);
    }
    expect(Object.keys(parsed.coverage as object)).toEqual(
      expect.arrayContaining([
        'resources',
        'audited',
        'unsupportedTypes',
        'throughParent',
        'notJudged',
        'noRisk',
        'percent',
        'sets',
      ]),
    );
    expect(Object.keys(parsed.plan as object)).toEqual(expect.arrayContaining(['steps', 'restore']));
  });

  it('writes any value as indented JSON with a final newline', () => {
    expect(toJson([{ a: 1 }])).toBe('[\n  {\n    "a": 1\n  }\n]\n');
  });
});
