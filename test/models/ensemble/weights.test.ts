import { describe, expect, it } from 'vitest';
import { mixtureWeights, nnlsWeights, poissonStackWeights } from '../../../src/models/ensemble/weights.js';
import { mixtureForecast } from '../../../src/models/ensemble/mixture.js';
import { baseLogPmf, bernoulliForecast, negbinForecast, poissonForecast, variance } from '../../../src/models/distribution.js';
import { Rng } from '../../../src/util/rng.js';

// two members with different Poisson means per cell; data drawn from a known combination
function members(n: number, seed: number) {
  const rng = new Rng(seed), a = new Float64Array(n), b = new Float64Array(n);
  for (let i = 0; i < n; i++) { a[i] = 0.2 + 2 * rng.random(); b[i] = 1 + 6 * rng.random(); }
  return { a, b, rng };
}

describe('combination weights', () => {
  it('EM recovers the weights of a known Poisson mixture', () => {
    const n = 20000, { a, b, rng } = members(n, 3), y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = rng.poisson(rng.random() < 0.3 ? a[i] : b[i]);
    const logp = [a, b].map((mu) => Float64Array.from(y, (v, i) => baseLogPmf(mu[i], Infinity, v)));
    const w = mixtureWeights(logp);
    expect(w[0]).toBeCloseTo(0.3, 1);
    expect(Math.abs(w[0] - 0.3)).toBeLessThan(0.03);
    expect(w[0] + w[1]).toBeCloseTo(1, 12);
  });

  it('EM puts (almost) all weight on the member that is the truth', () => {
    const n = 5000, { a, b, rng } = members(n, 4), y = Float64Array.from(a, (mu) => rng.poisson(mu));
    const flat = new Float64Array(n).fill(1.2);
    const logp = [b, a, flat].map((mu) => Float64Array.from(y, (v, i) => baseLogPmf(mu[i], Infinity, v)));
    const w = mixtureWeights(logp);
    expect(w[1]).toBeGreaterThan(0.97);
  });

  it('Poisson-deviance stacking recovers the weights of a known linear combination, and ignores a useless member', () => {
    const n = 20000, { a, b, rng } = members(n, 5);
    const noise = Float64Array.from({ length: n }, () => 3 * rng.random());
    const y = Float64Array.from(a, (_, i) => rng.poisson(0.3 * a[i] + 0.7 * b[i]));
    const w = poissonStackWeights([a, b, noise], y);
    expect(Math.abs(w[0] - 0.3)).toBeLessThan(0.04);
    expect(Math.abs(w[1] - 0.7)).toBeLessThan(0.04);
    expect(w[2]).toBeLessThan(0.02);
  });

  it('NNLS recovers non-negative weights that need not sum to one, and clips a negative one to 0', () => {
    const n = 5000, { a, b, rng } = members(n, 6);
    const y = Float64Array.from(a, (_, i) => 2 * a[i] + 0.5 * b[i] + 0.05 * rng.normal());
    const w = nnlsWeights([a, b], y);
    expect(w[0]).toBeCloseTo(2, 2);
    expect(w[1]).toBeCloseTo(0.5, 2);
    // y decreasing in the second member: the unconstrained fit is negative, NNLS gives 0
    const y2 = Float64Array.from(a, (_, i) => Math.max(0, 3 * a[i] - 0.2 * b[i]));
    expect(nnlsWeights([a, b], y2)[1]).toBe(0);
  });

  it('only the given cells count (per-category weights)', () => {
    // cells 0, 2: y equals member a; cells 1, 3: y equals member b
    const a = Float64Array.of(1, 10, 3, 10), b = Float64Array.of(5, 1, 5, 4), y = Float64Array.of(1, 1, 3, 4);
    const w0 = poissonStackWeights([a, b], y, [0, 2]), w1 = poissonStackWeights([a, b], y, [1, 3]);
    expect(w0[0]).toBeCloseTo(1, 3); expect(w0[1]).toBeCloseTo(0, 3);
    expect(w1[1]).toBeCloseTo(1, 3); expect(w1[0]).toBeCloseTo(0, 3);
  });
});

describe('mixture forecast', () => {
  it('has the mixture mean and variance (moment-matched negative binomial)', () => {
    const f = mixtureForecast([poissonForecast([1, 2], 1, 2, 1), negbinForecast([5, 2], [2, 4], 1, 2, 1)], Float64Array.of(0.5, 0.25, 0.5, 0.75));
    // cell 0: ½·Poisson(1) + ½·NB(5, k=2): E = 3, E[Y²] = ½(1 + 1) + ½(5 + 12.5 + 25) = 22.25, Var = 13.25
    expect(f.mean[0]).toBeCloseTo(3, 6);
    expect(variance(f)[0]).toBeCloseTo(13.25, 3);
    expect(f.dist.family).toBe('negbin');
    // cell 1: equal means, ¼ Poisson + ¾ NB(2, k=4): Var = 2 + ¾·1 = 2.75
    expect(f.mean[1]).toBeCloseTo(2, 6);
    expect(variance(f)[1]).toBeCloseTo(2.75, 4);
  });

  it('scales component means for stacking and mixes Bernoulli members exactly', () => {
    const f = mixtureForecast([poissonForecast([1], 1, 1, 1), poissonForecast([3], 1, 1, 1)], Float64Array.of(0.5, 0.5), Float64Array.of(2));
    expect(f.mean[0]).toBeCloseTo(4, 6); // ½·2 + ½·6
    // components Poisson(2), Poisson(6): Var = ½(2 + 4) + ½(6 + 36) − 16 = 8
    expect(variance(f)[0]).toBeCloseTo(8, 3);
    const b = mixtureForecast([bernoulliForecast([0.2], 1, 1, 1), bernoulliForecast([0.6], 1, 1, 1)], Float64Array.of(0.25, 0.75));
    expect(b.dist.family).toBe('bernoulli');
    expect(b.mean[0]).toBeCloseTo(0.5, 6);
  });
});
