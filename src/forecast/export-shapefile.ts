/**
 * A forecast as an ESRI Shapefile folder (.shp/.shx/.dbf/.prj/.cpg) that ArcGIS, QGIS and GDAL open directly.
 * Geometry and records are written by @mapbox/shp-write; this module prepares what that library leaves to its
 * caller: dBase field names of at most 10 characters (with a fields.txt saying what each short name means and its
 * units), Latin-1 text, outer rings clockwise as the Shapefile spec wants (GeoJSON's are counter-clockwise), and
 * one POLYGON layer for Polygons and MultiPolygons together (the library's zip helper writes them as two layers
 * under one name, the second overwriting the first).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';
import type { AreaGeometry, Position, SpatialUnits } from '../space/units.js';
import type { RegionForecast } from './produce.js';
import { FIELD_UNITS, regionTable, type RegionTable, type Scalar } from './region-table.js';

const require = createRequire(import.meta.url);
/** The library's polygon record writer (its `write` wraps this with headers, but sizes the file by concatenating every
 * coordinate array into one, quadratic in the regions: bench/shapefile-export.mjs). */
type PolyWriter = { write(geometries: unknown[], extent: Extent, shp: DataView, shx: DataView, type: number): void; parts(geometries: unknown[], type: number): number };
type Extent = { xmin: number; ymin: number; xmax: number; ymax: number };
const POLYGON = 5;
type DbfField = { name: string; type: 'C' | 'N' | 'L'; size: number };
type Dbf = { structure(rows: object[], meta?: DbfField[]): DataView };

/** Short dBase names of our own columns (category and polygon columns are shortened by rule). */
const SHORT: Record<string, string> = {
  id: 'id', area_m2: 'area_m2', centroid_lat: 'cent_lat', centroid_lon: 'cent_lon', period_start: 'per_start', period_end: 'per_end',
  period_unit: 'per_unit', periods: 'periods', expected_total: 'exp_total', expected_per_period: 'exp_per_pd', expected_per_km2: 'exp_km2',
  expected: '', p_any: 'p_any', rank: 'rank', flagged: 'flagged',
};

const WGS84_PRJ = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]]';

/** dBase field names: ≤ 10 characters, unique (case-insensitively, as readers compare them). */
export function dbfFieldNames(columns: string[]): Map<string, string> {
  const out = new Map<string, string>(), taken = new Set<string>();
  for (const c of columns) {
    if (SHORT[c] === '') continue; // `expected` duplicates expected_total
    let base = SHORT[c] ?? (c.startsWith('expected_') ? `e_${c.slice(9)}` : c);
    base = base.slice(0, 10);
    let name = base, k = 2;
    while (taken.has(name.toLowerCase())) { const suf = `_${k++}`; name = base.slice(0, 10 - suf.length) + suf; }
    taken.add(name.toLowerCase());
    out.set(c, name);
  }
  return out;
}

function signedArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s / 2; // > 0 when clockwise (x east, y north)
}

/** Shapefile ring order: outer rings clockwise, holes counter-clockwise. */
function shapefileRings(g: AreaGeometry): Position[][][] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.map((rings) => rings.map((ring, k) => {
    const cw = signedArea(ring) > 0;
    return (k === 0) === cw ? ring : ring.slice().reverse();
  }));
}

/** Latin-1 text (the library writes one byte per character); characters outside it become '?'. */
function latin1(v: string): string {
  return v.normalize('NFC').replace(/[^\u0000-\u00ff]/g, '?').slice(0, 254);
}

function dbfValue(v: Scalar): Scalar {
  if (typeof v === 'string') return latin1(v);
  // dBase numbers are text: never exponent form, which some readers refuse
  if (typeof v === 'number') return Number.isInteger(v) ? v : v.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  return v;
}

/**
 * The .shp and .shx of polygons: the library's record writer, with the file headers set as its `write` sets them
 * (file code 9994, version 1000, shape type, extent, lengths in 16-bit words) but the sizes counted in one pass.
 */
function polygonFiles(geometries: Position[][][][]): { shp: DataView; shx: DataView } {
  const poly = require('@mapbox/shp-write/src/poly.js') as PolyWriter;
  let points = 0;
  const extent: Extent = { xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity };
  for (const g of geometries) for (const rings of g) for (const ring of rings) {
    points += ring.length;
    for (const [x, y] of ring) {
      if (x < extent.xmin) extent.xmin = x;
      if (x > extent.xmax) extent.xmax = x;
      if (y < extent.ymin) extent.ymin = y;
      if (y > extent.ymax) extent.ymax = y;
    }
  }
  const n = geometries.length, parts = poly.parts(geometries, POLYGON);
  const shpLength = 100 + (parts - n) * 4 + n * 56 + points * 16, shxLength = 100 + n * 8;
  const shp = new DataView(new ArrayBuffer(shpLength)), shx = new DataView(new ArrayBuffer(shxLength));
  for (const v of [shp, shx]) {
    v.setInt32(0, 9994);
    v.setInt32(28, 1000, true);
    v.setInt32(32, POLYGON, true);
    [extent.xmin, extent.ymin, extent.xmax, extent.ymax].forEach((e, i) => v.setFloat64(36 + 8 * i, e, true));
  }
  poly.write(geometries, extent, new DataView(shp.buffer, 100), new DataView(shx.buffer, 100), POLYGON);
  shp.setInt32(24, shpLength / 2);
  shx.setInt32(24, 50 + n * 4);
  return { shp, shx };
}

export interface ShapefileWritten { files: string[]; fields: Map<string, string> }

/** The files of a Shapefile in memory: NAME.{shp,shx,dbf,prj,cpg} and NAME.fields.txt (the API zips them). */
export interface ShapefileFiles { files: { name: string; bytes: Uint8Array }[]; fields: Map<string, string> }

export function forecastShapefileFiles(name: string, p: RegionForecast, units: SpatialUnits, table: RegionTable = regionTable(p, units)): ShapefileFiles {
  const fields = dbfFieldNames(Object.keys(table.columns));
  const numeric = new Set([...fields.keys()].filter((c) => table.columns[c].some((v) => typeof v === 'number')));
  const rows = Array.from({ length: units.n }, (_, r) => {
    const o: Record<string, Scalar> = {};
    for (const [col, short] of fields) {
      const v = table.columns[col][r];
      // numbers written as text keep their type from the first row the library sees, so keep them numbers there
      o[short] = numeric.has(col) && typeof v === 'number' ? (Number.isInteger(v) ? v : Number(dbfValue(v))) : dbfValue(v);
    }
    return o;
  });
  const geometries = Array.from({ length: units.n }, (_, r) => shapefileRings(units.geometry(r)));
  const out: { shp: DataView; shx: DataView; dbf: DataView } = { ...polygonFiles(geometries), dbf: new DataView(new ArrayBuffer(0)) };
  // the .dbf with text fields as wide as their longest value: the library's default of 254 bytes for every text
  // field made a 5,628-cell grid's table 7 MB
  const meta: DbfField[] = [...fields.values()].map((short) => {
    const vals = rows.map((o) => o[short]);
    if (vals.every((v) => v === null || typeof v === 'number')) return { name: short, type: 'N', size: 18 };
    if (vals.every((v) => v === null || typeof v === 'boolean')) return { name: short, type: 'L', size: 1 };
    return { name: short, type: 'C', size: Math.min(254, Math.max(1, ...vals.map((v) => (v === null ? 0 : String(v).length)))) };
  });
  const textRows = rows.map((o) => Object.fromEntries(meta.map((f) => [f.name, f.type === 'C' && o[f.name] !== null ? String(o[f.name]) : o[f.name]])));
  out.dbf = (require('dbf') as Dbf).structure(textRows, meta);
  // the library declares 3 decimals for every number; GDAL and ArcGIS then show centroids to 3 decimals (~100 m):
  // declare the 6 the values are written with
  meta.forEach((f, i) => { if (f.type === 'N') out.dbf.setUint8(32 + 32 * i + 17, 6); });
  const bytes = (v: DataView) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const text = (s: string) => new TextEncoder().encode(s);
  const catUnits = Object.fromEntries(table.categoryColumns.map((c, i) => [c, `expected incidents of "${p.categories[i]}" over the whole horizon`]));
  const lines = [`forecast ${p.model}, ${table.periodStart} to ${table.periodEnd} (${p.periodStart.length} ${p.unit} periods); WGS84 lon/lat`, 'dbf_field\tfull_name\tmeaning'];
  for (const [col, short] of fields) lines.push(`${short}\t${col}\t${FIELD_UNITS[col] ?? catUnits[col] ?? 'from the region polygons (joined by id)'}`);
  return {
    files: [
      { name: `${name}.shp`, bytes: bytes(out.shp) }, { name: `${name}.shx`, bytes: bytes(out.shx) }, { name: `${name}.dbf`, bytes: bytes(out.dbf) },
      { name: `${name}.prj`, bytes: text(WGS84_PRJ) }, { name: `${name}.cpg`, bytes: text('ISO-8859-1') }, { name: `${name}.fields.txt`, bytes: text(lines.join('\n') + '\n') },
    ],
    fields,
  };
}

/** Writes DIR/NAME.{shp,shx,dbf,prj,cpg} and DIR/NAME.fields.txt; NAME defaults to the folder's name. */
export function writeForecastShapefile(dir: string, p: RegionForecast, units: SpatialUnits, opts: { name?: string; table?: RegionTable } = {}): ShapefileWritten {
  const name = opts.name ?? (basename(dir).replace(/\.shp$/i, '') || 'forecast');
  const { files, fields } = forecastShapefileFiles(name, p, units, opts.table);
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.name), f.bytes);
  return { files: files.map((f) => join(dir, f.name)), fields };
}
