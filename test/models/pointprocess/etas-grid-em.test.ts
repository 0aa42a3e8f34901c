import { describe, expect, it } from 'vitest';
import { excitationAtEnd, fitGridEtas, groupByStream } from '../../../src/models/pointprocess/etas-grid-em.js';
import { simulateGridEtas } from '../../../src/models/pointprocess/simulate-grid-etas.js';
import { expectedPeriodCount, simulateStreamForward, TimeStack } from '../../../src/models/pointprocess/hawkes-forecast.js';
import { Rng } from '../../../src/util/rng.js';

describe('grid ETAS EM', () => {
  // 20 cells with background rates from 0.02 to 0.4 per day, θ = 0.5, ω = 0.2/day, 2,000 days
  const mu = Float64Array.from({ length: 20 }, (_, i) => 0.02 + (0.38 * i) / 19);
  const T = 2000;
  const sim = simulateGridEtas({ mu, theta: 0.5, omega: 0.2, T, seed: 7 });

  it('simulates about μT/(1−θ) events per cell', () => {
    const expected = mu.reduce((a, b) => a + b, 0) * T / (1 - 0.5);
    expect(sim.t.length).toBeGreaterThan(0.9 * expected);
    expect(sim.t.length).toBeLessThan(1.1 * expected);
    const bgShare = sim.background.reduce((a, b) => a + b, 0) / sim.t.length;
    expect(bgShare).toBeGreaterThan(0.45);
    expect(bgShare).toBeLessThan(0.55);
  });

  it('recovers θ, ω within 15 % and μ within 30 % per cell (15 % overall)', () => {
    const data = groupByStream(sim.t, sim.stream, 20, T);
    const fit = fitGridEtas(data, { maxIter: 500, tol: 1e-7 });
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.theta[0] - 0.5) / 0.5).toBeLessThan(0.15);
    expect(Math.abs(fit.omega[0] - 0.2) / 0.2).toBeLessThan(0.15);
    let sumFit = 0, sumTrue = 0;
    for (let s = 0; s < 20; s++) {
      expect(Math.abs(fit.mu[s] - mu[s]) / mu[s]).toBeLessThan(0.3);
      sumFit += fit.mu[s]; sumTrue += mu[s];
    }
    expect(Math.abs(sumFit - sumTrue) / sumTrue).toBeLessThan(0.15);
    expect(fit.backgroundShare).toBeGreaterThan(0.4);
    expect(fit.backgroundShare).toBeLessThan(0.6);
  });

  it('finds no triggering in a Poisson process', () => {
    const pois = simulateGridEtas({ mu: new Float64Array(10).fill(0.2), theta: 0, omega: 1, T: 2000, seed: 3 });
    const fit = fitGridEtas(groupByStream(pois.t, pois.stream, 10, 2000), { maxIter: 300 });
    expect(fit.theta[0]).toBeLessThan(0.05);
    expect(fit.mu[0]).toBeGreaterThan(0.17);
    expect(fit.mu[0]).toBeLessThan(0.23);
  });

  it('keeps ties from acting as instant triggers', () => {
    // every event duplicated at the same instant: without tie handling ω would run to its upper bound
    const t2 = new Float64Array(sim.t.length * 2), s2 = new Int32Array(sim.t.length * 2);
    for (let i = 0; i < sim.t.length; i++) { t2[2 * i] = t2[2 * i + 1] = sim.t[i]; s2[2 * i] = s2[2 * i + 1] = sim.stream[i]; }
    const fit = fitGridEtas(groupByStream(t2, s2, 20, T), { maxIter: 300 });
    expect(fit.omega[0]).toBeLessThan(1);
  });

  it('fits per-group θ and ω', () => {
    const a = simulateGridEtas({ mu: new Float64Array(10).fill(0.3), theta: 0.3, omega: 1, T: 1500, seed: 11 });
    const b = simulateGridEtas({ mu: new Float64Array(10).fill(0.3), theta: 0.6, omega: 0.1, T: 1500, seed: 12 });
    const t = Float64Array.from([...a.t, ...b.t]);
    const stream = Int32Array.from([...a.stream, ...Array.from(b.stream, (s) => s + 10)]);
    const groupOf = Int32Array.from({ length: 20 }, (_, s) => (s < 10 ? 0 : 1));
    const fit = fitGridEtas(groupByStream(t, stream, 20, 1500), { groupOf, maxIter: 500, tol: 1e-7 });
    expect(Math.abs(fit.theta[0] - 0.3)).toBeLessThan(0.08);
    expect(Math.abs(fit.theta[1] - 0.6)).toBeLessThan(0.1);
    expect(Math.abs(fit.omega[0] - 1) / 1).toBeLessThan(0.25);
    expect(Math.abs(fit.omega[1] - 0.1) / 0.1).toBeLessThan(0.25);
  });
});

describe('Hawkes forecast', () => {
  it('closed-form expected counts match the mean of forward simulations', () => {
    const mu = 0.3, S = 4, theta = 0.6, omega = 0.3, period = 1, horizon = 10;
    const rng = new Rng(5);
    const N = 20000;
    const out = new Float32Array(horizon);
    const stack = new TimeStack();
    for (let k = 0; k < N; k++) simulateStreamForward(rng, mu, S, theta, omega, period, horizon, out, 0, 1, stack);
    for (let h = 0; h < horizon; h++) {
      const exact = expectedPeriodCount(mu, S, theta, omega, period, h);
      expect(Math.abs(out[h] / N - exact) / exact).toBeLessThan(0.04);
    }
    // far ahead the expectation tends to the stationary rate μ/(1−θ)
    expect(expectedPeriodCount(mu, S, theta, omega, period, 1000)).toBeCloseTo(mu / (1 - theta), 6);
    expect(expectedPeriodCount(mu, 0, 0, omega, 7, 3)).toBeCloseTo(mu * 7, 10);
  });

  it('excitation at the end of the window sums decayed event weights', () => {
    const data = groupByStream(Float64Array.from([1, 9, 3]), Int32Array.from([0, 0, 1]), 2, 10);
    const S = excitationAtEnd(data, Float64Array.from([0.5]), new Int32Array(2));
    expect(S[0]).toBeCloseTo(Math.exp(-4.5) + Math.exp(-0.5), 12);
    expect(S[1]).toBeCloseTo(Math.exp(-3.5), 12);
  });
});
