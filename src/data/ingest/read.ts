/**
 * readIncidentFile: one incident file (CSV, GeoJSON or Parquet) → a validated, columnar IncidentTable plus the
 * rejected rows. No store is involved; `ingestFile` in ../store.ts builds on this.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { UserError } from '../../util/errors.js';
import type { IncidentTable } from '../incident-table.js';
import { compiledInfo, CsvTokenizer, recordFields, tokenizeCsv, type RowBatch, type TextChunk } from './csv-tokenizer.js';
import { geoJsonBatch, readGeoJson, GEOMETRY_LAT, GEOMETRY_LON } from './geojson-source.js';
import { readCsvInRanges, readThreads, whyOneThread, RANGE_WORKER_PATH, type ReaderInfo } from './csv-parallel.js';
import { IncidentAccumulator, type AccumulatorOptions, type NormalizeSettings, type ResolvedColumns } from './normalize.js';
import { addReplaced, countReplaced } from './replaced-chars.js';
import { decodeLineAlignedChunks } from './decode-lines.js';
import { fixCp1252 } from './cp1252.js';
import { readParquetRows } from './parquet-source.js';
import type { Reject, RejectReason } from './reject.js';
import { bindColumns, resolveSpec, type ResolvedSpec } from './resolve.js';
import type { Encoding, ReadOptions } from './spec.js';
import { yearWindowMs } from './time-parse.js';

export type { ReadOptions } from './spec.js';
export type { Reject } from './reject.js';

export interface ReadSummary {
  file: string;
  format: 'csv' | 'geojson' | 'parquet';
  preset?: string;
  tz: string;
  /** Data rows seen (header and a dropped first row excluded). */
  rows: number;
  accepted: number;
  rejected: number;
  rejectsByReason: Partial<Record<RejectReason, number>>;
  /** Accepted rows whose time was a date only (placed at local midnight). */
  dateOnly: number;
  /** True when ids are content hashes (the source has no id column). */
  hashedIds: boolean;
  /** Characters that could not be decoded (U+FFFD) and the rows holding them (first lines listed); kept, not rejected. */
  encoding: { name: Encoding; replaced: number; rows: number; lines: number[] };
  /** CSV only: how many threads read the file, and why one when one did. */
  reader?: ReaderInfo;
  seconds: number;
}

export interface ReadResult {
  table: IncidentTable;
  rejects: Reject[];
  summary: ReadSummary;
  /** Source line (1-based) of each accepted row, parallel to the table. */
  lines: Int32Array;
}

export function detectFormat(path: string): 'csv' | 'geojson' | 'parquet' {
  const ext = extname(path).toLowerCase();
  if (ext === '.geojson' || ext === '.json') return 'geojson';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  return 'csv';
}

export async function readIncidentFile(path: string, opts: ReadOptions = {}): Promise<ReadResult> {
  const scan = await scanIncidentFile(path, opts);
  const { table, lines } = scan.acc.finish();
  return { table, rejects: scan.acc.rejects, lines, summary: scan.summary() };
}

/** What every row of `file` is validated against (one place, so a range read on another thread checks the same). */
export function normalizeSettings(spec: ResolvedSpec, file: string): NormalizeSettings {
  return {
    file, tz: spec.tz, timeFormat: spec.timeFormat, coords: spec.coords, bbox: spec.bbox, bboxFrom: spec.bboxFrom,
    timeWindow: yearWindowMs(spec.years),
  };
}

export interface FileScan {
  acc: IncidentAccumulator;
  summary(): ReadSummary;
}

/**
 * Read and validate a file batch by batch into an IncidentAccumulator; `onBatch` runs after each batch (the store
 * drains the accumulator there, so memory stays bounded by one batch).
 */
export async function scanIncidentFile(path: string, opts: ReadOptions = {}, onBatch?: (acc: IncidentAccumulator) => Promise<void> | void,
  accOpts: AccumulatorOptions = {}): Promise<FileScan> {
  const started = performance.now();
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new UserError(`cannot read ${path}: it is ${st.isDirectory() ? 'a directory' : 'not a regular file'}`, 'give the path of an incident file');
    size = st.size;
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  const spec = resolveSpec(opts);
  const format = opts.format ?? detectFormat(path);
  const file = basename(path);
  const settings = normalizeSettings(spec, file);
  let acc: IncidentAccumulator | undefined;
  let skipFirst = opts.dropFirstRow === true;
  const enc = { name: spec.encoding, replaced: 0, rows: 0, lines: [] as number[] };
  let reader: ReaderInfo | undefined;
  const feed = async (batch: RowBatch, from: number) => {
    if (skipFirst && from < batch.n) { from++; skipFirst = false; }
    countReplaced(batch, from, enc);
    acc!.addBatch(batch, from);
    await onBatch?.(acc!);
  };

  try {
    await readFormat();
  } catch (err) {
    // a file system error while reading (EACCES, EIO, …) names the file; the store's own errors pass through
    const e = err as NodeJS.ErrnoException;
    if (!(err instanceof UserError) && typeof e?.code === 'string' && typeof e.syscall === 'string') {
      throw new UserError(`cannot read ${path}: ${e.code}`, 'check the file exists, is readable and is not being written');
    }
    throw err;
  }
  if (!acc) throw new UserError(`${file}: the file is empty`);
  const a = acc;
  return {
    acc: a,
    summary(): ReadSummary {
      const rejectsByReason: Partial<Record<RejectReason, number>> = {};
      for (const r of a.rejects) rejectsByReason[r.reason] = (rejectsByReason[r.reason] ?? 0) + 1;
      return {
        file, format, preset: spec.presetName, tz: spec.tz,
        rows: a.rows, accepted: a.rows - a.rejects.length, rejected: a.rejects.length, rejectsByReason,
        dateOnly: a.dateOnly, hashedIds: a.hashedIds, encoding: { ...enc, lines: enc.lines.slice() }, ...(reader ? { reader } : {}),
        seconds: (performance.now() - started) / 1000,
      };
    },
  };

  async function readFormat(): Promise<void> {
    if (format === 'csv') {
      const delimiter = opts.delimiter ?? (extname(path).toLowerCase() === '.tsv' ? '\t' : undefined);
      let bound: ResolvedColumns | null = null;
      const onCsvBatch = async (batch: RowBatch) => {
        let from = 0;
        if (!acc) {
          let names: string[];
          if (spec.header) {
            names = recordFields(batch, 0).map((s) => s.trim());
            from = 1;
          } else {
            names = spec.names ?? Array.from({ length: batch.fieldStart[1] - batch.fieldStart[0] }, (_, i) => `col${i + 1}`);
          }
          bound = bindColumns(spec, names, file);
          // ~32 bytes a row at least: sizes the repeat counter once instead of growing it (35 ms of rehashing at 321k rows)
          acc = new IncidentAccumulator(bound, settings, { ...accOpts, rowsHint: Math.ceil(size / 32) });
        }
        await feed(batch, from);
      };
      if (opts.rangeBytes !== undefined && !(Number.isInteger(opts.rangeBytes) && opts.rangeBytes >= 1)) {
        throw new UserError(`rangeBytes must be a whole number of bytes ≥ 1, got ${opts.rangeBytes}`);
      }
      // a range size the caller chose also lifts the small-file floor (tests split a small file on purpose)
      const why = whyOneThread(size, readThreads(opts.readThreads), RANGE_WORKER_PATH, opts.rangeBytes !== undefined ? 0 : undefined);
      if (why === null) {
        reader = await readCsvInRanges({
          path, size, encoding: spec.encoding, delimiter, rangeBytes: opts.rangeBytes, onBatch: onCsvBatch,
          // a range's accumulator sees part of the file: repeats are counted as the parts are absorbed here
          workerInit: () => (bound ? { cols: bound, settings, accOpts: { ...accOpts, countRepeats: false } } : null),
          absorb: async (part, e, lineOffset) => {
            acc!.absorb(part, lineOffset);
            addReplaced(enc, e, lineOffset);
            await onBatch?.(acc!);
          },
          onProgress: opts.onProgress,
        });
        return;
      }
      const stream = createReadStream(path, { highWaterMark: 1 << 20 });
      const tok = new CsvTokenizer({ delimiter });
      try {
        for await (const batch of tokenizeCsv(decodeChunks(stream, spec.encoding), { delimiter }, tok)) {
          await onCsvBatch(batch);
          opts.onProgress?.(stream.bytesRead, size);
        }
      } finally {
        stream.destroy();
      }
      reader = { threads: 1, ranges: 1, workerRanges: 0, reparsed: 0, why, compiled: compiledInfo(tok.counts) };
    } else if (format === 'geojson') {
      const doc = await readGeoJson(path, decoder(spec.encoding));
      const gs = geoSpec(spec, opts);
      // bind against every property, then materialise only the columns used (bounded memory whatever the key count)
      const keep = usedColumns(bindColumns(gs, doc.names, file, true));
      const names = keep.map((k) => doc.names[k]);
      acc = new IncidentAccumulator(bindColumns(gs, names, file, true), settings, accOpts);
      await feed(geoJsonBatch(doc, keep), 0);
      opts.onProgress?.(size, size);
    } else {
      for await (const { names, batch } of readParquetRows(path)) {
        acc ??= new IncidentAccumulator(bindColumns({ ...spec, header: true }, names, file), settings, accOpts);
        await feed(batch, 0);
      }
      opts.onProgress?.(size, size);
    }
  }
}

/**
 * The raw text of the records that start on `lines` (GeoJSON: feature numbers; Parquet: row numbers), read again
 * from the file. For the rare rows judged after staging (conflicting duplicates), whose text is not kept.
 */
export async function rawRecordsAt(path: string, opts: ReadOptions, lines: ReadonlySet<number>): Promise<Map<number, string>> {
  const spec = resolveSpec(opts);
  const out = new Map<number, string>();
  const pick = (b: RowBatch) => {
    for (let i = 0; i < b.n; i++) if (lines.has(b.line[i])) out.set(b.line[i], b.text.slice(b.rawStart[i], b.rawEnd[i]));
  };
  const format = opts.format ?? detectFormat(path);
  if (format === 'csv') {
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    try {
      const delimiter = opts.delimiter ?? (extname(path).toLowerCase() === '.tsv' ? '\t' : undefined);
      for await (const b of tokenizeCsv(decodeChunks(stream, spec.encoding), { delimiter })) pick(b);
    } finally {
      stream.destroy();
    }
  } else if (format === 'geojson') {
    pick(geoJsonBatch(await readGeoJson(path, decoder(spec.encoding)), []));
  } else {
    for await (const { batch } of readParquetRows(path)) pick(batch);
  }
  return out;
}

/** Byte chunks → text in the chosen encoding (streaming: a character split across chunks is kept whole). */
function decodeChunks(bytes: AsyncIterable<Buffer>, encoding: Encoding): AsyncGenerator<TextChunk> {
  return decodeLineAlignedChunks(bytes, encoding, true);
}

function decoder(encoding: Encoding): (b: Uint8Array) => string {
  const dec = new TextDecoder(encoding);
  return (b) => (encoding === 'utf-8' ? dec.decode(b) : fixCp1252(dec.decode(b)));
}

/** Indices of the columns a binding uses, ascending. */
function usedColumns(c: ReturnType<typeof bindColumns>): number[] {
  const s = new Set([...c.id, c.time, c.date, c.lat, c.lon, c.x, c.y, c.category, ...c.attrs].filter((k) => k >= 0));
  return [...s].sort((a, b) => a - b);
}

/** GeoJSON: location comes from the point geometry unless a lat/lon column was named explicitly. */
function geoSpec(spec: ResolvedSpec, opts: ReadOptions): ResolvedSpec {
  const columns = { ...spec.columns };
  if (opts.latCol === undefined) { columns.lat = GEOMETRY_LAT; columns.lon = GEOMETRY_LON; }
  if (opts.xCol === undefined) { delete columns.x; delete columns.y; }
  return { ...spec, header: true, columns };
}
