/**
 * Downloads of a published forecast (GeoJSON, region CSV, GeoPackage, zipped Shapefile, KML, top places) and of the
 * patrol plan, through the app as a viewer. Files are read back by readers that share no code with the writers:
 * sql.js for the GeoPackage, jszip + the `shapefile` package for the Shapefile, CSV split, a regex for KML.
 */
import { createRequire } from 'node:module';
import JSZip from 'jszip';
// @ts-expect-error the reader ships no types
import * as shapefile from 'shapefile';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_WORKER, forecastExport } from '../../src/serve/services/forecast-exports.js';
import { requirePrerequisite } from '../helpers.js';
import { startTestService, uploadForm, type TestService } from './service.js';
import { syntheticCsv } from './synthetic.js';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
  expect((await t.call('analyst', 'POST', '/api/datasets/synth/upload', uploadForm(syntheticCsv({ days: 60 })))).status).toBe(200);
});
afterAll(async () => { await t?.close(); });

const FC = { dataset: 'synth', units: 'grid:1000', model: 'moving-average:window=28', horizon: 7, coverage: 0.1 };
type Props = Record<string, string | number>;
type Geo = { features: { id: string; properties: Props }[]; crimecast: { from: string; to: string } };
const get = (as: 'viewer' | 'analyst', path: string) => t.call(as, 'GET', path);
const bytes = async (r: Response) => new Uint8Array(await r.arrayBuffer());
const csvRows = (text: string) => { const [head, ...rows] = text.trim().split('\n').map((l) => l.split(',')); return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]]))); };

let pubId = 0;
let geo: Geo;
let top: { id: string; properties: Props };

describe('forecast exports', () => {
  it('answers 404 saying how to publish when there is no forecast, and 400 listing the formats for an unknown one', async () => {
    const none = await get('viewer', '/api/forecasts/latest/export?format=gpkg');
    expect(none.status).toBe(404);
    expect(await none.json()).toEqual({ error: 'no forecast is published yet', hint: expect.stringMatching(/POST \/api\/forecasts/) });
    const missing = await get('viewer', '/api/forecasts/42/export?format=csv');
    expect(missing.status).toBe(404);
    expect((await missing.json() as { hint: string }).hint).toMatch(/publish one with POST \/api\/forecasts/);

    const r = await t.call('analyst', 'POST', '/api/forecasts', FC);
    expect(r.status).toBe(201);
    pubId = (await r.json() as { id: number }).id;
    geo = await (await get('viewer', `/api/forecasts/${pubId}`)).json() as Geo;
    top = geo.features.find((f) => f.properties.rank === 1)!;
    const bad = await get('viewer', `/api/forecasts/${pubId}/export?format=xlsx`);
    expect(bad.status).toBe(400);
    expect((await bad.json() as { error: string }).error).toMatch(/format must be one of: geojson .*csv .*gpkg .*shp .*kml .*top/);
    expect((await get('viewer', `/api/forecasts/${pubId}/export?format=csv&dataset=synth`)).status).toBe(400);
  });

  it('GeoJSON: the bytes of GET /api/forecasts/{id}, as an attachment named dataset-model-period start', async () => {
    const r = await get('viewer', `/api/forecasts/${pubId}/export?format=geojson`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/geo+json');
    const name = `synth-moving-average_window_28-${geo.crimecast.from.slice(0, 10)}`;
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="${name}.geojson"`);
    expect(await r.json()).toEqual(geo);
    // "latest", filtered like /api/forecasts/latest
    const l = await get('viewer', '/api/forecasts/latest/export?format=geojson&dataset=synth&model=moving-average:window=28');
    expect(l.headers.get('x-forecast-id')).toBe(String(pubId));
    expect((await get('viewer', '/api/forecasts/latest/export?model=persistence')).status).toBe(404);
  });

  it('GeoPackage: SQLite reads one multipolygon per region with the same values, period and units', async () => {
    const r = await get('viewer', `/api/forecasts/${pubId}/export?format=gpkg&n=5`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/geopackage+sqlite3');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="synth-moving-average_window_28-\d{4}-\d{2}-\d{2}\.gpkg"$/);
    const SQL = await (createRequire(import.meta.url)('sql.js') as () => Promise<{ Database: new (b: Uint8Array) => { exec(q: string): { columns: string[]; values: unknown[][] }[]; close(): void } }>)();
    const db = new SQL.Database(await bytes(r));
    const one = (q: string) => db.exec(q)[0].values;
    expect(one("SELECT count(*), count(geom), min(length(geom)) > 40 FROM forecast")[0]).toEqual([geo.features.length, geo.features.length, 1]);
    expect(one('SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns')).toEqual([['MULTIPOLYGON', 4326]]);
    const row = one(`SELECT expected_total, expected_per_km2, period_start, period_end, period_unit, periods FROM forecast WHERE id = '${top.id}'`)[0];
    expect(row).toEqual([top.properties.expected_total, top.properties.expected_per_km2, geo.crimecast.from, geo.crimecast.to, 'day', 7]);
    expect(top.properties.expected_total as number).toBeGreaterThan(0);
    expect(one("SELECT meaning FROM forecast_fields WHERE name = 'expected_per_km2'")[0][0]).toMatch(/per km²/);
    expect(one('SELECT count(*) FROM top_places')[0][0]).toBe(5);
    db.close();
  });

  it('Shapefile: a zip whose .shp/.dbf an independent reader opens with every region, the values and the field list', async () => {
    const r = await get('viewer', `/api/forecasts/${pubId}/export?format=shp`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/zip');
    const name = r.headers.get('content-disposition')!.match(/filename="(.+)\.zip"$/)![1];
    const zip = await JSZip.loadAsync(await bytes(r));
    expect(Object.keys(zip.files).sort()).toEqual(['cpg', 'dbf', 'fields.txt', 'prj', 'shp', 'shx'].map((e) => `${name}.${e}`));
    const file = (ext: string) => zip.file(`${name}.${ext}`)!.async('uint8array');
    const fc = await shapefile.read(await file('shp'), await file('dbf'), { encoding: 'ISO-8859-1' });
    expect(fc.features).toHaveLength(geo.features.length);
    const f = fc.features.find((x: { properties: Props }) => x.properties.id === top.id);
    expect(f.geometry.type).toBe('Polygon');
    expect(f.properties.exp_total).toBeCloseTo(top.properties.expected_total as number, 6);
    expect([f.properties.per_start, f.properties.per_end, f.properties.per_unit]).toEqual([geo.crimecast.from, geo.crimecast.to, 'day']);
    expect(new TextDecoder().decode(await file('fields.txt'))).toMatch(/\nexp_km2\texpected_per_km2\texpected incidents per km²/);
  });

  it('CSV: one row per region with centroid, period and units; top: the N highest-ranked; KML: a placemark per region', async () => {
    const r = await get('viewer', `/api/forecasts/${pubId}/export?format=csv`);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toMatch(/\.csv"$/);
    const rows = csvRows(await r.text());
    expect(rows).toHaveLength(geo.features.length);
    const row = rows.find((x) => x.id === top.id)!;
    expect([Number(row.centroid_lat), Number(row.centroid_lon), Number(row.expected_total)]).toEqual([top.properties.centroid_lat, top.properties.centroid_lon, top.properties.expected_total]);
    expect([row.period_start, row.period_end, row.period_unit, row.periods]).toEqual([geo.crimecast.from, geo.crimecast.to, 'day', '7']);

    // periods: one row per region and day of the 7-day horizon, the days adding up to the region's total
    const pr = await get('viewer', `/api/forecasts/${pubId}/export?format=periods`);
    expect(pr.headers.get('content-disposition')).toMatch(/\.periods\.csv"$/);
    const perDay = csvRows(await pr.text());
    expect(perDay).toHaveLength(7 * geo.features.length);
    const mine = perDay.filter((x) => x.id === top.id);
    expect(mine.map((x) => x.period_unit)).toEqual(Array(7).fill('day'));
    expect(mine[0].period_start).toBe(geo.crimecast.from);
    expect(mine[6].period_end).toBe(geo.crimecast.to);
    for (let k = 1; k < 7; k++) expect(mine[k].period_start).toBe(mine[k - 1].period_end);
    expect(mine.reduce((a, x) => a + Number(x.expected), 0)).toBeCloseTo(Number(top.properties.expected_total), 2);

    const tr = await get('viewer', `/api/forecasts/${pubId}/export?format=top&n=3`);
    expect(tr.headers.get('content-disposition')).toMatch(/\.top\.csv"$/);
    const topRows = csvRows(await tr.text());
    expect(topRows.map((x) => Number(x.rank))).toEqual([1, 2, 3]);
    expect(topRows[0]).toMatchObject({ id: top.id, period_start: geo.crimecast.from, period_end: geo.crimecast.to });

    const kr = await get('viewer', `/api/forecasts/${pubId}/export?format=kml`);
    expect(kr.headers.get('content-type')).toBe('application/vnd.google-earth.kml+xml');
    const kml = await kr.text();
    expect([...kml.matchAll(/<Placemark>/g)]).toHaveLength(geo.features.length);
    expect(kml).toContain(`<Data name="period_start"><value>${geo.crimecast.from}</value></Data>`);
  });

  it('gives a viewer no format of a forecast the viewer policy keeps from the GeoJSON route', async () => {
    const fine = await (await t.call('analyst', 'POST', '/api/forecasts', { ...FC, units: 'grid:100', model: 'historical-average' })).json() as { id: number };
    expect((await get('viewer', `/api/forecasts/${fine.id}`)).status).toBe(403);
    for (const format of ['geojson', 'csv', 'gpkg', 'shp', 'kml', 'top']) {
      const r = await get('viewer', `/api/forecasts/${fine.id}/export?format=${format}`);
      expect(r.status, format).toBe(403);
      expect((await r.json() as { error: string }).error).toMatch(/viewers see maps of 250 m cells or coarser/);
    }
    expect((await get('viewer', '/api/forecasts/latest/export?format=csv&model=historical-average')).status).toBe(403);
    expect((await get('analyst', `/api/forecasts/${fine.id}/export?format=csv`)).status).toBe(200);
  });
});

describe('forecast exports off the event loop', () => {
  const built = requirePrerequisite('the compiled build (dist/serve/services/export-worker.js)', existsSync(EXPORT_WORKER), 'run `npm run build` (`npm test` builds first)');

  it.runIf(built)('write the same files in a worker thread as in-process', async () => {
    const pub = t.service.ctx.board.get(pubId)!;
    for (const format of ['csv', 'top', 'kml'] as const) {
      const [threaded, inline] = [await forecastExport(pub, format, 5, true), await forecastExport(pub, format, 5, false)];
      expect(threaded.filename).toBe(inline.filename);
      expect(Buffer.from(threaded.bytes).equals(Buffer.from(inline.bytes)), format).toBe(true);
    }
    // the zip's entries carry the time they were written: compare what is inside
    const unzip = async (b: Uint8Array) => { const z = await JSZip.loadAsync(b); return Promise.all(Object.keys(z.files).sort().map(async (n) => [n, Buffer.from(await z.file(n)!.async('uint8array')).toString('base64')])); };
    expect(await unzip((await forecastExport(pub, 'shp', 5, true)).bytes)).toEqual(await unzip((await forecastExport(pub, 'shp', 5, false)).bytes));
  });
});

describe('patrol plan exports', () => {
  it('CSV: one row per area given dosage, most first, with centroid, dosage and forecast in named units; GeoJSON: every area', async () => {
    const none = await get('viewer', '/api/allocations/latest/export?format=csv');
    expect(none.status).toBe(404);
    const plan = await (await t.call('analyst', 'POST', '/api/allocations', { forecast: pubId, budget: 12, maxPerRegion: 3 })).json() as Geo & { crimecast: { units: string } };
    expect(plan.crimecast.units).toBe('grid:1000');
    const r = await get('viewer', '/api/allocations/latest/export?format=csv');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="patrol-plan-synth-moving-average_window_28-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await r.text();
    expect(text.split('\n')[0]).toBe('region,label,centroid_lon,centroid_lat,dosage_unit_hours,expected_incidents_forecast,expected_incidents_covered,area_m2,period_start,period_end');
    const rows = csvRows(text);
    const dosed = plan.features.filter((f) => Number(f.properties.dosage_total) > 0);
    expect(rows).toHaveLength(dosed.length);
    expect(rows.reduce((a, x) => a + Number(x.dosage_unit_hours), 0)).toBe(12);
    for (let i = 1; i < rows.length; i++) expect(Number(rows[i].dosage_unit_hours)).toBeLessThanOrEqual(Number(rows[i - 1].dosage_unit_hours));
    const g = new Map(geo.features.map((f) => [f.id, f.properties]));
    for (const x of rows) {
      const p = g.get(x.region)!;
      expect([Number(x.centroid_lon), Number(x.centroid_lat), Number(x.expected_incidents_forecast)]).toEqual([p.centroid_lon, p.centroid_lat, p.expected_total]);
      expect(Number(x.expected_incidents_covered)).toBeLessThanOrEqual(Number(x.expected_incidents_forecast));
      expect([x.period_start, x.period_end]).toEqual([geo.crimecast.from, geo.crimecast.to]);
    }
    const gr = await get('viewer', '/api/allocations/latest/export?format=geojson');
    expect(gr.headers.get('content-type')).toBe('application/geo+json');
    const pg = await gr.json() as Geo;
    expect(pg.features).toHaveLength(geo.features.length);
    expect(pg.features.find((f) => f.id === rows[0].region)!.properties).toMatchObject({ dosage_total: Number(rows[0].dosage_unit_hours), centroid_lat: Number(rows[0].centroid_lat) });
    expect((await get('viewer', '/api/allocations/latest/export?format=shp')).status).toBe(400);
  });

  it('keeps a plan made on units finer than the viewer minimum from viewers', async () => {
    const fine = await (await t.call('analyst', 'POST', '/api/forecasts', { ...FC, units: 'grid:100', model: 'historical-average' })).json() as { id: number };
    expect((await t.call('analyst', 'POST', '/api/allocations', { forecast: fine.id, budget: 5 })).status).toBe(200);
    for (const path of ['/api/allocations/latest', '/api/allocations/latest/export?format=csv', '/api/allocations/latest/export?format=geojson']) {
      expect((await get('viewer', path)).status, path).toBe(403);
      expect((await get('analyst', path)).status, path).toBe(200);
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = await (await t.call(null, 'GET', '/api/openapi.json')).json() as { paths: Record<string, Record<string, { 'x-access': string; parameters: { name: string }[] }>> };
    expect(doc.paths['/api/forecasts/{id}/export'].get.parameters.map((p) => p.name)).toEqual(['id', 'format', 'n', 'dataset', 'model']);
    expect(doc.paths['/api/allocations/latest/export'].get['x-access']).toBe('viewer');
  });
});
