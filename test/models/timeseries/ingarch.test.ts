import { describe, expect, it } from 'vitest';
import { fitIngarch, forecastIngarch } from '../../../src/models/timeseries/ingarch.js';
import { Rng } from '../../../src/util/rng.js';

/** Simulate identity-link INGARCH(1,1) with a day-of-week factor and NB(k) or Poisson noise. */
function simulate(n: number, omega: number, alpha: number, beta: number, dow: number[], rng: Rng, size = Infinity) {
  const y = new Float64Array(n), season = new Uint8Array(n);
  let nu = omega / (1 - alpha - beta), prevY = nu, prevS = 1;
  for (let t = 0; t < n; t++) {
    season[t] = t % 7;
    nu = omega + (alpha * prevY) / prevS + beta * nu;
    const lam = dow[season[t]] * nu;
    y[t] = rng.negbin(lam, size);
    prevY = y[t]; prevS = dow[season[t]];
  }
  return { y, season };
}

describe('INGARCH(1,1)', () => {
  const dow = [1, 1, 1, 1, 1.2, 1.3, 0.3];
  const norm = dow.reduce((a, b) => a + b) / 7;
  const dowN = dow.map((v) => v / norm);

  it('recovers identity-link parameters and the day-of-week factor', () => {
    const { y, season } = simulate(4000, 1.5, 0.3, 0.5, dowN, new Rng(7));
    const m = fitIngarch(y, { season, seasonLevels: 7, family: 'poisson' });
    expect(m.alpha).toBeGreaterThan(0.22); expect(m.alpha).toBeLessThan(0.38);
    expect(m.beta).toBeGreaterThan(0.4); expect(m.beta).toBeLessThan(0.6);
    // long-run mean ω/(1 − α − β) = 7.5
    expect(m.omega / (1 - m.alpha - m.beta)).toBeGreaterThan(7); expect(m.omega / (1 - m.alpha - m.beta)).toBeLessThan(8);
    expect(m.seasonFactor[6]).toBeLessThan(0.45);
    expect(m.seasonFactor[5]).toBeGreaterThan(1.2);
    expect(m.size).toBe(Infinity);
  });

  it('estimates the NB size of over-dispersed counts', () => {
    const { y, season } = simulate(4000, 1, 0.2, 0.6, dowN, new Rng(9), 4);
    const m = fitIngarch(y, { season, seasonLevels: 7, family: 'negbin' });
    expect(m.size).toBeGreaterThan(2.5); expect(m.size).toBeLessThan(6);
  });

  it('forecasts converge to the stationary mean and never go negative', () => {
    const { y, season } = simulate(1500, 2, 0.25, 0.5, dowN, new Rng(13));
    const m = fitIngarch(y, { season, seasonLevels: 7 });
    const fut = Uint8Array.from({ length: 70 }, (_, j) => (1500 + j) % 7);
    const f = forecastIngarch(m, 70, fut);
    for (const v of f) expect(v).toBeGreaterThan(0);
    // far ahead, the week's average forecast ≈ ω/(1 − α − β)
    let s = 0;
    for (let j = 63; j < 70; j++) s += f[j];
    expect(s / 7).toBeCloseTo(m.omega / (1 - m.alpha - m.beta), 1);
  });

  it('log link fits and stays positive; an all-zero series gives a small positive floor', () => {
    const { y } = simulate(1000, 0.5, 0.2, 0.5, [1, 1, 1, 1, 1, 1, 1], new Rng(17));
    const m = fitIngarch(y, { link: 'log' });
    expect(Number.isFinite(m.quasiLoglik)).toBe(true);
    const f = forecastIngarch(m, 5);
    let mean = 0;
    for (const v of y) mean += v / y.length;
    for (const v of f) { expect(v).toBeGreaterThan(0); expect(Math.abs(v - mean)).toBeLessThan(mean); }
    const z = fitIngarch(new Float64Array(200));
    expect(z.degenerate).toBe(true);
    const fz = forecastIngarch(z, 3);
    expect(fz[0]).toBeGreaterThan(0); expect(fz[0]).toBeLessThan(0.01);
  });
});
