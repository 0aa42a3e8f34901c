/**
 * Between refits a fitted series model's state is advanced observation by observation at the fitted parameters.
 * That must give exactly the state (and forecast) that the fit's own batch recursion reaches when run from the
 * series' start over the longer series at those parameters.
 */
import { describe, expect, it } from 'vitest';
import { advanceIngarch, fitIngarch, forecastIngarch, ingarchFilter, ingarchStart, ingarchState } from '../../../src/models/timeseries/ingarch.js';
import { advanceEts, etsFilter, etsStart, etsState, fitEts, forecastEts, type EtsSpec } from '../../../src/models/timeseries/ets.js';
import { advanceArima, arimaFilter, arimaStart, arimaState, fitArima, forecastArima, type ArimaOrder } from '../../../src/models/timeseries/arima.js';
import { Rng } from '../../../src/util/rng.js';

const N = 300, K = 40, H = 10;

function weeklyCounts(n: number, base: number, seed: number): { y: Float64Array; season: Uint8Array } {
  const rng = new Rng(seed), weekly = [1, 1, 1, 1.1, 1.3, 1.2, 0.5];
  const y = new Float64Array(n), season = new Uint8Array(n);
  let level = base;
  for (let t = 0; t < n; t++) {
    season[t] = t % 7;
    level = Math.max(0.2, level + rng.normal(0, 0.05 * base));
    y[t] = rng.poisson(level * weekly[season[t]]);
  }
  return { y, season };
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-9): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  expect(worst).toBeLessThan(tol);
}

describe('filter states advanced at fixed parameters equal a from-scratch run', () => {
  for (const link of ['identity', 'log'] as const) {
    it(`INGARCH (${link} link)`, () => {
      const { y, season } = weeklyCounts(N + K, 4, 3);
      const m = fitIngarch(y.subarray(0, N), { link, season: season.subarray(0, N), seasonLevels: 7 });
      const s = ingarchState(m);
      // in two chunks, as daily updates would
      advanceIngarch(m, s, y.subarray(N, N + 15), season.subarray(N, N + 15));
      advanceIngarch(m, s, y.subarray(N + 15), season.subarray(N + 15));
      const scratch = ingarchFilter(m, y, season);
      expect(s.n).toBe(N + K);
      expect(Math.abs(s.latent - scratch.latent)).toBeLessThan(1e-9);
      const fs = Uint8Array.from({ length: H }, (_, j) => (N + K + j) % 7);
      expectClose(forecastIngarch(m, H, fs, s), forecastIngarch(m, H, fs, scratch));
      // restarting from the fitted start reproduces the fit's own final state
      const again = ingarchStart(m);
      advanceIngarch(m, again, y.subarray(0, N), season.subarray(0, N));
      expect(Math.abs(again.latent - m.lastLatent)).toBeLessThan(1e-9);
      // and the update moved the forecast: it is not the fit-time forecast
      expect(Math.abs(forecastIngarch(m, 1, fs, s)[0] - forecastIngarch(m, 1, fs)[0])).toBeGreaterThan(1e-6);
    });
  }

  const etsSpecs: EtsSpec[] = [
    { error: 'A', trend: 'N', season: 'N' },
    { error: 'A', trend: 'Ad', season: 'A', period: 7 },
    { error: 'M', trend: 'A', season: 'M', period: 7 },
  ];
  for (const spec of etsSpecs) {
    it(`ETS(${spec.error},${spec.trend},${spec.season})`, () => {
      // strictly positive data so the multiplicative forms are admissible
      const y = weeklyCounts(N + K, 20, 5).y.map((v) => v + 1);
      const m = fitEts(y.subarray(0, N), spec);
      const s = etsState(m);
      for (let t = N; t < N + K; t++) advanceEts(m, s, y.subarray(t, t + 1));
      const scratch = etsFilter(m, y);
      expect(s.n).toBe(N + K);
      const a = forecastEts(m, H, s), b = forecastEts(m, H, scratch);
      expectClose(a.mean, b.mean);
      expectClose(a.se, b.se);
      const again = etsStart(m);
      advanceEts(m, again, y.subarray(0, N));
      expectClose(forecastEts(m, H, again).mean, forecastEts(m, H).mean);
      expect(s.skipped).toBe(0);
    });
  }

  it('ETS with multiplicative error counts the observations it cannot use (non-positive one-step mean)', () => {
    const y = weeklyCounts(N, 20, 5).y.map((v) => v + 1);
    const m = fitEts(y, { error: 'M', trend: 'N', season: 'N' });
    const s = etsState(m);
    // an impossible negative value drives the level below zero; the next observation has no relative error
    advanceEts(m, s, Float64Array.of(-1e4, 5, 6));
    expect(s.level).toBeLessThan(0);
    expect(s.skipped).toBe(2);
    expect(s.n).toBe(N + 3);
  });

  const dowRows = (from: number, n: number) => {
    const X = new Float64Array(n * 6);
    for (let t = 0; t < n; t++) { const d = (from + t) % 7; if (d > 0) X[t * 6 + d - 1] = 1; }
    return X;
  };
  const arimaCases: [string, ArimaOrder, { xreg: boolean; drift?: boolean }][] = [
    ['ARIMA(1,0,1) with mean and day-of-week regressors', { p: 1, d: 0, q: 1 }, { xreg: true }],
    ['ARIMA(0,1,1) with drift', { p: 0, d: 1, q: 1 }, { xreg: false, drift: true }],
    ['ARIMA(1,0,0)(1,1,0)[7]', { p: 1, d: 0, q: 0, P: 1, D: 1, Q: 0, s: 7 }, { xreg: false }],
  ];
  for (const [name, order, o] of arimaCases) {
    it(name, () => {
      const y = weeklyCounts(N + K, 15, 11).y;
      const X = o.xreg ? dowRows(0, N + K) : undefined;
      const m = fitArima(y.subarray(0, N), order, { xreg: X?.subarray(0, N * 6), drift: o.drift });
      const s = arimaState(m);
      for (let t = N; t < N + K; t += 8) advanceArima(m, s, y.subarray(t, t + 8), X?.subarray(t * 6, (t + 8) * 6));
      const scratch = arimaFilter(m, y, X);
      expect(s.n).toBe(N + K);
      expectClose(s.kalman.a, scratch.kalman.a);
      expectClose(s.uTail, scratch.uTail);
      const xf = o.xreg ? dowRows(N + K, H) : undefined;
      const a = forecastArima(m, H, xf, s), b = forecastArima(m, H, xf, scratch);
      expectClose(a.mean, b.mean);
      expectClose(a.se, b.se);
      // restarting from the fitted start and running over the fitted series gives the fit's forecast
      const again = arimaStart(m);
      advanceArima(m, again, y.subarray(0, N), X?.subarray(0, N * 6));
      expectClose(forecastArima(m, H, o.xreg ? dowRows(N, H) : undefined, again).mean, forecastArima(m, H, o.xreg ? dowRows(N, H) : undefined).mean);
    });
  }
});
