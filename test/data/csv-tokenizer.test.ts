import { describe, expect, it } from 'vitest';
import { MALFORMED_QUOTE, MAX_QUOTED_LINES, recordFields, tokenizeCsv, type RowBatch } from '../../src/data/ingest/csv-tokenizer.js';

/** Tokenize `text` fed in chunks of `size` chars; return records as field arrays plus their lines and raw text. */
async function tokenize(text: string, size = text.length) {
  async function* chunks() { for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size); }
  const rows: string[][] = [], lines: number[] = [], raws: string[] = [], malformed: number[] = [];
  for await (const b of tokenizeCsv(chunks())) {
    for (let i = 0; i < b.n; i++) if (b.malformed?.[i] === MALFORMED_QUOTE) malformed.push(b.line[i]);
    collect(b, rows, lines, raws);
  }
  return { rows, lines, raws, malformed };
}

function collect(b: RowBatch, rows: string[][], lines: number[], raws: string[]) {
  for (let i = 0; i < b.n; i++) {
    rows.push(recordFields(b, i));
    lines.push(b.line[i]);
    raws.push(b.text.slice(b.rawStart[i], b.rawEnd[i]));
  }
}

const TRICKY = '\uFEFFa,b,c\r\n1,"x, y",3\r\n\r\n"multi\nline ""quoted""",,last\n4,5,6';

describe('tokenizeCsv', () => {
  it('handles BOM, CRLF, quotes with delimiters, "" escapes, embedded newlines, blank lines and a missing final newline', async () => {
    const { rows, lines, raws } = await tokenize(TRICKY);
    expect(rows).toEqual([['a', 'b', 'c'], ['1', 'x, y', '3'], ['multi\nline "quoted"', '', 'last'], ['4', '5', '6']]);
    // physical lines: the blank line 3 is skipped; the quoted newline makes record 3 span lines 4-5
    expect(lines).toEqual([1, 2, 4, 6]);
    expect(raws[1]).toBe('1,"x, y",3');
    expect(raws[2]).toBe('"multi\nline ""quoted""",,last');
  });

  it('gives the same records and lines whatever the chunk boundaries', async () => {
    const whole = await tokenize(TRICKY);
    for (let size = 1; size <= 12; size++) expect(await tokenize(TRICKY, size)).toEqual(whole);
  });

  it('keeps empty trailing fields and a lone CR line end', async () => {
    const { rows, lines } = await tokenize('a,b,\r1,,\n');
    expect(rows).toEqual([['a', 'b', ''], ['1', '', '']]);
    expect(lines).toEqual([1, 2]);
  });

  it('an unterminated quote costs one row, not the rest of the file (issue 20 reproduction)', async () => {
    const good = Array.from({ length: 1000 }, (_, i) => `R${i},2017-09-05 12:00,${i % 9 ? 'THEFT' : '"BATTERY"'},41.85,-87.65`);
    const text = ['id,time,category,lat,lon', 'X1,2017-09-05 12:00,"THEFT,41.85,-87.65', ...good].join('\n') + '\n';
    for (const size of [text.length, 4096, 97]) {
      const { rows, lines, raws, malformed } = await tokenize(text, size);
      expect(rows).toHaveLength(1002);
      expect(malformed).toEqual([2]);
      expect(raws[1]).toBe('X1,2017-09-05 12:00,"THEFT,41.85,-87.65');
      expect(rows[2]).toEqual(['R0', '2017-09-05 12:00', 'BATTERY', '41.85', '-87.65']);
      expect(lines[1001]).toBe(1002);
    }
  });

  it('bounds a quoted field by lines, and by the header\'s field count when it closes', async () => {
    // no quote anywhere after the open one: cut after MAX_QUOTED_LINES, the rest read normally
    const many = Array.from({ length: MAX_QUOTED_LINES + 50 }, (_, i) => `${i},b,c`);
    const a = await tokenize(['x,y,z', '1,"open,3', ...many].join('\n'));
    expect(a.malformed).toEqual([2]);
    expect(a.rows).toHaveLength(2 + many.length);
    // closes on a later line but leaves the wrong number of fields: still one bad row
    const b = await tokenize('x,y,z\n1,"open,3\n4,5,6\n7,8",9,10\n11,12,13\n');
    expect(b.malformed).toEqual([2]);
    expect(b.rows.slice(2)).toEqual([['4', '5', '6'], ['7', '8"', '9', '10'], ['11', '12', '13']]);
    // a legitimate multi-line field with the right count is kept whole
    const c = await tokenize('x,y,z\n1,"two\nlines",3\n4,5,6\n');
    expect(c.malformed).toEqual([]);
    expect(c.rows[1]).toEqual(['1', 'two\nlines', '3']);
  });
});
