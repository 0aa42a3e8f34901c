import { describe, expect, it } from 'vitest';
import { incidentTableFromColumns, takeIncidents } from '../../../src/data/incident-table.js';
import type { History } from '../../../src/models/forecaster.js';
import { createForecaster } from '../../../src/models/registry.js';
import { SeppForecaster } from '../../../src/models/pointprocess/sepp.js';
import '../../../src/models/pointprocess/sepp.js';
import { simulateSepp } from '../../../src/models/pointprocess/simulate-sepp.js';
import { buildGrid } from '../../../src/space/grid.js';
import { localProjection } from '../../../src/space/projection.js';
import { createTensor, slicePeriods } from '../../../src/tensor/count-tensor.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2021, 0, 1);
const DAYS = 900, CUT = 700;

/** A simulated hot-spot SEPP around Chicago, on a 1 km grid, daily counts. */
function world() {
  const truth = { theta: 0.4, omega: 0.3, sigma: 80 };
  const sim = simulateSepp({
    rate: 5, background: { kind: 'mixture', x: [-3000, 2500, 0], y: [-2000, 3000, 3500], sd: [1500, 900, 2500], weight: [2, 1, 2] },
    ...truth, T: DAYS, seed: 31,
  });
  const proj = localProjection(41.85, -87.65);
  const { lat, lon } = proj.inverse(sim.x, sim.y);
  const n = sim.t.length;
  const incidents = incidentTableFromColumns({ t: Float64Array.from(sim.t, (d) => T0 + d * DAY), lat, lon, category: new Array(n).fill('all') });
  const units = buildGrid({ cell: 1000, points: incidents, mask: 'incidents' });
  const region = units.assign(lat, lon);
  const data = new Float32Array(DAYS * units.n);
  for (let i = 0; i < n; i++) if (region[i] >= 0) data[Math.floor(sim.t[i]) * units.n + region[i]]++;
  const tensor = createTensor({
    periods: DAYS, regions: units.n, categories: 1, categoryNames: ['all'], regionIds: units.ids,
    periodStart: Float64Array.from({ length: DAYS }, (_, p) => T0 + p * DAY), unit: 'day', tz: 'UTC',
  }, data);
  const keep = Int32Array.from({ length: n }, (_, i) => i).filter((i) => sim.t[i] < CUT);
  const train: History = {
    tensor: slicePeriods(tensor, 0, CUT), incidents: takeIncidents(incidents, keep),
    incidentRegion: Int32Array.from(keep, (i) => region[i]), incidentCategory: new Int32Array(keep.length), units,
  };
  return { truth, tensor, units, train };
}

describe('sepp forecaster', () => {
  const { truth, tensor, units, train } = world();
  const model = createForecaster('sepp:window=0,bgBandwidth=400,maxDt=30,maxDist=500,simulate=200') as SeppForecaster;
  model.fit(train, { seed: 4 });

  it('recovers the triggering parameters from projected incidents (±20 %)', () => {
    const [f] = model.fits;
    expect(Math.abs(f.theta - truth.theta) / truth.theta).toBeLessThan(0.2);
    expect(Math.abs(f.omega - truth.omega) / truth.omega).toBeLessThan(0.2);
    expect(Math.abs(f.sigma - truth.sigma) / truth.sigma).toBeLessThan(0.2);
  });

  it('forecasts region counts that match the held-out future', () => {
    const H = 150;
    const fc = model.predict(train, H);
    expect(fc.regions).toBe(units.n);
    const R = units.n;
    const pred = new Float64Array(R), act = new Float64Array(R);
    for (let h = 0; h < H; h++) {
      for (let r = 0; r < R; r++) {
        pred[r] += fc.mean[h * R + r];
        act[r] += tensor.data[(CUT + h) * R + r];
      }
    }
    const sp = pred.reduce((a, b) => a + b, 0), sa = act.reduce((a, b) => a + b, 0);
    expect(Math.abs(sp - sa) / sa).toBeLessThan(0.15);
    // Pearson correlation of per-region totals
    const mp = sp / R, ma = sa / R;
    let cov = 0, vp = 0, va = 0;
    for (let r = 0; r < R; r++) { cov += (pred[r] - mp) * (act[r] - ma); vp += (pred[r] - mp) ** 2; va += (act[r] - ma) ** 2; }
    expect(cov / Math.sqrt(vp * va)).toBeGreaterThan(0.85);
  });

  it('simulated futures agree with the closed-form mean', () => {
    const fc = model.predict(train, 5);
    expect(fc.dist.family).toBe('samples');
    if (fc.dist.family !== 'samples') return;
    const cells = fc.mean.length;
    let sm = 0, ss = 0;
    for (let c = 0; c < cells; c++) sm += fc.mean[c];
    for (let k = 0; k < fc.dist.n * cells; k++) ss += fc.dist.samples[k];
    expect(Math.abs(ss / fc.dist.n - sm) / sm).toBeLessThan(0.05);
  });

  it('forecasts from a non-parametric (stochastic declustering) fit', () => {
    const np = createForecaster('sepp:trigger=nonparametric,iterations=10,window=300,maxDt=30,maxDist=500') as SeppForecaster;
    np.fit(train, { seed: 6 });
    const [f] = np.nonparametricFits;
    expect(Math.abs(f.branchingRatio - truth.theta)).toBeLessThan(0.1);
    expect(Math.abs(f.meanDelay - 1 / truth.omega) / (1 / truth.omega)).toBeLessThan(0.3);
    const H = 150, R = units.n;
    const fc = np.predict(train, H);
    let sp = 0, sa = 0;
    for (let h = 0; h < H; h++) for (let r = 0; r < R; r++) { sp += fc.mean[h * R + r]; sa += tensor.data[(CUT + h) * R + r]; }
    expect(Math.abs(sp - sa) / sa).toBeLessThan(0.15);
  });

  it('handles several categories, pooled or separate, including one with no incident', () => {
    const R = units.n, P = train.tensor.periods;
    const data2 = new Float32Array(P * R * 2);
    for (let i = 0; i < P * R; i++) data2[i * 2] = train.tensor.data[i];
    const tensor2 = createTensor({ ...train.tensor, categories: 2, categoryNames: ['all', 'none'] }, data2);
    const h2: History = { ...train, tensor: tensor2 };
    for (const mode of ['separate', 'pooled']) {
      const m = createForecaster(`sepp:window=200,categories=${mode},iterations=40,bgBandwidth=400`) as SeppForecaster;
      m.fit(h2, { seed: 1 });
      const fc = m.predict(h2, 2);
      let c0 = 0, c1 = 0;
      for (let k = 0; k < fc.mean.length; k += 2) { c0 += fc.mean[k]; c1 += fc.mean[k + 1]; }
      expect(c1).toBe(0);
      // about 5 / (1 − 0.4) ≈ 8.3 events a day in the study area
      expect(c0 / 2).toBeGreaterThan(6.5);
      expect(c0 / 2).toBeLessThan(10);
    }
  });

  it('explains what it needs', () => {
    const m = createForecaster('sepp');
    expect(() => m.fit({ tensor: train.tensor })).toThrow(/needs incidents/);
  });
});
