import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../src/data/ingest/decimal.js';

describe('parseDecimal', () => {
  it('reads plain decimals with sign, fraction and exponent', () => {
    expect([' 41.85 ', '-87.65', '+1', '.5', '5.', '1e3', '2.5E-2', '0041.5'].map(parseDecimal)).toEqual([41.85, -87.65, 1, 0.5, 5, 1000, 0.025, 41.5]);
  });
  it('rejects what Number() would wrongly accept', () => {
    for (const s of ['0x29', '0X29', '0b101001', '0o51', 'Infinity', '-Infinity', '', '  ', '.', '-', '1e', '1e+', '4 1', '41.8.1', 'NaN'])
      expect(parseDecimal(s), s).toBeNaN();
    expect(Number('0x29')).toBe(41); // the reason this function exists
  });
});
