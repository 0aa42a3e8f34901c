import { describe, expect, it } from 'vitest';
import { KNearestNeighbors } from '../../../src/models/neighbors/knn.js';
import { applyStandardizer, fitStandardizer } from '../../../src/models/linear/standardize.js';
import { Rng } from '../../../src/util/rng.js';

/** Every training row's squared distance in natural coordinate order, sorted by (distance, row): the plain scan. */
function reference(Xtr: Float32Array, n: number, Xq: Float32Array, m: number, p: number, k: number): { index: number[]; dist2: number[] } {
  const std = fitStandardizer(Xtr, n, p), Z = applyStandardizer(std, Xtr, n, p), Q = applyStandardizer(std, Xq, m, p);
  const index: number[] = [], dist2: number[] = [];
  for (let q = 0; q < m; q++) {
    const all = Array.from({ length: n }, (_, i) => {
      let d = 0;
      for (let j = 0; j < p; j++) { const t = Q[q * p + j] - Z[i * p + j]; d += t * t; }
      return { i, d };
    }).sort((a, b) => a.d - b.d || a.i - b.i);
    for (const { i, d } of all.slice(0, k)) { index.push(i); dist2.push(d); }
  }
  return { index, dist2 };
}

describe('KNearestNeighbors', () => {
  it('finds exactly the k nearest rows of a plain scan, ties broken by row index', () => {
    const n = 700, m = 60, p = 9, k = 25, rng = new Rng(11);
    const X = new Float32Array(n * p), y = new Float32Array(n), Xq = new Float32Array(m * p);
    for (let i = 0; i < X.length; i++) X[i] = rng.random();
    for (let i = 0; i < Xq.length; i++) Xq[i] = rng.random();
    // duplicated rows make exact distance ties, and a coarse feature makes many partial sums equal
    for (let i = 0; i < 40; i++) X.copyWithin((n - 1 - i) * p, i * p, (i + 1) * p);
    for (let i = 0; i < n; i++) { X[i * p + 3] = Math.round(X[i * p + 3] * 3); y[i] = i; }
    for (let q = 0; q < 10; q++) Xq.set(X.subarray(q * p, (q + 1) * p), q * p); // queries sitting on duplicated rows
    const knn = new KNearestNeighbors(k, n);
    knn.fit(X, n, p, y);
    const got = knn.neighbours(Xq, m), want = reference(X, n, Xq, m, p, k);
    expect(got.k).toBe(k);
    expect(Array.from(got.index)).toEqual(want.index);
    expect(Array.from(got.dist2)).toEqual(want.dist2);
    // a query on row 0 ties with its copy, row n − 1: the lower index comes first, both at distance 0
    expect(got.index[0]).toBe(0); expect(got.index[1]).toBe(n - 1); expect(got.dist2[1]).toBe(0);
    // plain mean of the neighbours' targets (y = row index here)
    const pred = knn.predict(Xq, m);
    for (let q = 0; q < m; q++) {
      const mean = want.index.slice(q * k, (q + 1) * k).reduce((s, i) => s + i, 0) / k;
      expect(pred[q]).toBeCloseTo(mean, 3);
    }
  });

  it('equals the plain float64 scan on count features full of exact ties (float32 filter, odd block sizes)', () => {
    // small integer counts: many rows share a distance exactly; 1003 rows and 37 queries leave partial
    // SIMD blocks of rows (8) and queries (4)
    const n = 1003, m = 37, p = 20, k = 25, rng = new Rng(5);
    const X = new Float32Array(n * p), Xq = new Float32Array(m * p), y = new Float32Array(n);
    for (let i = 0; i < X.length; i++) X[i] = rng.poisson(0.15);
    for (let i = 0; i < Xq.length; i++) Xq[i] = rng.poisson(0.15);
    for (let i = 0; i < n; i++) y[i] = i;
    const knn = new KNearestNeighbors(k, n);
    knn.fit(X, n, p, y);
    const got = knn.neighbours(Xq, m), want = reference(X, n, Xq, m, p, k);
    expect(Array.from(got.index)).toEqual(want.index);
    expect(Array.from(got.dist2)).toEqual(want.dist2);
    // the ties are real: some query has its k-th and (k+1)-th nearest at the same distance
    const std = fitStandardizer(X, n, p), all = reference(X, n, Xq, m, p, k + 1);
    expect(std.scale[0]).toBeGreaterThan(0);
    expect(Array.from({ length: m }, (_, q) => all.dist2[q * (k + 1) + k - 1] === all.dist2[q * (k + 1) + k]).some(Boolean)).toBe(true);
  });

  it('orders rows whose distances differ below float32 precision exactly as float64 does', () => {
    // 60 copies of row 0 moved by one float32 step each in feature 0: their distances to row 0 differ by
    // ~1e-14, far below the float32 distances' resolution, so every one must be settled in float64
    const n = 400, p = 6, k = 25, rng = new Rng(8);
    const X = new Float32Array(n * p), y = new Float32Array(n);
    for (let i = 0; i < X.length; i++) X[i] = rng.random();
    X[0] = 0.5;
    for (let c = 1; c <= 60; c++) {
      const r = 100 + c;
      X.copyWithin(r * p, 0, p);
      X[r * p] = 0.5 + ((c * 7) % 61) * 2 ** -24; // scattered order: row index does not follow distance
    }
    const Xq = X.slice(0, p);
    const knn = new KNearestNeighbors(k, n);
    knn.fit(X, n, p, y);
    const got = knn.neighbours(Xq, 1), want = reference(X, n, Xq, 1, p, k);
    expect(Array.from(got.index)).toEqual(want.index);
    expect(Array.from(got.dist2)).toEqual(want.dist2);
    expect(got.index[0]).toBe(0);
    expect(new Set(got.dist2).size).toBe(k); // all distinct, so the order is fixed by the distances alone
  });

  it('takes the float64 scan when values are too large for float32 sums, with the same neighbours', () => {
    const n = 300, m = 9, p = 4, k = 7, rng = new Rng(3);
    const X = new Float32Array(n * p), Xq = new Float32Array(m * p), y = new Float32Array(n);
    for (let i = 0; i < X.length; i++) X[i] = rng.random();
    for (let i = 0; i < Xq.length; i++) Xq[i] = rng.random();
    Xq[2 * p + 1] = 1e30; // standardised ≈ 3e30: its float32 distances would overflow to Infinity
    const knn = new KNearestNeighbors(k, n);
    knn.fit(X, n, p, y);
    const got = knn.neighbours(Xq, m), want = reference(X, n, Xq, m, p, k);
    expect(Array.from(got.index)).toEqual(want.index);
    expect(Array.from(got.dist2)).toEqual(want.dist2);
    expect(got.dist2[2 * k]).toBeGreaterThan(1e60);
  });

  it('caps k at the training size and weights by inverse distance when asked', () => {
    const p = 2, X = Float32Array.of(0, 0, 1, 0, 0, 1, 5, 5), y = Float32Array.of(1, 2, 3, 4);
    const knn = new KNearestNeighbors(10, 100, true);
    knn.fit(X, 4, p, y);
    const nb = knn.neighbours(Float32Array.of(0, 0), 1);
    expect(nb.k).toBe(4);
    expect(Array.from(nb.index)).toEqual([0, 1, 2, 3]);
    const w = Array.from(nb.dist2, (d) => 1 / (Math.sqrt(d) + 1e-6));
    const want = (w[0] * 1 + w[1] * 2 + w[2] * 3 + w[3] * 4) / (w[0] + w[1] + w[2] + w[3]);
    expect(knn.predict(Float32Array.of(0, 0), 1)[0]).toBeCloseTo(want, 5);
  });
});
