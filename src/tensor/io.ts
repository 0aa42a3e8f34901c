/**
 * Count tensors on disk. `.npy` holds the float32 (periods, regions, categories) array and a sidecar
 * `<file>.meta.json` holds the axes (period starts, region ids, category names, unit, zone), so numpy users
 * get a plain array and CrimeCast reads back the full tensor. The long CSV (period_start, region, category,
 * count) is self-describing: period starts are local ISO times with their UTC offset.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { isoLocal, parsePeriodUnit } from '../time/bins.js';
import { UserError } from '../util/errors.js';
import { createTensor, type CountTensor, type PeriodUnit } from './count-tensor.js';
import { readNpy, writeNpy } from './npy.js';

export interface TensorMeta {
  format: 'crimecast-tensor/1';
  shape: [number, number, number];
  unit: PeriodUnit;
  tz: string;
  periodStart: string[];
  regionIds: string[];
  categoryNames: string[];
}

export function tensorMeta(t: CountTensor): TensorMeta {
  return {
    format: 'crimecast-tensor/1',
    shape: [t.periods, t.regions, t.categories],
    unit: t.unit,
    tz: t.tz,
    periodStart: Array.from(t.periodStart, (ms) => isoLocal(ms, t.tz)),
    regionIds: [...t.regionIds],
    categoryNames: [...t.categoryNames],
  };
}

export const metaPath = (path: string) => `${path}.meta.json`;

export function writeTensorNpy(path: string, t: CountTensor): void {
  writeNpy(path, t.data, [t.periods, t.regions, t.categories]);
  writeFileSync(metaPath(path), JSON.stringify(tensorMeta(t)) + '\n');
}

function parseInstant(s: string, what: string): number {
  const ms = Date.parse(s);
  if (!Number.isFinite(ms)) throw new UserError(`bad ${what} "${s}" (expected an ISO time such as 2017-03-12T00:00:00-06:00)`);
  return ms;
}

export function readTensorNpy(path: string): CountTensor {
  const mp = metaPath(path);
  if (!existsSync(mp)) throw new UserError(`${mp} not found`, 'a CrimeCast tensor .npy comes with a .meta.json sidecar naming its axes');
  const meta = JSON.parse(readFileSync(mp, 'utf8')) as TensorMeta;
  if (meta.format !== 'crimecast-tensor/1') throw new UserError(`${mp}: unknown format ${String(meta.format)}`);
  const a = readNpy(path);
  const [P, R, C] = meta.shape;
  if (a.shape.length !== 3 || a.shape[0] !== P || a.shape[1] !== R || a.shape[2] !== C) throw new UserError(`${path}: shape (${a.shape}) differs from its metadata (${meta.shape})`);
  const data = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data as ArrayLike<number>);
  return createTensor({
    periods: P, regions: R, categories: C,
    categoryNames: meta.categoryNames, regionIds: meta.regionIds,
    periodStart: Float64Array.from(meta.periodStart, (s) => parseInstant(s, 'period start')),
    unit: parsePeriodUnit(meta.unit), tz: meta.tz,
  }, data);
}

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Long CSV, every cell (zeros included, so periods and regions without incidents survive the round trip). */
export function tensorToCsv(t: CountTensor): string {
  const lines = ['period_start,region,category,count'];
  const regions = t.regionIds.map(csvField), cats = t.categoryNames.map(csvField);
  for (let p = 0; p < t.periods; p++) {
    const ps = isoLocal(t.periodStart[p], t.tz);
    for (let r = 0; r < t.regions; r++) {
      const base = (p * t.regions + r) * t.categories;
      for (let c = 0; c < t.categories; c++) lines.push(`${ps},${regions[r]},${cats[c]},${t.data[base + c]}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function writeTensorCsv(path: string, t: CountTensor): void {
  writeFileSync(path, tensorToCsv(t));
  writeFileSync(metaPath(path), JSON.stringify({ ...tensorMeta(t), periodStart: undefined }) + '\n');
}

/**
 * Read a long CSV back. Axes come in first-seen order; unit and zone come from the sidecar when present,
 * otherwise from `opts` (zone default UTC) or, for the unit, from the spacing of the first two periods.
 */
export function readTensorCsv(path: string, opts: { unit?: PeriodUnit; tz?: string } = {}): CountTensor {
  const rows = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const need = ['period_start', 'region', 'category', 'count'];
  if (rows.length > 0) for (const k of need) if (!(k in rows[0])) throw new UserError(`${path}: missing column ${k} (need ${need.join(', ')})`);
  const mp = metaPath(path);
  const meta = existsSync(mp) ? (JSON.parse(readFileSync(mp, 'utf8')) as Partial<TensorMeta>) : {};
  const pIdx = new Map<string, number>(), rIdx = new Map<string, number>(), cIdx = new Map<string, number>();
  const key = (m: Map<string, number>, k: string) => {
    let v = m.get(k);
    if (v === undefined) m.set(k, (v = m.size));
    return v;
  };
  const triples = new Int32Array(rows.length * 3), counts = new Float32Array(rows.length);
  rows.forEach((row, i) => {
    triples[3 * i] = key(pIdx, row.period_start);
    triples[3 * i + 1] = key(rIdx, row.region);
    triples[3 * i + 2] = key(cIdx, row.category);
    const v = Number(row.count);
    if (!Number.isFinite(v)) throw new UserError(`${path}: bad count "${row.count}" on data row ${i + 1}`);
    counts[i] = v;
  });
  const P = pIdx.size, R = rIdx.size, C = cIdx.size;
  const data = new Float32Array(P * R * C);
  for (let i = 0; i < rows.length; i++) data[(triples[3 * i] * R + triples[3 * i + 1]) * C + triples[3 * i + 2]] += counts[i];
  const periodStart = Float64Array.from(pIdx.keys(), (s) => parseInstant(s, 'period_start'));
  let unit = meta.unit ?? opts.unit;
  if (!unit) {
    const gapH = P > 1 ? (periodStart[1] - periodStart[0]) / 3_600_000 : 24;
    unit = gapH <= 1 ? 'hour' : gapH <= 25 ? 'day' : gapH <= 169 ? 'week' : 'month';
  }
  return createTensor({
    periods: P, regions: R, categories: C,
    categoryNames: [...cIdx.keys()], regionIds: [...rIdx.keys()], periodStart,
    unit: parsePeriodUnit(unit), tz: meta.tz ?? opts.tz ?? 'UTC',
  }, data);
}

/** Write by extension: .npy or .csv. */
export function writeTensorFile(path: string, t: CountTensor): void {
  if (path.endsWith('.npy')) writeTensorNpy(path, t);
  else if (path.endsWith('.csv')) writeTensorCsv(path, t);
  else throw new UserError(`cannot tell the tensor format of "${path}"`, 'end the file name with .npy or .csv');
}

export function readTensorFile(path: string): CountTensor {
  if (path.endsWith('.npy')) return readTensorNpy(path);
  if (path.endsWith('.csv')) return readTensorCsv(path);
  throw new UserError(`cannot tell the tensor format of "${path}"`, 'end the file name with .npy or .csv');
}
