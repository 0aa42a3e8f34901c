/** Laplace and geometric mechanisms, small-cell suppression, snapping, and the utility-vs-ε table. */
import { describe, it, expect } from 'vitest';
import { Rng } from '../../src/util/rng.js';
import {
  geometricAlpha, geometricNoise, geometricVariance, laplaceNoise, laplaceScale, laplaceVariance, privatizeCounts,
} from '../../src/responsible/privacy/mechanisms.js';
import { snapToGrid, snapToUnitCentroids, suppressSmallCells } from '../../src/responsible/privacy/disclosure.js';
import { utilityVsEpsilon, utilitySection } from '../../src/responsible/privacy/utility.js';
import type { SpatialUnits } from '../../src/space/units.js';
import { loadStshnBenchmark } from '../../src/tensor/stshn.js';
import { hasShared, sharedPath } from '../helpers.js';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) { const x = draw(); s += x; s2 += x * x; }
  const mean = s / n;
  return { mean, variance: s2 / n - mean * mean };
}

describe('Laplace mechanism', () => {
  it('noise has mean ≈ 0 and variance ≈ 2(Δ/ε)² (n = 100k; tolerances 0.05 absolute and 3% relative, ≥ 5 standard errors)', () => {
    const p = { epsilon: 0.5, sensitivity: 1 };
    expect(laplaceScale(p)).toBe(2);
    expect(laplaceVariance(p)).toBe(8);
    const rng = new Rng(2024);
    const m = moments(() => laplaceNoise(rng, 2), 100_000);
    expect(Math.abs(m.mean)).toBeLessThan(0.05); // sd of the mean = √(8/1e5) ≈ 0.009
    expect(Math.abs(m.variance / 8 - 1)).toBeLessThan(0.03); // sd of s² ≈ √(20·b⁴/n) ≈ 0.057, i.e. 0.7%
  });

  it('scale grows with sensitivity: Δ = 3, ε = 1.5 gives b = 2 too', () => {
    expect(laplaceScale({ epsilon: 1.5, sensitivity: 3 })).toBeCloseTo(2, 12);
    expect(() => laplaceScale({ epsilon: 0 })).toThrow(/epsilon/);
  });
});

describe('geometric (discrete Laplace) mechanism', () => {
  it('variance matches 2α/(1−α)², α = e^{−ε/Δ}, and P(0) = (1−α)/(1+α)', () => {
    const p = { epsilon: 0.5, sensitivity: 1 };
    const a = geometricAlpha(p);
    expect(a).toBeCloseTo(Math.exp(-0.5), 12);
    const v = geometricVariance(p);
    expect(v).toBeCloseTo((2 * a) / (1 - a) ** 2, 12);
    expect(v).toBeCloseTo(7.8354, 3);
    const rng = new Rng(7);
    let zeros = 0, integers = 0;
    const n = 100_000;
    const m = moments(() => {
      const z = geometricNoise(rng, a);
      if (z === 0) zeros++;
      if (Number.isInteger(z)) integers++;
      return z;
    }, n);
    expect(integers).toBe(n);
    expect(Math.abs(m.mean)).toBeLessThan(0.05);
    expect(Math.abs(m.variance / v - 1)).toBeLessThan(0.03);
    expect(zeros / n).toBeCloseTo((1 - a) / (1 + a), 2); // 0.245
  });

  it('post-processing clamps at 0 and rounds; ε = ∞ publishes the counts unchanged', () => {
    const rng = new Rng(1);
    const counts = [0, 0, 0, 0, 1, 2, 50];
    const noisy = privatizeCounts(counts, 'laplace', { epsilon: 0.2 }, rng, { clampZero: true, round: true });
    for (const x of noisy) { expect(x).toBeGreaterThanOrEqual(0); expect(Number.isInteger(x)).toBe(true); }
    const raw = privatizeCounts(counts, 'geometric', { epsilon: 0.2 }, new Rng(1), { clampZero: false });
    expect(raw.some((x) => x < 0)).toBe(true);
    expect(Array.from(privatizeCounts(counts, 'geometric', { epsilon: Infinity }, rng))).toEqual(counts);
  });
});

describe('disclosure control', () => {
  it('suppresses cells with 0 < count < k and reports how many cells and incidents were withheld', () => {
    const s = suppressSmallCells([0, 1, 2, 5, 3, 11], 3);
    expect(Array.from(s.values).map((v) => (Number.isNaN(v) ? null : v))).toEqual([0, null, null, 5, 3, 11]);
    expect(s.suppressed).toBe(2);
    expect(s.suppressedIncidents).toBe(3);
    const z = suppressSmallCells([0, 1, 4], 3, { suppressZeros: true });
    expect(z.suppressed).toBe(2);
    expect(z.suppressedIncidents).toBe(1);
  });

  it('snaps points to the centre of their metre grid cell', () => {
    // 1000 m cells at the anchor's latitude 0: Δlat = Δlon = 1000/111320 degrees
    const d = 1000 / 111_320;
    const r = snapToGrid(Float64Array.of(0.1 * d, 0.9 * d, 1.2 * d), Float64Array.of(0.2 * d, 0.7 * d, -0.3 * d), 1000, 0, 0);
    expect(r.lat[0]).toBeCloseTo(0.5 * d, 12);
    expect(r.lat[1]).toBeCloseTo(0.5 * d, 12);
    expect(r.lat[2]).toBeCloseTo(1.5 * d, 12);
    expect(r.lon[0]).toBeCloseTo(0.5 * d, 12);
    expect(r.lon[2]).toBeCloseTo(-0.5 * d, 12);
  });

  it('snaps points to the centroid of the unit containing them and drops points outside every unit', () => {
    // two unit squares side by side: [0,1)×[0,1) and [1,2)×[0,1) in lon/lat
    const units = {
      n: 2, centroidLat: Float64Array.of(0.5, 0.5), centroidLon: Float64Array.of(0.5, 1.5),
      assign: (lat: Float64Array, lon: Float64Array) => Int32Array.from(lat, (y, i) => (y >= 0 && y < 1 && lon[i] >= 0 && lon[i] < 2 ? Math.floor(lon[i]) : -1)),
    } as unknown as SpatialUnits;
    const s = snapToUnitCentroids(Float64Array.of(0.2, 0.9, 5), Float64Array.of(0.1, 1.7, 0.5), units);
    expect(Array.from(s.region)).toEqual([0, 1, -1]);
    expect(s.lat[0]).toBe(0.5); expect(s.lon[0]).toBe(0.5);
    expect(s.lon[1]).toBe(1.5);
    expect(Number.isNaN(s.lat[2])).toBe(true);
    expect(s.dropped).toBe(1);
  });
});

describe('utility vs ε', () => {
  it('noise at small ε scrambles the flagged set; ε = ∞ reproduces the noiseless map exactly', () => {
    // 60 regions, rates 0.05..3 per period; publish 10 periods, test on 20
    const R = 60, T = 30, rng = new Rng(5);
    const rates = Float64Array.from({ length: R }, (_, r) => 0.05 + (3 * r) / R);
    const counts = new Float64Array(T * R);
    for (let t = 0; t < T; t++) for (let r = 0; r < R; r++) counts[t * R + r] = rng.poisson(rates[r]);
    const u = utilityVsEpsilon({ counts, regions: R, publish: [0, 10], test: [10, 30], coverage: 0.1, draws: 30, seed: 3 });
    const row = (e: number) => u.rows.find((x) => x.epsilon === e)!;
    expect(row(Infinity).hitRateChange).toBeCloseTo(0, 12);
    expect(row(Infinity).overlap).toBe(1);
    expect(row(Infinity).noiseSd).toBe(0);
    // ε = 0.1: noise sd ≈ 14 per cell vs counts ~1.5–30 → the ranking is close to random
    expect(row(0.1).overlap).toBeLessThan(0.5);
    expect(row(0.1).hitRate).toBeLessThan(u.noiseless.hitRate - 0.02);
    expect(row(5).overlap).toBeGreaterThan(0.75);
    expect(row(5).hitRate).toBeGreaterThan(row(0.1).hitRate);
    expect(row(0.1).noiseSd).toBeCloseTo(Math.sqrt((2 * Math.exp(-0.1)) / (1 - Math.exp(-0.1)) ** 2), 9);
    const s = utilitySection(u);
    expect(s.tables![0].rows).toHaveLength(6);
  });
});

describe.runIf(hasShared('stshn-chicago-2016-2017/tensors_npy/trn.npy'))('utility vs ε on the Chicago benchmark', () => {
  it('a 30-day map is robust to noise at every ε; a 1-day map loses hit rate at small ε', () => {
    const { tensor: t, splits } = loadStshnBenchmark(sharedPath('stshn-chicago-2016-2017/tensors_npy'));
    const R = t.regions, C = t.categories, P = t.periods;
    const counts = new Float64Array(P * R);
    for (let p = 0; p < P; p++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) counts[p * R + r] += t.data[(p * R + r) * C + c];
    const end = splits.trn[1];
    const run = (days: number) => utilityVsEpsilon({ counts, regions: R, publish: [end - days, end], test: splits.tst, coverage: 0.05, draws: 20, seed: 1 });
    const month = run(30), day = run(1);
    const hr = (u: typeof day, e: number) => u.rows.find((x) => x.epsilon === e)!.hitRate;
    console.log(JSON.stringify({ month: { noiseless: month.noiseless, rows: month.rows }, day: { noiseless: day.noiseless, rows: day.rows } }));
    expect(month.noiseless.hitRate).toBeGreaterThan(0.2);
    for (const r of month.rows) expect(Math.abs(r.hitRateChange)).toBeLessThan(0.01);
    expect(hr(day, Infinity)).toBeCloseTo(day.noiseless.hitRate, 12);
    expect(hr(day, 0.1)).toBeLessThan(day.noiseless.hitRate - 0.03);
    expect(hr(day, 0.1)).toBeLessThan(hr(day, 2));
  });
});

describe('publishCounts', () => {
  it('noises, rounds, clamps and then suppresses on the noisy values', async () => {
    const { publishCounts } = await import('../../src/responsible/privacy/publish.js');
    const counts = Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? 0 : 20));
    const p = publishCounts(counts, { epsilon: 1, minCount: 3, seed: 4 });
    let negatives = 0, fractional = 0, suppressedTwenties = 0, suppressedZeros = 0;
    p.values.forEach((v, i) => {
      if (v < 0) negatives++;
      if (Number.isFinite(v) && !Number.isInteger(v)) fractional++;
      if (Number.isNaN(v)) { if (counts[i] === 20) suppressedTwenties++; else suppressedZeros++; }
    });
    expect(negatives).toBe(0);
    expect(fractional).toBe(0);
    // true zeros come out as 1 or 2 with P(Z ∈ {1, 2}) = (1−α)/(1+α)·(α + α²) = 0.2325 at ε = 1 → 232.5 ± 13.4 of 1000
    expect(suppressedZeros).toBeGreaterThan(185);
    expect(suppressedZeros).toBeLessThan(280);
    expect(suppressedTwenties).toBe(0); // 20 − 17 would need |Z| ≥ 18: probability ~1e-8
    expect(p.suppressed).toBe(suppressedZeros);
    expect(p.guarantee).toMatch(/1-differential privacy/);
    expect(publishCounts([0, 1, 5], { epsilon: Infinity, minCount: 3 }).guarantee).toMatch(/no formal privacy guarantee/);
  });
});
