import { describe, expect, it } from 'vitest';
import { pelt, robustNoiseVariance } from '../../../src/stats/trend/pelt.js';
import { dtwDistance, dtwMatrix, zNormalize } from '../../../src/stats/trend/dtw.js';
import { fitMahalanobis } from '../../../src/stats/trend/mahalanobis.js';
import { Rng } from '../../../src/util/rng.js';

describe('PELT change points', () => {
  it('finds a known shift in a Poisson rate', () => {
    const rng = new Rng(1);
    const y = Float64Array.from({ length: 400 }, (_, t) => rng.poisson(t < 250 ? 3 : 6));
    const r = pelt(y, { cost: 'poisson' });
    expect(r.changePoints.length).toBe(1);
    expect(Math.abs(r.changePoints[0] - 250)).toBeLessThanOrEqual(5);
    expect(r.segments[0].mean).toBeCloseTo(3, 0);
    expect(r.segments[1].mean).toBeCloseTo(6, 0);
  });

  it('finds two shifts in a Gaussian mean and none in pure noise', () => {
    const rng = new Rng(2);
    const y = Float64Array.from({ length: 300 }, (_, t) => rng.normal(t < 100 ? 0 : t < 200 ? 2 : -1, 1));
    const r = pelt(y);
    expect(r.changePoints.length).toBe(2);
    expect(Math.abs(r.changePoints[0] - 100)).toBeLessThanOrEqual(4);
    expect(Math.abs(r.changePoints[1] - 200)).toBeLessThanOrEqual(4);
    const noise = Float64Array.from({ length: 300 }, () => rng.normal(5, 1));
    expect(pelt(noise).changePoints).toEqual([]);
    expect(robustNoiseVariance(noise)).toBeGreaterThan(0.7);
    expect(robustNoiseVariance(noise)).toBeLessThan(1.4);
  });

  it('is exact: matches brute-force optimal partitioning on a short series', () => {
    const rng = new Rng(3);
    const y = Float64Array.from({ length: 40 }, (_, t) => rng.poisson(t < 15 ? 1 : t < 30 ? 5 : 2));
    const r = pelt(y, { cost: 'poisson', penalty: 4 });
    // optimal partitioning without pruning, O(n²)
    const cs = [0];
    for (const v of y) cs.push(cs[cs.length - 1] + v);
    const cost = (s: number, e: number) => { const sum = cs[e] - cs[s]; return sum > 0 ? 2 * (sum - sum * Math.log(sum / (e - s))) : 0; };
    const F = [-4];
    for (let t = 1; t <= 40; t++) { let b = Infinity; for (let s = 0; s <= t - 2; s++) b = Math.min(b, F[s] + cost(s, t) + 4); F.push(b); }
    expect(r.cost).toBeCloseTo(F[40], 9);
  });
});

describe('DTW', () => {
  it('is zero for identical series and small for a shifted copy, unlike Euclidean distance', () => {
    const a = Float64Array.from({ length: 100 }, (_, t) => Math.sin((2 * Math.PI * t) / 25));
    const b = Float64Array.from({ length: 100 }, (_, t) => Math.sin((2 * Math.PI * (t - 3)) / 25));
    expect(dtwDistance(a, a)).toBe(0);
    let euc = 0;
    for (let i = 0; i < 100; i++) euc += (a[i] - b[i]) ** 2;
    expect(dtwDistance(a, b, { window: 5 })).toBeLessThan(0.3 * Math.sqrt(euc));
    // a band narrower than the shift cannot align the peaks as well
    expect(dtwDistance(a, b, { window: 1 })).toBeGreaterThan(dtwDistance(a, b, { window: 5 }));
    expect(dtwDistance([0, 1, 2], [0, 0, 1, 2], { window: 0, cost: 'absolute' })).toBe(0);
  });

  it('distance matrix is symmetric with a zero diagonal; z-normalisation removes level', () => {
    const s = [[1, 2, 3, 4], [2, 3, 4, 5], [4, 3, 2, 1]].map(zNormalize);
    const M = dtwMatrix(s);
    expect(M[0 * 3 + 1]).toBeCloseTo(0, 12);
    expect(M[0 * 3 + 2]).toBe(M[2 * 3 + 0]);
    expect(M[0 * 3 + 2]).toBeGreaterThan(1);
  });
});

describe('Mahalanobis distance', () => {
  it('whitens correlated features', () => {
    const rng = new Rng(4), n = 2000, X = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) { const z = rng.normal(); X[i * 2] = z; X[i * 2 + 1] = 10 * (0.9 * z + Math.sqrt(1 - 0.81) * rng.normal()); }
    const m = fitMahalanobis(X, n, 2);
    // along the correlation a step is cheap; against it, expensive
    const along = m.distance([0, 0], [1, 9]), against = m.distance([0, 0], [1, -9]);
    expect(against).toBeGreaterThan(3 * along);
    // a unit step in feature 1 alone: √(1/(1 − ρ²)) ≈ 2.29
    expect(m.distance([0, 0], [1, 0])).toBeCloseTo(Math.sqrt(1 / 0.19), 0);
    expect(m.distance([1, 2], [1, 2])).toBe(0);
  });
});
