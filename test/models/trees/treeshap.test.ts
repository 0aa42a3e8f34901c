import { describe, expect, it } from 'vitest';
import { DecisionTree } from '../../../src/models/trees/decision-tree.js';
import type { FlatTree } from '../../../src/models/trees/flat-tree.js';
import { ShapWorkspace, treeShapAdd } from '../../../src/models/trees/treeshap.js';
import { Rng } from '../../../src/util/rng.js';
import { uniformX } from './fixtures.js';

/** Path-dependent E[f(x) | x_S]: follow x at splits on features in S, else average the children by cover. */
function condExpectation(t: FlatTree, x: Float32Array, inS: boolean[], node = 0): number {
  const f = t.feature[node];
  if (f < 0) return t.value[node];
  if (inS[f]) {
    const v = x[f];
    const goLeft = v === v ? v <= t.threshold[node] : t.missingLeft[node] === 1;
    return condExpectation(t, x, inS, goLeft ? t.left[node] : t.right[node]);
  }
  const l = t.left[node], r = t.right[node];
  return (t.cover[l] * condExpectation(t, x, inS, l) + t.cover[r] * condExpectation(t, x, inS, r)) / t.cover[node];
}

/** Shapley values by enumerating every subset of the M features. */
function bruteShapley(t: FlatTree, x: Float32Array, M: number): Float64Array {
  const phi = new Float64Array(M);
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  for (let mask = 0; mask < 1 << M; mask++) {
    const inS = Array.from({ length: M }, (_, j) => ((mask >> j) & 1) === 1);
    const size = inS.filter(Boolean).length;
    const vS = condExpectation(t, x, inS);
    for (let j = 0; j < M; j++) {
      if (inS[j]) continue;
      const withJ = inS.slice(); withJ[j] = true;
      const wgt = (fact(size) * fact(M - size - 1)) / fact(M);
      phi[j] += wgt * (condExpectation(t, x, withJ) - vS);
    }
  }
  return phi;
}

describe('TreeSHAP (Lundberg et al. 2018, Algorithm 2)', () => {
  // a tree with interactions and repeated features on 4 inputs, with some missing values
  const n = 600, M = 4;
  const X = uniformX(n, M, 21), y = new Float32Array(n), rng = new Rng(22);
  for (let i = 0; i < n; i++) {
    const a = X[i * M], b = X[i * M + 1], c = X[i * M + 2], d = X[i * M + 3];
    y[i] = (a > 0.5 ? 2 : 0) + (a > 0.5 && b > 0.3 ? 3 * c : -d) + Math.sin(5 * a) + rng.normal(0, 0.2);
    if (i % 17 === 0) X[i * M + 2] = NaN;
  }
  const model = new DecisionTree({ maxDepth: 6, minSamplesLeaf: 5 }).fit(X, n, M, y);
  const tree = model.tree!;

  it('builds a non-trivial tree that splits a feature more than once on a path', () => {
    expect(tree.nLeaves).toBeGreaterThan(20);
    expect(tree.depth).toBe(6);
  });

  it('values sum to prediction − expected value for every row', () => {
    const { values, expectedValue } = model.shapValues(X, n);
    let leafMean = 0;
    for (let k = 0; k < tree.nNodes; k++) if (tree.feature[k] < 0) leafMean += tree.cover[k] * tree.value[k];
    expect(expectedValue).toBeCloseTo(leafMean / tree.cover[0], 10);
    const pred = model.predict(X, n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < M; j++) s += values[i * M + j];
      expect(s).toBeCloseTo(pred[i] - expectedValue, 9);
    }
  });

  it('matches brute-force Shapley values over all 16 feature subsets', () => {
    const ws = new ShapWorkspace(tree.depth);
    let maxAbs = 0;
    for (let i = 0; i < 40; i++) {
      const x = X.subarray(i * M, (i + 1) * M);
      const phi = new Float64Array(M);
      treeShapAdd(tree, x, 0, phi, 0, 1, ws);
      const brute = bruteShapley(tree, x, M);
      for (let j = 0; j < M; j++) {
        expect(phi[j]).toBeCloseTo(brute[j], 9);
        maxAbs = Math.max(maxAbs, Math.abs(brute[j]));
      }
    }
    expect(maxAbs).toBeGreaterThan(0.5); // the attributions are not trivially zero
  });
});
