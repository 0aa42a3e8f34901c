/**
 * Seeded fits whose predictions are pinned in fingerprint.test.ts: speed work on the tree grower (histogram
 * subtraction, node sums from histograms, buffer reuse, parallel histograms) must leave every fitted model
 * unchanged up to float rounding. Covers the grower's paths: best-first and depth-first growth, feature
 * subsampling, missing values, sample weights, the Poisson criterion, tiny nodes built directly.
 */
import { GradientBoosting } from '../../../src/models/trees/gradient-boosting.js';
import { RandomForest } from '../../../src/models/trees/random-forest.js';
import { DecisionTree } from '../../../src/models/trees/decision-tree.js';
import { Rng } from '../../../src/util/rng.js';
import { uniformX } from './fixtures.js';

const n = 4000, p = 6;

function data(): { X: Float32Array; y: Float32Array; w: Float32Array; Xt: Float32Array } {
  const X = uniformX(n, p, 901), y = new Float32Array(n), w = new Float32Array(n), rng = new Rng(902);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    if (i % 7 === 0) X[o + 2] = NaN;
    const eta = -0.3 + Math.sin(3 * X[o] * X[o + 1]) + (X[o + 3] > 0.6 ? 0.7 : 0) + (Number.isNaN(X[o + 2]) ? 0.5 : 0.4 * X[o + 2]);
    y[i] = rng.poisson(Math.exp(eta));
    w[i] = 0.5 + rng.random();
  }
  const Xt = uniformX(300, p, 903);
  for (let i = 0; i < 300; i += 5) Xt[i * p + 2] = NaN;
  return { X, y, w, Xt };
}

/** Sum of predictions and a few single predictions per case (cheap to pin, sensitive to any changed split). */
export function fingerprints(): Record<string, number[]> {
  const { X, y, w, Xt } = data(), m = 300;
  const pick = (a: ArrayLike<number>): number[] => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    return [s, a[0], a[17], a[101], a[299]];
  };
  const occ = Float32Array.from(y, (v) => (v > 0 ? 1 : 0));
  return {
    gbmPoisson: pick(new GradientBoosting({ objective: 'poisson', maxIter: 30, maxLeaves: 31, earlyStopping: false })
      .fit(X, n, p, y, { seed: 1 }).predict(Xt, m)),
    gbmPoissonUnclipped: pick(new GradientBoosting({ objective: 'poisson', maxIter: 30, maxLeaves: 15, maxDeltaStep: Infinity, earlyStopping: true, minSamplesLeaf: 5 })
      .fit(X, n, p, y, { seed: 2, sampleWeight: w }).predict(Xt, m)),
    gbmBinaryDepth: pick(new GradientBoosting({ objective: 'binary', maxIter: 20, maxLeaves: null, maxDepth: 4, maxFeatures: 0.5, earlyStopping: false })
      .fit(X, n, p, occ, { seed: 3 }).predict(Xt, m)),
    gbmSquared: pick(new GradientBoosting({ maxIter: 20, maxLeaves: 63, minSamplesLeaf: 2, l2: 1, earlyStopping: false })
      .fit(X, n, p, y, { seed: 4 }).predict(Xt, m)),
    forest: pick(new RandomForest({ nEstimators: 8, maxDepth: 10, maxFeatures: 'all' }).fit(X, n, p, y, { seed: 5 }).predict(Xt, m)),
    forestSqrt: pick(new RandomForest({ nEstimators: 8, maxFeatures: 'sqrt', criterion: 'poisson' }).fit(X, n, p, y, { seed: 6, sampleWeight: w }).predict(Xt, m)),
    tree: pick(new DecisionTree({ maxDepth: 8, minSamplesLeaf: 3 }).fit(X, n, p, y, { seed: 7 }).predict(Xt, m)),
  };
}
