/**
 * The three reproductions of issue 20 item 8: a viewer asking for H3 resolution 10 over one day (hot spots and unit
 * polygons) got exactly the ~66 m cells of that day's incidents. Viewers now get 403 below the minimum cell size,
 * windows widened to whole weeks (403 when the data hold less), and cells holding fewer than 3 incidents withheld;
 * every read is access-logged.
 */
import { latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUnits } from '../../src/space/build-units.js';
import { unitsToGeoJSON } from '../../src/space/geojson.js';
import { startTestService, uploadForm, type TestService } from './service.js';
import { syntheticCsv } from './synthetic.js';

// three incidents on one day, each alone in its neighbourhood (a viewer must not be able to find any of them)
const LONE = [
  { id: 'L1', time: '2024-02-10 03:15:00', lat: 41.8512, lon: -87.6211 },
  { id: 'L2', time: '2024-02-10 14:40:00', lat: 41.7585, lon: -87.7421 },
  { id: 'L3', time: '2024-02-10 22:05:00', lat: 41.8477, lon: -87.7398 },
];
const CSV = syntheticCsv({ days: 60, perDay: 25 }) + LONE.map((l) => `${l.id},${l.time},${l.lat},${l.lon},THEFT`).join('\n') + '\n';
const rows = CSV.trim().split('\n').slice(1).map((l) => l.split(',')).map((r) => ({ id: r[0], day: r[1].slice(0, 10), lat: Number(r[2]), lon: Number(r[3]) }));

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
  expect((await t.call('analyst', 'POST', '/api/datasets/city/upload', uploadForm(CSV))).status).toBe(200);
});
afterAll(async () => { await t?.close(); });

type FC = { features: { id: string; geometry: { coordinates: number[][][] } }[]; crimecast?: { disclosure?: { minCount: number; suppressedCells: number; suppressedIncidents: number } } };
const get = (as: 'viewer' | 'analyst', path: string) => t.call(as, 'GET', path);
const cellsOf = (day: (d: string) => boolean, res: number) => {
  const m = new Map<string, number>();
  for (const r of rows) if (day(r.day)) { const c = latLngToCell(r.lat, r.lon, res); m.set(c, (m.get(c) ?? 0) + 1); }
  return m;
};

describe('viewer aggregation limits (the reproductions)', () => {
  it('1: hot spots at H3 res 10 for one day — the analyst gets exactly the incident cells, a viewer gets 403', async () => {
    const q = '/api/hotspots?dataset=city&units=h3:10&from=2024-02-10&to=2024-02-10';
    const analyst = await get('analyst', q);
    expect(analyst.status).toBe(200);
    const ids = ((await analyst.json()) as FC).features.map((f) => f.id).sort();
    expect(ids).toEqual([...cellsOf((d) => d === '2024-02-10', 10).keys()].sort());
    for (const l of LONE) expect(ids).toContain(latLngToCell(l.lat, l.lon, 10));
    const r = await get('viewer', q);
    expect(r.status).toBe(403);
    expect(await r.json()).toEqual({
      error: 'viewers see H3 resolution 9 or coarser (cells of at least 250 m); "h3:10" is finer',
      hint: expect.stringMatching(/^use h3:9 or lower; analysts may .* --viewer-min-cell/),
    });
  });

  it('2: unit polygons at H3 res 10 — 403 for a viewer; at res 9 only cells holding 3 or more incidents', async () => {
    const r = await get('viewer', '/api/units?dataset=city&units=h3:10');
    expect(r.status).toBe(403);
    const fc = (await (await get('viewer', '/api/units?dataset=city&units=h3:9')).json()) as FC;
    const all = cellsOf(() => true, 9);
    const expected = [...all].filter(([, n]) => n >= 3).map(([c]) => c).sort();
    expect(fc.features.map((f) => f.id).sort()).toEqual(expected);
    const small = [...all.values()].filter((n) => n < 3);
    expect(small.length).toBeGreaterThan(0);
    expect(fc.crimecast!.disclosure).toMatchObject({ minCount: 3, suppressedCells: small.length, suppressedIncidents: small.reduce((a, b) => a + b, 0) });
    for (const l of LONE) expect(fc.features.map((f) => f.id)).not.toContain(latLngToCell(l.lat, l.lon, 9));
  });

  it('3: one day at the coarsest allowed cells — widened to its whole week, where no cell holds fewer than 3 incidents', async () => {
    const week = (d: string) => d >= '2024-02-05' && d <= '2024-02-11';
    const explicit = (await (await get('viewer', '/api/hotspots?dataset=city&units=h3:9&from=2024-02-05&to=2024-02-11')).json()) as FC;
    const r = await get('viewer', '/api/hotspots?dataset=city&units=h3:9&from=2024-02-10&to=2024-02-10');
    expect(r.status).toBe(200);
    const fc = (await r.json()) as FC & { crimecast: { disclosure: { window: unknown } } };
    expect(fc.crimecast.disclosure.window).toMatchObject({ requested: { from: '2024-02-10', to: '2024-02-10' }, applied: { from: '2024-02-05', to: '2024-02-11' } });
    expect(fc.features).toEqual(explicit.features);
    const counts = cellsOf(week, 9);
    expect(fc.features.length).toBeGreaterThan(0);
    for (const f of fc.features) expect(counts.get(f.id), f.id).toBeGreaterThanOrEqual(3);
    for (const l of LONE) expect(fc.features.map((f) => f.id)).not.toContain(latLngToCell(l.lat, l.lon, 9));
    expect(fc.crimecast!.disclosure!.suppressedCells).toBe([...counts.values()].filter((n) => n < 3).length);
    // overlapping windows differ by whole weeks only: Tue–Mon becomes the two weeks it touches
    const shifted = (await (await get('viewer', '/api/hotspots?dataset=city&units=grid:250&from=2024-02-06&to=2024-02-12')).json()) as { crimecast: { disclosure: { window: { applied: unknown } } } };
    expect(shifted.crimecast.disclosure.window.applied).toEqual({ from: '2024-02-05', to: '2024-02-18' });
    // a window past the end of the data is clipped to it: the last days alone are still under a week
    const late = await get('viewer', '/api/hotspots?dataset=city&units=h3:9&from=2024-02-29&to=2024-03-20');
    expect(late.status).toBe(403);
    expect((await late.json() as { error: string }).error).toBe('viewers see aggregates over at least 7 days; this selection covers 4.0 days of data');
    expect((await get('viewer', '/api/hotspots?dataset=city&units=grid:100')).status).toBe(403);
  });

  it('draws every grid in the dataset\'s frame (whole degrees), not one starting at the south-west-most incident', async () => {
    const minLat = Math.min(...rows.map((r) => r.lat)), minLon = Math.min(...rows.map((r) => r.lon));
    const corner = (fc: FC) => {
      let lat = Infinity, lon = Infinity;
      for (const f of fc.features) for (const [x, y] of f.geometry.coordinates[0]) { lat = Math.min(lat, y); lon = Math.min(lon, x); }
      return { lat, lon };
    };
    // the library's default frame starts at the incidents' extent: one incident's latitude to a few metres
    const plain = buildUnits('grid:250', { lat: Float64Array.from(rows, (r) => r.lat), lon: Float64Array.from(rows, (r) => r.lon) });
    expect(Math.abs(corner(unitsToGeoJSON(plain) as FC).lat - minLat) * 111_000).toBeLessThan(5);
    const analyst = (await (await get('analyst', '/api/units?dataset=city&units=grid:250')).json()) as FC;
    const vr = await get('viewer', '/api/hotspots?dataset=city&units=grid:250');
    expect(vr.status).toBe(200);
    const viewer = (await vr.json()) as FC;
    for (const fc of [analyst, viewer]) {
      const c = corner(fc);
      expect(Math.abs(c.lat - minLat) * 111_000).toBeGreaterThan(5);
      expect(c.lat).toBeLessThan(minLat);
      expect(c.lon).toBeLessThan(minLon);
    }
    // one frame for all: the viewer's hot-spot cells are the analyst's unit cells, and a forecast's cells too
    const cells = (fc: FC) => new Map(fc.features.map((f) => [f.id, JSON.stringify(f.geometry.coordinates)]));
    expect(cells(viewer)).toEqual(cells(analyst));
    const pub = await (await t.call('analyst', 'POST', '/api/forecasts', { dataset: 'city', units: 'grid:250', model: 'historical-average', horizon: 1 })).json() as { id: number };
    expect(cells((await (await get('viewer', `/api/forecasts/${pub.id}`)).json()) as FC)).toEqual(cells(analyst));
    expect(viewer.crimecast!.disclosure!.suppressedCells).toBeGreaterThan(0);
  });

  it('keeps forecasts published on units finer than the viewer minimum from viewers (an H3 set is the incident cells)', async () => {
    const r = await t.call('analyst', 'POST', '/api/forecasts', { dataset: 'city', units: 'h3:10', model: 'historical-average', horizon: 1 });
    expect(r.status).toBe(201);
    const { id } = await r.json() as { id: number };
    const region = latLngToCell(LONE[0].lat, LONE[0].lon, 10);
    for (const p of [`/api/forecasts/${id}`, '/api/forecasts/latest', `/api/forecasts/${id}/series?region=${region}`]) {
      expect((await get('analyst', p)).status, p).toBe(200);
      const v = await get('viewer', p);
      expect(v.status, p).toBe(403);
      expect((await v.json() as { error: string }).error).toMatch(/^viewers see H3 resolution 9 or coarser/);
    }
  });

  it('writes every map read, and every refusal, to the access log', async () => {
    const { entries } = await (await t.call('admin', 'GET', '/api/access-log?limit=1000')).json() as { entries: { user: string; role: string; action: string; dataset?: string; records?: number; query?: Record<string, unknown> }[] };
    const mine = entries.filter((e) => e.user === 'vic');
    expect(mine.filter((e) => e.action === 'hotspots.refused').length).toBeGreaterThanOrEqual(3);
    expect(mine.filter((e) => e.action === 'units.refused')).toHaveLength(1);
    const read = mine.find((e) => e.action === 'hotspots.read' && e.query?.units === 'h3:9' && e.query?.from === '2024-02-05')!;
    expect(read).toMatchObject({ role: 'viewer', dataset: 'city', query: { from: '2024-02-05', to: '2024-02-11', appliedFrom: '2024-02-05', appliedTo: '2024-02-11', days: 7, minCount: 3 } });
    expect(mine.some((e) => e.query?.from === '2024-02-10' && e.query?.appliedFrom === '2024-02-05' && e.query?.appliedTo === '2024-02-11')).toBe(true);
    expect(read.records).toBe(rows.filter((r) => r.day >= '2024-02-05' && r.day <= '2024-02-11').length);
    expect(mine.some((e) => e.action === 'units.read')).toBe(true);
    expect(entries.some((e) => e.user === 'ana' && e.action === 'hotspots.read' && e.query?.units === 'h3:10')).toBe(true);
    expect(entries.some((e) => e.user === 'ana' && e.action === 'series.read' && e.query?.units === 'h3:10' && e.dataset === 'city')).toBe(true);
  });
});
