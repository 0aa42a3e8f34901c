/**
 * A forecast as an OGC GeoPackage (one SQLite file) that QGIS, ArcGIS Pro and GDAL open directly: a `forecast`
 * feature table (WGS84 multipolygons, every column under its full name — no 10-character dBase limit), plus
 * `forecast_fields` (what each column means, with units) and `top_places`. SQLite is sql.js (SQLite compiled to
 * WebAssembly, no native build, no network); the geometry blobs (GeoPackage header + ISO WKB) are written here,
 * since GeoPackage needs no spatial functions in SQLite itself.
 */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import type { AreaGeometry, Position, SpatialUnits } from '../space/units.js';
import type { RegionForecast } from './produce.js';
import { FIELD_UNITS, regionTable, topPlaces, type RegionTable, type Scalar } from './region-table.js';
import { DEFAULT_TOP_PLACES } from './export.js';

const require = createRequire(import.meta.url);

interface SqlDatabase {
  run(sql: string, params?: unknown[]): void;
  prepare(sql: string): { run(params: unknown[]): void; free(): void };
  export(): Uint8Array;
  close(): void;
}
type SqlJs = () => Promise<{ Database: new () => SqlDatabase }>;

/** "GPKG" as the SQLite application id; GeoPackage 1.3 as user_version (GDAL 3.6 warns on 1.4 files). */
const APPLICATION_ID = 0x47504b47, USER_VERSION = 10300;

const WGS84_WKT = 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]';

/** GeoPackage geometry blob: "GP", version 0, flags (little endian, xy envelope), srs id, envelope, then ISO WKB MultiPolygon. */
export function gpkgMultiPolygon(g: AreaGeometry, srsId = 4326): Uint8Array {
  const polys: Position[][][] = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let points = 0, rings = 0;
  for (const p of polys) for (const r of p) { rings++; points += r.length; }
  const wkb = 9 + polys.length * 9 + rings * 4 + points * 16;
  const buf = new ArrayBuffer(8 + 32 + wkb), v = new DataView(buf);
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const p of polys) for (const r of p) for (const [x, y] of r) { minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); }
  v.setUint8(0, 0x47); v.setUint8(1, 0x50); v.setUint8(2, 0); v.setUint8(3, 0b0000_0011);
  v.setInt32(4, srsId, true);
  [minX, maxX, minY, maxY].forEach((e, i) => v.setFloat64(8 + 8 * i, e, true));
  let o = 40;
  const u8 = (x: number) => { v.setUint8(o, x); o += 1; };
  const u32 = (x: number) => { v.setUint32(o, x, true); o += 4; };
  const f64 = (x: number) => { v.setFloat64(o, x, true); o += 8; };
  u8(1); u32(6); u32(polys.length);
  for (const p of polys) {
    u8(1); u32(3); u32(p.length);
    for (const r of p) { u32(r.length); for (const [x, y] of r) { f64(x); f64(y); } }
  }
  return new Uint8Array(buf);
}

function sqlType(values: Scalar[]): 'INTEGER' | 'REAL' | 'TEXT' {
  const vals = values.filter((x) => x !== null);
  if (vals.length && vals.every((x) => typeof x === 'boolean' || (typeof x === 'number' && Number.isInteger(x)))) return 'INTEGER';
  if (vals.length && vals.every((x) => typeof x === 'number')) return 'REAL';
  return 'TEXT';
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function forecastGeoPackage(p: RegionForecast, units: SpatialUnits, opts: { table?: RegionTable; top?: number } = {}): Promise<Uint8Array> {
  const table = opts.table ?? regionTable(p, units);
  const initSqlJs = require('sql.js') as SqlJs;
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    db.run(`PRAGMA application_id = ${APPLICATION_ID}`);
    db.run(`PRAGMA user_version = ${USER_VERSION}`);
    db.run(`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`);
    db.run(`INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'),
      ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
      ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system')`, [WGS84_WKT]);
    db.run(`CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`);
    db.run(`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`);

    const cols = Object.keys(table.columns).filter((c) => c !== 'expected');
    const types = cols.map((c) => sqlType(table.columns[c]));
    db.run(`CREATE TABLE forecast (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON, ${cols.map((c, i) => `${q(c)} ${types[i]}`).join(', ')})`);
    const ins = db.prepare(`INSERT INTO forecast (geom, ${cols.map(q).join(', ')}) VALUES (?, ${cols.map(() => '?').join(', ')})`);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let r = 0; r < units.n; r++) {
      const geom = gpkgMultiPolygon(units.geometry(r));
      const env = new DataView(geom.buffer, 8, 32);
      minX = Math.min(minX, env.getFloat64(0, true)); maxX = Math.max(maxX, env.getFloat64(8, true));
      minY = Math.min(minY, env.getFloat64(16, true)); maxY = Math.max(maxY, env.getFloat64(24, true));
      ins.run([geom, ...cols.map((c) => { const v = table.columns[c][r]; return typeof v === 'boolean' ? Number(v) : v; })]);
    }
    ins.free();
    const desc = `CrimeCast forecast ${p.model}, ${table.periodStart} to ${table.periodEnd} (${p.periodStart.length} ${p.unit} periods); see forecast_fields for units`;
    db.run(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES ('forecast', 'features', 'forecast', ?, ?, ?, ?, ?, 4326)`, [desc, minX, minY, maxX, maxY]);
    db.run(`INSERT INTO gpkg_geometry_columns VALUES ('forecast', 'geom', 'MULTIPOLYGON', 4326, 0, 0)`);

    // what every column means: the GIS user's legend, inside the file
    db.run('CREATE TABLE forecast_fields (id INTEGER PRIMARY KEY, name TEXT NOT NULL, meaning TEXT NOT NULL)');
    const catUnits = Object.fromEntries(table.categoryColumns.map((c, i) => [c, `expected incidents of "${p.categories[i]}" over the whole horizon`]));
    cols.forEach((c, i) => db.run('INSERT INTO forecast_fields VALUES (?, ?, ?)', [i + 1, c, FIELD_UNITS[c] ?? catUnits[c] ?? 'from the region polygons (joined by id)']));
    db.run(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('forecast_fields', 'attributes', 'forecast_fields', 'meaning and units of each column of forecast')`);

    const top = topPlaces(p, units, opts.top ?? DEFAULT_TOP_PLACES, table);
    db.run('CREATE TABLE top_places (id INTEGER PRIMARY KEY, rank INTEGER, region TEXT, label TEXT, centroid_lat REAL, centroid_lon REAL, expected_total REAL, expected_per_period REAL, expected_per_km2 REAL, share_of_expected REAL, flagged INTEGER, period_start TEXT, period_end TEXT)');
    top.forEach((t, i) => db.run('INSERT INTO top_places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [i + 1, t.rank, t.id, t.label, t.centroid_lat, t.centroid_lon, t.expected_total, t.expected_per_period, t.expected_per_km2, t.share_of_expected, t.flagged, table.periodStart, table.periodEnd]));
    db.run(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('top_places', 'attributes', 'top_places', 'the highest-ranked regions of the forecast')`);
    return db.export();
  } finally {
    db.close();
  }
}

export async function writeForecastGeoPackage(path: string, p: RegionForecast, units: SpatialUnits, opts: { table?: RegionTable; top?: number } = {}): Promise<void> {
  writeFileSync(path, await forecastGeoPackage(p, units, opts));
}
