import { describe, expect, it } from 'vitest';
import { createTensor, slicePeriods } from '../../../src/tensor/count-tensor.js';
import { incidentTableFromColumns, takeIncidents } from '../../../src/data/incident-table.js';
import type { History } from '../../../src/models/forecaster.js';
import { createForecaster } from '../../../src/models/registry.js';
import { EtasGridForecaster } from '../../../src/models/pointprocess/etas-grid.js';
import '../../../src/models/pointprocess/etas-grid.js';
import { simulateGridEtas } from '../../../src/models/pointprocess/simulate-grid-etas.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 1);

/** Daily tensor (regions × 2 categories) and incidents from two simulated ETAS processes. */
function simulatedHistory(days: number): History {
  const R = 12;
  const mu = Float64Array.from({ length: R }, (_, r) => 0.05 + 0.03 * r);
  const a = simulateGridEtas({ mu, theta: 0.5, omega: 0.2, T: days, seed: 21 });
  const b = simulateGridEtas({ mu, theta: 0.2, omega: 1, T: days, seed: 22 });
  const n = a.t.length + b.t.length;
  const t = new Float64Array(n), region = new Int32Array(n), cat = new Int32Array(n);
  const data = new Float32Array(days * R * 2);
  let k = 0;
  for (const [sim, c] of [[a, 0], [b, 1]] as const) {
    for (let i = 0; i < sim.t.length; i++, k++) {
      t[k] = T0 + sim.t[i] * DAY; region[k] = sim.stream[i]; cat[k] = c;
      data[(Math.floor(sim.t[i]) * R + sim.stream[i]) * 2 + c]++;
    }
  }
  const tensor = createTensor({
    periods: days, regions: R, categories: 2, categoryNames: ['a', 'b'],
    regionIds: Array.from({ length: R }, (_, r) => `r${r}`),
    periodStart: Float64Array.from({ length: days }, (_, p) => T0 + p * DAY), unit: 'day', tz: 'UTC',
  }, data);
  const incidents = incidentTableFromColumns({
    t, lat: new Float64Array(n).fill(41.8), lon: new Float64Array(n).fill(-87.6),
    category: Array.from(cat, (c) => (c ? 'b' : 'a')), categories: ['a', 'b'],
  });
  return { tensor, incidents, incidentRegion: region, incidentCategory: cat };
}

describe('etas-grid forecaster', () => {
  const history = simulatedHistory(1500);

  it('fits per-category θ and ω from incident times', () => {
    const m = createForecaster('etas-grid:window=0,iterations=400,tol=1e-7') as EtasGridForecaster;
    m.fit(history, { seed: 1 });
    const f = m.fitResult!;
    expect(Math.abs(f.theta[0] - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(f.theta[1] - 0.2)).toBeLessThan(0.1);
    expect(Math.abs(f.omega[0] - 0.2) / 0.2).toBeLessThan(0.3);
    expect(Math.abs(f.omega[1] - 1) / 1).toBeLessThan(0.4);
  });

  it('fits from daily counts alone, with times placed at random within each day', () => {
    // Over 12 replicate simulations (seeds 21+2s, 22+2s; this history is s = 0) the daily-count fits gave
    // θ_a = 0.478 ± 0.027 (truth 0.5) and θ_b = 0.200 ± 0.013 (truth 0.2): each must lie within 3 SEs of its truth.
    const m = createForecaster('etas-grid:window=0,source=tensor') as EtasGridForecaster;
    m.fit({ tensor: history.tensor }, { seed: 3 });
    const f = m.fitResult!;
    expect(Math.abs(f.theta[0] - 0.5)).toBeLessThan(3 * 0.027);
    expect(Math.abs(f.theta[1] - 0.2)).toBeLessThan(3 * 0.013);
    // one θ shared by both categories is a compromise: it lies strictly between the two categories' own θ
    const shared = createForecaster('etas-grid:window=0,source=tensor,categories=shared') as EtasGridForecaster;
    shared.fit({ tensor: history.tensor }, { seed: 3 });
    const fs = shared.fitResult!;
    expect(fs.theta.length).toBe(1);
    expect(fs.theta[0]).toBeGreaterThan(f.theta[1] + 0.05);
    expect(fs.theta[0]).toBeLessThan(f.theta[0] - 0.05);
    // the background share of events lies between those of the two categories' processes
    expect(fs.backgroundShare).toBeGreaterThan(0.45);
    expect(fs.backgroundShare).toBeLessThan(0.8);
  });

  it('forecasts counts close to what happens next, and its samples agree with the mean', () => {
    const train = { ...history, tensor: slicePeriods(history.tensor, 0, 1200) };
    const cut = T0 + 1200 * DAY;
    const keep = Int32Array.from({ length: history.incidents!.n }, (_, i) => i).filter((i) => history.incidents!.t[i] < cut);
    train.incidents = takeIncidents(history.incidents!, keep);
    train.incidentRegion = Int32Array.from(keep, (i) => history.incidentRegion![i]);
    train.incidentCategory = Int32Array.from(keep, (i) => history.incidentCategory![i]);
    const m = createForecaster('etas-grid:window=0,simulate=400');
    m.fit(train, { seed: 2 });
    const fc = m.predict(train, 7) as Awaited<ReturnType<typeof m.predict>>;
    expect(fc.mean.length).toBe(7 * 12 * 2);
    expect(fc.dist.family).toBe('samples');
    if (fc.dist.family !== 'samples') return;
    // per-cell sample means agree with the closed-form expectation
    const N = fc.dist.n, cells = fc.mean.length;
    let totalMean = 0, totalSamples = 0;
    for (let c = 0; c < cells; c++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += fc.dist.samples[k * cells + c];
      totalMean += fc.mean[c]; totalSamples += s / N;
    }
    expect(Math.abs(totalSamples - totalMean) / totalMean).toBeLessThan(0.03);
    // totals over the next 200 days: the forecast's stationary level matches the realised count within 15 %
    const long = m.predict(train, 200);
    const predicted = long.mean.reduce((a, b) => a + b, 0);
    let actual = 0;
    for (let p = 1200; p < 1400; p++) for (let j = 0; j < 24; j++) actual += history.tensor.data[p * 24 + j];
    expect(Math.abs(predicted - actual) / actual).toBeLessThan(0.15);
  });

  it('rejects unknown parameters and predicting before fitting', () => {
    expect(() => createForecaster('etas-grid:bogus=1')).toThrow(/no parameter/);
    expect(() => createForecaster('etas-grid').predict(history, 1)).toThrow(/before fit/);
  });
});
