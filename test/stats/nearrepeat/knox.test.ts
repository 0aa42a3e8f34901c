import { describe, expect, it } from 'vitest';
import { knoxTest } from '../../../src/stats/nearrepeat/knox.js';
import { Rng } from '../../../src/util/rng.js';

const DAY = 86_400_000;

function poisson(n: number, seed: number) {
  const rng = new Rng(seed);
  return {
    x: Array.from({ length: n }, () => rng.random() * 3000),
    y: Array.from({ length: n }, () => rng.random() * 3000),
    t: Array.from({ length: n }, () => rng.random() * 365 * DAY),
  };
}
const arr = (p: { x: number[]; y: number[]; t: number[] }) => ({ x: Float64Array.from(p.x), y: Float64Array.from(p.y), t: Float64Array.from(p.t) });
const opts = { distanceBands: [0, 100, 200, 400], timeBands: [0, 7, 14, 28], permutations: 99, seed: 11 };

describe('knoxTest', () => {
  it('counts pairs by hand on a four-event example', () => {
    // A(0,0,day 0), B(50,0,day 3): 50 m, 3 d. C(0,150,day 10): 150 m / 10 d from A, 158 m / 7 d from B. D far away.
    const res = knoxTest(
      { x: Float64Array.of(0, 50, 0, 5000), y: Float64Array.of(0, 0, 150, 0), t: Float64Array.of(0, 3 * DAY, 10 * DAY, 100 * DAY) },
      { distanceBands: [0, 100, 200], timeBands: [0, 7, 14], permutations: 19, seed: 1 },
    );
    expect(res.distanceLabels).toEqual(['0-100m', '100-200m', '>=200m']);
    expect(res.timeLabels).toEqual(['0-7d', '7-14d', '>=14d']);
    expect(res.closePairs).toBe(3);
    expect(res.observed).toEqual([
      [1, 0, 0],
      [0, 2, 0],
      [0, 0, 3], // the three pairs with D are ≥ 200 m and ≥ 14 d apart
    ]);
    // every table sums to the 6 pairs, permuted or not
    expect(res.expected.flat().reduce((a, b) => a + b, 0)).toBeCloseTo(6, 9);
  });

  it('finds injected near-repeats significant in the close-close cell', () => {
    const p = poisson(500, 2);
    const rng = new Rng(3);
    for (let k = 0; k < 120; k++) {
      const i = k * 4;
      p.x.push(p.x[i] + rng.normal(0, 25)); p.y.push(p.y[i] + rng.normal(0, 25)); p.t.push(p.t[i] + rng.random() * 5 * DAY);
    }
    const res = knoxTest(arr(p), opts);
    expect(res.pValue[0][0]).toBeLessThanOrEqual(0.01);
    expect(res.ratio[0][0]).toBeGreaterThan(2);
    // far-apart, long-gap pairs are not inflated
    expect(res.ratio[3][3]).toBeGreaterThan(0.95);
    expect(res.ratio[3][3]).toBeLessThan(1.05);
  });

  it('holds its size on homogeneous Poisson processes', () => {
    // 20 independent data sets: p ≤ 0.05 in the close-close cell should happen ~1 time in 20
    // (more than 4 rejections has probability 0.003 under a correct test); the pooled ratio is ~1
    let rejections = 0, obs = 0, exp = 0;
    for (let s = 0; s < 20; s++) {
      const r = knoxTest(arr(poisson(400, 100 + s)), { ...opts, seed: s });
      if (r.pValue[0][0] <= 0.05) rejections++;
      obs += r.observed[0][0]; exp += r.expected[0][0];
    }
    expect(rejections).toBeLessThanOrEqual(4);
    expect(obs / exp).toBeGreaterThan(0.85);
    expect(obs / exp).toBeLessThan(1.15);
    const res = knoxTest(arr(poisson(600, 4)), opts);
    // pairs ≥ 28 days apart are a fixed total: their expected and observed column sums agree exactly
    const colObs = res.observed.reduce((s, r) => s + r[3], 0), colExp = res.expected.reduce((s, r) => s + r[3], 0);
    expect(colExp).toBeCloseTo(colObs, 6);
  });

  it('is deterministic under a seed and rejects bad bands', () => {
    const a = knoxTest(arr(poisson(200, 5)), opts), b = knoxTest(arr(poisson(200, 5)), opts);
    expect(a.pValue).toEqual(b.pValue);
    expect(() => knoxTest(arr(poisson(10, 1)), { ...opts, distanceBands: [0, 200, 100] })).toThrow(/increase/);
  });
});
