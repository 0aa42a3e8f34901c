import { describe, expect, it } from 'vitest';
import { candidatePairs } from '../../../src/models/pointprocess/candidate-pairs.js';
import { knnDistance1d, knnDistance2d } from '../../../src/models/pointprocess/knn-bandwidth.js';
import { fitSeppNonparametric } from '../../../src/models/pointprocess/sepp-nonparametric.js';
import { simulateSepp } from '../../../src/models/pointprocess/simulate-sepp.js';

describe('k-th nearest-neighbour bandwidths', () => {
  it('match brute force', () => {
    const x = Float64Array.from([0, 1, 3, 7, 7, 20]), y = new Float64Array(6);
    const d2 = knnDistance2d(x, y, 2, 0.5);
    // second-nearest of x = 3 is x = 0 (distance 3), ahead of the two points at 7
    expect(Array.from(d2)).toEqual([3, 2, 3, 4, 4, 13]);
    const d1 = knnDistance1d(x, 2, 0.5);
    expect(Array.from(d1)).toEqual([3, 2, 3, 4, 4, 13]);
    expect(knnDistance1d(Float64Array.from([5, 5, 5]), 1, 0.25)[0]).toBe(0.25);
  });
});

describe('non-parametric SEPP (stochastic declustering)', () => {
  it('recovers the branching ratio, the delay scale and the spatial spread of a simulated process', () => {
    const truth = { theta: 0.5, omega: 0.2, sigma: 100 };
    const sim = simulateSepp({
      rate: 3, background: { kind: 'uniform', rect: { minX: 0, minY: 0, maxX: 10_000, maxY: 10_000 } },
      ...truth, T: 600, seed: 17,
    });
    const pairs = candidatePairs(sim.x, sim.y, sim.t, 40, 500);
    const fit = fitSeppNonparametric({ x: sim.x, y: sim.y, t: sim.t, T: 600, pairs, maxDt: 40, maxDist: 500 }, { iterations: 24, seed: 2 });
    expect(Math.abs(fit.branchingRatio - truth.theta)).toBeLessThan(0.08);
    // mean of the exponential delay truncated at 40 days: 1/ω − 40/(e^{40ω} − 1) = 4.998
    expect(Math.abs(fit.meanDelay - 5) / 5).toBeLessThan(0.25);
    expect(Math.abs(fit.spatialSd - truth.sigma) / truth.sigma).toBeLessThan(0.25);
    // the delay density decreases: most offspring come early
    expect(fit.timeDensity[0]).toBeGreaterThan(3 * fit.timeDensity[Math.floor(fit.timeDensity.length / 2)]);
    let bgOnBg = 0, nBg = 0, bgOnChild = 0;
    for (let i = 0; i < sim.t.length; i++) {
      if (sim.background[i]) { bgOnBg += fit.pBackground[i]; nBg++; } else bgOnChild += fit.pBackground[i];
    }
    expect(bgOnBg / nBg).toBeGreaterThan(0.7);
    expect(bgOnChild / (sim.t.length - nBg)).toBeLessThan(0.3);
  });
});
