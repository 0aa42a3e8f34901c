import { describe, expect, it } from 'vitest';
import { GradientBoosting } from '../../../src/models/trees/gradient-boosting.js';
import { Rng } from '../../../src/util/rng.js';
import { auc, rSquared, uniformX } from './fixtures.js';

const logRate = (x: Float32Array, o: number): number => -0.5 + 1.2 * x[o] - 1.0 * x[o + 1] + 0.6 * x[o + 2];

describe('GradientBoosting', () => {
  it('Poisson loss recovers log-linear rates on simulated counts', () => {
    const n = 20000, p = 5, X = uniformX(n, p, 31), y = new Float32Array(n), rng = new Rng(32);
    for (let i = 0; i < n; i++) y[i] = rng.poisson(Math.exp(logRate(X, i * p)));
    const gb = new GradientBoosting({ objective: 'poisson', maxIter: 150, learningRate: 0.1, maxLeaves: 8, minSamplesLeaf: 50 });
    gb.fit(X, n, p, y, { seed: 1 });
    expect(gb.validationLoss.length).toBeGreaterThan(20); // early stopping is on ('auto', > 10 000 rows)
    const m = 2000, Xt = uniformX(m, p, 33), mu = gb.predict(Xt, m);
    let mad = 0;
    for (let i = 0; i < m; i++) mad += Math.abs(Math.log(mu[i]) - logRate(Xt, i * p));
    mad /= m;
    expect(mad).toBeLessThan(0.1);
    // the noise features get little of the gain
    const imp = gb.featureImportance();
    expect(imp[0] + imp[1] + imp[2]).toBeGreaterThan(0.9);
    // SHAP in log-rate space adds up to the margin
    const raw = gb.predictRaw(Xt.subarray(0, 50 * p), 50), { values, expectedValue } = gb.shapValues(Xt.subarray(0, 50 * p), 50);
    for (let i = 0; i < 50; i++) {
      let s = expectedValue;
      for (let j = 0; j < p; j++) s += values[i * p + j];
      expect(s).toBeCloseTo(raw[i], 9);
    }
  });

  it('two threads grow bit-identical trees (a worker sums half the features of large nodes)', () => {
    // 30k rows: the root and its large descendants pass the kernel's 4096-row threshold for the worker
    const n = 30000, p = 7, X = uniformX(n, p, 41), y = new Float32Array(n), rng = new Rng(42);
    for (let i = 0; i < n; i++) y[i] = rng.poisson(Math.exp(logRate(X, i * p)));
    for (let i = 0; i < n; i += 13) X[i * p + 4] = NaN; // a missing bin in the histograms too
    const fit = (threads: 1 | 2) => new GradientBoosting({ objective: 'poisson', maxIter: 8, maxLeaves: 15, earlyStopping: false, threads })
      .fit(X, n, p, y, { seed: 3 });
    const one = fit(1), two = fit(2);
    expect(two.trees.length).toBe(one.trees.length);
    two.trees.forEach((t, k) => {
      expect(Array.from(t.feature)).toEqual(Array.from(one.trees[k].feature));
      expect(Array.from(t.threshold)).toEqual(Array.from(one.trees[k].threshold));
      expect(Array.from(t.value)).toEqual(Array.from(one.trees[k].value));
    });
    const head = X.subarray(0, 500 * p);
    expect(Array.from(two.predictRaw(head, 500))).toEqual(Array.from(one.predictRaw(head, 500)));
    expect(one.trees[0].nLeaves).toBe(15);
    expect(() => new GradientBoosting({ threads: 3 })).toThrow(/threads must be 1 or 2/);
  });

  it('binary log-loss reaches the Bayes ranking on a nonlinear boundary', () => {
    const n = 8000, p = 4, X = uniformX(n + 2000, p, 41), y = new Float32Array(n + 2000), rng = new Rng(42);
    const prob = new Float64Array(n + 2000);
    for (let i = 0; i < n + 2000; i++) {
      const a = X[i * p], b = X[i * p + 1];
      prob[i] = 1 / (1 + Math.exp(-(6 * (a - 0.5) * (b - 0.5) * 4 + 2 * Math.sin(6 * a))));
      y[i] = rng.random() < prob[i] ? 1 : 0;
    }
    const gb = new GradientBoosting({ objective: 'binary', maxIter: 100, maxLeaves: 15 }).fit(X.subarray(0, n * p), n, p, y.subarray(0, n), { seed: 2 });
    const Xt = X.subarray(n * p), yt = y.subarray(n), pt = gb.predict(Xt, 2000);
    const bayes = auc(yt, prob.subarray(n)), got = auc(yt, pt);
    expect(got).toBeGreaterThan(bayes - 0.02);
    for (let i = 0; i < 2000; i++) { expect(pt[i]).toBeGreaterThan(0); expect(pt[i]).toBeLessThan(1); }
  });

  it('squared error: early stopping halts on noise, keeps the best round, and is deterministic', () => {
    const n = 3000, p = 3, X = uniformX(n, p, 51), y = new Float32Array(n), rng = new Rng(52);
    for (let i = 0; i < n; i++) y[i] = 3 * X[i * p] + rng.normal(0, 1);
    const fit = () => new GradientBoosting({ maxIter: 500, earlyStopping: true, nIterNoChange: 5 }).fit(X, n, p, y, { seed: 7 });
    const a = fit(), b = fit();
    expect(a.trees.length).toBeLessThan(200);
    expect(a.trees.length).toBe(b.trees.length);
    const vl = a.validationLoss;
    expect(vl[vl.length - 1]).toBe(Math.min(...vl));
    const Xt = uniformX(500, p, 53), truth = new Float64Array(500);
    for (let i = 0; i < 500; i++) truth[i] = 3 * Xt[i * p];
    expect(rSquared(truth, a.predict(Xt, 500))).toBeGreaterThan(0.9);
    expect(Array.from(a.predict(Xt, 500))).toEqual(Array.from(b.predict(Xt, 500)));
  });

  it('learns where missing values go', () => {
    // a third of x0 is missing, and those rows have rate 4; elsewhere the rate rises with x0
    const n = 6000, p = 3, X = uniformX(n, p, 71), y = new Float32Array(n), rng = new Rng(72);
    for (let i = 0; i < n; i++) {
      if (i % 3 === 0) { X[i * p] = NaN; y[i] = rng.poisson(4); } else y[i] = rng.poisson(Math.exp(-1 + X[i * p]));
    }
    const gb = new GradientBoosting({ objective: 'poisson', maxIter: 80, maxLeaves: 8 }).fit(X, n, p, y, { seed: 3 });
    const mu = gb.predict(Float32Array.of(NaN, 0.5, 0.5, 0.5, 0.5, 0.5), 2);
    expect(mu[0]).toBeGreaterThan(3.6); expect(mu[0]).toBeLessThan(4.4);
    expect(mu[1]).toBeGreaterThan(0.5); expect(mu[1]).toBeLessThan(0.75); // e^−0.5 = 0.61
  });

  it('L2 leaf regularisation shrinks the first tree towards zero', () => {
    const n = 500, p = 2, X = uniformX(n, p, 61), y = new Float32Array(n);
    for (let i = 0; i < n; i++) y[i] = X[i * p] > 0.5 ? 10 : 0;
    const plain = new GradientBoosting({ maxIter: 1, learningRate: 1, maxLeaves: 2, minSamplesLeaf: 1 }).fit(X, n, p, y);
    const ridge = new GradientBoosting({ maxIter: 1, learningRate: 1, maxLeaves: 2, minSamplesLeaf: 1, l2: 250 }).fit(X, n, p, y);
    const t0 = plain.trees[0], t1 = ridge.trees[0];
    const leftN = t0.cover[t0.left[0]];
    // Newton leaf −G/(H + λ): the unregularised leaf is 0 − mean(y) ≈ −5, the ridge one shrunk by H/(H + λ)
    expect(t0.value[t0.left[0]]).toBeCloseTo(-plain.baseScore, 9);
    expect(plain.baseScore).toBeGreaterThan(4); expect(plain.baseScore).toBeLessThan(6);
    expect(t1.value[t1.left[0]]).toBeCloseTo((t0.value[t0.left[0]] * leftN) / (leftN + 250), 9);
  });

  it('trainLoss holds the training loss after every kept round (taken from the next gradient pass)', () => {
    const n = 3000, p = 4, X = uniformX(n, p, 81), y = new Float32Array(n), rng = new Rng(82);
    for (let i = 0; i < n; i++) y[i] = rng.poisson(Math.exp(logRate(X, i * p)));
    const gb = new GradientBoosting({ objective: 'poisson', maxIter: 12, maxLeaves: 7, earlyStopping: false }).fit(X, n, p, y, { seed: 5 });
    expect(gb.trainLoss.length).toBe(gb.trees.length);
    const lossAt = (F: Float64Array): number => { let s = 0; for (let i = 0; i < n; i++) s += Math.exp(F[i]) - y[i] * F[i]; return s / n; };
    // the last round's loss from the fitted margins, and an earlier one from a refit stopped there
    expect(gb.trainLoss[11]).toBeCloseTo(lossAt(gb.predictRaw(X, n)), 12);
    const five = new GradientBoosting({ objective: 'poisson', maxIter: 5, maxLeaves: 7, earlyStopping: false }).fit(X, n, p, y, { seed: 5 });
    expect(gb.trainLoss[4]).toBe(five.trainLoss[4]);
    expect(gb.trainLoss[4]).toBeCloseTo(lossAt(five.predictRaw(X, n)), 12);
    for (let k = 1; k < 12; k++) expect(gb.trainLoss[k]).toBeLessThan(gb.trainLoss[k - 1]);
  });
});
