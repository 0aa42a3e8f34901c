import { describe, expect, it } from 'vitest';
import { incidentTableFromColumns, type IncidentTable } from '../../../src/data/incident-table.js';
import type { History } from '../../../src/models/forecaster.js';
import { KdeForecaster } from '../../../src/models/kernel/kde-forecaster.js';
import { ProspectiveForecaster, ProspectiveKdeForecaster } from '../../../src/models/kernel/prospective-forecaster.js';
import { prospectiveRisk } from '../../../src/models/kernel/prospective-risk.js';
import { kdeAtRegions } from '../../../src/models/kernel/region-kde.js';
import { createForecaster } from '../../../src/models/registry.js';
import { buildGrid } from '../../../src/space/grid.js';
import { localProjection } from '../../../src/space/projection.js';
import type { SpatialUnits } from '../../../src/space/units.js';
import { createTensor } from '../../../src/tensor/count-tensor.js';
import { Rng } from '../../../src/util/rng.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1); // a Monday
const LAT0 = 41.88, LON0 = -87.63;
const proj = localProjection(LAT0, LON0);

/** 2 km × 2 km, 100 m grid; background uniform events plus a hot spot around (500, 1500) m; 10 weeks. */
function scenario(seed = 1) {
  const rng = new Rng(seed);
  const x: number[] = [], y: number[] = [], t: number[] = [], cat: string[] = [];
  for (let i = 0; i < 400; i++) { x.push(rng.random() * 2000); y.push(rng.random() * 2000); t.push(T0 + rng.random() * 70 * DAY); cat.push(i % 2 ? 'theft' : 'burglary'); }
  for (let i = 0; i < 300; i++) { x.push(rng.normal(500, 60)); y.push(rng.normal(1500, 60)); t.push(T0 + rng.random() * 70 * DAY); cat.push('burglary'); }
  const ll = proj.inverse(Float64Array.from(x), Float64Array.from(y));
  const incidents = incidentTableFromColumns({ t, lat: ll.lat, lon: ll.lon, category: cat, tz: 'UTC', categories: ['burglary', 'theft'] });
  const sw = proj.inversePoint(0, 0), ne = proj.inversePoint(2000, 2000);
  const units = buildGrid({ cell: 100, bbox: { minLat: sw[0], minLon: sw[1], maxLat: ne[0], maxLon: ne[1] }, projection: proj.def });
  return { incidents, units, history: weeklyHistory(incidents, units, 10) };
}

function weeklyHistory(inc: IncidentTable, units: SpatialUnits, weeks: number): History {
  const reg = units.assign(inc.lat, inc.lon);
  const C = inc.categories.length;
  const tensor = createTensor({
    periods: weeks, regions: units.n, categories: C, categoryNames: inc.categories, regionIds: units.ids,
    periodStart: Float64Array.from({ length: weeks }, (_, p) => T0 + p * 7 * DAY), unit: 'week', tz: 'UTC',
  });
  for (let i = 0; i < inc.n; i++) {
    const p = Math.floor((inc.t[i] - T0) / (7 * DAY));
    if (reg[i] >= 0 && p >= 0 && p < weeks) tensor.data[(p * units.n + reg[i]) * C + inc.cat[i]]++;
  }
  return { tensor, incidents: inc, incidentRegion: reg, incidentCategory: Int32Array.from(inc.cat), units };
}

function metresFromHotSpot(units: SpatialUnits, r: number): number {
  const [x, y] = proj.forwardPoint(units.centroidLat[r], units.centroidLon[r]);
  return Math.hypot(x - 500, y - 1500);
}

describe('prospectiveRisk (Bowers–Johnson–Pease weights)', () => {
  it('matches a hand computation on three events', () => {
    const ev = {
      x: Float64Array.from([30, 120, 0, 500, 10]),
      y: Float64Array.from([0, 0, 260, 0, 0]),
      ageDays: Float64Array.from([2, 10, 20, 1, 60]),
    };
    // (30 m, 2 d): band 0, week 0 → 1; (120 m, 10 d): band 2, week 1 → 1/3 · 1/2; (260 m, 20 d): band 5, week 2 → 1/6 · 1/3;
    // 500 m is beyond the 400 m bandwidth; 60 days is beyond the 8-week window
    const r = prospectiveRisk(ev, { x: Float64Array.from([0]), y: Float64Array.from([0]) }, { bandwidth: 400, band: 50, weeks: 8 });
    expect(r[0]).toBeCloseTo(1 + 1 / 6 + 1 / 18, 12);
  });
});

describe('kdeAtRegions', () => {
  it('integrates to the number of events over a lattice, split by where they lie', () => {
    const { incidents, units } = scenario();
    const res = kdeAtRegions({ lat: incidents.lat, lon: incidents.lon }, units, { kernel: 'quartic', bandwidth: 200 });
    expect(res.mass.reduce((a, b) => a + b, 0)).toBeCloseTo(incidents.n, 6);
    let argmax = 0;
    res.density.forEach((d, r) => { if (d > res.density[argmax]) argmax = r; });
    expect(metresFromHotSpot(units, argmax)).toBeLessThan(150);
  });

  it('works on polygon units by sampling sub-cells (two half-squares)', () => {
    // a hand-made unit set: west and east halves of the 2 km square
    const sw = proj.inversePoint(0, 0), mid = proj.inversePoint(1000, 2000), ne = proj.inversePoint(2000, 2000);
    const halves: SpatialUnits = {
      kind: 'polygons', n: 2, ids: ['west', 'east'], area: Float64Array.of(2e6, 2e6),
      centroidLat: Float64Array.of(proj.inversePoint(500, 1000)[0], proj.inversePoint(1500, 1000)[0]),
      centroidLon: Float64Array.of(proj.inversePoint(500, 1000)[1], proj.inversePoint(1500, 1000)[1]),
      adjacency: { offsets: Int32Array.of(0, 1, 2), neighbors: Int32Array.of(1, 0) },
      assign(lat, lon) {
        const { x, y } = proj.forward(lat, lon);
        return Int32Array.from(x, (xi, i) => (xi < 0 || xi >= 2000 || y[i] < 0 || y[i] >= 2000 ? -1 : xi < 1000 ? 0 : 1));
      },
      geometry(i) {
        const [a, b] = i === 0 ? [sw[1], mid[1]] : [mid[1], ne[1]];
        return { type: 'Polygon', coordinates: [[[a, sw[0]], [b, sw[0]], [b, ne[0]], [a, ne[0]], [a, sw[0]]]] };
      },
      spec: { kind: 'polygons', projection: proj.def },
    };
    // 30 events at x = 200 m, 10 at x = 1800 m: a 150 m kernel keeps them within their half
    const xs = [...Array(30).fill(200), ...Array(10).fill(1800)], ys = xs.map((_, i) => 300 + 40 * i);
    const ll = proj.inverse(Float64Array.from(xs), Float64Array.from(ys));
    const res = kdeAtRegions(ll, halves, { kernel: 'quartic', bandwidth: 150 });
    expect(res.mass[0]).toBeCloseTo(30, 1);
    expect(res.mass[1]).toBeCloseTo(10, 1);
    expect(res.density[0]).toBeCloseTo(30 / 2e6, 7);
  });
});

describe('kernel forecasters', () => {
  const { history, units } = scenario();
  const hotLL = proj.inversePoint(500, 1500);
  const hot = units.assign(Float64Array.of(hotLL[0]), Float64Array.of(hotLL[1]))[0];

  for (const make of [
    () => new KdeForecaster({ kernel: 'quartic', bandwidth: 'lcv', windowDays: 365, rateWindowDays: 28, floor: 0.001 }),
    () => new ProspectiveForecaster({ bandwidth: 400, cellBands: 8, weeks: 8, rateWindowDays: 28, floor: 0.001 }),
    () => new ProspectiveKdeForecaster({ kernel: 'quartic', bandwidth: 300, decay: 'exponential', scaleDays: 21, windowDays: 180, rateWindowDays: 28, floor: 0.001 }),
  ]) {
    const f = make();
    it(`${f.name} puts the highest burglary risk at the synthetic hot spot and matches the recent rate`, async () => {
      await f.fit(history);
      const fc = await f.predict(history, 2);
      expect(fc.dist).toEqual({ family: 'poisson' });
      expect(fc.mean.length).toBe(2 * units.n * 2);
      // recent rate: events in the last 4 weekly periods / 4, per category
      const rate = [0, 0];
      for (let p = 6; p < 10; p++) for (let r = 0; r < units.n; r++) for (let c = 0; c < 2; c++) rate[c] += history.tensor.data[(p * units.n + r) * 2 + c] / 4;
      for (let h = 0; h < 2; h++) {
        for (let c = 0; c < 2; c++) {
          let s = 0;
          for (let r = 0; r < units.n; r++) s += fc.mean[(h * units.n + r) * 2 + c];
          expect(s).toBeCloseTo(rate[c], 3);
        }
      }
      let best = 0;
      for (let r = 0; r < units.n; r++) if (fc.mean[r * 2] > fc.mean[best * 2]) best = r;
      expect(metresFromHotSpot(units, best)).toBeLessThan(150);
      // the hot spot's burglary mean is well above the average region's, and every mean is positive
      expect(fc.mean[hot * 2]).toBeGreaterThan(5 * (rate[0] / units.n));
      for (let i = 0; i < fc.mean.length; i++) expect(fc.mean[i]).toBeGreaterThan(0);
    });
  }

  it('says where its convolution ran: the Wasm SIMD passes for the Gaussian kernel, JS stencils for others', async () => {
    const g = new KdeForecaster({ kernel: 'gaussian', bandwidth: 250, windowDays: 365, rateWindowDays: 28, floor: 0.001 });
    await g.fit(history);
    expect(g.fitted().backend).toBe('wasm-simd'); // Node 20 has WebAssembly SIMD
    const q = new KdeForecaster({ kernel: 'quartic', bandwidth: 250, windowDays: 365, rateWindowDays: 28, floor: 0.001 });
    await q.fit(history);
    expect(q.fitted().backend).toBe('js (quartic stencil, direct or FFT)');
  });

  it('falls back to tensor counts at region centroids when incidents are absent', async () => {
    const f = new KdeForecaster({ kernel: 'quartic', bandwidth: 250, windowDays: 365, rateWindowDays: 28, floor: 0.001 });
    const bare: History = { tensor: history.tensor, units };
    f.fit(bare);
    const fc = f.predict(bare, 1);
    let best = 0;
    for (let r = 0; r < units.n; r++) if (fc.mean[r * 2] > fc.mean[best * 2]) best = r;
    expect(metresFromHotSpot(units, best)).toBeLessThan(150);
  });

  it('registers with parseable parameters', () => {
    expect(createForecaster('kde:bandwidth=250,kernel=gaussian').params).toMatchObject({ bandwidth: 250, kernel: 'gaussian' });
    expect(createForecaster('kde:bandwidth=silverman').params).toMatchObject({ bandwidth: 'silverman' });
    expect(createForecaster('prospective:bandwidth=300,cellBands=6').params).toMatchObject({ bandwidth: 300, cellBands: 6, weeks: 8 });
    expect(createForecaster('prospective-kde:decay=linear,scaleDays=30').params).toMatchObject({ decay: 'linear', scaleDays: 30 });
    expect(() => createForecaster('kde:bandwidth=-3')).toThrow(/invalid parameters/);
  });
});
