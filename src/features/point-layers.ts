/**
 * Point layers for risk terrain (bus stops, schools, police stations…) read from the files cities publish: GeoJSON
 * Points/MultiPoints, or CSV with latitude/longitude columns, a WKT "POINT (lon lat)" column, or a "(lat, lon)" pair
 * inside a text column (Socrata's Location). Every row ends up counted: kept, merged with an earlier row at the same
 * coordinates (one stop listed per direction), or left out for a stated reason.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { UserError } from '../util/errors.js';
import type { PointLayer } from './risk-terrain.js';

export interface PointLayerReport {
  name: string;
  file: string;
  /** Where the coordinates came from, e.g. "columns Latitude/Longitude" or "WKT in the_geom". */
  source: string;
  rows: number;
  points: number;
  duplicates: number;
  /** Rows left out: no coordinates, or coordinates outside ±90/±180; first line numbers for each. */
  missing: number;
  outOfRange: number;
  firstBadLines: number[];
}

export interface LoadedLayer { layer: PointLayer; report: PointLayerReport }

const LAT = /^(lat|latitude|y_?lat|point_y)$/i, LON = /^(lon|lng|long|longitude|x_?lon|point_x)$/i;
const WKT = /POINT\s*\(\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s+(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*\)/i;
const PAIR = /\(\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\)/;

/** A layer name usable in a feature name: lower case, [a-z0-9_]. */
export function layerName(text: string): string {
  const n = text.toLowerCase().replace(/\.[a-z]+$/, '').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return n || 'layer';
}

type Coords = { lat: number; lon: number } | 'missing';

function fromCsv(path: string): { source: string; rows: Coords[]; lines: number[] } {
  let records: string[][];
  try {
    records = parse(readFileSync(path, 'utf8'), { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    throw new UserError(`cannot read point layer ${path}: ${(err as Error).message}`);
  }
  if (records.length < 2) throw new UserError(`point layer ${path} has no data rows`);
  const head = records[0].map((h) => h.trim());
  const data = records.slice(1);
  const lines = data.map((_, i) => i + 2);
  const iLat = head.findIndex((h) => LAT.test(h)), iLon = head.findIndex((h) => LON.test(h));
  if (iLat >= 0 && iLon >= 0) {
    return {
      source: `columns ${head[iLat]}/${head[iLon]}`, lines,
      rows: data.map((r) => {
        const la = r[iLat]?.trim() ?? '', lo = r[iLon]?.trim() ?? '';
        return la === '' || lo === '' || !Number.isFinite(+la) || !Number.isFinite(+lo) ? 'missing' : { lat: +la, lon: +lo };
      }),
    };
  }
  // a text column holding WKT points or "(lat, lon)": the first column where most rows match
  for (const [re, kind] of [[WKT, 'WKT'], [PAIR, '(lat, lon)']] as const) {
    for (let j = 0; j < head.length; j++) {
      const hits = data.reduce((s, r) => s + (re.test(r[j] ?? '') ? 1 : 0), 0);
      if (hits < Math.max(1, 0.5 * data.length)) continue;
      return {
        source: `${kind} in column ${head[j]}`, lines,
        rows: data.map((r) => {
          const m = re.exec(r[j] ?? '');
          if (!m) return 'missing';
          return kind === 'WKT' ? { lon: +m[1], lat: +m[2] } : { lat: +m[1], lon: +m[2] };
        }),
      };
    }
  }
  throw new UserError(`point layer ${path}: no coordinates found`, `give latitude/longitude columns (e.g. "latitude", "longitude"), a WKT "POINT (lon lat)" column or a "(lat, lon)" column; columns are: ${head.slice(0, 20).join(', ')}`);
}

function fromGeoJson(path: string): { source: string; rows: Coords[]; lines: number[] } {
  let fc: { type?: string; features?: { geometry?: { type?: string; coordinates?: unknown } | null }[] };
  try { fc = JSON.parse(readFileSync(path, 'utf8')); } catch (err) { throw new UserError(`cannot read point layer ${path}: ${(err as Error).message}`); }
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new UserError(`point layer ${path} is not a GeoJSON FeatureCollection`);
  const rows: Coords[] = [], lines: number[] = [];
  fc.features.forEach((f, i) => {
    const g = f?.geometry;
    const pts = g?.type === 'Point' ? [g.coordinates] : g?.type === 'MultiPoint' && Array.isArray(g.coordinates) ? g.coordinates : [null];
    for (const p of pts as unknown[]) {
      lines.push(i + 1);
      rows.push(Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number' ? { lon: p[0], lat: p[1] } : 'missing');
    }
  });
  return { source: 'GeoJSON Point geometries', rows, lines };
}

/** Reads one layer file (.csv, .geojson, .json). */
export function readPointLayer(path: string, name = layerName(basename(path))): LoadedLayer {
  const ext = extname(path).toLowerCase();
  if (!['.csv', '.geojson', '.json'].includes(ext)) throw new UserError(`point layer ${path}: give a .csv or .geojson file`);
  const { source, rows, lines } = ext === '.csv' ? fromCsv(path) : fromGeoJson(path);
  const lat: number[] = [], lon: number[] = [], seen = new Set<string>(), bad: number[] = [];
  let missing = 0, outOfRange = 0, duplicates = 0;
  rows.forEach((c, i) => {
    if (c === 'missing') { missing++; if (bad.length < 5) bad.push(lines[i]); return; }
    if (Math.abs(c.lat) > 90 || Math.abs(c.lon) > 180) { outOfRange++; if (bad.length < 5) bad.push(lines[i]); return; }
    const key = `${c.lat},${c.lon}`;
    if (seen.has(key)) { duplicates++; return; }
    seen.add(key); lat.push(c.lat); lon.push(c.lon);
  });
  if (lat.length === 0) throw new UserError(`point layer ${path}: none of its ${rows.length} rows has usable coordinates (${source})`);
  return {
    layer: { name, lat: Float64Array.from(lat), lon: Float64Array.from(lon) },
    report: { name, file: path, source, rows: rows.length, points: lat.length, duplicates, missing, outOfRange, firstBadLines: bad },
  };
}

/** One line per layer for the user: points kept, duplicates merged, rows left out and why. */
export function describeLayer(r: PointLayerReport): string {
  const out = r.missing + r.outOfRange;
  return `risk layer ${r.name}: ${r.points} points from ${r.file} (${r.source})` +
    (r.duplicates ? `; ${r.duplicates} rows at coordinates already listed counted once` : '') +
    (out ? `; ${out} of ${r.rows} rows left out (${r.missing} without coordinates, ${r.outOfRange} out of range; first lines ${r.firstBadLines.join(', ')})` : '');
}

export interface RiskLayerSpec {
  layers: { name: string; file: string }[];
  radius: number;
}

/**
 * `FILE|DIR|NAME=FILE[,…][,radius=M]`: files, named files or folders (every .csv/.geojson inside, sorted), and the
 * count radius in metres (default 400). Repeated specs add up; the last radius given wins.
 */
export function parseRiskLayerSpec(texts: string[]): RiskLayerSpec {
  const layers: { name: string; file: string }[] = [];
  let radius = 400;
  for (const text of texts) {
    for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
      const eq = part.indexOf('=');
      const key = eq > 0 ? part.slice(0, eq) : '', value = eq > 0 ? part.slice(eq + 1) : part;
      if (key === 'radius') {
        radius = Number(value);
        if (!(radius > 0 && radius <= 50_000)) throw new UserError(`--risk-layers radius=${value}: give a radius in metres between 0 and 50000, e.g. radius=400`);
        continue;
      }
      let st;
      try { st = statSync(value); } catch { throw new UserError(`--risk-layers: ${value} does not exist`, 'give point files (CSV/GeoJSON), NAME=FILE, or a folder of them, comma-separated'); }
      if (st.isDirectory()) {
        const files = readdirSync(value).filter((f) => /\.(csv|geojson)$/i.test(f)).sort();
        if (!files.length) throw new UserError(`--risk-layers: folder ${value} holds no .csv or .geojson files`);
        for (const f of files) layers.push({ name: layerName(f), file: join(value, f) });
      } else layers.push({ name: key ? layerName(key) : layerName(basename(value)), file: value });
    }
  }
  if (!layers.length) throw new UserError('--risk-layers: no layer files given');
  const names = new Set<string>();
  for (const l of layers) {
    if (names.has(l.name)) throw new UserError(`--risk-layers: two layers are named "${l.name}"`, 'name them apart with NAME=FILE');
    names.add(l.name);
  }
  return { layers, radius };
}
