import { describe, expect, it } from 'vitest';
import { DecisionTree } from '../../../src/models/trees/decision-tree.js';
import { Rng } from '../../../src/util/rng.js';
import { rSquared, uniformX } from './fixtures.js';

describe('DecisionTree', () => {
  const n = 3000, p = 5;
  const X = uniformX(n, p, 11);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = X[i * p + 3] > 0.42 ? 1 : 0;

  it('recovers a known threshold (y = 1 if x3 > 0.42) with one split', () => {
    const t = new DecisionTree({ task: 'classification', maxDepth: 1 }).fit(X, n, p, y);
    const tree = t.tree!;
    expect(tree.nNodes).toBe(3);
    expect(tree.feature[0]).toBe(3);
    expect(Math.abs(tree.threshold[0] - 0.42)).toBeLessThan(0.005);
    // nearly pure leaves: only the quantile bin (≈ 1/255 of the rows) holding 0.42 mixes the classes
    expect(tree.value[tree.left[0]]).toBeLessThan(0.005);
    expect(tree.value[tree.right[0]]).toBeGreaterThan(0.995);
    const Xt = uniformX(1000, p, 12);
    const pred = t.predict(Xt, 1000);
    let err = 0;
    for (let i = 0; i < 1000; i++) err += pred[i] !== (Xt[i * p + 3] > 0.42 ? 1 : 0) ? 1 : 0;
    expect(err / 1000).toBeLessThan(0.01);
    const imp = t.featureImportance();
    expect(imp[3]).toBeCloseTo(1, 10);
  });

  it('fits a regression surface and respects maxDepth / minSamplesLeaf', () => {
    const yr = new Float32Array(n);
    const rng = new Rng(3);
    for (let i = 0; i < n; i++) yr[i] = Math.sin(6 * X[i * p]) + 2 * X[i * p + 1] + rng.normal(0, 0.1);
    const t = new DecisionTree({ maxDepth: 6, minSamplesLeaf: 10 }).fit(X, n, p, yr);
    expect(t.tree!.depth).toBeLessThanOrEqual(6);
    // every leaf holds ≥ 10 training rows (cover = row count with unit weights)
    for (let k = 0; k < t.tree!.nNodes; k++) if (t.tree!.feature[k] < 0) expect(t.tree!.cover[k]).toBeGreaterThanOrEqual(10);
    const Xt = uniformX(1000, p, 4), truth = new Float64Array(1000);
    for (let i = 0; i < 1000; i++) truth[i] = Math.sin(6 * Xt[i * p]) + 2 * Xt[i * p + 1];
    expect(rSquared(truth, t.predict(Xt, 1000))).toBeGreaterThan(0.9);
  });

  it('learns a direction for missing values', () => {
    // x0 missing ⇔ y high: NaN rows must follow the high branch
    const m = 2000, Xm = uniformX(m, 2, 5), ym = new Float32Array(m);
    for (let i = 0; i < m; i++) {
      if (i % 5 === 0) { Xm[i * 2] = NaN; ym[i] = 10; } else ym[i] = Xm[i * 2] > 0.5 ? 5 : 0;
    }
    const t = new DecisionTree({ maxDepth: 3 }).fit(Xm, m, 2, ym);
    const pred = t.predict(Float32Array.of(NaN, 0.3, 0.2, 0.3, 0.8, 0.3), 3);
    expect(pred[0]).toBeCloseTo(10, 6);
    expect(pred[1]).toBeCloseTo(0, 6);
    expect(pred[2]).toBeCloseTo(5, 6);
  });

  it('Poisson criterion fits rates and never makes zero-count leaves', () => {
    const m = 4000, Xp = uniformX(m, 3, 8), yp = new Float32Array(m), rng = new Rng(9);
    for (let i = 0; i < m; i++) yp[i] = rng.poisson(Xp[i * 3] < 0.5 ? 0.2 : 3);
    const t = new DecisionTree({ criterion: 'poisson', maxDepth: 4, minSamplesLeaf: 20 }).fit(Xp, m, 3, yp);
    const tr = t.tree!;
    expect(tr.feature[0]).toBe(0);
    expect(Math.abs(tr.threshold[0] - 0.5)).toBeLessThan(0.03);
    for (let k = 0; k < tr.nNodes; k++) if (tr.feature[k] < 0) expect(tr.value[k]).toBeGreaterThan(0);
    const pr = t.predict(Float32Array.of(0.2, 0.5, 0.5, 0.8, 0.5, 0.5), 2);
    expect(pr[0]).toBeGreaterThan(0.1); expect(pr[0]).toBeLessThan(0.35);
    expect(pr[1]).toBeGreaterThan(2.6); expect(pr[1]).toBeLessThan(3.4);
  });
});

describe('DecisionTree options', () => {
  const n = 2000, p = 6, X = uniformX(n, p, 91), y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = 4 * X[i * p + 2] + (X[i * p + 5] > 0.5 ? 2 : 0);

  it('maxLeaves grows best-first up to the leaf budget', () => {
    const t = new DecisionTree({ maxLeaves: 7 }).fit(X, n, p, y).tree!;
    expect(t.nLeaves).toBe(7);
    // the first split is the largest gain: the step in x5 or the slope in x2
    expect([2, 5]).toContain(t.feature[0]);
  });

  it('per-split feature sampling (maxFeatures) still finds the signal and stays seeded', () => {
    const a = new DecisionTree({ maxFeatures: 2, maxDepth: 8 }).fit(X, n, p, y, { seed: 4 });
    const b = new DecisionTree({ maxFeatures: 2, maxDepth: 8 }).fit(X, n, p, y, { seed: 4 });
    expect(Array.from(a.tree!.threshold)).toEqual(Array.from(b.tree!.threshold));
    const imp = a.featureImportance();
    expect(imp[2] + imp[5]).toBeGreaterThan(0.8);
  });

  it('rejects bad input with clear messages', () => {
    expect(() => new DecisionTree({ task: 'classification' }).fit(X, n, p, y)).toThrow(/0\/1 target/);
    expect(() => new DecisionTree().fit(X, n, p + 1, y)).toThrow(/nRows × nCols/);
    expect(() => new DecisionTree({ criterion: 'poisson' }).fit(X, n, p, new Float32Array(n).fill(-1))).toThrow(/counts ≥ 0/);
    expect(() => new DecisionTree({ minSamplesLeaf: 0 })).toThrow(/minSamplesLeaf/);
    expect(() => new DecisionTree().predict(X, n)).toThrow(/fit/);
  });
});
