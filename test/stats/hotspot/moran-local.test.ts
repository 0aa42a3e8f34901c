import { describe, expect, it } from 'vitest';
import { localMoran } from '../../../src/stats/hotspot/moran-local.js';
import { weightsFromLists } from '../../../src/stats/hotspot/weights.js';
import { rookLists, X3 } from './lattice.js';

describe("local Moran's I on a 3×3 rook lattice (row-standardised)", () => {
  const w = weightsFromLists(rookLists(3, 3), { style: 'row' });
  // dev = x − 20/9, Σdev² = 102 − 400/9 = 518/9, scale c = (n−1)/Σdev² = 72/518 = 36/259
  const r = localMoran(X3, w, { permutations: 9999, seed: 11 });

  it('matches hand-computed I_i and quadrants', () => {
    // Region 8: dev 52/9, neighbours 5 and 7 (both 4, dev 16/9) → lag 16/9; I = (36/259)(52/9)(16/9) = 3328/2331
    expect(r.I[8]).toBeCloseTo(3328 / 2331, 12);
    expect(r.quadrant[8]).toBe('HH');
    // Region 0: dev −20/9, neighbours both 0 → lag −20/9; I = (36/259)(400/81) = 1600/2331
    expect(r.I[0]).toBeCloseTo(1600 / 2331, 12);
    expect(r.quadrant[0]).toBe('LL');
    // Region 4: dev −2/9, neighbour devs −20/9, −20/9, 16/9, 16/9 → lag −2/9; I = (36/259)(4/81) = 16/2331
    expect(r.I[4]).toBeCloseTo(16 / 2331, 12);
    // Region 2: dev −11/9, neighbours 1 (dev −20/9) and 5 (dev 16/9) → lag −2/9; I = (36/259)(22/81) = 88/2331
    expect(r.I[2]).toBeCloseTo(88 / 2331, 12);
    expect(r.quadrant[2]).toBe('LL');
    // E[I_i] = −Σ_j w_ij/(n−1) = −1/8 for row-standardised weights
    expect(r.expected[8]).toBeCloseTo(-1 / 8, 15);
  });

  it('conditional permutation p matches the exact enumeration', () => {
    // Region 8 keeps x=8; its 2 neighbours are redrawn from {0,0,1,0,2,4,1,4}. I_perm ≥ I_obs needs a
    // neighbour mean ≥ 4, i.e. the single pair {4,4} out of C(8,2) = 28 → P = 1/28 ≈ 0.0357.
    // With 9999 draws the folded pseudo p lies within ±0.006 (3 sd) of that.
    expect(Math.abs(r.pSim[8]! - 1 / 28)).toBeLessThan(0.006);
    expect(r.cluster[8]).toBe('HH');
    // Region 4's I is tiny: its pseudo p is large and it is not significant.
    expect(r.pSim[4]!).toBeGreaterThan(0.2);
    expect(r.cluster[4]).toBe('ns');
  });

  it('is reproducible under a seed and varies with it', () => {
    const a = localMoran(X3, w, { permutations: 199, seed: 5 });
    const b = localMoran(X3, w, { permutations: 199, seed: 5 });
    const c = localMoran(X3, w, { permutations: 199, seed: 6 });
    expect(a.pSim).toEqual(b.pSim);
    expect(a.pSim).not.toEqual(c.pSim);
  });

  it('finds a planted high-high cluster on a 10×10 lattice', () => {
    // Background: a fixed hash in [0,1); a 3×3 block of 10s in the top-left corner.
    const x = Array.from({ length: 100 }, (_, i) => ((i * 7919) % 101) / 101);
    for (const i of [0, 1, 2, 10, 11, 12, 20, 21, 22]) x[i] = 10;
    const res = localMoran(x, weightsFromLists(rookLists(10, 10), { style: 'row' }), { permutations: 999, seed: 2 });
    expect(res.cluster[11]).toBe('HH'); // block centre: all 4 neighbours are 10
    expect(res.pSim[11]!).toBeLessThan(0.01);
    // Nothing far from the block is HH.
    expect(res.cluster[99]).not.toBe('HH');
  });

  it('flags islands with null I and no NaN', () => {
    const lw = weightsFromLists([[1], [0, 2], [1], []], { style: 'row' });
    const res = localMoran([1, 5, 2, 9], lw, { permutations: 99 });
    expect(res.islands).toEqual([3]);
    expect(res.I[3]).toBeNull();
    expect(res.pSim[3]).toBeNull();
    expect(res.cluster[3]).toBeNull();
    expect(res.reason[3]).toBe('no neighbours');
    expect(res.singleNeighbour).toEqual([0, 2]);
    for (let i = 0; i < 3; i++) expect(Number.isFinite(res.pSim[i])).toBe(true);
  });
});
