import { describe, expect, it } from 'vitest';
import { fitNegBinSize, fitNegBinSizePerCategory, withNegBin } from '../../src/models/dispersion.js';
import { poissonForecast, variance } from '../../src/models/distribution.js';
import { Rng } from '../../src/util/rng.js';

/** n NB draws with means cycling through `means`. */
function simulate(n: number, means: number[], size: number, seed: number): { y: Float64Array; mu: Float64Array } {
  const rng = new Rng(seed), y = new Float64Array(n), mu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mu[i] = means[i % means.length];
    y[i] = rng.negbin(mu[i], size);
  }
  return { y, mu };
}

describe('fitNegBinSize', () => {
  it('recovers k = 2 from 20,000 NB draws within 10%', () => {
    const { y, mu } = simulate(20000, [0.5, 1, 2, 4, 8], 2, 11);
    const k = fitNegBinSize(y, mu);
    expect(k).toBeGreaterThan(1.8);
    expect(k).toBeLessThan(2.2);
  });
  it('recovers strong over-dispersion k = 0.3', () => {
    const { y, mu } = simulate(20000, [1, 3], 0.3, 5);
    const k = fitNegBinSize(y, mu);
    expect(k).toBeGreaterThan(0.27);
    expect(k).toBeLessThan(0.33);
  });
  it('returns Infinity for Poisson data and for under-dispersed data', () => {
    const { y, mu } = simulate(5000, [2], Infinity, 9);
    // Hand check of the rule: Σ(y − μ)² − Σy ≤ 0 ⇔ Poisson; with y = μ exactly it is −Σy < 0.
    expect(fitNegBinSize([1, 2, 3], [1, 2, 3])).toBe(Infinity);
    const k = fitNegBinSize(y, mu);
    expect(k === Infinity || k > 50).toBe(true);
  });
  it('the fitted k maximises the likelihood (hand example)', () => {
    // y = [0, 0, 4], μ = 4/3 each: Σ(y−μ)² = 2·16/9 + 64/9 = 96/9 = 10.67 > Σy = 4, so over-dispersed.
    // Method of moments gives Var ≈ 10.67/3 = 3.56 = μ + μ²/k → k ≈ 0.80; the MLE must beat its neighbours.
    const y = [0, 0, 4], mu = [4 / 3, 4 / 3, 4 / 3];
    const k = fitNegBinSize(y, mu);
    const ll = (kk: number) => y.reduce((s, yi, i) => {
      let lg = 0;
      for (let j = 0; j < yi; j++) lg += Math.log(kk + j);
      return s + lg - kk * Math.log1p(mu[i] / kk) + yi * Math.log(mu[i] / (kk + mu[i]));
    }, 0);
    expect(Number.isFinite(k)).toBe(true);
    expect(ll(k)).toBeGreaterThanOrEqual(ll(k * 1.01));
    expect(ll(k)).toBeGreaterThanOrEqual(ll(k / 1.01));
  });
});

describe('per category and withNegBin', () => {
  it('fits each category from an interleaved layout and attaches the sizes', () => {
    const a = simulate(10000, [1, 3], 1, 1), b = simulate(10000, [1, 3], Infinity, 2);
    const y = new Float64Array(20000), mu = new Float64Array(20000);
    for (let i = 0; i < 10000; i++) { y[2 * i] = a.y[i]; mu[2 * i] = a.mu[i]; y[2 * i + 1] = b.y[i]; mu[2 * i + 1] = b.mu[i]; }
    const k = fitNegBinSizePerCategory(y, mu, 2);
    expect(k[0]).toBeGreaterThan(0.9); expect(k[0]).toBeLessThan(1.1);
    expect(k[1] === Infinity || k[1] > 30).toBe(true);

    const f = withNegBin(poissonForecast([2, 2, 4, 4], 1, 2, 2), [1, Infinity]);
    expect(f.dist.family).toBe('negbin');
    // Var = μ + μ²/k: cell 0 (cat 0) 2 + 4 = 6; cell 1 (cat 1) Poisson 2; cell 2 (cat 0) 4 + 16 = 20
    expect(Array.from(variance(f).subarray(0, 3))).toEqual([6, 2, 20]);
  });
});
