import { describe, expect, it } from 'vitest';
import { shrinkCategory } from '../../../src/models/hotspot/gamma-poisson.js';
import { decayedCounts } from '../../../src/models/hotspot/decayed-counts.js';
import { priorCounts } from '../../../src/models/hotspot/priors.js';
import { gammaPoissonField } from './field.js';

const mse = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
};

describe('empirical-Bayes gamma–Poisson shrinkage', () => {
  const f = gammaPoissonField(30, 40, 4, 7);
  const { counts, exposure } = decayedCounts(f.tensor, Infinity);
  const raw = Float64Array.from(counts, (n) => n / exposure);

  it('with the true prior mean and shape it recovers known rates far better than raw counts', () => {
    const prior = Float64Array.from(f.mean, (m) => m * exposure);
    const post = new Float64Array(counts.length);
    shrinkCategory(counts, prior, exposure, 4, 1, 0, post);
    const rawErr = mse(raw, f.rate), postErr = mse(post, f.rate);
    // 40 days at ~0.05/day: raw counts are mostly noise; the posterior mean's MSE is a fraction of theirs
    expect(postErr).toBeLessThan(0.5 * rawErr);
  });

  it('shrinking toward the neighbourhood estimated from the counts themselves still beats raw counts', () => {
    const prior = priorCounts(counts, 1, { area: f.units.area, adjacency: f.units.adjacency }, { kind: 'neighbourhood', steps: 3 });
    const post = new Float64Array(counts.length);
    shrinkCategory(counts, prior, exposure, 4, 1, 0, post);
    expect(mse(post, f.rate)).toBeLessThan(0.7 * mse(raw, f.rate));
  });

  it('keeps a well-observed cell at its own rate and moves a sparse one to the prior', () => {
    // two cells: 1000 crimes in 1000 periods vs 0 crimes; prior rate 0.5 for both, α = 2
    const out = new Float64Array(2);
    shrinkCategory(Float64Array.of(1000, 0), Float64Array.of(500, 500), 1000, 2, 1, 0, out);
    expect(out[0]).toBeCloseTo((1000 + 2) / (1000 + 4), 10);
    expect(out[1]).toBeCloseTo(2 / 1004, 10);
    // α = ∞: the prior alone
    shrinkCategory(Float64Array.of(1000, 0), Float64Array.of(500, 500), 1000, Infinity, 1, 0, out);
    expect(Array.from(out)).toEqual([0.5, 0.5]);
  });

  it('floors a zero prior and counts the floored cells', () => {
    const out = new Float64Array(3);
    const floored = shrinkCategory(Float64Array.of(10, 0, 0), Float64Array.of(10, 0, 0), 10, 1, 1, 0, out);
    expect(floored).toBe(2);
    expect(out[1]).toBeGreaterThan(0);
    expect(out[1]).toBeLessThan(1e-3);
  });
});
