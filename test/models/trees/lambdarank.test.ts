import { describe, expect, it } from 'vitest';
import { GradientBoosting, splitByGroup } from '../../../src/models/trees/gradient-boosting.js';
import { indexGroups, lambdaGradients, ndcgLoss } from '../../../src/models/trees/lambdarank.js';
import { Rng } from '../../../src/util/rng.js';
import { uniformX } from './fixtures.js';

const sig = (x: number): number => 1 / (1 + Math.exp(-x));

describe('LambdaRank gradients', () => {
  // one group of three rows: labels 2, 0, 1 and scores 0, 1, 0.5 → current ranking r1 (y 0), r2 (y 1), r0 (y 2)
  const y = Float32Array.of(2, 0, 1), F = Float64Array.of(0, 1, 0.5), w = Float64Array.of(1, 1, 1);
  const groups = indexGroups([7, 7, 7], Uint32Array.of(0, 1, 2));
  const D1 = 1 / Math.log2(3), D2 = 0.5, best = 2 + 1 * D1; // ideal order 2, 1, 0 with linear gains

  it('match the pairwise formula computed by hand (σ = 1, linear gain, full depth)', () => {
    const g = new Float64Array(3), h = new Float64Array(3);
    const loss = lambdaGradients(y, w, F, g, h, groups, { truncation: 3, sigma: 1, labelGain: 'linear' });
    // pairs (high label, low label): (r2, r1), (r0, r1), (r0, r2); ρ = σ(s_low − s_high)
    const p21 = { rho: sig(1 - 0.5), d: 1 * (1 - D1) / best };
    const p01 = { rho: sig(1 - 0), d: 2 * (1 - D2) / best };
    const p02 = { rho: sig(0.5 - 0), d: 1 * (D1 - D2) / best };
    const l = (p: { rho: number; d: number }) => p.rho * p.d, hs = (p: { rho: number; d: number }) => p.rho * (1 - p.rho) * p.d;
    const sum = 2 * (l(p21) + l(p01) + l(p02)), norm = Math.log2(1 + sum) / sum;
    expect(g[0]).toBeCloseTo(-(l(p01) + l(p02)) * norm, 12);
    expect(g[1]).toBeCloseTo((l(p21) + l(p01)) * norm, 12);
    expect(g[2]).toBeCloseTo((-l(p21) + l(p02)) * norm, 12);
    expect(h[0]).toBeCloseTo((hs(p01) + hs(p02)) * norm, 12);
    expect(h[1]).toBeCloseTo((hs(p21) + hs(p01)) * norm, 12);
    // NDCG@3 of the current ranking: (0·1 + 1·D1 + 2·D2) / best
    expect(loss).toBeCloseTo(1 - (D1 + 2 * D2) / best, 12);
    expect(g[0] + g[1] + g[2]).toBeCloseTo(0, 12); // each pair pushes its rows by equal and opposite amounts
  });

  it('truncation 1 keeps only the pairs through the top row', () => {
    const g = new Float64Array(3), h = new Float64Array(3);
    lambdaGradients(y, w, F, g, h, groups, { truncation: 1, sigma: 1, labelGain: 'linear' });
    const bestAt1 = 2; // the best top-1 gain
    const l21 = sig(0.5) * (1 - D1) / bestAt1, l01 = sig(1) * 2 * (1 - D2) / bestAt1;
    const norm = Math.log2(1 + 2 * (l21 + l01)) / (2 * (l21 + l01));
    expect(g[0]).toBeCloseTo(-l01 * norm, 12);
    expect(g[2]).toBeCloseTo(-l21 * norm, 12);
    expect(g[1]).toBeCloseTo((l21 + l01) * norm, 12);
  });

  it('NDCG loss is 0 for the ideal order and groups without a positive are skipped', () => {
    const yy = Float32Array.of(3, 1, 0, 0, 0, 0), groups2 = indexGroups([1, 1, 1, 2, 2, 2], Uint32Array.of(0, 1, 2, 3, 4, 5));
    expect(ndcgLoss(yy, Float64Array.of(9, 5, 1, 0, 0, 0), groups2, 2, 'exponential')).toBe(0);
    // reversed: DCG@2 = (2^0 − 1) + (2^1 − 1)/log2 3; ideal 7 + 1/log2 3; the all-zero group does not count
    expect(ndcgLoss(yy, Float64Array.of(1, 5, 9, 0, 0, 0), groups2, 2, 'exponential')).toBeCloseTo(1 - D1 / (7 + D1), 12);
  });
});

describe('GradientBoosting lambdarank', () => {
  // 80 periods of 150 cells: the cell's rate is exp(3·x0 − 3), x1…x3 are noise; counts are Poisson
  const groupsN = 80, per = 150, n = groupsN * per, p = 4;
  const X = uniformX(n, p, 51), y = new Float32Array(n), group = new Int32Array(n), rng = new Rng(52);
  for (let i = 0; i < n; i++) { y[i] = rng.poisson(Math.exp(3 * X[i * p] - 3)); group[i] = Math.floor(i / per); }
  const test = { X: uniformX(40 * per, p, 53), y: new Float32Array(40 * per), group: new Int32Array(40 * per) };
  for (let i = 0; i < 40 * per; i++) { test.y[i] = rng.poisson(Math.exp(3 * test.X[i * p] - 3)); test.group[i] = Math.floor(i / per); }
  const testGroups = indexGroups(test.group, Uint32Array.from(test.y.keys()));

  it('learns the ranking of held-out periods as well as the true rates rank them', () => {
    const gb = new GradientBoosting({ objective: 'lambdarank', truncation: 15, maxIter: 60, learningRate: 0.1, maxLeaves: 8, minSamplesLeaf: 40 });
    gb.fit(X, n, p, y, { group, seed: 1 });
    expect(gb.validationLoss.length).toBeGreaterThan(0); // early stopping ('auto': > 10 000 rows) on held-out periods
    expect(gb.rankingGroups).toEqual({ train: 72, trainWithPositive: 72, validation: 8, validationWithPositive: 8 });
    const score = gb.predict(test.X, 40 * per);
    const truth = Float64Array.from({ length: 40 * per }, (_, i) => test.X[i * p]);
    const noise = Float64Array.from({ length: 40 * per }, (_, i) => test.X[i * p + 1]);
    const model = ndcgLoss(test.y, score, testGroups, 15, 'linear');
    const oracle = ndcgLoss(test.y, truth, testGroups, 15, 'linear');
    const random = ndcgLoss(test.y, noise, testGroups, 15, 'linear');
    expect(oracle).toBeLessThan(random - 0.3);
    expect(model).toBeLessThan(oracle + 0.03);
    expect(gb.featureImportance()[0]).toBeGreaterThan(0.8);
  });

  it('asks for groups, holds out whole groups, and refuses groups on other objectives', () => {
    expect(() => new GradientBoosting({ objective: 'lambdarank' }).fit(X, n, p, y)).toThrow(/needs fit\(…, \{ group \}\)/);
    expect(() => new GradientBoosting({ objective: 'poisson' }).fit(X, n, p, y, { group })).toThrow(/lambdarank objective only/);
    const one = new Int32Array(n);
    expect(() => new GradientBoosting({ objective: 'lambdarank', earlyStopping: true }).fit(X, n, p, y, { group: one }))
      .toThrow(/at least 2 groups/);
    expect(() => new GradientBoosting({ objective: 'lambdarank', truncation: 0 })).toThrow(/truncation/);
    const nanGroup = Float64Array.from(group); nanGroup[5] = NaN;
    expect(() => new GradientBoosting({ objective: 'lambdarank' }).fit(X, n, p, y, { group: nanGroup })).toThrow(/group\[5\] must be a finite id/);
    expect(() => new GradientBoosting({ objective: 'lambdarank' }).fit(X, n, p, new Float32Array(n), { group })).toThrow(/lambdarank .* at least one positive/);
    // a held-out side whose groups hold no incident cannot be scored: an error, not a model with no trees
    const [, held] = splitByGroup(group, Uint32Array.from(y.keys()), 0.02, new Rng(4)); // the group fit will hold out
    const sparse = Float32Array.from(y);
    for (const r of held) sparse[r] = 0;
    expect(() => new GradientBoosting({ objective: 'lambdarank', earlyStopping: true, validationFraction: 0.02 }).fit(X, n, p, sparse, { group, seed: 4 }))
      .toThrow(/held out 1 of 80 groups and none has a positive label/);
    const [tr, va] = splitByGroup(group, Uint32Array.from(y.keys()), 0.1, new Rng(3));
    const trainGroups = new Set(Array.from(tr, (r) => group[r])), valGroups = new Set(Array.from(va, (r) => group[r]));
    expect(valGroups.size).toBe(8);
    expect(tr.length + va.length).toBe(n);
    for (const q of valGroups) expect(trainGroups.has(q)).toBe(false);
  });
});
