/**
 * Forecasts to allocate from: a CrimeCast forecast GeoJSON (one feature per region; each chosen numeric property
 * is one shift) or a forecast CSV (period_start,region,category,expected,…; each distinct period_start is one
 * shift, categories summed).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { readFeatureCollection, type Feature } from '../../space/geojson.js';
import { UserError } from '../../util/errors.js';

export interface ShiftForecast {
  ids: string[];
  /** Input features when read from GeoJSON (geometry and properties reused in the plan). */
  features?: Feature[];
  shifts: { name: string; expected: Float64Array }[];
}

export function readForecastGeoJSON(path: string, fields: string[]): ShiftForecast {
  const fc = readFeatureCollection(path);
  const ids = fc.features.map((f, i) => String(f.properties?.id ?? f.id ?? i));
  const shifts = fields.map((name) => {
    const expected = Float64Array.from(fc.features, (f, i) => {
      const v = Number(f.properties?.[name]);
      if (!Number.isFinite(v) || v < 0) throw new UserError(`${path}: feature ${ids[i]} has no non-negative number "${name}"`);
      return v;
    });
    return { name, expected };
  });
  return { ids, features: fc.features, shifts };
}

export function readForecastCsv(path: string): ShiftForecast {
  const rows = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  if (rows.length === 0 || !('region' in rows[0]) || !('expected' in rows[0])) throw new UserError(`${path}: expected a forecast CSV with columns region and expected (and optionally period_start)`);
  const ids: string[] = [], regionIndex = new Map<string, number>(), shiftIndex = new Map<string, number>();
  for (const row of rows) {
    if (!regionIndex.has(row.region)) { regionIndex.set(row.region, ids.length); ids.push(row.region); }
    const s = row.period_start ?? 'all';
    if (!shiftIndex.has(s)) shiftIndex.set(s, shiftIndex.size);
  }
  const shifts = [...shiftIndex.keys()].map((name) => ({ name, expected: new Float64Array(ids.length) }));
  for (const row of rows) {
    const v = Number(row.expected);
    if (!Number.isFinite(v) || v < 0) throw new UserError(`${path}: bad expected value "${row.expected}" for region ${row.region}`);
    shifts[shiftIndex.get(row.period_start ?? 'all')!].expected[regionIndex.get(row.region)!] += v;
  }
  return { ids, shifts };
}

/** Mean of a feature's outer-ring vertices (lat, lon): good enough for a travel radius over small cells. */
export function featureCentroid(f: Feature): [number, number] | null {
  const g = f.geometry as { type: string; coordinates?: unknown } | null;
  if (!g) return null;
  const ring = g.type === 'Polygon' ? (g.coordinates as number[][][])[0] : g.type === 'MultiPolygon' ? (g.coordinates as number[][][][])[0][0] : g.type === 'Point' ? [g.coordinates as number[]] : null;
  if (!ring || ring.length === 0) return null;
  const pts = ring.length > 1 ? ring.slice(0, -1) : ring;
  let lat = 0, lon = 0;
  for (const p of pts) { lon += p[0]; lat += p[1]; }
  return [lat / pts.length, lon / pts.length];
}

/** Regions whose centroid lies within km of each base (haversine). */
export function reachWithin(features: Feature[], bases: [number, number][], km: number): Int32Array[] {
  const cents = features.map(featureCentroid);
  return bases.map(([blat, blon]) => {
    const out: number[] = [];
    cents.forEach((c, r) => { if (c && haversineKm(blat, blon, c[0], c[1]) <= km) out.push(r); });
    return Int32Array.from(out);
  });
}

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180, dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
}
