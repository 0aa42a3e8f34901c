import { describe, expect, it } from 'vitest';
import { createTensor } from '../../../src/tensor/count-tensor.js';
import { classifyEmerging } from '../../../src/stats/hotspot/emerging-patterns.js';
import { cubeFromTensor, emergingHotSpots, type SpaceTimeCube } from '../../../src/stats/hotspot/emerging.js';
import { weightsFromLists } from '../../../src/stats/hotspot/weights.js';
import { rookLists } from './lattice.js';

/** 0/1 series of length 10 with ones at the given steps. */
const at = (...steps: number[]) => Uint8Array.from({ length: 10 }, (_, t) => (steps.includes(t) ? 1 : 0));
const none = at();
const all = at(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

describe('emerging pattern rules (10 time steps)', () => {
  it('new: hot in the final step only', () => {
    expect(classifyEmerging(at(9), none, null, false)).toBe('new hot spot');
    expect(classifyEmerging(none, at(9), null, false)).toBe('new cold spot');
  });
  it('consecutive: one final run of ≥ 2, never hot before', () => {
    expect(classifyEmerging(at(7, 8, 9), none, 2.5, true)).toBe('consecutive hot spot');
    expect(classifyEmerging(none, at(8, 9), null, false)).toBe('consecutive cold spot');
  });
  it('intensifying / diminishing / persistent: ≥ 90 % hot including the final step, by trend', () => {
    expect(classifyEmerging(all, none, 3.1, true)).toBe('intensifying hot spot');
    expect(classifyEmerging(all, none, -3.1, true)).toBe('diminishing hot spot');
    expect(classifyEmerging(all, none, 3.1, false)).toBe('persistent hot spot');
    // 9 of 10 = 90 % counts as "at least 90 %", the gap may be anywhere but the final step
    expect(classifyEmerging(at(0, 1, 2, 3, 5, 6, 7, 8, 9), none, 0.2, false)).toBe('persistent hot spot');
    // cold side: z-scores trending down means the cold spot intensifies
    expect(classifyEmerging(none, all, -3.1, true)).toBe('intensifying cold spot');
    expect(classifyEmerging(none, all, 3.1, true)).toBe('diminishing cold spot');
  });
  it('historical: ≥ 90 % hot but not in the final step', () => {
    expect(classifyEmerging(at(0, 1, 2, 3, 4, 5, 6, 7, 8), none, 0, false)).toBe('historical hot spot');
    expect(classifyEmerging(none, at(0, 1, 2, 3, 4, 5, 6, 7, 8), 0, false)).toBe('historical cold spot');
  });
  it('oscillating: final hot after an earlier cold spot', () => {
    expect(classifyEmerging(at(5, 9), at(3), null, false)).toBe('oscillating hot spot');
    // cold history then hot only in the final step is oscillating, not new
    expect(classifyEmerging(at(9), at(2), null, false)).toBe('oscillating hot spot');
    expect(classifyEmerging(at(2), at(6, 9), null, false)).toBe('oscillating cold spot');
  });
  it('sporadic: on and off, never cold', () => {
    expect(classifyEmerging(at(2, 5, 9), none, null, false)).toBe('sporadic hot spot');
    expect(classifyEmerging(at(2, 3, 6), none, null, false)).toBe('sporadic hot spot');
    expect(classifyEmerging(none, at(1, 4), null, false)).toBe('sporadic cold spot');
  });
  it('no pattern otherwise', () => {
    expect(classifyEmerging(none, none, 4, true)).toBe('no pattern detected');
    // hot and cold history, final step not significant
    expect(classifyEmerging(at(2), at(5), null, false)).toBe('no pattern detected');
  });
});

/** 7×7 lattice × 10 periods; background 1..3 from a fixed pattern. */
function baseCube(): SpaceTimeCube {
  const T = 10, n = 49;
  const values = new Float64Array(T * n);
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) values[t * n + i] = 1 + ((i * 5 + t * 3) % 3);
  return { periods: T, regions: n, values };
}

describe('emerging hot-spot analysis on constructed cubes', () => {
  const w = weightsFromLists(rookLists(7, 7), { includeSelf: true });

  it('space-time Gi* with timeWindow 0 is the slice neighbourhood against the whole-cube mean and sd', () => {
    const cube = baseCube();
    const r = emergingHotSpots(cube, w, { timeWindow: 0 });
    // Region 24 (centre) at t = 4: itself and rook neighbours 17, 23, 25, 31, so Σw = Σw² = 5; N = 490 bins.
    const t = 4, i = 24, n = 49;
    let local = 0;
    for (const j of [17, 23, 24, 25, 31]) local += cube.values[t * n + j];
    let s = 0, s2 = 0;
    for (const v of cube.values) { s += v; s2 += v * v; }
    const N = 490, mean = s / N, sd = Math.sqrt(s2 / N - mean * mean);
    const z = (local - 5 * mean) / (sd * Math.sqrt((N * 5 - 25) / (N - 1)));
    expect(r.binZ[t * n + i]).toBeCloseTo(z, 12);
  });

  it('timeWindow 1 adds the previous step of the same neighbourhood', () => {
    const cube = baseCube();
    const r = emergingHotSpots(cube, w, { timeWindow: 1 });
    const n = 49, t = 6, i = 0; // corner 0: neighbours 1 and 7
    let local = 0;
    for (const s of [t - 1, t]) for (const j of [0, 1, 7]) local += cube.values[s * n + j];
    let sum = 0, s2 = 0;
    for (const v of cube.values) { sum += v; s2 += v * v; }
    const N = 490, mean = sum / N, sd = Math.sqrt(s2 / N - mean * mean);
    // 2 steps × 3 regions: Σw = Σw² = 6
    const z = (local - 6 * mean) / (sd * Math.sqrt((N * 6 - 36) / (N - 1)));
    expect(r.binZ[t * n + i]).toBeCloseTo(z, 12);
  });

  it('a cluster that appears only in the last period is a new hot spot', () => {
    const cube = baseCube();
    const n = 49, last = 9;
    for (const j of [24, 17, 23, 25, 31]) cube.values[last * n + j] += 12;
    const r = emergingHotSpots(cube, w, { timeWindow: 0 });
    expect(r.pattern[24]).toBe('new hot spot');
    expect(r.hotCount[24]).toBe(1);
    expect(r.finalBin[24]).toBe(3);
    // A far corner is untouched.
    expect(r.pattern[0]).toBe('no pattern detected');
  });

  it('a cluster hot throughout with rising intensity is intensifying', () => {
    const cube = baseCube();
    const n = 49;
    for (let t = 0; t < 10; t++) for (const j of [24, 17, 23, 25, 31]) cube.values[t * n + j] += 6 + 2 * t;
    const r = emergingHotSpots(cube, w, { timeWindow: 1 });
    expect(r.hotCount[24]).toBe(10);
    expect(r.trendZ[24]!).toBeGreaterThan(1.96);
    expect(r.pattern[24]).toBe('intensifying hot spot');
  });

  it('a cluster hot throughout with flat intensity is persistent; one that stopped is historical', () => {
    const cube = baseCube();
    const n = 49;
    for (let t = 0; t < 10; t++) {
      for (const j of [24, 17, 23, 25, 31]) cube.values[t * n + j] += 10 + ((t * 7) % 3); // no trend
      if (t < 9) for (const j of [0, 1, 7]) cube.values[t * n + j] += 10; // corner hot until the end
    }
    const r = emergingHotSpots(cube, w, { timeWindow: 0 });
    expect(r.pattern[24]).toBe('persistent hot spot');
    expect(r.pattern[0]).toBe('historical hot spot');
  });

  it('FDR can only remove significant bins; bad options are rejected', () => {
    const cube = baseCube();
    for (const j of [24, 17, 23, 25, 31]) cube.values[9 * 49 + j] += 6;
    const plain = emergingHotSpots(cube, w, { timeWindow: 0 });
    const fdr = emergingHotSpots(cube, w, { timeWindow: 0, fdr: true });
    for (let i = 0; i < 49; i++) expect(fdr.hotCount[i] + fdr.coldCount[i]).toBeLessThanOrEqual(plain.hotCount[i] + plain.coldCount[i]);
    expect(() => emergingHotSpots(cube, w, { timeWindow: -1 })).toThrow(/time window/);
    expect(() => emergingHotSpots({ periods: 1, regions: 49, values: new Float64Array(49) }, w)).toThrow(/at least 2 periods/);
  });

  it('islands get a null pattern with a reason', () => {
    const lists = rookLists(3, 3);
    lists.push([]); // region 9 isolated
    const wi = weightsFromLists(lists, { includeSelf: true });
    const values = new Float64Array(3 * 10);
    for (let b = 0; b < values.length; b++) values[b] = (b * 7) % 5;
    const r = emergingHotSpots({ periods: 3, regions: 10, values }, wi);
    expect(r.islands).toEqual([9]);
    expect(r.pattern[9]).toBeNull();
    expect(r.reason[9]).toBe('no neighbours');
    expect(r.trendZ[9]).toBeNull();
    expect(r.pattern[0]).not.toBeNull();
  });

  it('builds the cube from a count tensor (one category or summed)', () => {
    const t = createTensor({
      periods: 2, regions: 2, categories: 2, categoryNames: ['theft', 'assault'], regionIds: ['a', 'b'],
      periodStart: new Float64Array([0, 1]), unit: 'day', tz: 'UTC',
    }, new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(Array.from(cubeFromTensor(t).values)).toEqual([3, 7, 11, 15]);
    expect(Array.from(cubeFromTensor(t, 'assault').values)).toEqual([2, 4, 6, 8]);
    expect(() => cubeFromTensor(t, 'arson')).toThrow(/unknown category/);
  });
});
