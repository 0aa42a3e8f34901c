/**
 * Reading one CSV file on two threads. The file is cut into byte ranges (csv-range.ts). The main thread reads the
 * first (it holds the header); after that the worker thread (csv-range-worker.ts) and the main thread each take the
 * next unread range, at most AHEAD ranges beyond the one being merged, so memory stays bounded by a few ranges
 * whatever the file's size, and a worker still warming up (its own JIT and time-zone data) simply takes fewer.
 * Results are merged in file order, so rows, rejects, category codes and line numbers are exactly those of a
 * one-thread read (test/data/csv-parallel.test.ts).
 *
 * A cut is only a guess at a record boundary: a line feed inside a quoted field looks the same. A worker's range is
 * used only when everything before it was read to a clean end (no unfinished record); otherwise the main thread reads
 * that range itself, continuing the unfinished record, and the count of such ranges is reported (`reparsed`).
 * Why hand-written: DuckDB's parallel CSV reader cannot give the source line of every row, the per-row reasons, or
 * the unterminated-quote recovery that every accepted and rejected row here needs.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../../util/errors.js';
import { CsvTokenizer, compiledInfo, type RowBatch, type TokenizerCounts } from './csv-tokenizer.js';
import { planRanges, readRangePart, tokenizeRange } from './csv-range.js';
import type { AccumulatorOptions, AccumulatorPart, NormalizeSettings, ResolvedColumns } from './normalize.js';
import type { ReplacedChars } from './replaced-chars.js';
import type { Encoding } from './spec.js';

/**
 * Files smaller than this are read on one thread. Measured with bench/ingest.mjs (3 runs each, 2 vs 1 thread): no
 * gain and +44 MB peak at 19 MB (the second thread's own JIT and time-zone warm-up eat the split), 1.05× at 31 MB,
 * 1.17× at 63 MB, 1.13× at 127 MB, 1.23× at 639 MB.
 */
export const PARALLEL_MIN_BYTES = 32 << 20;
/** Compiled worker entry: vitest runs src/, so the path is resolved from the package root (three levels up). */
export const RANGE_WORKER_PATH = fileURLToPath(new URL('../../../dist/data/ingest/csv-range-worker.js', import.meta.url));

/** How a file was read; `why` says why it was read on one thread. */
export interface ReaderInfo {
  threads: number;
  ranges: number;
  /** Ranges the worker thread read (the main thread read the rest). */
  workerRanges: number;
  /** Ranges read ahead whose start turned out to lie inside a record (a quoted line break): read again in order. */
  reparsed: number;
  why?: string;
  /**
   * Set when the worker failed (its first error): the ranges it had not delivered were read on the main thread, so
   * the result is still complete, and an error in the data itself is raised there with its true line.
   */
  workerFailed?: string;
  /**
   * Records the compiled kernel tokenized (csv-kernel.ts: ASCII chunks), of all records; `off`: why it read none
   * (turned off, or no WebAssembly). The rows are the same either way; only the speed differs.
   */
  compiled?: { records: number; of: number; off?: string };
}

export interface RangeInit { path: string; encoding: Encoding; delimiter?: string; expected: number; cols: ResolvedColumns; settings: NormalizeSettings; accOpts?: AccumulatorOptions }
export interface RangeRequest { index: number; start: number; end: number; last: boolean }
export type RangeDone = { kind: 'range'; index: number; part: AccumulatorPart; enc: ReplacedChars; carry: string; nextLine: number; counts: TokenizerCounts };
/** `here`: the main thread's own read-ahead failed (it reads the range again in order, to raise the error there). */
export type RangeMessage = RangeDone | { kind: 'error'; index: number; message: string; here?: true };

/** Ranges read ahead of the one being merged, at most (bounds memory: each waits as columns until merged). */
const AHEAD = 4;

/**
 * Why a CSV file is read on one thread (null: two threads can be used). `minBytes`: the size below which one thread
 * is used (PARALLEL_MIN_BYTES unless the caller chose the range size itself).
 */
export function whyOneThread(size: number, threads: number, workerPath: string, minBytes = PARALLEL_MIN_BYTES): string | null {
  if (threads <= 1) return threads === 1 && availableParallelism() > 1 ? 'one read thread was asked for' : 'one core';
  if (size < minBytes) return `file under ${(minBytes / 2 ** 20).toFixed(minBytes < 2 ** 20 ? 2 : 0)} MB`;
  if (!existsSync(workerPath)) return `the compiled reader thread ${workerPath} is missing (run \`npm run build\`)`;
  return null;
}

/** Read threads to use: the option, else $CRIMECAST_READ_THREADS, else 2 when the machine has two cores. */
export function readThreads(option?: number): number {
  const env = process.env.CRIMECAST_READ_THREADS;
  const n = option ?? (env ? Number(env) : Math.min(2, availableParallelism()));
  if (!Number.isInteger(n) || n < 1) {
    throw new UserError(`read threads must be a whole number ≥ 1, got ${option ?? env}`, option === undefined ? 'set CRIMECAST_READ_THREADS to 1 or 2, or unset it' : 'give 1 or 2');
  }
  return Math.min(n, 2);
}

export interface ParallelReadArgs {
  path: string;
  size: number;
  encoding: Encoding;
  delimiter?: string;
  /** Target range size (default: a 32nd of the file, between 1 and 8 MB). */
  rangeBytes?: number;
  workerPath?: string;
  /** Every batch the main thread reads straight into the result, in file order (the first holds the header). */
  onBatch(b: RowBatch): Promise<void>;
  /** What a range reader needs to validate rows (null until the first batch has bound the columns). */
  workerInit(): Omit<RangeInit, 'path' | 'encoding' | 'delimiter' | 'expected'> | null;
  /** A range read on its own, in file order: its lines count from 1, so add `lineOffset`. */
  absorb(part: AccumulatorPart, enc: ReplacedChars, lineOffset: number): Promise<void>;
  onProgress?(done: number, size: number): void;
}

export async function readCsvInRanges(a: ParallelReadArgs): Promise<ReaderInfo> {
  const worker = new Worker(a.workerPath ?? RANGE_WORKER_PATH); // first: its start-up overlaps everything below
  const rangeBytes = a.rangeBytes ?? Math.min(8 << 20, Math.max(1 << 20, Math.ceil(a.size / 32)));
  const cuts = planRanges(a.path, a.size, rangeBytes);
  const R = cuts.length - 1;
  const tok = new CsvTokenizer({ delimiter: a.delimiter });
  const info: ReaderInfo = { threads: 2, ranges: R, workerRanges: 0, reparsed: 0 };
  const request = (k: number): RangeRequest => ({ index: k, start: cuts[k], end: cuts[k + 1], last: k === R - 1 });

  // results by range index: a promise per range handed to the worker, a value per range the main thread read ahead
  const fromWorker = new Map<number, { promise: Promise<RangeMessage>; resolve(m: RangeMessage): void }>();
  const readAhead = new Map<number, RangeMessage>();
  let dead: string | null = null;
  const failAll = (why: string) => {
    dead ??= why;
    for (const [index, d] of fromWorker) d.resolve({ kind: 'error', index, message: why });
  };
  worker.on('message', (m: RangeMessage) => fromWorker.get(m.index)?.resolve(m));
  worker.on('error', (e) => failAll(`reader thread failed: ${e.message}`));
  worker.on('exit', (code) => failAll(`reader thread exited (code ${code})`));

  let init: RangeInit | null = null;
  let next = 1; // the first range nobody has taken
  let inFlight = 0; // worker ranges not yet answered
  const feedWorker = (merging: number) => {
    while (init && !dead && inFlight < 2 && next < R && next - merging < AHEAD) {
      const k = next++;
      let resolve!: (m: RangeMessage) => void;
      const promise = new Promise<RangeMessage>((res) => { resolve = res; });
      fromWorker.set(k, { promise, resolve });
      void promise.then(() => { inFlight--; });
      inFlight++;
      worker.postMessage(request(k));
    }
  };
  const onMainBatch = async (b: RowBatch) => {
    await a.onBatch(b);
    if (!init) {
      const w = a.workerInit();
      if (w) {
        init = { ...w, path: a.path, encoding: a.encoding, delimiter: a.delimiter, expected: tok.state.expected };
        worker.postMessage(init);
        feedWorker(0);
      }
    }
  };
  const counts: TokenizerCounts = { kernel: 0, all: 0 };
  const take = async (r: RangeDone, k: number) => {
    counts.kernel += r.counts.kernel; counts.all += r.counts.all;
    const lineOffset = tok.line - 1;
    await a.absorb(r.part, r.enc, lineOffset);
    tok.carry = r.carry;
    tok.line = lineOffset + r.nextLine;
    a.onProgress?.(cuts[k + 1], a.size);
  };

  try {
    await tokenizeRange(a.path, cuts[0], cuts[1], a.encoding, tok, R === 1, onMainBatch);
    a.onProgress?.(cuts[1], a.size);
    for (let k = 1; k < R; k++) {
      feedWorker(k);
      let r: RangeMessage | RangeDone | undefined = readAhead.get(k);
      readAhead.delete(k);
      const w = fromWorker.get(k);
      if (!r && w) {
        // while the worker is on range k, read the next free range here instead of waiting
        let settled = false;
        void w.promise.then(() => { settled = true; });
        while (!settled && init && next < R && next - k < AHEAD) {
          const j = next++;
          readAhead.set(j, await readRangePart(init, request(j)).catch((e: Error) => ({ kind: 'error' as const, index: j, message: e.message, here: true as const })));
          feedWorker(k);
        }
        r = await w.promise;
        fromWorker.delete(k);
      }
      if (r?.kind === 'error' && !r.here) { info.workerFailed ??= r.message; dead ??= r.message; }
      if (r?.kind === 'range' && tok.carry === '') {
        if (w) info.workerRanges++;
        await take(r, k);
        continue;
      }
      // read here, continuing the unfinished record (or never handed out, or the worker failed on it: a problem
      // with the data is then raised with its true line)
      if (r?.kind === 'range') info.reparsed++;
      if (!r && k >= next) next = k + 1;
      await tokenizeRange(a.path, cuts[k], cuts[k + 1], a.encoding, tok, k === R - 1, onMainBatch);
      a.onProgress?.(cuts[k + 1], a.size);
    }
    if (!info.workerRanges) { info.threads = 1; info.why = init ? 'the reader thread finished no range before the main thread' : 'no rows to hand to a second thread'; }
    info.compiled = compiledInfo({ kernel: counts.kernel + tok.counts.kernel, all: counts.all + tok.counts.all });
    return info;
  } finally {
    worker.removeAllListeners('exit');
    void worker.terminate();
  }
}
