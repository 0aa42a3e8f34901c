import { describe, expect, it } from 'vitest';
import { tokenizeCsv, type RowBatch } from '../../src/data/ingest/csv-tokenizer.js';

/** Tokenize `text` fed in chunks of `size` chars; return records as field arrays plus their lines and raw text. */
async function tokenize(text: string, size = text.length) {
  async function* chunks() { for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size); }
  const rows: string[][] = [], lines: number[] = [], raws: string[] = [];
  for await (const b of tokenizeCsv(chunks())) collect(b, rows, lines, raws);
  return { rows, lines, raws };
}

function collect(b: RowBatch, rows: string[][], lines: number[], raws: string[]) {
  for (let i = 0; i < b.n; i++) {
    rows.push(b.fields.slice(b.fieldStart[i], b.fieldStart[i + 1]));
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
});
