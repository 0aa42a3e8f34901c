/**
 * Byte ranges of a CSV file for the parallel reader: where to cut it, and how to tokenize one range.
 *
 * Cuts fall just after a line feed byte, which in UTF-8, latin1 and windows-1252 is always a character boundary, so
 * each range decodes on its own. Whether a cut is also a record boundary (not inside a quoted field) cannot be
 * known without reading everything before it; csv-parallel.ts checks it after the fact.
 */
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { CsvTokenizer, type RowBatch } from './csv-tokenizer.js';
import type { RangeDone, RangeInit, RangeRequest } from './csv-parallel.js';
import { IncidentAccumulator } from './normalize.js';
import { countReplaced, type ReplacedChars } from './replaced-chars.js';
import { decodeLineAlignedChunks } from './decode-lines.js';
import type { Encoding } from './spec.js';

/** Offsets [0, c1, c2, …, size]: each cut the byte after the first line feed at or past k·segmentBytes. */
export function planRanges(path: string, size: number, segmentBytes: number): number[] {
  const cuts = [0];
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 16);
    for (let at = segmentBytes; at < size; at = cuts[cuts.length - 1] + segmentBytes) {
      let cut = -1;
      for (let pos = at; pos < size && cut < 0; pos += buf.length) {
        const got = readSync(fd, buf, 0, buf.length, pos);
        if (got <= 0) break;
        const lf = buf.subarray(0, got).indexOf(10);
        if (lf >= 0) cut = pos + lf + 1;
      }
      if (cut < 0 || cut >= size) break;
      cuts.push(cut);
    }
  } finally {
    closeSync(fd);
  }
  cuts.push(size);
  return cuts;
}

/**
 * Tokenize bytes [start, end) through `tok` (which may hold the unfinished record of the range before), calling
 * `onBatch` per batch of complete records. `last`: the range ends the file, so its last record is finished however
 * it ends; otherwise an incomplete last record stays in `tok.carry`.
 */
export async function tokenizeRange(path: string, start: number, end: number, encoding: Encoding, tok: CsvTokenizer, last: boolean,
  onBatch: (b: RowBatch) => Promise<void> | void): Promise<void> {
  if (end > start) {
    // a BOM is only a BOM at the start of the file; elsewhere U+FEFF is a character of the data
    const stream = createReadStream(path, { start, end: end - 1, highWaterMark: 1 << 20 });
    try {
      for await (const s of decodeLineAlignedChunks(stream as AsyncIterable<Buffer>, encoding, start === 0)) {
        const b = tok.push(s.text, s.ascii);
        if (b) await onBatch(b);
      }
    } finally {
      stream.destroy();
    }
  }
  if (last) { const b = tok.finish(); if (b) await onBatch(b); }
}

/**
 * One range read on its own (by the worker, or by the main thread while it waits): a fresh tokenizer that expects
 * the header's field count and strips no BOM, a fresh accumulator, lines counted from the range's first line.
 */
export async function readRangePart(init: RangeInit, req: RangeRequest): Promise<RangeDone> {
  const acc = new IncidentAccumulator(init.cols, init.settings, init.accOpts);
  const tok = new CsvTokenizer({ delimiter: init.delimiter, expected: init.expected, bom: false });
  const enc: ReplacedChars = { replaced: 0, rows: 0, lines: [] };
  await tokenizeRange(init.path, req.start, req.end, init.encoding, tok, req.last, (b) => { countReplaced(b, 0, enc); acc.addBatch(b); });
  return { kind: 'range', index: req.index, part: acc.exportPart(), enc, carry: tok.carry, nextLine: tok.line, counts: { ...tok.counts } };
}
