/**
 * readIncidentFile: one incident file (CSV, GeoJSON or Parquet) → a validated, columnar IncidentTable plus the
 * rejected rows. No store is involved; `ingestFile` in ../store.ts builds on this.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { UserError } from '../../util/errors.js';
import type { IncidentTable } from '../incident-table.js';
import { tokenizeCsv, type RowBatch } from './csv-tokenizer.js';
import { readGeoJsonRows } from './geojson-source.js';
import { IncidentAccumulator } from './normalize.js';
import { readParquetRows } from './parquet-source.js';
import type { Reject, RejectReason } from './reject.js';
import { bindColumns, resolveSpec, type ResolvedSpec } from './resolve.js';
import type { ReadOptions } from './spec.js';

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

export interface FileScan {
  acc: IncidentAccumulator;
  summary(): ReadSummary;
}

/**
 * Read and validate a file batch by batch into an IncidentAccumulator; `onBatch` runs after each batch (the store
 * drains the accumulator there, so memory stays bounded by one batch).
 */
export async function scanIncidentFile(path: string, opts: ReadOptions = {}, onBatch?: (acc: IncidentAccumulator) => Promise<void> | void): Promise<FileScan> {
  const started = performance.now();
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new UserError(`cannot read ${path}: no such file`);
  }
  const spec = resolveSpec(opts);
  const format = opts.format ?? detectFormat(path);
  const file = basename(path);
  const settings = { file, tz: spec.tz, timeFormat: spec.timeFormat, coords: spec.coords, bbox: opts.bbox };
  let acc: IncidentAccumulator | undefined;
  let skipFirst = opts.dropFirstRow === true;
  const feed = async (batch: RowBatch, from: number) => {
    if (skipFirst && from < batch.n) { from++; skipFirst = false; }
    acc!.addBatch(batch, from);
    await onBatch?.(acc!);
  };

  if (format === 'csv') {
    const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
    try {
      const delimiter = opts.delimiter ?? (extname(path).toLowerCase() === '.tsv' ? '\t' : undefined);
      for await (const batch of tokenizeCsv(stream, { delimiter })) {
        let from = 0;
        if (!acc) {
          let names: string[];
          if (spec.header) {
            names = batch.fields.slice(batch.fieldStart[0], batch.fieldStart[1]).map((s) => s.trim());
            from = 1;
          } else {
            names = spec.names ?? Array.from({ length: batch.fieldStart[1] - batch.fieldStart[0] }, (_, i) => `col${i + 1}`);
          }
          acc = new IncidentAccumulator(bindColumns(spec, names, file), settings);
        }
        await feed(batch, from);
        opts.onProgress?.(stream.bytesRead, size);
      }
    } finally {
      stream.destroy();
    }
  } else if (format === 'geojson') {
    const { names, batch } = await readGeoJsonRows(path);
    acc = new IncidentAccumulator(bindColumns(geoSpec(spec, opts), names, file, true), settings);
    await feed(batch, 0);
    opts.onProgress?.(size, size);
  } else {
    for await (const { names, batch } of readParquetRows(path)) {
      acc ??= new IncidentAccumulator(bindColumns({ ...spec, header: true }, names, file), settings);
      await feed(batch, 0);
    }
    opts.onProgress?.(size, size);
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
        dateOnly: a.dateOnly, hashedIds: a.hashedIds,
        seconds: (performance.now() - started) / 1000,
      };
    },
  };
}

/** GeoJSON: location comes from the point geometry unless a lat/lon column was named explicitly. */
function geoSpec(spec: ResolvedSpec, opts: ReadOptions): ResolvedSpec {
  const columns = { ...spec.columns };
  if (opts.latCol === undefined) { columns.lat = '__lat'; columns.lon = '__lon'; }
  if (opts.xCol === undefined) { delete columns.x; delete columns.y; }
  return { ...spec, header: true, columns };
}
