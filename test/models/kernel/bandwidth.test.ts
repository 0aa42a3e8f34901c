import { describe, expect, it } from 'vitest';
import { lcvBandwidth, ruleOfThumbBandwidth } from '../../../src/models/kernel/bandwidth.js';
import { timeDecayWeights } from '../../../src/models/kernel/time-decay.js';
import { Rng } from '../../../src/util/rng.js';

function normalCloud(n: number, sd: number, seed: number) {
  const rng = new Rng(seed);
  return { x: Float64Array.from({ length: n }, () => rng.normal(0, sd)), y: Float64Array.from({ length: n }, () => rng.normal(0, sd)) };
}

describe('bandwidth selection', () => {
  it("Scott's rule is σ n^(-1/6) and scales to compact kernels", () => {
    const p = normalCloud(4096, 100, 1);
    const h = ruleOfThumbBandwidth(p, 'scott');
    expect(h).toBeGreaterThan(100 * 0.95 / 4);
    expect(h).toBeLessThan(100 * 1.05 / 4); // 4096^(1/6) = 4
    expect(ruleOfThumbBandwidth(p, 'scott', 'quartic') / h).toBeCloseTo(2.7792, 3);
  });

  it('robust Silverman resists a far outlier that inflates Scott', () => {
    const p = normalCloud(1000, 100, 2);
    const x = Float64Array.from([...p.x, 1e5]), y = Float64Array.from([...p.y, 1e5]);
    const scott = ruleOfThumbBandwidth({ x, y }, 'scott'), silver = ruleOfThumbBandwidth({ x, y }, 'silverman');
    expect(scott).toBeGreaterThan(3 * silver);
    expect(silver).toBeGreaterThan(25);
    expect(silver).toBeLessThan(40);
  });

  it('effective sample size uses the weights', () => {
    const p = normalCloud(500, 100, 3);
    const w = new Float64Array(500).fill(2);
    expect(ruleOfThumbBandwidth({ ...p, w }, 'scott')).toBeCloseTo(ruleOfThumbBandwidth(p, 'scott'), 9);
  });

  it('likelihood cross-validation is near the normal-reference value for Gaussian data and smaller for clustered data', () => {
    const p = normalCloud(2000, 100, 4);
    const scott = ruleOfThumbBandwidth(p, 'scott');
    const lcv = lcvBandwidth(p);
    expect(lcv / scott).toBeGreaterThan(0.6);
    expect(lcv / scott).toBeLessThan(1.6);
    // 20 tight clusters (sd 20 m) spread over 2 km: the rule of thumb over-smooths, LCV does not
    const rng = new Rng(5);
    const cx = Array.from({ length: 20 }, () => [rng.random() * 2000, rng.random() * 2000]);
    const x = new Float64Array(2000), y = new Float64Array(2000);
    for (let i = 0; i < 2000; i++) { const c = cx[i % 20]; x[i] = rng.normal(c[0], 20); y[i] = rng.normal(c[1], 20); }
    const s2 = ruleOfThumbBandwidth({ x, y }, 'scott'), l2 = lcvBandwidth({ x, y });
    expect(l2).toBeLessThan(s2 / 3);
    expect(l2).toBeGreaterThan(5);
    expect(l2).toBeLessThan(30);
  });
});

describe('time decay', () => {
  it('gives exponential and linear weights', () => {
    const age = Float64Array.from([0, 14, 28, 60]);
    const e = timeDecayWeights(age, 'exponential', 14);
    expect(e[0]).toBe(1);
    expect(e[1]).toBeCloseTo(Math.exp(-1), 12);
    expect(e[2]).toBeCloseTo(Math.exp(-2), 12);
    expect(Array.from(timeDecayWeights(age, 'linear', 28))).toEqual([1, 0.5, 0, 0]);
  });
});
