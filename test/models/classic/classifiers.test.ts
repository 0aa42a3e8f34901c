import { describe, it, expect } from 'vitest';
import { GaussianNaiveBayes } from '../../../src/models/bayes/naive-bayes.js';
import { TreeAugmentedNaiveBayes } from '../../../src/models/bayes/tan.js';
import { KNearestNeighbors } from '../../../src/models/neighbors/knn.js';
import { SupportVectorMachine } from '../../../src/models/svm/svm.js';
import { Rng } from '../../../src/util/rng.js';

/** P(y=1) = σ(2·x0 − x1); x2 is a noisy copy of x0; x3 is noise. */
function binary(n: number, seed: number) {
  const rng = new Rng(seed);
  const X = new Float32Array(n * 4), y = new Float32Array(n), p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x0 = rng.normal(), x1 = rng.normal();
    X[i * 4] = x0; X[i * 4 + 1] = x1; X[i * 4 + 2] = x0 + 0.1 * rng.normal(); X[i * 4 + 3] = rng.normal();
    p[i] = 1 / (1 + Math.exp(-(2 * x0 - x1)));
    y[i] = rng.random() < p[i] ? 1 : 0;
  }
  return { X, y, p };
}

/** Rank AUC (Mann–Whitney) — a local check, independent of the metrics module. */
function auc(score: ArrayLike<number>, y: ArrayLike<number>): number {
  const idx = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let rankSum = 0, pos = 0;
  idx.forEach((i, r) => { if (y[i] > 0) { rankSum += r + 1; pos++; } });
  const neg = y.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

describe('classic classifiers', () => {
  const train = binary(4000, 1), test = binary(2000, 2);
  const oracle = auc(test.p, test.y);

  it.each([
    ['naive Bayes', () => new GaussianNaiveBayes()],
    ['TAN', () => new TreeAugmentedNaiveBayes(8)],
    ['linear SVM', () => new SupportVectorMachine({ kernel: 'linear' })],
    ['RBF SVM', () => new SupportVectorMachine({ kernel: 'rbf', maxTrain: 1200 })],
  ])('%s ranks held-out cases nearly as well as the true probability', (_name, make) => {
    const m = make();
    m.fit(train.X, 4000, 4, train.y, { seed: 3 });
    const s = m.predict(test.X, 2000);
    expect(auc(s, test.y)).toBeGreaterThan(oracle - 0.03);
    for (const v of s) { expect(v).toBeGreaterThanOrEqual(0); expect(v).toBeLessThanOrEqual(1); }
  });

  it('SVM probabilities are calibrated by Platt scaling (mean predicted ≈ observed rate)', () => {
    const m = new SupportVectorMachine({ kernel: 'linear' });
    m.fit(train.X, 4000, 4, train.y, { seed: 3 });
    const s = m.predict(test.X, 2000);
    const meanP = s.reduce((a, b) => a + b, 0) / 2000, rate = test.y.reduce((a, b) => a + b, 0) / 2000;
    expect(Math.abs(meanP - rate)).toBeLessThan(0.03);
  });

  it('TAN learns the dependency between a feature and its noisy copy', () => {
    const m = new TreeAugmentedNaiveBayes(8);
    m.fit(train.X, 4000, 4, train.y);
    // x2 copies x0: in the learned tree one is the other's parent
    expect(m.parent[2] === 0 || m.parent[0] === 2).toBe(true);
  });

  it('k-NN regression recovers a smooth function', () => {
    const rng = new Rng(5);
    const n = 3000, X = new Float32Array(n * 2), y = new Float32Array(n);
    for (let i = 0; i < n; i++) { X[i * 2] = rng.random() * 4; X[i * 2 + 1] = rng.random(); y[i] = Math.sin(X[i * 2]) + 0.1 * rng.normal(); }
    const m = new KNearestNeighbors(15, 3000);
    m.fit(X, n, 2, y);
    const q = Float32Array.of(1, 0.5, 2, 0.5, 3, 0.5);
    const pr = m.predict(q, 3);
    [1, 2, 3].forEach((x, i) => expect(Math.abs(pr[i] - Math.sin(x))).toBeLessThan(0.12));
  });
});
