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
