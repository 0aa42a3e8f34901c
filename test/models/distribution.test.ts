import { describe, expect, it } from 'vitest';
import {
  bernoulliForecast, cdf, logPmf, negbinForecast, pmf, pmfTable, poissonForecast, probAtLeastOne, quantile,
  sampleForecast, samplesForecast, variance, zinbForecast, zipForecast,
} from '../../src/models/distribution.js';
import { Rng } from '../../src/util/rng.js';

const E2 = Math.exp(-2);

describe('poisson', () => {
  const f = poissonForecast([2, 0], 1, 2, 1);
  it('pmf, cdf and quantile of Poisson(2)', () => {
    expect(pmf(f, 0, 3)).toBeCloseTo((E2 * 8) / 6, 14); // e^-2 2³/3! = 0.180447
    expect(cdf(f, 0, 2)).toBeCloseTo(5 * E2, 14); // e^-2 (1 + 2 + 2) = 0.676676
    expect(cdf(f, 0, -1)).toBe(0);
    expect(quantile(f, 0, 0.5)).toBe(2); // F(1) = 3e^-2 = 0.406 < 0.5 ≤ F(2)
    expect(quantile(f, 0, 0.676)).toBe(2);
    expect(quantile(f, 0, 0.677)).toBe(3); // just above F(2) = 0.676676
    expect(quantile(f, 0, 1)).toBe(Infinity);
  });
  it('a zero mean is a point mass at 0', () => {
    expect(pmf(f, 1, 0)).toBe(1);
    expect(logPmf(f, 1, 1)).toBe(-Infinity);
    expect(quantile(f, 1, 0.99)).toBe(0);
    expect(probAtLeastOne(f)[1]).toBe(0);
  });
  it('large means do not underflow', () => {
    const g = poissonForecast([1e4, 1e5], 1, 2, 1);
    expect(cdf(g, 0, 10000)).toBeCloseTo(0.5026595812190077, 9); // scipy.stats.poisson.cdf(1e4, 1e4)
    expect(quantile(g, 0, 0.5)).toBe(10000);
    expect(logPmf(g, 1, 100000)).toBeCloseTo(-6.675402098800987, 9); // ≈ −½ log(2π·1e5)
  });
  it('P(≥1) = 1 − e^{−μ}, exact for tiny means', () => {
    const g = poissonForecast([1e-9, 2], 1, 2, 1);
    const p = probAtLeastOne(g);
    expect(p[0]).toBeCloseTo(1e-9, 15);
    expect(p[0] / 1e-9).toBeCloseTo(1, 6); // 1 − e^{-1e-9} would round to 0 without expm1 at float precision
    expect(p[1]).toBeCloseTo(1 - E2, 7);
  });
});

describe('negative binomial', () => {
  // μ = 2, k = 1 is geometric: P(y) = (1/3)(2/3)^y, F(y) = 1 − (2/3)^{y+1}, Var = 2 + 4/1 = 6
  const f = negbinForecast([2], 1, 1, 1, 1);
  it('geometric special case', () => {
    expect(pmf(f, 0, 2)).toBeCloseTo(4 / 27, 14);
    expect(cdf(f, 0, 3)).toBeCloseTo(1 - (2 / 3) ** 4, 14);
    expect(quantile(f, 0, 0.5)).toBe(1); // F(0) = 1/3, F(1) = 5/9
    expect(variance(f)[0]).toBeCloseTo(6, 6);
    expect(probAtLeastOne(f)[0]).toBeCloseTo(2 / 3, 7);
  });
  it('size → ∞ is Poisson', () => {
    const inf = negbinForecast([2, 2], [Infinity, 1e13], 1, 2, 1);
    const big = negbinForecast([2], 1e7, 1, 1, 1);
    const p = poissonForecast([2], 1, 1, 1);
    for (let y = 0; y < 10; y++) {
      expect(pmf(inf, 0, y)).toBeCloseTo(pmf(p, 0, y), 14);
      expect(pmf(inf, 1, y)).toBeCloseTo(pmf(p, 0, y), 14);
      expect(pmf(big, 0, y)).toBeCloseTo(pmf(p, 0, y), 6);
    }
  });
  it('large mean, small size, and y ≥ 64 (log-gamma branch)', () => {
    const g = negbinForecast([1e4], 0.5, 1, 1, 1);
    // scipy.stats.nbinom(0.5, 0.5/(0.5+1e4)): logpmf(3000), cdf(3000), ppf(0.9)
    expect(logPmf(g, 0, 3000)).toBeCloseTo(-9.677355419184082, 8);
    expect(cdf(g, 0, 3000)).toBeCloseTo(0.416159892266773, 8);
    expect(quantile(g, 0, 0.9)).toBe(27056);
  });
  it('pmf sums to one', () => {
    const g = negbinForecast([7.5], 0.7, 1, 1, 1);
    const t = pmfTable(g, 0, 2000);
    expect(t.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });
});

describe('zero-inflated', () => {
  it('ZIP: π = 0.25, mean 1.5 so λ = 2 (values exact in float32)', () => {
    const f = zipForecast([1.5], 0.25, 1, 1, 1);
    expect(pmf(f, 0, 0)).toBeCloseTo(0.25 + 0.75 * E2, 14);
    expect(pmf(f, 0, 3)).toBeCloseTo((0.75 * E2 * 8) / 6, 14);
    expect(cdf(f, 0, 2)).toBeCloseTo(0.25 + 0.75 * 5 * E2, 14);
    expect(variance(f)[0]).toBeCloseTo(2.25, 5); // (1 − π)λ(1 + πλ) = 0.75·2·1.5
    expect(probAtLeastOne(f)[0]).toBeCloseTo(0.75 * (1 - E2), 7);
    expect(quantile(f, 0, 0.25)).toBe(0); // q ≤ π
    // F(0) = 0.25 + 0.75e^-2 = 0.3515, F(1) = 0.25 + 0.75·3e^-2 = 0.5545 → median 1
    expect(quantile(f, 0, 0.5)).toBe(1);
  });
  it('ZINB: π = 0.5, mean 1, k = 1 so the count part is geometric with μ = 2', () => {
    const f = zinbForecast([1], 0.5, 1, 1, 1, 1);
    expect(pmf(f, 0, 0)).toBeCloseTo(0.5 + 0.5 / 3, 14);
    expect(pmf(f, 0, 2)).toBeCloseTo(0.5 * (4 / 27), 14);
    // E[Y²] = 0.5(6 + 4) = 5, Var = 5 − 1² = 4
    expect(variance(f)[0]).toBeCloseTo(4, 5);
  });
});

describe('bernoulli and samples', () => {
  it('bernoulli p = 0.3', () => {
    const f = bernoulliForecast([0.3], 1, 1, 1);
    expect(pmf(f, 0, 1)).toBeCloseTo(0.3, 7);
    expect(pmf(f, 0, 2)).toBe(0);
    expect(cdf(f, 0, 0)).toBeCloseTo(0.7, 7);
    expect(quantile(f, 0, 0.69)).toBe(0);
    expect(quantile(f, 0, 0.71)).toBe(1);
    expect(variance(f)[0]).toBeCloseTo(0.21, 7);
  });
  it('empirical distribution of draws [0, 2, 2, 5]', () => {
    const f = samplesForecast(new Float32Array([0, 2, 2, 5]), 4, 1, 1, 1);
    expect(f.mean[0]).toBeCloseTo(2.25, 7);
    expect(pmf(f, 0, 2)).toBe(0.5);
    expect(cdf(f, 0, 1)).toBe(0.25);
    expect(quantile(f, 0, 0.5)).toBe(2); // ⌈0.5·4⌉ = 2nd smallest
    expect(quantile(f, 0, 0.76)).toBe(5); // ⌈0.76·4⌉ = 4th
    expect(variance(f)[0]).toBeCloseTo(3.1875, 6); // (2.25² + 2·0.25² + 2.75²)/4 = 12.75/4
    expect(probAtLeastOne(f)[0]).toBe(0.75);
  });
});

describe('sampleForecast', () => {
  it('NB(3, k = 2) draws have mean 3 and variance 3 + 9/2 = 7.5', () => {
    const n = 20000;
    const f = negbinForecast([3, 0.5], [2, Infinity], 1, 2, 1);
    const s = sampleForecast(f, new Rng(7), n);
    let m = 0, m2 = 0, mp = 0;
    for (let k = 0; k < n; k++) { const v = s[2 * k]; m += v; m2 += v * v; mp += s[2 * k + 1]; }
    m /= n;
    expect(m).toBeGreaterThan(2.9); expect(m).toBeLessThan(3.1);
    const v = m2 / n - m * m;
    expect(v).toBeGreaterThan(7.0); expect(v).toBeLessThan(8.0);
    expect(mp / n).toBeCloseTo(0.5, 1);
  });
  it('ZIP draws have the right share of zeros', () => {
    const f = zipForecast([1.5], 0.25, 1, 1, 1);
    const s = sampleForecast(f, new Rng(3), 20000);
    const zeros = s.reduce((a, v) => a + (v === 0 ? 1 : 0), 0) / 20000;
    expect(zeros).toBeGreaterThan(0.3415); expect(zeros).toBeLessThan(0.3615); // P(0) = 0.3515, sd ≈ 0.0034
  });
  it('samples forecasts are resampled by whole draws', () => {
    const f = samplesForecast(new Float32Array([1, 10, 2, 20]), 2, 1, 2, 1);
    const s = sampleForecast(f, new Rng(1), 50);
    for (let k = 0; k < 50; k++) expect(s[2 * k + 1]).toBe(10 * s[2 * k]);
  });
  it('rejects a mean of the wrong length', () => {
    expect(() => poissonForecast([1, 2, 3], 1, 2, 1)).toThrow(RangeError);
  });
});

describe('numerical edge cases', () => {
  it('NB with a large size and a large count stays close to Poisson (no log-gamma cancellation)', () => {
    const nb = negbinForecast([100], 1e9, 1, 1, 1), p = poissonForecast([100], 1, 1, 1);
    // relative difference of the pmfs is O(y²/k) = 1e4/1e9 = 1e-5
    expect(logPmf(nb, 0, 120)).toBeCloseTo(logPmf(p, 0, 120), 4);
  });
  it('Poisson with a mean beyond e^{-700} underflow walks in log space', () => {
    const f = poissonForecast([2000], 1, 1, 1);
    // Poisson(2000) ≈ N(2000, 2000): the median is 2000 (λ + 1/3 − …), P(Y ≤ 2000) ≈ ½ + P(Y = 2000)/2
    expect(quantile(f, 0, 0.5)).toBe(2000);
    expect(cdf(f, 0, 2000)).toBeCloseTo(0.5 + 0.5 * pmf(f, 0, 2000), 2);
    const t = pmfTable(f, 0, 4000);
    expect(t.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });
});
