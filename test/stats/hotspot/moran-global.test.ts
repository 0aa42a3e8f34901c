import { describe, expect, it } from 'vitest';
import { globalMoran, weightMoments } from '../../../src/stats/hotspot/moran-global.js';
import { weightsFromLists } from '../../../src/stats/hotspot/weights.js';
import { rookLists } from './lattice.js';

describe("global Moran's I", () => {
  it('is −1 on a checkerboard with rook binary weights', () => {
    // Every rook link joins a 0 and a 1: z_i z_j = −¼ on all S0 links, Σz² = n/4 → I = (n/S0)(−S0/4)/(n/4) = −1
    const x = Array.from({ length: 16 }, (_, i) => ((i >> 2) + (i & 3)) % 2);
    const r = globalMoran(x, weightsFromLists(rookLists(4, 4)), { permutations: 99, seed: 7 });
    expect(r.I).toBeCloseTo(-1, 12);
    expect(r.expected).toBeCloseTo(-1 / 15, 15);
    // A checkerboard is the most negative arrangement: no permutation is as extreme → p = 1/(99+1)
    expect(r.permutation!.pSim).toBeCloseTo(0.01, 12);
    expect(r.normality!.z).toBeLessThan(-3);
  });

  it('matches hand-computed moments and variances on a 3×3 rook lattice', () => {
    // 12 edges → S0 = 24; S1 = ½·24·(1+1)² = 48; degrees 2,3,2,3,4,3,2,3,2 → S2 = Σ(2d)² = 4·68 = 272
    const w = weightsFromLists(rookLists(3, 3));
    expect(weightMoments(w)).toEqual({ S0: 24, S1: 48, S2: 272 });
    // 3×3 checkerboard (five 1s): I = −1 again
    const x = [1, 0, 1, 0, 1, 0, 1, 0, 1];
    const r = globalMoran(x, w, { permutations: 0 });
    expect(r.I).toBeCloseTo(-1, 12);
    // Var_N = (n²S1 − nS2 + 3S0²)/((n²−1)S0²) − E[I]² = (3888 − 2448 + 1728)/(80·576) − 1/64 = 0.06875 − 0.015625
    expect(r.normality!.variance).toBeCloseTo(0.053125, 12);
    // kurtosis b2 = n·Σz⁴/(Σz²)²: z = 4/9 (×5), −5/9 (×4) → Σz² = 20/9, Σz⁴ = 3780/6561 → b2 = 1.05
    // Var_R = [9(57·48 − 2448 + 1728) − 1.05(72·48 − 4896 + 3456)] / (8·7·6·576) − 1/64
    //       = (18144 − 2116.8)/193536 − 0.015625 = 0.0828125 − 0.015625
    expect(r.randomisation!.variance).toBeCloseTo(0.0671875, 12);
    expect(r.randomisation!.z).toBeCloseTo((-1 + 1 / 8) / Math.sqrt(0.0671875), 10);
    expect(r.permutation).toBeNull();
  });

  it('is near its expectation for a spatially random pattern, and seeded', () => {
    // Values from a fixed hash of the index (x_i = (41·i mod 101)/101): a permutation null is exact for them.
    const x = Array.from({ length: 100 }, (_, i) => ((i * 7919) % 101) / 101);
    const lists = rookLists(10, 10);
    const w = weightsFromLists(lists);
    const a = globalMoran(x, w, { permutations: 199, seed: 3 });
    const b = globalMoran(x, w, { permutations: 199, seed: 3 });
    expect(a.permutation).toEqual(b.permutation);
    // I computed directly from its definition, (n/S0)·Σ_i Σ_{j~i} z_i z_j / Σ z², on the 360 directed rook links
    const m = x.reduce((s, v) => s + v, 0) / 100, z = x.map((v) => v - m);
    let cross = 0, S0 = 0;
    lists.forEach((l, i) => { for (const j of l) { cross += z[i] * z[j]; S0++; } });
    expect(S0).toBe(360);
    expect(a.I).toBeCloseTo((100 / S0) * cross / z.reduce((s, v) => s + v * v, 0), 12);
    expect(a.expected).toBeCloseTo(-1 / 99, 15);
    expect(Math.abs(a.randomisation!.z)).toBeLessThan(3);
    // Under random relabelling, I has mean −1/(n−1) and variance Var_R exactly (checked by hand on 3×3 above), so
    // 9999 permutations give a mean within 4 standard errors (±0.0029 here) and an sd within 3 % of √Var_R
    // (seed 3: 0.93 SE off, sd ratio 0.998).
    const big = globalMoran(x, w, { permutations: 9999, seed: 3 }).permutation!;
    const varR = a.randomisation!.variance;
    expect(Math.abs(big.mean - -1 / 99)).toBeLessThan(4 * Math.sqrt(varR / 9999));
    expect(Math.abs(big.sd / Math.sqrt(varR) - 1)).toBeLessThan(0.03);
  });

  it('reports islands and a null I for constant values', () => {
    const w = weightsFromLists([[1], [0, 2], [1], [], [2]]);
    expect(globalMoran([1, 2, 3, 4, 5], w, { permutations: 0 }).islands).toEqual([3]);
    const c = globalMoran([2, 2, 2, 2, 2], w, { permutations: 0 });
    expect(c.I).toBeNull();
    expect(c.reason).toMatch(/zero variance/);
  });
});
