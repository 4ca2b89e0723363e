import { describe, expect, it } from 'vitest';
import {
  booleanParam,
  listParam,
  numberParam,
  textParam,
} from '../../../functions/checks/evaluators/params.ts';

describe('listParam', () => {
  it.each([
    [undefined, []],
    [
      ['a', 'b'],
      ['a', 'b'],
    ],
    ['a, b ,,c', ['a', 'b', 'c']],
    ['', []],
    [[' a ', ''], ['a']],
    [42, ['42']],
  ] as const)('reads %j as %j', (value, expected) => {
    expect(listParam(value)).toEqual(expected);
  });
});

describe('numberParam', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['  ', undefined],
    [30, 30],
    ['30', 30],
    ['2.5', 2.5],
  ] as const)('reads %j as %j', (value, expected) => {
    expect(numberParam(value, 'timeout')).toBe(expected);
  });

  it.each(['soon', true, ['3']] as const)(
    'refuses %j with an InvalidInputError naming the parameter',
    (value) => {
      expect(() => numberParam(value, 'timeout')).toThrow(
        expect.objectContaining({ name: 'InvalidInputError', message: expect.stringContaining('timeout') }),
      );
    },
  );
});

describe('booleanParam', () => {
  it.each([
    [undefined, true],
    ['', true],
    [true, true],
    ['true', true],
    [false, false],
    ['false', false],
    // AWS Config passes every rule parameter as text, booleans as "True"/"False".
    ['True', true],
    ['FALSE', false],
    [' False ', false],
  ] as const)('reads %j (fallback true) as %j', (value, expected) => {
    expect(booleanParam(value, 'flag', true)).toBe(expected);
  });

  it('refuses other text', () => {
    expect(() => booleanParam('yes', 'flag', true)).toThrow(/flag must be true or false/);
  });
});

describe('textParam', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    [' arn:aws:kms:k ', 'arn:aws:kms:k'],
    [7, '7'],
    [['a'], undefined],
  ] as const)('reads %j as %j', (value, expected) => {
    expect(textParam(value)).toBe(expected);
  });
});
