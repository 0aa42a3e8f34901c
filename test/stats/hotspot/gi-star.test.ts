import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../../src/stats/hotspot/fdr.js';
import { giStar } from '../../../src/stats/hotspot/gi-star.js';
import { twoSidedP } from '../../../src/util/special-functions.js';
import { weightsFromLists } from '../../../src/stats/hotspot/weights.js';
import { rookLists, X3 } from './lattice.js';

describe('normal tail', () => {
  it('matches textbook quantiles', () => {
    expect(twoSidedP(0)).toBeCloseTo(1, 7);
    expect(twoSidedP(1.959964)).toBeCloseTo(0.05, 6);
    expect(twoSidedP(-2.575829)).toBeCloseTo(0.01, 6);
    expect(twoSidedP(1.644854)).toBeCloseTo(0.1, 6);
  });
});

describe('Benjamini–Hochberg', () => {
  it('adjusts by hand', () => {
    // p = [.01, .04, .03, .5], m = 4; sorted ranks: .01→1, .03→2, .04→3, .5→4
    // p·m/rank: .04, .06, .0533, .5; cumulative min from the top: .5, .0533, .0533, .04
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.5]);
    expect(q[0]).toBeCloseTo(0.04, 12);
    expect(q[1]).toBeCloseTo(0.16 / 3, 12);
    expect(q[2]).toBeCloseTo(0.16 / 3, 12);
    expect(q[3]).toBeCloseTo(0.5, 12);
  });
  it('gives tied p-values the same q', () => {
    // p = [.02, .02, .5], m = 3: .02·3/1 = .06, .02·3/2 = .03, .5 → cumulative min from the top: .03, .03, .5
    expect(Array.from(benjaminiHochberg([0.02, 0.5, 0.02]))).toEqual([0.03, 0.5, 0.03].map((v) => expect.closeTo(v, 12)));
  });
});

describe('Getis-Ord Gi* on a 3×3 rook lattice', () => {
  const w = weightsFromLists(rookLists(3, 3), { includeSelf: true });
  const r = giStar(X3, w);

  it('matches hand-computed z-scores', () => {
    // S = √518 / 9. Corner 8: local sum 8+4+4 = 16, Σw = Σw² = 3;
    //   num = 16 − 3·20/9 = 28/3, den = S·√((9·3 − 9)/8) = S·1.5 = √518/6 → z = 56/√518
    expect(r.z[8]).toBeCloseTo(56 / Math.sqrt(518), 12); // 2.460499
    // Corner 0: local sum 0 → num = −20/3 → z = −40/√518
    expect(r.z[0]).toBeCloseTo(-40 / Math.sqrt(518), 12); // −1.757499
    // Centre 4: sum 2+0+0+4+4 = 10, Σw = 5: num = 10 − 100/9 = −10/9, den = S·√((45−25)/8) → z = −10/√1295
    expect(r.z[4]).toBeCloseTo(-10 / Math.sqrt(1295), 12); // −0.277885
    // Edge 5: sum 4+1+2+8 = 15, Σw = 4: num = 15 − 80/9 = 55/9, den = S·√((36−16)/8) → z = 55/√1295
    expect(r.z[5]).toBeCloseTo(55 / Math.sqrt(1295), 12); // 1.528368
  });

  it('bins by two-sided p like ArcGIS', () => {
    // z = 2.4605 → p ≈ 0.0139 < .05 → +2; z = −1.7575 → p ≈ 0.0788 < .10 → −1; |z| < 1.645 → 0
    expect(r.p[8]).toBeCloseTo(0.01388, 4);
    expect(r.bin[8]).toBe(2);
    expect(r.bin[0]).toBe(-1);
    expect(r.bin[4]).toBe(0);
    expect(r.bin[5]).toBe(0);
    expect(r.islands).toEqual([]);
    expect(r.q.every((v) => v === null)).toBe(true);
  });

  it('FDR raises p and can only weaken bins', () => {
    const f = giStar(X3, w, { fdr: true });
    expect(f.z).toEqual(r.z);
    for (let i = 0; i < 9; i++) {
      expect(f.q[i]!).toBeGreaterThanOrEqual(f.p[i]! - 1e-15);
      expect(Math.abs(f.bin[i])).toBeLessThanOrEqual(Math.abs(r.bin[i]));
    }
    // 9 tests, the smallest p (region 8, 0.0139) is multiplied by 9/1 → 0.125 > .10: bin 0
    expect(f.q[8]).toBeGreaterThan(0.1);
    expect(f.bin[8]).toBe(0);
  });

  it('flags islands and single-neighbour regions instead of producing NaN', () => {
    // Region 3 isolated; region 2 has exactly one neighbour (1).
    const lists = [[1], [0, 2], [1], []];
    const g = giStar([1, 5, 2, 9], weightsFromLists(lists, { includeSelf: true }));
    expect(g.islands).toEqual([3]);
    expect(g.z[3]).toBeNull();
    expect(g.p[3]).toBeNull();
    expect(g.reason[3]).toBe('no neighbours');
    expect(g.bin[3]).toBe(0);
    expect(g.singleNeighbour).toEqual([0, 2]);
    for (const v of g.z.slice(0, 3)) expect(Number.isFinite(v)).toBe(true);
  });

  it('returns null z with a reason for constant values', () => {
    const g = giStar(new Float64Array(9).fill(3), w);
    expect(g.z.every((v) => v === null)).toBe(true);
    expect(g.reason[0]).toMatch(/zero variance/);
  });

  it('agrees with a dense-matrix evaluation for non-binary (row-standardised) weights', () => {
    // Independent route: full n×n matrix, z = (Σ_j w_ij x_j − x̄ Σ_j w_ij) / (S √((nΣw² − (Σw)²)/(n−1))).
    const lists = [[1, 4], [0, 2, 5], [1, 3], [2, 5], [0, 5], [1, 3, 4]];
    const x = [3, 7, 1, 0, 4, 9];
    const wr = weightsFromLists(lists, { includeSelf: true, style: 'row' });
    const n = 6, W = Array.from({ length: n }, () => new Array(n).fill(0));
    lists.forEach((l, i) => { const k = l.length + 1; W[i][i] = 1 / k; for (const j of l) W[i][j] = 1 / k; });
    const mean = x.reduce((a, b) => a + b) / n;
    const S = Math.sqrt(x.reduce((a, b) => a + b * b, 0) / n - mean * mean);
    const g = giStar(x, wr);
    for (let i = 0; i < n; i++) {
      const sw = W[i].reduce((a, b) => a + b), sw2 = W[i].reduce((a, b) => a + b * b, 0);
      const num = W[i].reduce((a, w, j) => a + w * x[j], 0) - mean * sw;
      expect(g.z[i]).toBeCloseTo(num / (S * Math.sqrt((n * sw2 - sw * sw) / (n - 1))), 12);
    }
  });

  it('rejects weights without self', () => {
    expect(() => giStar(X3, weightsFromLists(rookLists(3, 3)))).toThrow(/includeSelf/);
  });
});
