/** Reading incidents and summaries back out of the store as columnar tables. */
import { localToUtc } from '../time/zone.js';
import { UserError } from '../util/errors.js';
import type { IncidentTable } from './incident-table.js';
import { pointInPolygon, polygonBBox, type PolygonLike } from './polygon-filter.js';
import type { Store } from './store.js';

export interface IncidentQuery {
  dataset?: string;
  /**
   * Start, inclusive: epoch ms, a Date, an ISO instant, or a local date "YYYY-MM-DD" (midnight in the data's zone).
   */
  from?: number | Date | string;
  /** End: an instant is exclusive; a local date "YYYY-MM-DD" is inclusive (the whole day is kept). */
  to?: number | Date | string;
  categories?: string[];
  /** [minLon, minLat, maxLon, maxLat], or an object with those names. */
  bbox?: [number, number, number, number] | { minLon: number; minLat: number; maxLon: number; maxLat: number };
  /** GeoJSON Polygon or MultiPolygon geometry (lon/lat). */
  polygon?: PolygonLike;
  /** Keep the attrs column (JSON text per row) as table.attrs.json. Default false. */
  withAttrs?: boolean;
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Stored times a JavaScript Date can hold (±8.64e15 ms). Ingest rejects times outside 1900-2100 by default, but a
 * store written before that check may hold e.g. year 279,000, which made `info` and every API read throw: readers
 * skip such rows and `info` counts them (DatasetInfo.unreadable).
 */
const READABLE_T = 'epoch_ms(t) BETWEEN -8640000000000000 AND 8640000000000000';

/** Epoch ms of a query bound; a bare local date is resolved in `tz` (the day after it when `endOfDay`). */
export function toMs(v: number | Date | string, what: string, tz: string, endOfDay = false): number {
  const m = typeof v === 'string' ? LOCAL_DATE.exec(v.trim()) : null;
  if (m) {
    const ms = localToUtc(Number(m[1]), Number(m[2]), Number(m[3]) + (endOfDay ? 1 : 0), 0, 0, 0, 0, tz);
    if (Number.isFinite(ms)) return ms;
  }
  const ms = typeof v === 'number' ? v : v instanceof Date ? v.getTime() : Date.parse(v);
  if (!Number.isFinite(ms)) throw new UserError(`bad ${what} time "${String(v)}"`, 'use an ISO date such as 2017-07-01 or 2017-07-01T00:00:00Z');
  return ms;
}

/** The [minLon, minLat, maxLon, maxLat] box a query's bbox and polygon restrict it to (their intersection), if any. */
export function queryBox(q: IncidentQuery): [number, number, number, number] | undefined {
  let box = q.bbox && !Array.isArray(q.bbox) ? [q.bbox.minLon, q.bbox.minLat, q.bbox.maxLon, q.bbox.maxLat] as [number, number, number, number] : q.bbox as [number, number, number, number] | undefined;
  if (q.polygon) {
    const pb = polygonBBox(q.polygon);
    box = box ? [Math.max(box[0], pb[0]), Math.max(box[1], pb[1]), Math.min(box[2], pb[2]), Math.min(box[3], pb[3])] : pb;
  }
  return box;
}

/** Incidents matching the query, sorted by time then id. */
export async function loadIncidents(store: Store, q: IncidentQuery = {}): Promise<IncidentTable> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const p = (v: string | number) => { params.push(v); return `$${params.length}`; };
  if (q.dataset !== undefined) where.push(`dataset = ${p(q.dataset)}`);
  where.push(READABLE_T);
  // local dates need the data's zone: ask before building the time filter
  const zones = (await store.con.runAndReadAll(`SELECT DISTINCT tz FROM incidents WHERE ${where.join(' AND ')} ORDER BY tz`, params)).getColumns()[0] as string[] ?? [];
  if (zones.length > 1) throw new UserError(`the selection mixes time zones (${zones.join(', ')})`, 'choose one --dataset');
  const tz = zones[0] ?? 'UTC';
  if (q.from !== undefined) where.push(`t >= make_timestamp(${p(Math.round(toMs(q.from, 'from', tz) * 1000))}::BIGINT)`);
  if (q.to !== undefined) where.push(`t < make_timestamp(${p(Math.round(toMs(q.to, 'to', tz, true) * 1000))}::BIGINT)`);
  if (q.categories?.length) where.push(`category IN (${q.categories.map((c) => p(c)).join(', ')})`);
  const box = queryBox(q);
  if (box) where.push(`lon >= ${p(box[0])} AND lat >= ${p(box[1])} AND lon <= ${p(box[2])} AND lat <= ${p(box[3])}`);
  const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';

  const catRows = (await store.con.runAndReadAll(`SELECT category FROM incidents ${cond} GROUP BY category ORDER BY count(*) DESC, category`, params)).getColumns()[0] ?? [];
  const categories = catRows as string[];
  const catIndex = new Map(categories.map((c, i) => [c, i]));

  const countRow = (await store.con.runAndReadAll(`SELECT count(*) FROM incidents ${cond}`, params)).getColumns()[0];
  const cap = Number(countRow[0] ?? 0);
  const t = new Float64Array(cap), lat = new Float64Array(cap), lon = new Float64Array(cap), cat = new Uint16Array(cap);
  const id: string[] = [];
  const attrJson: (string | null)[] = [];
  const result = await store.con.stream(
    `SELECT id, epoch_ms(t)::DOUBLE, category, lat, lon${q.withAttrs ? ', attrs::VARCHAR' : ''} FROM incidents ${cond} ORDER BY t, id`, params,
  );
  let n = 0;
  const poly = q.polygon;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const cols = chunk.getColumns();
    const ids = cols[0] as string[], ts = cols[1] as number[], cs = cols[2] as string[], las = cols[3] as number[], los = cols[4] as number[];
    for (let i = 0; i < chunk.rowCount; i++) {
      if (poly && !pointInPolygon(los[i], las[i], poly)) continue;
      id.push(ids[i]); t[n] = ts[i]; lat[n] = las[i]; lon[n] = los[i]; cat[n] = catIndex.get(cs[i])!;
      if (q.withAttrs) attrJson.push((cols[5] as (string | null)[])[i]);
      n++;
    }
  }
  return {
    n, id, t: t.slice(0, n), lat: lat.slice(0, n), lon: lon.slice(0, n), cat: cat.slice(0, n), categories,
    tz, attrs: q.withAttrs ? { json: attrJson } : undefined,
  };
}

export interface DatasetInfo {
  dataset: string;
  tz: string;
  incidents: number;
  /** ISO UTC instants of the first and last incident. */
  from: string | null;
  to: string | null;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number] | null;
  categories: { category: string; count: number }[];
  rejects: number;
  files: string[];
  /** Incidents whose stored time no reader can use (beyond ±275,000 years; from stores written before ingest checked): skipped. Embedded store. */
  unreadable?: number;
}

export interface StoreInfo {
  path: string;
  datasets: DatasetInfo[];
}

export async function storeInfo(store: Store, dataset?: string): Promise<StoreInfo> {
  const names = ((await store.con.runAndReadAll(
    `SELECT dataset FROM (SELECT dataset FROM incidents UNION SELECT dataset FROM rejects UNION SELECT dataset FROM ingests) ORDER BY dataset`,
  )).getColumns()[0] ?? []) as string[];
  if (dataset !== undefined && !names.includes(dataset)) {
    throw new UserError(`no dataset "${dataset}" in the store`, names.length ? `datasets: ${names.join(', ')}` : 'the store is empty: run crimecast ingest first');
  }
  const out: DatasetInfo[] = [];
  for (const ds of dataset !== undefined ? [dataset] : names) {
    const r = (await store.con.runAndReadAll(
      `SELECT count(*)::DOUBLE, any_value(tz), epoch_ms(min(t))::DOUBLE, epoch_ms(max(t))::DOUBLE, min(lon), min(lat), max(lon), max(lat),
         (SELECT count(*)::DOUBLE FROM incidents WHERE dataset = $1 AND NOT (${READABLE_T}))
       FROM incidents WHERE dataset = $1 AND ${READABLE_T}`, [ds])).getRows()[0] as (number | string | null)[];
    const cats = (await store.con.runAndReadAll(
      `SELECT category, count(*)::DOUBLE FROM incidents WHERE dataset = $1 AND ${READABLE_T} GROUP BY category ORDER BY 2 DESC, 1`, [ds])).getRows();
    const rej = (await store.con.runAndReadAll(`SELECT count(*)::DOUBLE FROM rejects WHERE dataset = $1`, [ds])).getRows()[0][0] as number;
    const files = ((await store.con.runAndReadAll(
      `SELECT DISTINCT file FROM ingests WHERE dataset = $1 ORDER BY file`, [ds])).getColumns()[0] ?? []) as string[];
    const n = r[0] as number;
    out.push({
      dataset: ds, tz: (r[1] as string | null) ?? '', incidents: n,
      from: n ? new Date(r[2] as number).toISOString() : null,
      to: n ? new Date(r[3] as number).toISOString() : null,
      bbox: n ? [r[4] as number, r[5] as number, r[6] as number, r[7] as number] : null,
      categories: cats.map((c) => ({ category: c[0] as string, count: c[1] as number })),
      rejects: rej, files, unreadable: r[8] as number,
    });
  }
  return { path: store.path, datasets: out };
}
