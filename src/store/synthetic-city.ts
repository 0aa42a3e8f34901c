/**
 * A synthetic city for scale tests and benchmarks: incidents around fixed hot spots plus a uniform background
 * over a 24 km × 24 km box (Chicago's latitude), with a weekly cycle and a slow trend, four categories.
 * Deterministic under a seed and streamed in batches, so ten million incidents never sit in memory as text.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { incidentTableFromColumns, type IncidentTable } from '../data/incident-table.js';
import { Rng } from '../util/rng.js';

export interface SyntheticCityOptions {
  incidents: number;
  days?: number;
  seed?: number;
  /** First instant (ISO). */
  start?: string;
  hotspots?: number;
}

export const SYNTHETIC_CATEGORIES = ['THEFT', 'BATTERY', 'BURGLARY', 'ROBBERY'];
const CATEGORY_SHARE = [0.45, 0.3, 0.15, 0.1];
const CENTER = { lat: 41.85, lon: -87.68 };
const HALF_KM = 12;
const KM_LAT = 1 / 110.574, KM_LON = 1 / (111.32 * Math.cos((CENTER.lat * Math.PI) / 180));

export interface SyntheticBatch { n: number; first: number; t: Float64Array; lat: Float64Array; lon: Float64Array; cat: Uint8Array }

/** The incidents in batches of up to `batch`; incident i is the same whatever the batch size. */
export function* syntheticCityBatches(o: SyntheticCityOptions, batch = 65_536): Generator<SyntheticBatch> {
  const days = o.days ?? 365, seed = o.seed ?? 1, H = o.hotspots ?? 40;
  const t0 = Date.parse(o.start ?? '2020-01-01T06:00:00Z');
  const setup = new Rng(seed);
  // hot spots: centres, spreads (0.2–0.8 km), weights; 60% of incidents come from them, 40% from the background
  const hx = new Float64Array(H), hy = new Float64Array(H), hs = new Float64Array(H), hw = new Float64Array(H);
  let wsum = 0;
  for (let k = 0; k < H; k++) {
    hx[k] = (setup.random() * 2 - 1) * HALF_KM * 0.8; hy[k] = (setup.random() * 2 - 1) * HALF_KM * 0.8;
    hs[k] = 0.2 + 0.6 * setup.random(); wsum += hw[k] = setup.gamma(2, 1);
  }
  const cum = new Float64Array(H);
  for (let k = 0, acc = 0; k < H; k++) cum[k] = acc += hw[k] / wsum;
  const rng = new Rng(seed * 7919 + 17);
  for (let first = 0; first < o.incidents; first += batch) {
    const n = Math.min(batch, o.incidents - first);
    const t = new Float64Array(n), lat = new Float64Array(n), lon = new Float64Array(n), cat = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      // day by rejection from 1 + 0.25 sin(weekly) + 0.3 trend; whole seconds within the day
      let d: number;
      do d = rng.random() * days; while (rng.random() * 1.55 > 1 + 0.25 * Math.sin((2 * Math.PI * d) / 7) + (0.3 * d) / days);
      t[i] = t0 + Math.floor(d * 86_400) * 1000;
      let x: number, y: number;
      if (rng.random() < 0.6) {
        const u = rng.random();
        let k = 0;
        while (k < H - 1 && cum[k] < u) k++;
        x = rng.normal(hx[k], hs[k]); y = rng.normal(hy[k], hs[k]);
        x = Math.max(-HALF_KM, Math.min(HALF_KM, x)); y = Math.max(-HALF_KM, Math.min(HALF_KM, y));
      } else {
        x = (rng.random() * 2 - 1) * HALF_KM; y = (rng.random() * 2 - 1) * HALF_KM;
      }
      lat[i] = Math.round((CENTER.lat + y * KM_LAT) * 1e6) / 1e6;
      lon[i] = Math.round((CENTER.lon + x * KM_LON) * 1e6) / 1e6;
      const u = rng.random();
      let c = 0;
      for (let acc = CATEGORY_SHARE[0]; c < 3 && u >= acc; acc += CATEGORY_SHARE[++c]);
      cat[i] = c;
    }
    yield { n, first, t, lat, lon, cat };
  }
}

/** Columns and options to ingest the CSV that writeSyntheticCityCsv writes. */
export const SYNTHETIC_CSV_OPTIONS = { idCol: 'id', timeCol: 'time', categoryCol: 'category', latCol: 'lat', lonCol: 'lon', tz: 'America/Chicago', timeFormat: 'iso' } as const;

export async function writeSyntheticCityCsv(path: string, o: SyntheticCityOptions): Promise<number> {
  const out = createWriteStream(path);
  const ok = once(out, 'close');
  out.write('id,time,category,lat,lon\n');
  const seed = o.seed ?? 1;
  for (const b of syntheticCityBatches(o)) {
    let s = '';
    for (let i = 0; i < b.n; i++) {
      s += `s${seed}-${b.first + i},${new Date(b.t[i]).toISOString()},${SYNTHETIC_CATEGORIES[b.cat[i]]},${b.lat[i]},${b.lon[i]}\n`;
    }
    if (!out.write(s)) await once(out, 'drain');
  }
  out.end();
  await ok;
  return o.incidents;
}

/** The whole city as an in-memory incident table (for small cities: jobs and tests). */
export function syntheticCityTable(o: SyntheticCityOptions): IncidentTable {
  const t: number[] = [], lat: number[] = [], lon: number[] = [], category: string[] = [], id: string[] = [];
  const seed = o.seed ?? 1;
  for (const b of syntheticCityBatches(o)) {
    for (let i = 0; i < b.n; i++) {
      id.push(`s${seed}-${b.first + i}`); t.push(b.t[i]); lat.push(b.lat[i]); lon.push(b.lon[i]); category.push(SYNTHETIC_CATEGORIES[b.cat[i]]);
    }
  }
  return incidentTableFromColumns({ id, t, lat, lon, category, tz: 'America/Chicago', categories: SYNTHETIC_CATEGORIES });
}
