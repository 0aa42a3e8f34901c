/**
 * Streaming CSV tokenizer: text chunks in, one columnar-friendly RowBatch per chunk out (a flat field array with
 * per-record offsets — never an array of row objects).
 *
 * Hand-written rather than csv-parse, by measurement (bench/csv-tokenizer.mjs, CHI_Crime.csv, 321,877 rows, medians
 * of 3 on a shared 2-core box): 0.38-1.4 s here vs 0.84-2.6 s for plain csv-parse and 2.0-5.8 s for csv-parse with
 * the `info` + `raw` options that line numbers and raw rejects need — 2x and 4-5x slower. It scans the char codes
 * of a whole chunk and records each field as a [start, end) span of the chunk's text, without slicing it: the
 * reader parses times and coordinates straight from the spans (field-range.ts), so most fields never become
 * strings (a substring per field and the garbage it left were 40% of reading a 1M-row file). It handles RFC 4180 quoting ("" escapes, delimiters and
 * newlines inside quotes), CRLF / LF / lone-CR line ends, blank lines and a UTF-8 BOM (test/data/csv-tokenizer).
 *
 * A quote that never closes must not swallow the rest of the file: a quoted field that runs past MAX_QUOTED_LINES
 * lines or MAX_QUOTED_CHARS characters, reaches the end of the file, or spans lines and then closes with text
 * glued to the closing quote or leaves a record with the wrong number of fields is taken as malformed. That record's first physical line becomes one flagged record
 * (`malformed`, rejected downstream with its line) and tokenizing resumes on the next line.
 *
 * ASCII chunks are tokenized by a compiled kernel (csv-kernel.ts) that gives exactly these records.
 */
import { CsvKernel, type PreParsed, type PreparseColumns } from './csv-kernel.js';

export interface RowBatch {
  /** Number of records in the batch. */
  n: number;
  /**
   * Fields of all records, flat: record i owns fields fieldStart[i] .. fieldStart[i+1]-1. Field f is `fields[f]`
   * when `fields` is given (GeoJSON, Parquet); otherwise (CSV) it is `rewritten.get(f)` when present (a quoted
   * field with "" escapes or text after its closing quote), else text.slice(span[2f], span[2f+1]). Read it with
   * fieldText, or as a span with fieldRange (field-range.ts).
   */
  fields?: string[];
  span?: Int32Array;
  rewritten?: Map<number, string>;
  fieldStart: Int32Array;
  /** 1-based physical line on which each record starts. */
  line: Int32Array;
  /** The record's raw text is text.slice(rawStart[i], rawEnd[i]) (kept only so rejects lose nothing). */
  text: string;
  rawStart: Int32Array;
  rawEnd: Int32Array;
  /** Nonzero for a record that cannot be read (its fields are empty; reject it): a MALFORMED_* code. Absent: none. */
  malformed?: Uint8Array;
  /** True when every character of `text` is ASCII (nothing was undecodable). */
  ascii?: boolean;
  /**
   * Batches tokenized by the compiled kernel (csv-kernel.ts): its pre-parsed values for these columns, or null once
   * the kernel has moved on to the next chunk (read the records from their spans then).
   */
  preparse?: (cols: PreparseColumns) => PreParsed | null;
}

/** Codes of RowBatch.malformed: a record cut at an unterminated quote; a GeoJSON feature nested too deep. */
export const MALFORMED_QUOTE = 1, MALFORMED_NESTED = 2;

/** A legitimate multi-line quoted field (a narrative, an address) stays far below these. */
export const MAX_QUOTED_LINES = 100;
export const MAX_QUOTED_CHARS = 1 << 20;

export interface CsvTokenizerOptions {
  delimiter?: string;
}

/**
 * A chunk of decoded text; `ascii`: its bytes, when every one is below 128 (then character i is byte i, and `text`
 * may be null: made from the bytes when needed, see chunkText in decode-lines.ts).
 */
export interface TextChunk {
  text: string | null;
  ascii: Uint8Array | null;
}

/** Records a tokenizer gave: by the compiled kernel, and in all. */
export interface TokenizerCounts {
  kernel: number;
  all: number;
}

/** How much of a file the compiled kernel read, for the reader's summary (ReaderInfo.compiled). */
export function compiledInfo(c: TokenizerCounts): { records: number; of: number; off?: string } {
  const off = c.kernel === 0 ? CsvKernel.unavailable() : null;
  return { records: c.kernel, of: c.all, ...(off ? { off } : {}) };
}

/** Carried between chunks: the field count of the first record (the header), used to spot runaway quotes. */
export interface TokenizerState {
  expected: number;
}

const QUOTE = 34, LF = 10, CR = 13;

/**
 * The tokenizer's state between text chunks: the unconsumed tail (an incomplete last record), the line the next
 * record starts on, and the header's field count. The parallel reader (csv-segments.ts) runs one per byte range of
 * a file: a range parsed to its end with an empty `carry` ended on a record boundary, so the next range may be
 * tokenized on its own from there.
 */
export class CsvTokenizer {
  carry = '';
  line: number;
  readonly state: TokenizerState;
  private bom: boolean;
  private readonly delim: number;
  /** The compiled kernel, made on the first ASCII chunk (null: none in this runtime, or turned off). */
  private kernel: CsvKernel | null | undefined;
  /** Records tokenized by the kernel, and in all. */
  readonly counts: TokenizerCounts = { kernel: 0, all: 0 };

  constructor(opts: CsvTokenizerOptions & { startLine?: number; expected?: number; bom?: boolean } = {}) {
    this.delim = (opts.delimiter ?? ',').charCodeAt(0);
    this.line = opts.startLine ?? 1;
    this.state = { expected: opts.expected ?? 0 };
    this.bom = opts.bom ?? true;
  }

  /**
   * The complete records of carry + chunk (null when there are none yet). `ascii`: the chunk's bytes when all are
   * ASCII; the compiled kernel then tokenizes it (when nothing is carried over from the chunk before), and `chunkText`
   * may be null (its text is made only if asked for).
   */
  push(chunkText: string | null, ascii: Uint8Array | null = null): RowBatch | null {
    if (ascii !== null && this.carry.length === 0) {
      if (this.kernel === undefined) this.kernel = CsvKernel.shared();
      if (this.kernel !== null) {
        this.bom = false; // an ASCII chunk holds no byte order mark
        const res = this.kernel.tokenize(ascii, chunkText, this.line, this.delim, false, this.state);
        this.carry = res.consumed < ascii.length ? latin1(ascii.subarray(res.consumed)) : '';
        this.line = res.nextLine;
        this.counts.kernel += res.batch.n;
        this.counts.all += res.batch.n;
        return res.batch.n > 0 ? res.batch : null;
      }
    }
    let chunk = chunkText ?? latin1(ascii!);
    if (this.bom && chunk.length) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      this.bom = false;
    }
    // join, not +: a concatenation is a rope that every charCodeAt below walks through (tokenizing took 1.5x as long)
    const text = this.carry.length ? [this.carry, chunk].join('') : chunk;
    const res = tokenizeText(text, this.line, this.delim, false, this.state);
    this.carry = text.slice(res.consumed);
    this.line = res.nextLine;
    this.counts.all += res.batch.n;
    return res.batch.n > 0 ? res.batch : null;
  }

  /** End of the input: the last record, however it ends (an unterminated quote becomes a malformed record). */
  finish(): RowBatch | null {
    if (!this.carry.length) return null;
    const res = tokenizeText(this.carry, this.line, this.delim, true, this.state);
    this.carry = '';
    this.line = res.nextLine;
    this.counts.all += res.batch.n;
    return res.batch.n > 0 ? res.batch : null;
  }
}

/** Tokenize a stream of decoded text chunks (e.g. fs.createReadStream(path, { encoding: 'utf8' })). */
export async function* tokenizeCsv(chunks: AsyncIterable<string | Buffer | TextChunk>, opts: CsvTokenizerOptions = {}, tok = new CsvTokenizer(opts)): AsyncGenerator<RowBatch> {
  for await (const raw of chunks) {
    const b = typeof raw === 'string' ? tok.push(raw) : Buffer.isBuffer(raw) ? tok.push(raw.toString('utf8')) : tok.push(raw.text, raw.ascii);
    if (b) yield b;
  }
  const b = tok.finish();
  if (b) yield b;
}

/** Tokenize complete records of `text`; unless `final`, an unterminated last record is left unconsumed. */
export function tokenizeText(text: string, startLine: number, delim: number, final: boolean, state: TokenizerState = { expected: 0 }): { batch: RowBatch; consumed: number; nextLine: number } {
  const len = text.length;
  // field spans, two entries per field; `nf` fields so far (a record cut short is undone by resetting nf)
  // sized for the chunk (about one field per 8 chars) so that it rarely grows; it is returned as a view
  let span = new Int32Array(Math.max(8192, len >> 2));
  let nf = 0;
  let rewritten: Map<number, string> | undefined;
  const addField = (start: number, end: number) => {
    if (2 * nf + 2 > span.length) span = grow(span, span.length * 2);
    span[2 * nf] = start; span[2 * nf + 1] = end;
    nf++;
  };
  let cap = Math.max(1024, len >> 5);
  let fieldStart = new Int32Array(cap + 1), lineArr = new Int32Array(cap), rawStart = new Int32Array(cap), rawEnd = new Int32Array(cap);
  let bad: Uint8Array | undefined;
  let n = 0;
  let pos = 0;
  let line = startLine;
  let consumed = 0;
  let consumedLine = line;

  outer: while (pos < len) {
    const recStart = pos;
    const recLine = line;
    const fieldsBefore = nf;
    // blank line: skip, but count it
    let c = text.charCodeAt(pos);
    if (c === LF || (c === CR && pos + 1 < len && text.charCodeAt(pos + 1) === LF)) {
      pos += c === LF ? 1 : 2;
      line++;
      consumed = pos; consumedLine = line;
      continue;
    }
    if (c === CR && pos + 1 >= len && !final) break; // a lone CR at chunk end may be half of CRLF
    let recEnd = -1;
    let multiLine = false, malformed = false;
    for (;;) {
      // one field starting at pos
      if (pos < len && text.charCodeAt(pos) === QUOTE) {
        let q = pos + 1;
        const fieldLine = line;
        let escaped = false;
        let closed = -1, runaway = false;
        const limit = Math.min(len, pos + 1 + MAX_QUOTED_CHARS);
        while (q < limit) {
          const ch = text.charCodeAt(q);
          if (ch === QUOTE) {
            if (q + 1 < len && text.charCodeAt(q + 1) === QUOTE) { escaped = true; q += 2; continue; }
            if (q + 1 >= len && !final) break; // can't tell "" from a closing quote yet
            closed = q;
            break;
          }
          if (ch === LF) {
            multiLine = true;
            if (++line - recLine > MAX_QUOTED_LINES) { runaway = true; break; }
          }
          q++;
        }
        if (closed < 0) {
          if (!runaway && !final && limit === len) { nf = fieldsBefore; line = recLine; break outer; }
          // never closes (end of file) or runs away: cut the record at its first line end
          malformed = true;
          break;
        }
        const vStart = pos + 1;
        pos = closed + 1;
        // tolerate junk between the closing quote and the delimiter (kept, not dropped) — unless the field spans
        // lines: then the "closing" quote is most likely the opening quote of a later row's field
        let junkEnd = pos;
        if (pos < len) {
          const ch = text.charCodeAt(pos);
          if (ch !== delim && ch !== LF && ch !== CR) {
            if (line > fieldLine) { malformed = true; break; }
            let e = pos;
            while (e < len) { const d = text.charCodeAt(e); if (d === delim || d === LF || d === CR) break; e++; }
            junkEnd = e;
            pos = e;
          }
        }
        if (escaped || junkEnd > closed + 1) {
          let v = text.slice(vStart, closed);
          if (escaped) v = v.replaceAll('""', '"');
          (rewritten ??= new Map()).set(nf, v + text.slice(closed + 1, junkEnd));
        }
        addField(vStart, closed);
      } else {
        let e = pos;
        while (e < len) { const d = text.charCodeAt(e); if (d === delim || d === LF || d === CR) break; e++; }
        addField(pos, e);
        pos = e;
      }
      // after a field: delimiter, end of record, or end of text
      if (pos >= len) {
        if (!final) { nf = fieldsBefore; line = recLine; break outer; }
        recEnd = len;
        break;
      }
      const d = text.charCodeAt(pos);
      if (d === delim) { pos++; continue; }
      if (d === LF) { recEnd = pos; pos++; line++; break; }
      // CR: CRLF or a lone CR (ends the record either way)
      if (pos + 1 >= len && !final) { nf = fieldsBefore; line = recLine; break outer; }
      recEnd = pos;
      pos += pos + 1 < len && text.charCodeAt(pos + 1) === LF ? 2 : 1;
      line++;
      break;
    }
    const count = nf - fieldsBefore;
    if (!malformed && multiLine && state.expected > 0 && count !== state.expected) malformed = true;
    if (malformed) {
      // resynchronise: the record is only its first physical line; the next line is read afresh
      nf = fieldsBefore;
      if (rewritten) for (const k of rewritten.keys()) if (k >= nf) rewritten.delete(k);
      let e = recStart;
      while (e < len) { const d = text.charCodeAt(e); if (d === LF || d === CR) break; e++; }
      // wait for more text when the line end is not here yet, or is a CR that may be half of a CRLF
      if (!final && (e >= len || (e + 1 >= len && text.charCodeAt(e) === CR))) { line = recLine; break outer; }
      recEnd = e;
      pos = e >= len ? len : e + (text.charCodeAt(e) === CR && e + 1 < len && text.charCodeAt(e + 1) === LF ? 2 : 1);
      line = recLine + 1;
    } else if (state.expected === 0) state.expected = count;
    if (n === cap) {
      cap *= 2;
      fieldStart = grow(fieldStart, cap + 1); lineArr = grow(lineArr, cap); rawStart = grow(rawStart, cap); rawEnd = grow(rawEnd, cap);
      if (bad) bad = growU8(bad, cap);
    }
    if (malformed) (bad ??= new Uint8Array(cap))[n] = MALFORMED_QUOTE;
    fieldStart[n] = fieldsBefore;
    lineArr[n] = recLine;
    rawStart[n] = recStart;
    rawEnd[n] = recEnd;
    n++;
    consumed = pos; consumedLine = line;
  }
  fieldStart[n] = nf;
  // spans of a record undone at the end (incomplete) may hold rewritten entries past nf: drop them
  if (rewritten) for (const k of rewritten.keys()) if (k >= nf) rewritten.delete(k);
  return {
    batch: {
      n, span: span.subarray(0, 2 * nf), rewritten, fieldStart: fieldStart.subarray(0, n + 1), line: lineArr.subarray(0, n), text, rawStart: rawStart.subarray(0, n), rawEnd: rawEnd.subarray(0, n),
      malformed: bad?.subarray(0, n),
    },
    consumed,
    nextLine: consumedLine,
  };
}

function growU8(a: Uint8Array, size: number): Uint8Array {
  const b = new Uint8Array(size);
  b.set(a);
  return b;
}

function grow(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** Bytes (all below 128) as the string of the same characters. */
export function latin1(ascii: Uint8Array): string {
  return Buffer.from(ascii.buffer, ascii.byteOffset, ascii.byteLength).toString('latin1');
}

/** The text of field f of a batch (see RowBatch.fields). */
export function fieldText(b: RowBatch, f: number): string {
  if (b.fields) return b.fields[f];
  const r = b.rewritten?.get(f);
  return r !== undefined ? r : b.text.slice(b.span![2 * f], b.span![2 * f + 1]);
}

/** The fields of record i as strings. */
export function recordFields(b: RowBatch, i: number): string[] {
  const out: string[] = [];
  for (let f = b.fieldStart[i]; f < b.fieldStart[i + 1]; f++) out.push(fieldText(b, f));
  return out;
}
