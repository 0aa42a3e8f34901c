import { describe, expect, it } from 'vitest';
import { candidatePairs } from '../../../src/models/pointprocess/candidate-pairs.js';
import { fitSepp } from '../../../src/models/pointprocess/sepp-em.js';
import { knnDistance2d } from '../../../src/models/pointprocess/knn-bandwidth.js';
import { simulateSepp } from '../../../src/models/pointprocess/simulate-sepp.js';
import { Rng } from '../../../src/util/rng.js';

describe('candidate pairs', () => {
  it('finds exactly the brute-force pairs within the space-time window', () => {
    const rng = new Rng(4);
    const n = 800;
    const t = Float64Array.from({ length: n }, () => rng.random() * 100).sort();
    const x = Float64Array.from({ length: n }, () => rng.random() * 2000);
    const y = Float64Array.from({ length: n }, () => rng.random() * 2000);
    t[11] = t[10]; // a tie is not a pair
    const p = candidatePairs(x, y, t, 7, 300);
    let brute = 0, wrong = 0;
    for (let i = 0; i < n; i++) {
      const got = new Set(Array.from(p.parent.subarray(p.off[i], p.off[i + 1])));
      for (let j = 0; j < n; j++) {
        const dt = t[i] - t[j], d2 = (x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2;
        const want = dt > 0 && dt <= 7 && d2 <= 300 * 300;
        if (want) brute++;
        if (got.has(j) !== want) wrong++;
      }
    }
    expect(wrong).toBe(0);
    expect(p.parent.length).toBe(brute);
    expect(brute).toBeGreaterThan(100);
  });
});

describe('parametric SEPP EM', () => {
  it('recovers θ, ω and σ of a simulated process (±15 %)', () => {
    const truth = { theta: 0.5, omega: 0.2, sigma: 100 };
    const sim = simulateSepp({
      rate: 3, background: { kind: 'uniform', rect: { minX: 0, minY: 0, maxX: 10_000, maxY: 10_000 } },
      ...truth, T: 1000, seed: 9,
    });
    expect(sim.t.length).toBeGreaterThan(5000);
    const pairs = candidatePairs(sim.x, sim.y, sim.t, 50, 600);
    const fit = fitSepp({ x: sim.x, y: sim.y, t: sim.t, T: 1000, pairs, maxDt: 50 }, { bgBandwidth: 1000, maxIter: 200, tol: 1e-6 });
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.theta - truth.theta) / truth.theta).toBeLessThan(0.15);
    expect(Math.abs(fit.omega - truth.omega) / truth.omega).toBeLessThan(0.15);
    expect(Math.abs(fit.sigma - truth.sigma) / truth.sigma).toBeLessThan(0.15);
    // background probabilities separate simulated background from offspring
    let bgOnBg = 0, nBg = 0, bgOnChild = 0, nChild = 0;
    for (let i = 0; i < sim.t.length; i++) {
      if (sim.background[i]) { bgOnBg += fit.pBackground[i]; nBg++; } else { bgOnChild += fit.pBackground[i]; nChild++; }
    }
    expect(bgOnBg / nBg).toBeGreaterThan(0.75);
    expect(bgOnChild / nChild).toBeLessThan(0.25);
  });

  it('recovers the parameters over a hot-spot background', () => {
    const truth = { theta: 0.4, omega: 0.5, sigma: 60 };
    const sim = simulateSepp({
      rate: 4, background: { kind: 'mixture', x: [2000, 7000, 5000], y: [3000, 6000, 8000], sd: [1200, 800, 1500], weight: [2, 1, 1] },
      ...truth, T: 800, seed: 10,
    });
    const pairs = candidatePairs(sim.x, sim.y, sim.t, 20, 400);
    const fit = fitSepp({ x: sim.x, y: sim.y, t: sim.t, T: 800, pairs, maxDt: 20 }, { bgBandwidth: 400, maxIter: 200, tol: 1e-6 });
    expect(Math.abs(fit.theta - truth.theta) / truth.theta).toBeLessThan(0.15);
    expect(Math.abs(fit.omega - truth.omega) / truth.omega).toBeLessThan(0.2);
    expect(Math.abs(fit.sigma - truth.sigma) / truth.sigma).toBeLessThan(0.15);
  });

  it('recovers the parameters with an adaptive (k-th neighbour) background', () => {
    const truth = { theta: 0.4, omega: 0.5, sigma: 60 };
    const sim = simulateSepp({
      rate: 4, background: { kind: 'mixture', x: [2000, 7000, 5000], y: [3000, 6000, 8000], sd: [1200, 800, 1500], weight: [2, 1, 1] },
      ...truth, T: 500, seed: 12,
    });
    const pairs = candidatePairs(sim.x, sim.y, sim.t, 20, 400);
    const bw = knnDistance2d(sim.x, sim.y, 15, 10);
    const fit = fitSepp({ x: sim.x, y: sim.y, t: sim.t, T: 500, pairs, maxDt: 20 }, { bgBandwidth: bw, maxIter: 100, tol: 1e-5 });
    expect(fit.grid).toBeUndefined();
    expect(Math.abs(fit.theta - truth.theta) / truth.theta).toBeLessThan(0.15);
    expect(Math.abs(fit.omega - truth.omega) / truth.omega).toBeLessThan(0.2);
    expect(Math.abs(fit.sigma - truth.sigma) / truth.sigma).toBeLessThan(0.15);
  });
});
