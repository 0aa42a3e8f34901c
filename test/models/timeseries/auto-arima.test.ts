import { describe, expect, it } from 'vitest';
import { autoArima, guardedArimaForecast } from '../../../src/models/timeseries/auto-arima.js';
import { fitArima } from '../../../src/models/timeseries/arima.js';
import { kpssStatistic, ndiffs, nsdiffs } from '../../../src/models/timeseries/unit-root.js';
import { Rng } from '../../../src/util/rng.js';

function ar1(n: number, phi: number, rng: Rng, mean = 0): Float64Array {
  const y = new Float64Array(n);
  let u = 0;
  for (let t = 0; t < n; t++) { u = phi * u + rng.normal(); y[t] = mean + u; }
  return y;
}
const cumsum = (x: Float64Array) => { const o = new Float64Array(x.length); let s = 0; x.forEach((v, i) => { s += v; o[i] = s; }); return o; };

describe('differencing tests', () => {
  it('KPSS separates a random walk from white noise', () => {
    const rng = new Rng(1);
    const wn = Float64Array.from({ length: 400 }, () => rng.normal());
    expect(kpssStatistic(wn)).toBeLessThan(0.463);
    expect(kpssStatistic(cumsum(wn))).toBeGreaterThan(0.463);
    expect(ndiffs(wn)).toBe(0);
    expect(ndiffs(cumsum(wn))).toBe(1);
    expect(ndiffs(cumsum(cumsum(wn)))).toBe(2);
  });

  it('seasonal strength decides the seasonal difference', () => {
    const rng = new Rng(2);
    const strong = Float64Array.from({ length: 350 }, (_, t) => 10 * Math.sin((2 * Math.PI * t) / 7) + rng.normal());
    const none = Float64Array.from({ length: 350 }, () => rng.normal());
    expect(nsdiffs(strong, 7)).toBe(1);
    expect(nsdiffs(none, 7)).toBe(0);
  });
});

describe('autoArima', () => {
  it('finds d = 1 and an AR term for an ARIMA(1,1,0) series', () => {
    const y = cumsum(ar1(400, 0.6, new Rng(3)));
    const r = autoArima(y);
    expect(r.model.order.d).toBe(1);
    expect(r.model.order.p).toBeGreaterThanOrEqual(1);
    expect(r.model.ar[0]).toBeGreaterThan(0.4);
    expect(r.tried.length).toBeGreaterThan(4);
    // the chosen model is the best of those tried (ranked by a quick fit, then refitted: never worse)
    const bestTried = Math.min(...r.tried.map((t) => t.ic));
    expect(r.model.aicc).toBeLessThanOrEqual(bestTried + 1e-6);
    expect(r.model.aicc).toBeGreaterThan(bestTried - 1);
  });

  it('keeps a stationary AR(1) undifferenced with its mean', () => {
    const r = autoArima(ar1(400, 0.5, new Rng(40), 12));
    expect(r.model.order.d).toBe(0);
    expect(r.model.betaNames).toContain('const');
    expect(r.model.beta[r.model.betaNames.indexOf('const')]).toBeGreaterThan(11);
    expect(r.model.beta[r.model.betaNames.indexOf('const')]).toBeLessThan(13);
  });

  it('weekly seasonal series gets seasonal terms', () => {
    const rng = new Rng(5);
    const y = Float64Array.from({ length: 420 }, (_, t) => 20 + 5 * Math.sin((2 * Math.PI * t) / 7) + 2 * Math.cos((4 * Math.PI * t) / 7) + rng.normal());
    const r = autoArima(y, { period: 7, maxModels: 8 });
    const o = r.model.order;
    expect(o.s).toBe(7);
    expect(o.D + o.P + o.Q).toBeGreaterThan(0);
  });
});

describe('guardedArimaForecast', () => {
  const y = ar1(300, 0.5, new Rng(6), 4);

  it('passes a sane model through untouched', () => {
    const g = guardedArimaForecast(y, 5, () => fitArima(y, { p: 1, d: 0, q: 0 }));
    expect(g.fallback).toBeUndefined();
    expect(g.label).toBe('ARIMA(1,0,0)');
  });

  it('replaces a failing or exploding model by a simpler one and says so', () => {
    const failing = guardedArimaForecast(y, 5, () => { throw new Error('boom'); });
    expect(failing.fallback).toMatch(/boom/);
    expect(failing.label).toBe('ARIMA(0,1,1)');
    const m = fitArima(y, { p: 1, d: 0, q: 0 });
    const exploding = guardedArimaForecast(y, 5, () => ({ ...m, sigma2: NaN }));
    expect(exploding.fallback).toMatch(/non-finite or exploding/);
    for (const v of exploding.mean) expect(Number.isFinite(v)).toBe(true);
  });
});
