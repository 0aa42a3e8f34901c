import { describe, expect, it } from 'vitest';
import { componentStrength, mstl, stl } from '../../../src/models/timeseries/stl.js';
import { Rng } from '../../../src/util/rng.js';

function rmse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / a.length);
}

function synthetic(n: number, rng: Rng, outliers = 0) {
  const season = new Float64Array(n), trend = new Float64Array(n), y = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    season[t] = 3 * Math.sin((2 * Math.PI * t) / 7) + 1.5 * Math.cos((4 * Math.PI * t) / 7);
    trend[t] = 20 + 0.02 * t + 2 * Math.sin((2 * Math.PI * t) / 400);
    y[t] = season[t] + trend[t] + rng.normal(0, 0.5);
  }
  for (let k = 0; k < outliers; k++) y[rng.int(n)] += 25;
  return { season, trend, y };
}

describe('stl', () => {
  it('recovers a weekly pattern and a smooth trend', () => {
    const { season, trend, y } = synthetic(700, new Rng(3));
    const r = stl(y, 7);
    // season amplitude ~3.4, noise sd 0.5: a 7-cycle seasonal loess averages ~5 cycles, error ≈ 0.5/√5
    expect(rmse(r.seasonal, season)).toBeLessThan(0.25);
    // a wider seasonal window averages more cycles
    expect(rmse(stl(y, 7, { seasonalWindow: 21 }).seasonal, season)).toBeLessThan(0.15);
    expect(rmse(r.trend, trend)).toBeLessThan(0.25);
    for (let i = 0; i < 700; i++) expect(r.seasonal[i] + r.trend[i] + r.remainder[i]).toBeCloseTo(y[i], 10);
    expect(componentStrength(r.seasonal, r.remainder)).toBeGreaterThan(0.9);
  });

  it('robust fitting resists outliers that bend the non-robust trend', () => {
    const { season, trend, y } = synthetic(700, new Rng(5), 15);
    const plain = stl(y, 7), robust = stl(y, 7, { robust: true });
    expect(rmse(robust.trend, trend)).toBeLessThan(0.3);
    expect(rmse(robust.seasonal, season)).toBeLessThan(0.3);
    expect(rmse(robust.trend, trend)).toBeLessThan(rmse(plain.trend, trend));
    // outliers get (near) zero weight
    expect(Math.min(...robust.weights)).toBeLessThan(0.05);
  });

  it('periodic seasonal window gives the same pattern every cycle', () => {
    const { y } = synthetic(350, new Rng(8));
    const r = stl(y, 7, { seasonalWindow: 'periodic' });
    for (let t = 7; t < 350; t++) expect(r.seasonal[t]).toBeCloseTo(r.seasonal[t - 7], 6);
  });

  it('no seasonality: seasonal strength below the 0.64 differencing threshold', () => {
    const rng = new Rng(11), y = Float64Array.from({ length: 500 }, () => rng.normal(5, 1));
    const r = stl(y, 7);
    expect(componentStrength(r.seasonal, r.remainder)).toBeLessThan(0.5);
    const p = stl(y, 7, { seasonalWindow: 'periodic' });
    expect(componentStrength(p.seasonal, p.remainder)).toBeLessThan(0.05);
  });
});

describe('mstl', () => {
  it('separates weekly and yearly cycles', () => {
    const n = 3 * 365, rng = new Rng(21);
    const wk = new Float64Array(n), yr = new Float64Array(n), y = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      wk[t] = 2 * Math.sin((2 * Math.PI * t) / 7);
      yr[t] = 6 * Math.sin((2 * Math.PI * t) / 365);
      y[t] = 30 + 0.005 * t + wk[t] + yr[t] + rng.normal(0, 0.5);
    }
    const r = mstl(y, [365, 7]);
    expect(r.periods).toEqual([7, 365]);
    expect(rmse(r.seasonals[0], wk)).toBeLessThan(0.3);
    // the yearly component is estimated from 3 cycles only: looser but still far below its amplitude (6)
    expect(rmse(r.seasonals[1], yr)).toBeLessThan(1.2);
  });
});

describe('STL forecasting', () => {
  it('adjusted series by ETS / drift plus the last seasonal cycle tracks a weekly pattern with trend', async () => {
    const { fitStlForecast, forecastStl, driftForecast } = await import('../../../src/models/timeseries/forecasters/stl-forecaster.js');
    const rng = new Rng(31), n = 420, h = 14;
    const truth = (t: number) => 50 + 0.05 * t + 6 * Math.sin((2 * Math.PI * t) / 7);
    const y = Float64Array.from({ length: n }, (_, t) => truth(t) + rng.normal(0, 1));
    for (const method of ['ets', 'drift', 'arima'] as const) {
      const m = fitStlForecast(y, [7], method);
      const f = forecastStl(m, h);
      let err = 0;
      for (let j = 0; j < h; j++) err += Math.abs(f.mean[j] - truth(n + j)) / h;
      // drift starts from the last (noisy) adjusted value, so it is the least precise
      expect(err, method).toBeLessThan(method === 'drift' ? 2.5 : 1.5);
      expect(f.variance[h - 1]).toBeGreaterThan(f.variance[0]);
    }
    const d = driftForecast(Float64Array.of(0, 1, 2, 3, 4), 2);
    expect(Array.from(d.mean)).toEqual([5, 6]);
  });
});
