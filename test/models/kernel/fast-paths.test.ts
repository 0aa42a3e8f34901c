// The KDE fast paths against the straightforward computations they replace: the Wasm SIMD separable convolution,
// the incremental projection cache, the one-pass category split and the four-accumulator rate.
import { describe, expect, it } from 'vitest';
import { convolveDirect, convolveSeparable, convolveSeparableJs, gaussianWeights1d } from '../../../src/models/kernel/convolve.js';
import { SeparablePass } from '../../../src/models/kernel/separable-pass.js';
import { projectIncidents } from '../../../src/models/kernel/projected-incidents.js';
import { categoryEvents, categoryIncidents, recentRate } from '../../../src/models/kernel/history-points.js';
import { localProjection } from '../../../src/space/projection.js';
import { createTensor } from '../../../src/tensor/count-tensor.js';
import { Rng } from '../../../src/util/rng.js';

const maxRel = (a: Float64Array, b: Float64Array) => {
  let peak = 0, worst = 0;
  for (const v of b) peak = Math.max(peak, Math.abs(v));
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / peak);
  return worst;
};

describe('separable convolution (Wasm SIMD)', () => {
  it('runs in Wasm here and equals the JS loops and a direct 2-D stencil, odd sizes and radii larger than the grid', () => {
    expect(SeparablePass.get()).not.toBeNull();
    const rng = new Rng(7);
    for (const [nx, ny, h, cell, dense] of [[37, 23, 30, 10, false], [8, 5, 25, 10, true], [3, 41, 40, 10, true], [64, 64, 12, 5, false]] as const) {
      const src = new Float64Array(nx * ny);
      for (let i = 0; i < src.length; i++) if (dense || rng.random() < 0.05) src[i] = rng.random() * 3;
      const R = Math.ceil((5 * h) / cell);
      const g = gaussianWeights1d(h, cell, R);
      const fast = convolveSeparable(src, nx, ny, g);
      const js = convolveSeparableJs(src, nx, ny, g);
      const st = new Float64Array(g.length * g.length);
      for (let i = 0; i < g.length; i++) for (let j = 0; j < g.length; j++) st[i * g.length + j] = g[i] * g[j];
      const direct = convolveDirect(src, nx, ny, st, R);
      expect(maxRel(fast, js)).toBeLessThan(1e-13);
      expect(maxRel(fast, direct)).toBeLessThan(1e-13);
      // mass inside the array is what falls inside: with R ≥ the grid, some of it spills out (zero outside)
      let inS = 0, outS = 0;
      for (const v of src) inS += v;
      for (const v of fast) outS += v;
      expect(outS).toBeLessThanOrEqual(inS * (1 + 1e-12));
    }
  });

  it('writes into a reused output array without keeping anything from the previous call', () => {
    const nx = 20, ny = 11, g = gaussianWeights1d(20, 10, 6);
    const a = new Float64Array(nx * ny); a[5 * nx + 7] = 1;
    const b = new Float64Array(nx * ny); b[2 * nx + 15] = 2;
    const out = new Float64Array(nx * ny);
    convolveSeparable(a, nx, ny, g, out);
    convolveSeparable(b, nx, ny, g, out);
    expect(maxRel(out, convolveSeparableJs(b, nx, ny, g))).toBeLessThan(1e-14);
  });
});

describe('projectIncidents', () => {
  const proj = localProjection(41.88, -87.63);
  it('equals a fresh projection as the arrays grow, and notices rows rewritten in place', () => {
    const rng = new Rng(3), n = 500;
    const lat = new Float64Array(n), lon = new Float64Array(n);
    for (let i = 0; i < n; i++) { lat[i] = 41.8 + rng.random() * 0.1; lon[i] = -87.7 + rng.random() * 0.1; }
    const check = (k: number) => {
      const got = projectIncidents(proj, lat.subarray(0, k), lon.subarray(0, k)), want = proj.forward(lat.subarray(0, k), lon.subarray(0, k));
      expect(Array.from(got.x)).toEqual(Array.from(want.x));
      expect(Array.from(got.y)).toEqual(Array.from(want.y));
    };
    check(100); check(100); check(350); check(500);
    lat[42] += 0.01; // rewritten: must not come back stale
    check(500);
    lat[499] = NaN; // non-finite rows project to NaN, as proj.forward does
    check(500);
  });
});

describe('one-pass category split and recent rate', () => {
  it('categoryIncidents matches categoryEvents per category; recentRate matches the plain sum', () => {
    const rng = new Rng(11), DAY = 86_400_000, T0 = Date.UTC(2024, 0, 1), periods = 30, R = 13, C = 3;
    const tensor = createTensor({
      periods, regions: R, categories: C, categoryNames: ['a', 'b', 'c'], regionIds: Array.from({ length: R }, (_, r) => `r${r}`),
      periodStart: Float64Array.from({ length: periods }, (_, p) => T0 + p * DAY), unit: 'day', tz: 'UTC',
    });
    for (let i = 0; i < tensor.data.length; i++) tensor.data[i] = Math.floor(rng.random() * 4);
    const n = 300, t = new Float64Array(n), lat = new Float64Array(n), lon = new Float64Array(n), cat = new Uint16Array(n), reg = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      t[i] = T0 + rng.random() * periods * DAY; lat[i] = i % 17 ? 41.8 + rng.random() / 10 : NaN; lon[i] = -87.6; cat[i] = i % C; reg[i] = i % 11 ? i % R : -1;
    }
    const history = {
      tensor, incidents: { n, id: [], t, lat, lon, cat, categories: ['a', 'b', 'c'], tz: 'UTC' },
      incidentRegion: reg, incidentCategory: Int32Array.from(cat),
    } as unknown as Parameters<typeof categoryIncidents>[0];
    const split = categoryIncidents(history, 10);
    for (let c = 0; c < C; c++) {
      const ev = categoryEvents(history, c, 10);
      expect(Array.from(split[c], (i) => lat[i])).toEqual(Array.from(ev.lat));
      expect(split[c].length).toBeGreaterThan(5);
    }
    for (const days of [1, 7, 10, 56]) {
      const k = Math.min(days, periods), want = new Float64Array(C);
      for (let p = periods - k; p < periods; p++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) want[c] += tensor.data[(p * R + r) * C + c];
      expect(Array.from(recentRate(tensor, days))).toEqual(Array.from(want, (v) => v / k));
    }
  });
});

describe('kde forecaster fast path', () => {
  it('draws the same surfaces as kdeAtRegions on each category\'s lat/lon, at every refit of a growing history', async () => {
    const { incidentTableFromColumns } = await import('../../../src/data/incident-table.js');
    const { buildGrid } = await import('../../../src/space/grid.js');
    const { KdeForecaster } = await import('../../../src/models/kernel/kde-forecaster.js');
    const { kdeAtRegions } = await import('../../../src/models/kernel/region-kde.js');
    const proj = localProjection(41.88, -87.63), rng = new Rng(5), DAY = 86_400_000, T0 = Date.UTC(2024, 0, 1), n = 600;
    const x = Float64Array.from({ length: n }, () => rng.random() * 1500), y = Float64Array.from({ length: n }, () => rng.random() * 1200);
    const ll = proj.inverse(x, y);
    const t = Array.from({ length: n }, (_, i) => T0 + (i / n) * 40 * DAY);
    const inc = incidentTableFromColumns({ t, lat: ll.lat, lon: ll.lon, category: t.map((_, i) => (i % 3 ? 'a' : 'b')), tz: 'UTC', categories: ['a', 'b'] });
    const sw = proj.inversePoint(0, 0), ne = proj.inversePoint(1500, 1200);
    const units = buildGrid({ cell: 100, bbox: { minLat: sw[0], minLon: sw[1], maxLat: ne[0], maxLon: ne[1] }, projection: proj.def });
    const reg = units.assign(inc.lat, inc.lon);
    const model = new KdeForecaster({ kernel: 'gaussian', bandwidth: 120, windowDays: 20, rateWindowDays: 7, floor: 0.001 });
    for (const days of [25, 32, 40]) {
      const k = inc.t.findIndex((v) => v >= T0 + days * DAY);
      const m = k < 0 ? n : k;
      const tensor = createTensor({
        periods: days, regions: units.n, categories: 2, categoryNames: ['a', 'b'], regionIds: units.ids,
        periodStart: Float64Array.from({ length: days }, (_, p) => T0 + p * DAY), unit: 'day', tz: 'UTC',
      });
      const sub = { ...inc, n: m, t: inc.t.subarray(0, m), lat: inc.lat.subarray(0, m), lon: inc.lon.subarray(0, m), cat: inc.cat.subarray(0, m), id: inc.id.slice(0, m) };
      const h = { tensor, units, incidents: sub, incidentRegion: reg.subarray(0, m), incidentCategory: Int32Array.from(sub.cat) };
      model.fit(h);
      for (let c = 0; c < 2; c++) {
        const ev = categoryEvents(h, c, 20);
        const want = kdeAtRegions({ lat: ev.lat, lon: ev.lon }, units, { kernel: 'gaussian', bandwidth: 120 }).mass;
        const got = (model as unknown as { score: Float64Array[] }).score[c];
        expect(ev.lat.length).toBeGreaterThan(50);
        expect(maxRel(got, want)).toBeLessThan(1e-12);
      }
    }
  });
});
