/**
 * Forecast exports read back by readers that share no code with the writers: the `shapefile` package for
 * .shp/.dbf, a regex KML reader, JSON.parse and a CSV split. Each must carry the period, units, centroid and the
 * user's polygon attributes, with geometry intact.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error the reader ships no types
import * as shapefile from 'shapefile';
import { createTensor } from '../../src/tensor/count-tensor.js';
import { polygonUnits } from '../../src/space/polygons.js';
import type { FeatureCollection } from '../../src/space/geojson.js';
import { produceForecast } from '../../src/forecast/produce.js';
import { forecastCsv, forecastGeoJSON } from '../../src/forecast/export.js';
import { writeForecastShapefile } from '../../src/forecast/export-shapefile.js';
import { forecastKml } from '../../src/forecast/export-kml.js';
import { forecastGeoPackage } from '../../src/forecast/export-geopackage.js';
import { createRequire } from 'node:module';
import '../../src/models/baselines/index.js';

const sq = (x: number, y: number, d: number) => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]];
// GeoJSON order (outer rings counter-clockwise); the middle region is two separate squares
const polys: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [sq(-87.70, 41.80, 0.01) as [number, number][]] }, properties: { beat: '0111', name: 'North Side', 'Zone Name': 'Café', staff: 4 } },
    { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [[sq(-87.68, 41.80, 0.01) as [number, number][]], [sq(-87.66, 41.80, 0.005) as [number, number][]]] }, properties: { beat: '0112', name: 'Lakeview', 'Zone Name': 'Port', staff: 2 } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [sq(-87.70, 41.82, 0.02) as [number, number][]] }, properties: { beat: '0113', name: 'West Loop', 'Zone Name': 'Mills', staff: null } },
  ],
};

async function product() {
  const units = polygonUnits(polys, { idProperty: 'beat' });
  const DAY = 86_400_000, P = 28, R = 3, C = 2;
  // Chicago midnight (UTC−6 in February)
  const tensor = createTensor({ periods: P, regions: R, categories: C, categoryNames: ['THEFT', 'CRIMINAL DAMAGE'], regionIds: units.ids,
    periodStart: Float64Array.from({ length: P }, (_, p) => Date.UTC(2024, 1, 1, 6) + p * DAY), unit: 'day', tz: 'America/Chicago' });
  for (let p = 0; p < P; p++) { tensor.data[(p * R + 0) * C] = 2; tensor.data[(p * R + 1) * C + 1] = p % 2; tensor.data[(p * R + 2) * C] = p % 4 === 0 ? 1 : 0; }
  const p = await produceForecast({ tensor, units }, 'historical-average', 7, { coverage: 0.3 });
  return { p, units };
}

function ringArea(ring: number[][]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s / 2;
}

describe('forecast exports', () => {
  it('GeoJSON features carry period, units, centroid and the polygons\' attributes under names without spaces', async () => {
    const { p, units } = await product();
    const fc = JSON.parse(JSON.stringify(forecastGeoJSON(p, units, { top: 2 })));
    const f0 = fc.features[0].properties;
    expect(f0.period_start).toBe('2024-02-29T00:00:00-06:00');
    expect(f0.period_end).toBe('2024-03-07T00:00:00-06:00');
    expect([f0.period_unit, f0.periods]).toEqual(['day', 7]);
    // region 0 had 2 thefts a day: 14 over the week, 2 a day, area ≈ 1.11 km × 0.83 km
    expect(f0.expected_total).toBeCloseTo(14, 3);
    expect(f0.expected_per_period).toBeCloseTo(2, 3);
    expect(f0.expected_theft).toBeCloseTo(14, 3);
    expect(f0.expected_criminal_damage).toBe(0);
    expect(f0.expected_per_km2).toBeCloseTo(14 / (f0.area_m2 / 1e6), 2);
    expect(f0.centroid_lat).toBeCloseTo(41.805, 3);
    expect(f0.centroid_lon).toBeCloseTo(-87.695, 3);
    expect([f0.id, f0.name, f0.zone_name, f0.staff]).toEqual(['0111', 'North Side', 'Café', 4]);
    for (const f of fc.features) for (const k of Object.keys(f.properties)) expect(k).toMatch(/^[a-z_][a-z0-9_]*$/);
    expect(fc.crimecast.topPlaces.map((t: { id: string }) => t.id)).toEqual(['0111', '0112']);
    expect(fc.crimecast.topPlaces[0].label).toBe('North Side (0111)');
    expect(fc.crimecast.fields.expected_total).toMatch(/over the whole horizon/);
  });

  it('the CSV has per-period rows with the period end, centroid and polygon columns; its rows add up to the horizon total', async () => {
    const { p, units } = await product();
    const lines = forecastCsv(p, units).trim().split('\n');
    expect(lines[0]).toBe('period_start,period_end,region,centroid_lat,centroid_lon,beat,name,zone_name,staff,category,expected,p_any,region_rank,flagged');
    expect(lines).toHaveLength(1 + 7 * 3 * 2);
    expect(lines[1].startsWith('2024-02-29T00:00:00-06:00,2024-03-01T00:00:00-06:00,0111,41.805')).toBe(true);
    const total = lines.slice(1).reduce((s, l) => s + Number(l.split(',')[10]), 0);
    expect(total).toBeCloseTo(p.expected.reduce((a, b) => a + b, 0), 3);
  });

  it('the Shapefile opens in an independent reader with the same polygons, fields and units', async () => {
    const { p, units } = await product();
    const dir = join(mkdtempSync(join(tmpdir(), 'cc-shp-')), 'beats');
    const { files, fields } = writeForecastShapefile(dir, p, units);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['beats.shp', 'beats.shx', 'beats.dbf', 'beats.prj', 'beats.cpg', 'beats.fields.txt']);
    const fc = await shapefile.read(files[0], files[2], { encoding: 'ISO-8859-1' });
    expect(fc.features).toHaveLength(3);
    // the reader tells outer rings from holes by winding: one outer ring each, two parts for the multipolygon
    expect(fc.features.map((f: { geometry: { type: string } }) => f.geometry.type)).toEqual(['Polygon', 'MultiPolygon', 'Polygon']);
    expect(fc.features[1].geometry.coordinates).toHaveLength(2);
    const outer = fc.features[2].geometry.coordinates[0];
    expect(Math.abs(ringArea(outer))).toBeCloseTo(0.02 * 0.02, 10);
    expect(outer.map((c: number[]) => c.map((v) => +v.toFixed(6)))).toEqual(expect.arrayContaining([[-87.7, 41.82], [-87.68, 41.84]]));
    // the Shapefile spec wants outer rings clockwise (GeoJSON's are counter-clockwise): read record 1's ring raw
    const shp = readFileSync(files[0]);
    expect(shp.readInt32BE(0)).toBe(9994);
    expect(shp.readInt32LE(32)).toBe(5); // polygon
    const c = 108, nParts = shp.readInt32LE(c + 36), nPts = shp.readInt32LE(c + 40), pts0 = c + 44 + 4 * nParts;
    const raw = Array.from({ length: nPts }, (_, i) => [shp.readDoubleLE(pts0 + 16 * i), shp.readDoubleLE(pts0 + 16 * i + 8)]);
    expect([nParts, nPts]).toEqual([1, 5]);
    expect(ringArea(raw)).toBeGreaterThan(0);
    const a = fc.features[0].properties;
    expect(a.id).toBe('0111');
    expect(a.per_start).toBe('2024-02-29T00:00:00-06:00');
    expect(a.per_end).toBe('2024-03-07T00:00:00-06:00');
    expect(a.per_unit).toBe('day');
    expect(a.exp_total).toBeCloseTo(14, 3);
    expect(a.exp_per_pd).toBeCloseTo(2, 3);
    expect(a.cent_lat).toBeCloseTo(41.805, 3);
    expect([a.name, a.zone_name, a.staff]).toEqual(['North Side', 'Café', 4]);
    expect(fc.features[2].properties.staff).toBeNull();
    expect(fields.get('expected_criminal_damage')).toBe('e_criminal');
    // dBase field descriptors: numbers declare the 6 decimals they are written with (GDAL shows what is declared)
    const dbf = readFileSync(files[2]);
    const descriptors = Array.from({ length: (dbf.readUInt16LE(8) - 33) / 32 }, (_, i) => dbf.subarray(32 + 32 * i, 64 + 32 * i));
    const lat = descriptors.find((d) => d.subarray(0, 11).toString('latin1').replace(/\0+$/, '') === 'cent_lat')!;
    expect([String.fromCharCode(lat[11]), lat[16], lat[17]]).toEqual(['N', 18, 6]);
    const name = descriptors.find((d) => d.subarray(0, 11).toString('latin1').replace(/\0+$/, '') === 'name')!;
    expect([String.fromCharCode(name[11]), name[16]]).toEqual(['C', 'North Side'.length]);
    for (const short of fields.values()) expect(short.length).toBeLessThanOrEqual(10);
    expect(readFileSync(files[3], 'utf8')).toMatch(/^GEOGCS\["GCS_WGS_1984"/);
    expect(readFileSync(files[5], 'utf8')).toMatch(/\nexp_total\texpected_total\texpected incidents in the region over the whole horizon/);
  });

  it('KML has one placemark per region with its class style, data fields and coordinates', async () => {
    const { p, units } = await product();
    const kml = forecastKml(p, units);
    const marks = [...kml.matchAll(/<Placemark>([\s\S]*?)<\/Placemark>/g)].map((m) => m[1]);
    expect(marks).toHaveLength(3);
    expect(marks[0]).toMatch(/<name>North Side \(0111\)<\/name>/);
    expect(marks[0]).toMatch(/<Data name="period_start"><value>2024-02-29T00:00:00-06:00<\/value><\/Data>/);
    expect(marks[0]).toMatch(/<Data name="zone_name"><value>Café<\/value><\/Data>/);
    // highest density region: top class, flagged outline
    expect(marks[0]).toMatch(/<styleUrl>#c\df<\/styleUrl>/);
    expect((marks[1].match(/<Polygon>/g) ?? []).length).toBe(2);
    const coords = marks[2].match(/<coordinates>([^<]*)<\/coordinates>/)![1].split(' ');
    expect(coords[0]).toBe('-87.7,41.82');
    expect(kml).toMatch(/Expected incidents per km² from 2024-02-29T00:00:00-06:00 to 2024-03-07T00:00:00-06:00 \(7 day periods\)/);
  });

  it('GeoPackage: SQLite reads it back with the GeoPackage tables, WGS84 multipolygons, full column names and field meanings', async () => {
    const { p, units } = await product();
    const bytes = await forecastGeoPackage(p, units, { top: 2 });
    const SQL = await (createRequire(import.meta.url)('sql.js') as () => Promise<{ Database: new (b: Uint8Array) => { exec(q: string): { columns: string[]; values: unknown[][] }[] } }>)();
    const db = new SQL.Database(bytes);
    const one = (q: string) => db.exec(q)[0].values;
    expect(one('PRAGMA application_id')[0][0]).toBe(0x47504b47);
    expect(one("SELECT table_name, data_type, srs_id FROM gpkg_contents ORDER BY table_name")).toEqual([['forecast', 'features', 4326], ['forecast_fields', 'attributes', null], ['top_places', 'attributes', null]]);
    expect(one('SELECT * FROM gpkg_geometry_columns')).toEqual([['forecast', 'geom', 'MULTIPOLYGON', 4326, 0, 0]]);
    const res = db.exec('SELECT * FROM forecast ORDER BY fid')[0];
    const row = (i: number) => Object.fromEntries(res.columns.map((c, k) => [c, res.values[i][k]]));
    const r0 = row(0);
    expect([r0.id, r0.period_start, r0.period_end, r0.period_unit, r0.periods, r0.name, r0.zone_name]).toEqual(['0111', '2024-02-29T00:00:00-06:00', '2024-03-07T00:00:00-06:00', 'day', 7, 'North Side', 'Café']);
    expect(r0.expected_total as number).toBeCloseTo(14, 3);
    expect(r0.expected_criminal_damage).toBe(0);
    // decode the blob by hand: "GP", flags 0x03 (little endian, xy envelope), srs 4326, envelope, ISO WKB MultiPolygon
    const decode = (b: Uint8Array) => {
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      expect([v.getUint8(0), v.getUint8(1), v.getUint8(3), v.getInt32(4, true)]).toEqual([0x47, 0x50, 3, 4326]);
      let o = 40;
      expect([v.getUint8(o), v.getUint32(o + 1, true)]).toEqual([1, 6]);
      const np = v.getUint32(o + 5, true); o += 9;
      const polys: number[][][][] = [];
      for (let i = 0; i < np; i++) {
        const nr = v.getUint32(o + 5, true); o += 9;
        const rings: number[][][] = [];
        for (let j = 0; j < nr; j++) { const n = v.getUint32(o, true); o += 4; rings.push(Array.from({ length: n }, (_, k) => [v.getFloat64(o + 16 * k, true), v.getFloat64(o + 16 * k + 8, true)])); o += 16 * n; }
        polys.push(rings);
      }
      expect(o).toBe(b.byteLength);
      return { envelope: [8, 16, 24, 32].map((k) => v.getFloat64(k, true)), polys };
    };
    const g0 = decode(r0.geom as Uint8Array), g1 = decode(row(1).geom as Uint8Array);
    expect(g0.polys).toEqual([units.geometry(0).coordinates]);
    [-87.7, -87.69, 41.8, 41.81].forEach((e, i) => expect(g0.envelope[i]).toBeCloseTo(e, 9));
    expect(g1.polys).toHaveLength(2);
    expect(one("SELECT meaning FROM forecast_fields WHERE name = 'expected_per_period'")[0][0]).toBe('expected incidents in the region per period (expected_total / periods)');
    expect(one('SELECT region, label FROM top_places ORDER BY rank')).toEqual([['0111', 'North Side (0111)'], ['0112', 'Lakeview (0112)']]);
  });
});
