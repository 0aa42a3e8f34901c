import { describe, it, expect } from 'vitest';
import { Glm } from '../../../src/models/linear/glm.js';
import { Rng } from '../../../src/util/rng.js';

function simulate(n: number, beta: number[], b0: number, draw: (eta: number, rng: Rng) => number, seed = 7) {
  const rng = new Rng(seed);
  const p = beta.length;
  const X = new Float32Array(n * p), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let eta = b0;
    for (let j = 0; j < p; j++) {
      const v = rng.normal(j === 1 ? 5 : 0, j === 2 ? 3 : 1); // different scales and means
      X[i * p + j] = v;
      eta += beta[j] * v;
    }
    y[i] = draw(eta, rng);
  }
  return { X, y, p };
}

describe('GLM', () => {
  it('Poisson regression recovers coefficients', () => {
    const beta = [0.5, -0.3, 0.1];
    const { X, y, p } = simulate(20_000, beta, 1.0, (eta, rng) => rng.poisson(Math.exp(eta)));
    const m = new Glm({ family: 'poisson' }).fit(X, 20_000, p, y);
    expect(m.converged).toBe(true);
    beta.forEach((b, j) => expect(Math.abs(m.coef[j] - b)).toBeLessThan(0.02));
    expect(Math.abs(m.intercept - 1.0)).toBeLessThan(0.08);
  });

  it('logistic regression recovers coefficients', () => {
    const beta = [1.0, -0.5, 0.3];
    const { X, y, p } = simulate(20_000, beta, 1.5, (eta, rng) => (rng.random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0), 3);
    const m = new Glm({ family: 'logistic' }).fit(X, 20_000, p, y);
    beta.forEach((b, j) => expect(Math.abs(m.coef[j] - b)).toBeLessThan(0.06));
  });

  it('negative-binomial regression recovers coefficients and the dispersion', () => {
    const beta = [0.4, 0.2, -0.1];
    const { X, y, p } = simulate(20_000, beta, -0.5, (eta, rng) => rng.negbin(Math.exp(eta), 2), 11);
    const m = new Glm({ family: 'negbin' }).fit(X, 20_000, p, y);
    beta.forEach((b, j) => expect(Math.abs(m.coef[j] - b)).toBeLessThan(0.04));
    expect(m.size).toBeGreaterThan(1.7);
    expect(m.size).toBeLessThan(2.3);
  });

  it('the lasso drops irrelevant features and ridge shrinks without dropping', () => {
    const beta = [0.6, 0, 0]; // only the first feature matters
    const { X, y, p } = simulate(5_000, beta, 0.2, (eta, rng) => rng.poisson(Math.exp(eta)), 5);
    const lasso = new Glm({ family: 'poisson', lambda: 0.05, l1Ratio: 1 }).fit(X, 5_000, p, y);
    expect(lasso.coef[0]).toBeGreaterThan(0.3);
    expect(lasso.coef[1]).toBe(0);
    expect(lasso.coef[2]).toBe(0);
    const free = new Glm({ family: 'poisson' }).fit(X, 5_000, p, y);
    const ridge = new Glm({ family: 'poisson', lambda: 0.5, l1Ratio: 0 }).fit(X, 5_000, p, y);
    expect(Math.abs(ridge.coef[0])).toBeLessThan(Math.abs(free.coef[0]));
    expect(ridge.coef[0]).toBeGreaterThan(0);
  });

  it('imputes missing values with the training mean', () => {
    const m = new Glm({ family: 'gaussian' }).fit(Float32Array.of(1, 2, 3, NaN), 4, 1, Float32Array.of(2, 4, 6, 4));
    expect(m.coef[0]).toBeCloseTo(2, 6);
    expect(m.predict(Float32Array.of(NaN), 1)[0]).toBeCloseTo(4, 5); // mean of x is 2 → 2·2
  });
});
