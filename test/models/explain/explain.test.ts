import { describe, it, expect } from 'vitest';
import { permutationImportance, poissonDevianceLoss } from '../../../src/models/explain/permutation-importance.js';
import { partialDependence } from '../../../src/models/explain/partial-dependence.js';
import { mutualInformation, topK } from '../../../src/models/explain/mutual-information.js';
import { fitIsotonic, fitPlatt } from '../../../src/models/learned/calibration.js';
import { Rng } from '../../../src/util/rng.js';

function data(n = 3000, seed = 4) {
  const rng = new Rng(seed);
  const X = new Float32Array(n * 3), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    X[i * 3] = rng.normal(); X[i * 3 + 1] = rng.normal(); X[i * 3 + 2] = rng.normal();
    y[i] = rng.poisson(Math.exp(0.8 * X[i * 3] + 0.2 * X[i * 3 + 1])); // feature 2 is noise
  }
  return { X, y };
}
const truthModel = (X: Float32Array, n: number) => Float32Array.from({ length: n }, (_, i) => Math.exp(0.8 * X[i * 3] + 0.2 * X[i * 3 + 1]));

describe('explanations', () => {
  it('permutation importance ranks the strong feature first and the noise feature ~0', () => {
    const { X, y } = data();
    const imp = permutationImportance(truthModel, X, 3000, 3, y, ['a', 'b', 'noise'], poissonDevianceLoss, { repeats: 3, seed: 2 });
    expect(imp.mean[0]).toBeGreaterThan(imp.mean[1]);
    expect(imp.mean[1]).toBeGreaterThan(0.01);
    expect(imp.mean[2]).toBe(0); // the model ignores it, so shuffling changes nothing
  });

  it('partial dependence of an exponential model traces exp(0.8 x) times the mean of the other term', () => {
    const { X } = data(2000);
    const pd = partialDependence(truthModel, X, 2000, 3, 0, 'a', 5);
    let other = 0;
    for (let i = 0; i < 2000; i++) other += Math.exp(0.2 * X[i * 3 + 1]);
    other /= 2000;
    for (let k = 0; k < pd.grid.length; k++) expect(pd.mean[k]).toBeCloseTo(Math.exp(0.8 * pd.grid[k]) * other, 4);
  });

  it('mutual information ranks informative features above noise', () => {
    const { X, y } = data();
    const mi = mutualInformation(X, 3000, 3, y);
    expect(topK(mi, 2)).toEqual([0, 1]);
    expect(mi[2]).toBeLessThan(0.005);
    expect(mi[0]).toBeGreaterThan(0.1);
  });
});

describe('calibration', () => {
  it('isotonic regression pools adjacent violators (hand-computed)', () => {
    // sorted scores 0.1 0.2 0.3 0.4 with labels 0 1 0 1 → blocks {0}, {1,0}→0.5, {1} = [0, 0.5, 0.5, 1]
    const iso = fitIsotonic([0.3, 0.1, 0.4, 0.2], [0, 0, 1, 1]);
    expect(iso.apply(0.1)).toBe(0);
    expect(iso.apply(0.3)).toBe(0.5);
    expect(iso.apply(0.4)).toBe(1);
    expect(iso.apply(0.05)).toBe(0);
  });

  it('Platt scaling fixes an over-confident score', () => {
    const rng = new Rng(9);
    const p: number[] = [], y: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const truth = rng.random() * 0.6 + 0.2; // true probability in [0.2, 0.8]
      const logit = Math.log(truth / (1 - truth));
      p.push(1 / (1 + Math.exp(-3 * logit))); // over-confident: logit stretched ×3
      y.push(rng.random() < truth ? 1 : 0);
    }
    const cal = fitPlatt(p, y);
    const brier = (f: (v: number) => number) => p.reduce((s, v, i) => s + (f(v) - y[i]) ** 2, 0) / p.length;
    expect(brier(cal.apply)).toBeLessThan(brier((v) => v) - 0.01);
    // the fitted slope undoes the stretch: a score of σ(3·logit 0.7) maps back near 0.7
    expect(cal.apply(1 / (1 + Math.exp(-3 * Math.log(0.7 / 0.3))))).toBeCloseTo(0.7, 1);
  });
});
