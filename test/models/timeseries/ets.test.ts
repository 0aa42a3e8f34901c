import { describe, expect, it } from 'vitest';
import { autoEts, fitEts, forecastEts } from '../../../src/models/timeseries/ets.js';
import { Rng } from '../../../src/util/rng.js';

describe('ETS', () => {
  it('simple exponential smoothing recovers α of a local-level model', () => {
    // local level: y_t = l_{t−1} + ε_t, l_t = l_{t−1} + α ε_t  with α = 0.3
    const rng = new Rng(1), n = 1500, y = new Float64Array(n);
    let l = 50;
    for (let t = 0; t < n; t++) { const e = rng.normal(0, 2); y[t] = l + e; l += 0.3 * e; }
    const m = fitEts(y, { error: 'A', trend: 'N', season: 'N' });
    expect(m.alpha).toBeGreaterThan(0.25); expect(m.alpha).toBeLessThan(0.36);
    expect(Math.sqrt(m.sigma2)).toBeCloseTo(2, 0);
    const f = forecastEts(m, 3);
    // flat forecasts at the final level; variance grows as σ²(1 + (h−1)α²)
    expect(f.mean[2]).toBeCloseTo(m.level, 10);
    expect(f.se[2] ** 2 / m.sigma2).toBeCloseTo(1 + 2 * m.alpha ** 2, 8);
  });

  it('Holt extrapolates a linear trend; damped trend flattens', () => {
    const rng = new Rng(2), n = 300;
    const y = Float64Array.from({ length: n }, (_, t) => 10 + 0.5 * t + rng.normal(0, 1));
    const holt = fitEts(y, { error: 'A', trend: 'A', season: 'N' });
    const f = forecastEts(holt, 10);
    expect(f.mean[9]).toBeGreaterThan(10 + 0.5 * 309 - 3);
    expect(f.mean[9]).toBeLessThan(10 + 0.5 * 309 + 3);
    const damped = fitEts(y, { error: 'A', trend: 'Ad', season: 'N' });
    expect(damped.phi).toBeGreaterThan(0.8); expect(damped.phi).toBeLessThan(0.98 + 1e-12);
    const fd = forecastEts(damped, 50);
    expect(fd.mean[49] - fd.mean[48]).toBeLessThan(f.mean[9] - f.mean[8]);
  });

  it('autoEts chooses a seasonal model for weekly data and it forecasts the pattern', () => {
    const rng = new Rng(3), n = 280;
    const pat = [0, 2, 4, 3, 1, -5, -5];
    const y = Float64Array.from({ length: n }, (_, t) => 30 + pat[t % 7] + rng.normal(0, 0.7));
    const { model, tried } = autoEts(y, { period: 7 });
    expect(tried.length).toBeGreaterThan(6);
    expect(model.spec.season).not.toBe('N');
    const f = forecastEts(model, 7);
    for (let j = 0; j < 7; j++) expect(Math.abs(f.mean[j] - (30 + pat[(n + j) % 7]))).toBeLessThan(1);
  });

  it('multiplicative Holt–Winters fits growing seasonal swings better than additive', () => {
    const rng = new Rng(4), n = 350;
    const y = Float64Array.from({ length: n }, (_, t) => (20 + 0.1 * t) * (1 + 0.4 * Math.sin((2 * Math.PI * t) / 7)) * (1 + rng.normal(0, 0.03)));
    const mam = fitEts(y, { error: 'M', trend: 'A', season: 'M', period: 7 });
    const aaa = fitEts(y, { error: 'A', trend: 'A', season: 'A', period: 7 });
    expect(mam.aicc).toBeLessThan(aaa.aicc);
    expect(() => fitEts(Float64Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), { error: 'M', trend: 'N', season: 'N' })).toThrow(/positive/);
  });
});

describe('ETS matches statsmodels ETSModel (stored fixture)', async () => {
  const { readFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const fx = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/timeseries/ets-statsmodels.json', import.meta.url)), 'utf8')) as {
    cases: { name: string; y: number[]; params: Record<string, number>; llf: number; forecast: number[] }[];
  };
  // Tolerances a few times the largest error measured over the four cases (2026-12): log-likelihood 7.4e-7,
  // smoothing parameters 6.7e-5, forecast mean 1.8e-6 (×max(1, |value|)).
  const TOL = { loglik: 3e-6, param: 2e-4, mean: 1e-5 };
  for (const c of fx.cases) {
    it(c.name, () => {
      const trend = c.name.includes('Ad') ? 'Ad' : c.name[1] === 'A' ? 'A' : 'N';
      const m = fitEts(c.y, { error: c.name[0] as 'A' | 'M', trend, season: 'N' });
      // same maximum of the same likelihood (ours may be marginally higher or lower by optimiser tolerance)
      expect(Math.abs(m.loglik - c.llf)).toBeLessThan(TOL.loglik);
      expect(Math.abs(m.alpha - c.params.smoothing_level)).toBeLessThan(TOL.param);
      if (c.params.smoothing_trend !== undefined) expect(Math.abs(m.beta - c.params.smoothing_trend)).toBeLessThan(TOL.param);
      if (c.params.damping_trend !== undefined) expect(Math.abs(m.phi - c.params.damping_trend)).toBeLessThan(TOL.param);
      const f = forecastEts(m, 5);
      for (let j = 0; j < 5; j++) expect(Math.abs(f.mean[j] - c.forecast[j])).toBeLessThan(TOL.mean * Math.max(1, Math.abs(c.forecast[j])));
    });
  }
});
