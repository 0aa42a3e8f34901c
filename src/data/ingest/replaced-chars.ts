/** Undecodable bytes: the U+FFFD characters a decoder put in place of bytes it could not read (kept, counted). */
import type { RowBatch } from './csv-tokenizer.js';

export interface ReplacedChars {
  replaced: number;
  rows: number;
  /** The first lines (at most LINES_LISTED) that hold one. */
  lines: number[];
}

export const LINES_LISTED = 20;

/** Count U+FFFD in records from..n of a batch, noting the first lines that hold them. */
export function countReplaced(b: RowBatch, from: number, enc: ReplacedChars): void {
  if (b.ascii || !b.text.includes('\uFFFD')) return;
  for (let i = from; i < b.n; i++) {
    let k = b.text.indexOf('\uFFFD', b.rawStart[i]);
    if (k < 0) return;
    if (k >= b.rawEnd[i]) continue;
    let c = 0;
    for (; k >= 0 && k < b.rawEnd[i]; k = b.text.indexOf('\uFFFD', k + 1)) c++;
    enc.replaced += c;
    enc.rows++;
    if (enc.lines.length < LINES_LISTED) enc.lines.push(b.line[i]);
  }
}

/** Add counts made on a part of the file whose lines start after `lineOffset` lines. */
export function addReplaced(into: ReplacedChars, part: ReplacedChars, lineOffset: number): void {
  into.replaced += part.replaced;
  into.rows += part.rows;
  for (const l of part.lines) if (into.lines.length < LINES_LISTED) into.lines.push(l + lineOffset);
}
