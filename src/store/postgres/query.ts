/**
 * Reading incidents and summaries back out of PostgreSQL, answering exactly as the embedded store does
 * (src/data/store-query.ts): same filters, same order (time, then id in byte order whatever the database's
 * collation), same summaries. Rectangles use the GiST index on the PostGIS point; polygons are narrowed by
 * their box there and tested exactly here with the same point-in-polygon rule as the embedded store.
 */
import type { Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { IncidentTable } from '../../data/incident-table.js';
import { pointInPolygon } from '../../data/polygon-filter.js';
import { queryBox, toMs, type DatasetInfo, type IncidentQuery, type StoreInfo } from '../../data/store-query.js';
import { UserError } from '../../util/errors.js';
import { copyRows, parseCopyField } from './copy-text.js';

/** Stored times a JavaScript Date can hold (as in the embedded store: older stores may hold year 279,000). */
const READABLE_T = 'abs(extract(epoch FROM t) * 1000) <= 8.64e15';

/** SQL literal for COPY (which takes no parameters): a quoted string, or a finite number. */
function lit(v: string | number): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new UserError(`bad number ${v} in the query`);
    return String(v);
  }
  return `'${v.replace(/'/g, "''")}'`;
}

export async function pgLoadIncidents(pool: Pool, q: IncidentQuery = {}): Promise<IncidentTable> {
  const client = await pool.connect();
  try {
    // one snapshot for the zone, category, count and row queries, so an ingest landing meanwhile cannot skew them
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const table = await loadInSnapshot(client, q);
    await client.query('COMMIT');
    return table;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function loadInSnapshot(client: PoolClient, q: IncidentQuery): Promise<IncidentTable> {
  const where: string[] = [];
  if (q.dataset !== undefined) where.push(`dataset = ${lit(q.dataset)}`);
  const zones = (await client.query(`SELECT tz FROM incidents ${where.length ? `WHERE ${where[0]}` : ''} GROUP BY tz ORDER BY tz COLLATE "C"`)).rows.map((r) => r.tz as string);
  if (zones.length > 1) throw new UserError(`the selection mixes time zones (${zones.join(', ')})`, 'choose one --dataset');
  const tz = zones[0] ?? 'UTC';
  if (q.from !== undefined) where.push(`t >= to_timestamp(${lit(Math.round(toMs(q.from, 'from', tz)))}::float8 / 1000)`);
  if (q.to !== undefined) where.push(`t < to_timestamp(${lit(Math.round(toMs(q.to, 'to', tz, true)))}::float8 / 1000)`);
  if (q.categories?.length) where.push(`category IN (${q.categories.map(lit).join(', ')})`);
  const box = queryBox(q);
  if (box) {
    const [x0, y0, x1, y1] = box.map(lit);
    // && finds candidates through the index; the exact comparisons match the embedded store's inclusive bounds
    where.push(`geom && ST_MakeEnvelope(${x0}, ${y0}, ${x1}, ${y1}, 4326) AND lon >= ${x0} AND lat >= ${y0} AND lon <= ${x1} AND lat <= ${y1}`);
  }
  const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';

  const cats = await client.query(`SELECT category FROM incidents ${cond} GROUP BY category ORDER BY count(*) DESC, category COLLATE "C"`);
  const categories = cats.rows.map((r) => r.category as string);
  const catIndex = new Map(categories.map((c, i) => [c, i]));
  const cap = Number((await client.query(`SELECT count(*) AS n FROM incidents ${cond}`)).rows[0].n);
  const t = new Float64Array(cap), lat = new Float64Array(cap), lon = new Float64Array(cap), cat = new Uint16Array(cap);
  const id: string[] = [];
  const attrJson: (string | null)[] = [];
  const poly = q.polygon;
  let n = 0;
  const stream = client.query(copyTo(
    `COPY (SELECT id, (extract(epoch FROM t) * 1000)::float8, category, lat, lon${q.withAttrs ? ', attrs::text' : ''}
     FROM incidents ${cond} ORDER BY t, id COLLATE "C") TO STDOUT`));
  for await (const rows of copyRows(stream)) {
    for (const f of rows) {
      const la = Number(f[3]), lo = Number(f[4]);
      if (poly && !pointInPolygon(lo, la, poly)) continue;
      id.push(parseCopyField(f[0])!); t[n] = Number(f[1]); lat[n] = la; lon[n] = lo;
      cat[n] = catIndex.get(parseCopyField(f[2])!)!;
      if (q.withAttrs) attrJson.push(parseCopyField(f[5]));
      n++;
    }
  }
  return {
    n, id, t: t.slice(0, n), lat: lat.slice(0, n), lon: lon.slice(0, n), cat: cat.slice(0, n), categories,
    tz, attrs: q.withAttrs ? { json: attrJson } : undefined,
  };
}

export async function pgStoreInfo(pool: Pool, location: string, dataset?: string): Promise<StoreInfo> {
  const names = (await pool.query(
    `SELECT dataset FROM (SELECT dataset FROM incidents UNION SELECT dataset FROM rejects UNION SELECT dataset FROM ingests) d
     ORDER BY dataset COLLATE "C"`)).rows.map((r) => r.dataset as string);
  if (dataset !== undefined && !names.includes(dataset)) {
    throw new UserError(`no dataset "${dataset}" in the store`, names.length ? `datasets: ${names.join(', ')}` : 'the store is empty: run crimecast ingest first');
  }
  const out: DatasetInfo[] = [];
  for (const ds of dataset !== undefined ? [dataset] : names) {
    const r = (await pool.query(
      `SELECT count(*)::float8 AS n, min(tz) AS tz, (extract(epoch FROM min(t)) * 1000)::float8 AS t0, (extract(epoch FROM max(t)) * 1000)::float8 AS t1,
              min(lon) AS x0, min(lat) AS y0, max(lon) AS x1, max(lat) AS y1,
              (SELECT count(*)::float8 FROM incidents WHERE dataset = $1 AND NOT (${READABLE_T})) AS unreadable
       FROM incidents WHERE dataset = $1 AND ${READABLE_T}`, [ds])).rows[0];
    const cats = (await pool.query(
      `SELECT category, count(*)::float8 AS n FROM incidents WHERE dataset = $1 AND ${READABLE_T} GROUP BY category ORDER BY 2 DESC, category COLLATE "C"`, [ds])).rows;
    const rej = (await pool.query('SELECT count(*)::float8 AS n FROM rejects WHERE dataset = $1', [ds])).rows[0].n as number;
    const files = (await pool.query('SELECT DISTINCT file COLLATE "C" AS file FROM ingests WHERE dataset = $1 ORDER BY 1', [ds])).rows.map((f) => f.file as string);
    const n = r.n as number;
    out.push({
      dataset: ds, tz: (r.tz as string | null) ?? '', incidents: n,
      from: n ? new Date(r.t0 as number).toISOString() : null,
      to: n ? new Date(r.t1 as number).toISOString() : null,
      bbox: n ? [r.x0, r.y0, r.x1, r.y1] as [number, number, number, number] : null,
      categories: cats.map((c) => ({ category: c.category as string, count: c.n as number })),
      rejects: rej, files, unreadable: r.unreadable as number,
    });
  }
  return { path: location, datasets: out };
}
