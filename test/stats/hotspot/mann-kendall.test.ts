import { describe, expect, it } from 'vitest';
import { mannKendall } from '../../../src/stats/hotspot/mann-kendall.js';

describe('Mann-Kendall', () => {
  it('matches S and tie-corrected variance by hand', () => {
    // x = 1 3 2 2 5. Signs of x_j − x_i for i < j:
    //   i=0: + + + +  (+4)   i=1: − − +  (−1)   i=2: 0 +  (+1)   i=3: +  (+1)   → S = 5
    // Var = [5·4·15 − 2·1·9] / 18 = (300 − 18)/18 = 15.667 (one tie group of size 2: the two 2s)
    // Z = (S − 1)/√Var = 4/√15.667 = 1.01058
    const r = mannKendall([1, 3, 2, 2, 5]);
    expect(r.S).toBe(5);
    expect(r.varS).toBeCloseTo(282 / 18, 12);
    expect(r.z).toBeCloseTo(4 / Math.sqrt(282 / 18), 12);
    expect(r.p).toBeCloseTo(0.3122, 3);
    expect(r.tau).toBeCloseTo(0.5, 12);
  });

  it('gives a negative continuity-corrected z for a falling series', () => {
    // Strictly decreasing, n = 4: S = −6, Var = 4·3·13/18 = 8.667, Z = (−6 + 1)/√8.667
    const r = mannKendall([4, 3, 2, 1]);
    expect(r.S).toBe(-6);
    expect(r.z).toBeCloseTo(-5 / Math.sqrt(156 / 18), 12);
  });

  it('returns null z for an all-tied series', () => {
    const r = mannKendall([2, 2, 2]);
    expect(r.S).toBe(0);
    expect(r.varS).toBe(0);
    expect(r.z).toBeNull();
    expect(r.p).toBeNull();
  });
});
