import { describe, expect, it } from 'vitest';
import { isTrimSpace, parseDecimalIn, SpanCache } from '../../src/data/ingest/field-range.js';
import { parseDecimal } from '../../src/data/ingest/decimal.js';
import { fieldText, recordFields, tokenizeText } from '../../src/data/ingest/csv-tokenizer.js';
import { parseDateTime, parseDateTimeIn, utcDayMs } from '../../src/data/ingest/time-parse.js';
import { Rng } from '../../src/util/rng.js';
import { randomDecimalTexts } from '../helpers.js';

describe('reading fields as spans gives what the string functions give', () => {
  it('isTrimSpace is exactly the set String.prototype.trim removes', () => {
    const differ: number[] = [];
    for (let c = 0; c < 0x10000; c++) if (isTrimSpace(c) !== (String.fromCharCode(c).trim() === '')) differ.push(c);
    expect(differ).toEqual([]);
  });

  it('parseDecimalIn equals parseDecimal on the slice, bit for bit, inside a longer text', () => {
    const cases = [
      '41.918711651', '-87.76551063', '0', '-0', '+5', '.5', '5.', '.', '', ' ', '-', '+', '1e5', '1E+05', '1e-7', '2.5e', '1e+',
      '0x29', '0b101', '0o17', 'Infinity', '-Infinity', 'NaN', '1_000', '1.2.3', ' 41.8', '41.8 ', '\u00a041.8', '007', '0.000123',
      '41.800000000000000', '123456789012345', '1234567890123456', '12345678901234567890', '9007199254740993', '1e22', '1e23', '1e-22',
      '1e-23', '4.9e-324', '1.7976931348623157e308', '1e309', '-1e-400', '99999999999999.9', '0.1', '0.3', '2.2250738585072014e-308',
      '1e0000000000005', '5e-0', '١٢', '12a', 'e5', '-.5e3', '+.e1', '123456.789012345e-3',
    ];
    const rng = new Rng(7);
    cases.push(...randomDecimalTexts(() => rng.random(), 3000));
    for (const c of cases) {
      const text = `x,${c},y`;
      const got = parseDecimalIn(text, 2, 2 + c.length), want = parseDecimal(c);
      expect(Object.is(got, want), `${JSON.stringify(c)}: ${got} vs ${want}`).toBe(true);
    }
  });

  it('utcDayMs equals Date.UTC for every month start and end from 1000 to 9999', () => {
    let differ = 0;
    for (let y = 1000; y <= 9999; y++) for (let m = 1; m <= 12; m++) for (const d of [1, 28, 29, 30, 31]) if (utcDayMs(y, m, d) !== Date.UTC(y, m - 1, d)) differ++;
    expect(differ).toBe(0);
  });

  it('parseDateTimeIn on a span equals parseDateTime on the slice', () => {
    const times = ['2017-07-01 13:45', '2017-07-01T13:45:00Z', '2017-07-01 13:45:00+05:30', '07/01/2017 01:45:00 PM', '2018/01/01 1:45 PM',
      '1/2/17', '2017-03-12 02:30', '2017-11-05 01:30', '2017-02-29', 'x', '', '2017-07-01T13:45:00.1234567-0800', '1499000000'];
    // zones with DST in either hemisphere, a half-hour offset, and none
    for (const tz of ['America/Chicago', 'Australia/Melbourne', 'Asia/Kolkata', 'Europe/London', 'UTC']) {
      for (const fmt of ['auto', 'dmy', 'epoch-s', 'epoch-ms'] as const) {
        for (const t of times) {
          const text = `#${t}#`;
          expect(Object.is(parseDateTimeIn(text, 1, 1 + t.length, fmt, tz), parseDateTime(t, fmt, tz)), `${tz} ${fmt} ${t}`).toBe(true);
        }
      }
    }
  });

  it('SpanCache finds spans by their text, keeps distinct texts apart and stops growing at its cap', () => {
    const cache = new SpanCache<number>(500);
    const words = Array.from({ length: 600 }, (_, i) => `CAT ${i % 7} ${i}`);
    words.forEach((w, i) => { if (cache.get(`[${w}]`, 1, 1 + w.length) === undefined) cache.set(w, i); });
    expect(cache.size).toBe(500);
    for (let i = 0; i < 600; i++) {
      const w = words[i];
      expect(cache.get(`..${w}`, 2, 2 + w.length)).toBe(i < 500 ? i : undefined);
    }
    expect(cache.get('CAT 1 1x', 0, 7)).toBe(1);
    expect(cache.get('CAT 1 1', 0, 6)).toBeUndefined();
  });
});

describe('tokenizer spans', () => {
  it('rewritten quoted fields read back unescaped, junk after the quote kept, plain fields as spans', () => {
    const { batch } = tokenizeText('a,b,c\n"x""y",z,"q"junk\n', 1, 44, true);
    expect(recordFields(batch, 1)).toEqual(['x"y', 'z', 'qjunk']);
    expect(batch.rewritten?.size).toBe(2);
  });

  it('a record undone after a rewritten field leaves no rewritten text behind for the fields that follow', () => {
    const { batch } = tokenizeText('a,b\n"p""q","open\n1,2\n', 1, 44, true);
    expect(batch.n).toBe(3);
    expect(batch.malformed?.[1]).toBe(1);
    expect(recordFields(batch, 2)).toEqual(['1', '2']);
    expect(fieldText(batch, batch.fieldStart[2])).toBe('1');
  });
});
