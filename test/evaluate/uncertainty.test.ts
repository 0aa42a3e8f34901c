import { describe, expect, it } from 'vitest';
import {
  bootstrapCI, bootstrapMeanCI, bootstrapResample, dieboldMariano, pairedBootstrap, sortedQuantile, totalsOf,
} from '../../src/evaluate/uncertainty.js';
import { Rng } from '../../src/util/rng.js';

const ratio = (t: Float64Array) => t[0] / t[1];

describe('bootstrap CI over periods', () => {
  it('a ratio metric is recomputed from pooled numerators and denominators', () => {
    // periods [absErr, n]: [2, 4], [6, 4], [1, 2] → MAE = 9/10 = 0.9 (the mean of ratios would be 0.8333)
    const contrib = [2, 4, 6, 4, 1, 2];
    expect(Array.from(totalsOf(contrib, 2))).toEqual([9, 10]);
    const ci = bootstrapCI(contrib, 2, ratio, { B: 500, seed: 3 });
    expect(ci.estimate).toBeCloseTo(0.9, 12);
    expect(ci.lo).toBeLessThanOrEqual(0.9);
    expect(ci.hi).toBeGreaterThanOrEqual(0.9);
    // every resample lies between the smallest and largest period ratio
    expect(ci.lo).toBeGreaterThanOrEqual(0.5);
    expect(ci.hi).toBeLessThanOrEqual(1.5);
  });
  it('is degenerate when every period has the same ratio, and deterministic under a seed', () => {
    const ci = bootstrapCI([1, 2, 2, 4, 3, 6], 2, ratio, { B: 200, seed: 1 });
    expect([ci.lo, ci.estimate, ci.hi]).toEqual([0.5, 0.5, 0.5]);
    const c = [2, 4, 6, 4, 1, 2, 5, 5];
    expect(bootstrapCI(c, 2, ratio, { seed: 8, B: 300 })).toEqual(bootstrapCI(c, 2, ratio, { seed: 8, B: 300 }));
  });
  it('matches the normal-theory interval for a mean of 400 N(0, 1) periods (±1.96/√400 = ±0.098)', () => {
    const rng = new Rng(17);
    const x = Float64Array.from({ length: 400 }, () => rng.normal());
    const ci = bootstrapMeanCI(x, { B: 2000, seed: 4 });
    const half = (ci.hi - ci.lo) / 2;
    expect(half).toBeGreaterThan(0.085);
    expect(half).toBeLessThan(0.112);
  });
  it('type-7 quantile', () => {
    expect(sortedQuantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12); // h = 3·0.25 = 0.75 → 1 + 0.75·(2 − 1)
    expect(sortedQuantile([1, 2, 3, 4], 1)).toBe(4);
  });
});

describe('paired bootstrap', () => {
  it('identical models: difference 0 and p = 1', () => {
    const c = [2, 4, 6, 4, 1, 2];
    const r = pairedBootstrap(c, c, 2, ratio, { B: 200 });
    expect(r.diff).toBe(0);
    expect(r.p).toBe(1);
  });
  it('a consistently worse model is significant; a noisy tie is not', () => {
    const rng = new Rng(5);
    const P = 60, b = new Float64Array(P), worse = new Float64Array(P), tie = new Float64Array(P);
    for (let p = 0; p < P; p++) {
      b[p] = 1 + rng.random();
      worse[p] = b[p] + 0.1 + 0.05 * rng.normal();
      tie[p] = b[p] + 0.2 * rng.normal();
    }
    const mean = (t: Float64Array) => t[0] / P;
    const r = pairedBootstrap(worse, b, 1, mean, { B: 1000, seed: 2 });
    expect(r.diff).toBeGreaterThan(0.08);
    expect(r.lo).toBeGreaterThan(0);
    expect(r.p).toBeLessThan(0.01);
    const t = pairedBootstrap(tie, b, 1, mean, { B: 1000, seed: 2 });
    expect(t.lo).toBeLessThan(0);
    expect(t.hi).toBeGreaterThan(0);
    expect(t.p).toBeGreaterThan(0.05);
  });
});

describe('Diebold–Mariano with HLN correction', () => {
  it('h = 1, hand example', () => {
    // d = [1, −1, 3]: d̄ = 1, γ₀ = (0 + 4 + 4)/3 = 8/3, DM = 1/√(8/9) = 1.06066
    // HLN: √((3 + 1 − 2 + 0)/3) = √(2/3) → DM* = 1.06066·0.816497 = √3/2; t₂: p = 2F(−√3/2) = 0.477767
    const r = dieboldMariano([2, 0, 5], [1, 1, 2], 1);
    expect(r.meanDiff).toBeCloseTo(1, 12);
    expect(r.dm).toBeCloseTo(1 / Math.sqrt(8 / 9), 12);
    expect(r.statistic).toBeCloseTo(Math.sqrt(3) / 2, 12);
    expect(r.df).toBe(2);
    expect(r.pValue).toBeCloseTo(0.4777670321, 9);
  });
  it('h = 2 uses the lag-1 autocovariance', () => {
    // d = [0, 0, 2, 2, 1]: d̄ = 1, deviations −1 −1 1 1 0; γ₀ = 4/5 = 0.8;
    // γ₁ = [(−1)(−1) + (1)(−1) + (1)(1) + (0)(1)]/5 = 0.2 → long-run variance 0.8 + 2·0.2 = 1.2
    // DM = 1/√(1.2/5) = 2.041241 (normal p 0.041227); HLN √((5 + 1 − 4 + 2/5)/5) = √0.48 → DM* = √2; t₄ p = 0.230200
    const r = dieboldMariano([0, 0, 2, 2, 1], [0, 0, 0, 0, 0], 2);
    expect(r.dm).toBeCloseTo(2.041241452, 8);
    expect(r.dmPValue).toBeCloseTo(0.0412268333, 8);
    expect(r.statistic).toBeCloseTo(Math.SQRT2, 12);
    expect(r.pValue).toBeCloseTo(0.2301996411, 9);
  });
  it('falls back to γ₀ when the truncated HAC variance is not positive', () => {
    // d = [1, −1, 3, 1]: γ₀ = 8/4 = 2, γ₁ = [(−2)(0) + (2)(−2) + (0)(2)]/4 = −1 → 2 − 2 = 0 → use γ₀
    // DM = 1/√(2/4) = √2; HLN √((4 + 1 − 4 + 2/4)/4) = √0.375 → DM* = 0.866025; t₃ p = 0.450185
    const r = dieboldMariano([1, -1, 3, 1], [0, 0, 0, 0], 2);
    expect(r.dm).toBeCloseTo(Math.SQRT2, 12);
    expect(r.pValue).toBeCloseTo(0.4501848558, 9);
  });
});

describe('bootstrapResample (non-additive metrics)', () => {
  it('median of per-period values: estimate on all periods, paired difference with itself is 0', () => {
    const v = [5, 1, 3, 2, 4];
    const median = (idx: Int32Array) => {
      const x = Array.from(idx, (p) => v[p]).sort((a, b) => a - b);
      return x[(x.length - 1) >> 1];
    };
    const r = bootstrapResample(v.length, median, { B: 300, seed: 2 });
    expect(r.diff).toBe(3); // median of 1 2 3 4 5
    expect(r.lo).toBeGreaterThanOrEqual(1);
    expect(r.hi).toBeLessThanOrEqual(5);
    const same = bootstrapResample(v.length, median, { B: 100 }, median);
    expect([same.diff, same.lo, same.hi, same.p]).toEqual([0, 0, 0, 1]);
  });
});
