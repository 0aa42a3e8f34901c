import { describe, expect, it } from 'vitest';
import { DecisionTree } from '../../../src/models/trees/decision-tree.js';
import { GradientBoosting } from '../../../src/models/trees/gradient-boosting.js';
import { RandomForest } from '../../../src/models/trees/random-forest.js';
import { Rng } from '../../../src/util/rng.js';
import { rSquared, uniformX } from './fixtures.js';

/** Friedman #1: 10 · sin(π x0 x1) + 20 (x2 − ½)² + 10 x3 + 5 x4, plus 5 pure-noise features. */
const friedman = (X: Float32Array, o: number): number =>
  10 * Math.sin(Math.PI * X[o] * X[o + 1]) + 20 * (X[o + 2] - 0.5) ** 2 + 10 * X[o + 3] + 5 * X[o + 4];

describe('RandomForest', () => {
  const n = 2000, p = 10, X = uniformX(n, p, 71), y = new Float32Array(n), rng = new Rng(72);
  for (let i = 0; i < n; i++) y[i] = friedman(X, i * p) + rng.normal(0, 3);
  const m = 1000, Xt = uniformX(m, p, 73), truth = new Float64Array(m);
  for (let i = 0; i < m; i++) truth[i] = friedman(Xt, i * p);

  const forest = new RandomForest({ nEstimators: 60, maxFeatures: 0.5, minSamplesLeaf: 2, oobScore: true }).fit(X, n, p, y, { seed: 5 });

  it('beats a single tree on a noisy nonlinear function', () => {
    const tree = new DecisionTree({ minSamplesLeaf: 2 }).fit(X, n, p, y, { seed: 5 });
    const r2Tree = rSquared(truth, tree.predict(Xt, m)), r2Forest = rSquared(truth, forest.predict(Xt, m));
    expect(r2Forest).toBeGreaterThan(0.8);
    expect(r2Forest).toBeGreaterThan(r2Tree + 0.15);
  });

  it('estimates its error out of bag', () => {
    // the OOB R² is against noisy y, so it sits below the R² against the noise-free truth
    let vy = 0, my = 0;
    for (let i = 0; i < n; i++) my += y[i] / n;
    for (let i = 0; i < n; i++) vy += (y[i] - my) ** 2 / n;
    const ceiling = 1 - 9 / vy; // R² of the true function on noisy targets
    expect(forest.oobScore_).toBeGreaterThan(ceiling - 0.2);
    expect(forest.oobScore_).toBeLessThan(ceiling + 0.05);
    let covered = 0;
    for (let i = 0; i < n; i++) if (!Number.isNaN(forest.oobPrediction![i])) covered++;
    expect(covered).toBe(n); // with 60 trees every row is out of bag at least once
  });

  it('ranks the informative features above the noise ones and explains predictions exactly', () => {
    const imp = forest.featureImportance();
    const minSignal = Math.min(imp[0], imp[1], imp[3]), maxNoise = Math.max(...imp.subarray(5));
    expect(minSignal).toBeGreaterThan(maxNoise);
    const Xs = Xt.subarray(0, 15 * p), { values, expectedValue } = forest.shapValues(Xs, 15), pred = forest.predict(Xs, 15);
    for (let i = 0; i < 15; i++) {
      let s = expectedValue;
      for (let j = 0; j < p; j++) s += values[i * p + j];
      expect(s).toBeCloseTo(pred[i], 9);
    }
  });

  it('is deterministic under a seed and varies with it', () => {
    const a = new RandomForest({ nEstimators: 5 }).fit(X, n, p, y, { seed: 1 }).predict(Xt.subarray(0, 50 * p), 50);
    const b = new RandomForest({ nEstimators: 5 }).fit(X, n, p, y, { seed: 1 }).predict(Xt.subarray(0, 50 * p), 50);
    const c = new RandomForest({ nEstimators: 5 }).fit(X, n, p, y, { seed: 2 }).predict(Xt.subarray(0, 50 * p), 50);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
});

describe('class weights on rare events', () => {
  // ~3 % positives whose probability rises with x0
  const n = 6000, p = 3, X = uniformX(n, p, 81), y = new Float32Array(n), rng = new Rng(82);
  for (let i = 0; i < n; i++) y[i] = rng.random() < 0.12 * X[i * p] ** 3 ? 1 : 0;
  const Xt = uniformX(2000, p, 83);
  const positives = (pred: Float64Array): number => pred.reduce((s, v) => s + v, 0);

  it('increase predicted positives for a tree, a forest and boosting', () => {
    let rate = 0;
    for (let i = 0; i < n; i++) rate += y[i] / n;
    expect(rate).toBeGreaterThan(0.01); expect(rate).toBeLessThan(0.06);
    const treeOpts = { task: 'classification' as const, maxDepth: 4, minSamplesLeaf: 20 };
    const t0 = positives(new DecisionTree(treeOpts).fit(X, n, p, y).predict(Xt, 2000));
    const t1 = positives(new DecisionTree({ ...treeOpts, classWeight: 'balanced' }).fit(X, n, p, y).predict(Xt, 2000));
    expect(t0).toBeLessThan(20);
    expect(t1).toBeGreaterThan(300);

    const rfOpts = { task: 'classification' as const, nEstimators: 20, minSamplesLeaf: 10 };
    const f0 = positives(new RandomForest(rfOpts).fit(X, n, p, y, { seed: 3 }).predict(Xt, 2000));
    const f1 = positives(new RandomForest({ ...rfOpts, classWeight: 'balanced' }).fit(X, n, p, y, { seed: 3 }).predict(Xt, 2000));
    // unweighted, no region ever has a positive majority; balanced weights make the high-x0 corner positive
    expect(f0).toBeLessThan(10);
    expect(f1).toBeGreaterThan(f0 + 50);

    const gbOpts = { objective: 'binary' as const, maxIter: 30, maxLeaves: 4 };
    const above = (q: Float64Array): number => q.reduce((s, v) => s + (v >= 0.5 ? 1 : 0), 0);
    const g0 = above(new GradientBoosting(gbOpts).fit(X, n, p, y).predict(Xt, 2000));
    const g1 = above(new GradientBoosting({ ...gbOpts, classWeight: { 0: 1, 1: 20 } }).fit(X, n, p, y).predict(Xt, 2000));
    expect(g1).toBeGreaterThan(g0 + 200);
  });

  it('equal explicit sample weights change nothing', () => {
    const a = new DecisionTree({ maxDepth: 5 }).fit(X, n, p, y).predict(Xt.subarray(0, 200 * p), 200);
    const b = new DecisionTree({ maxDepth: 5 }).fit(X, n, p, y, { sampleWeight: new Float32Array(n).fill(3) }).predict(Xt.subarray(0, 200 * p), 200);
    for (let i = 0; i < 200; i++) expect(b[i]).toBeCloseTo(a[i], 12);
  });
});
