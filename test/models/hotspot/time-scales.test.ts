import { describe, expect, it } from 'vitest';
import { decayedCountsAt, decayOf } from '../../../src/models/hotspot/decayed-counts.js';
import { neighbourhoodCounts } from '../../../src/models/hotspot/neighbourhood.js';
import { weekdayFactors } from '../../../src/models/hotspot/weekday.js';
import { adjacencyFromLists } from '../../../src/space/units.js';
import { createTensor } from '../../../src/tensor/count-tensor.js';
import { DAY } from './field.js';

const tensorOf = (periods: number, regions: number, data: number[]) => createTensor({
  periods, regions, categories: 1, categoryNames: ['a'], regionIds: Array.from({ length: regions }, (_, r) => `r${r}`),
  periodStart: Float64Array.from({ length: periods }, (_, p) => p * DAY), unit: 'day', tz: 'UTC',
}, Float32Array.from(data));

describe('time scales and neighbourhoods', () => {
  it('decayed counts weigh period p by 0.5^((end−1−p)/halfLife), with snapshots at each cut-off', () => {
    const t = tensorOf(3, 1, [4, 2, 1]);
    const [a, b] = decayedCountsAt(t, 1, [2, 3]);
    expect(a.counts[0]).toBeCloseTo(0.5 * 4 + 2, 12);
    expect(a.exposure).toBeCloseTo(1.5, 12);
    expect(b.counts[0]).toBeCloseTo(0.25 * 4 + 0.5 * 2 + 1, 12);
    expect(decayedCountsAt(t, Infinity, [3])[0].counts[0]).toBe(7);
    expect(decayOf(Infinity)).toBe(1);
    expect(() => decayedCountsAt(t, 1, [3, 2])).toThrow(/ascend/);
  });

  it('the neighbourhood diffusion keeps a uniform density and spreads a spike to its neighbours only', () => {
    // a path of 5 cells of equal area
    const adj = adjacencyFromLists([[1], [0, 2], [1, 3], [2, 4], [3]]);
    const area = new Float64Array(5).fill(2);
    expect(Array.from(neighbourhoodCounts(new Float64Array(5).fill(3), 1, adj, area, 4))).toEqual([3, 3, 3, 3, 3]);
    const one = neighbourhoodCounts(Float64Array.of(0, 0, 6, 0, 0), 1, adj, area, 1);
    expect(Array.from(one)).toEqual([0, 2, 2, 2, 0]);
    expect(Array.from(neighbourhoodCounts(Float64Array.of(0, 0, 6, 0, 0), 1, adj, area, 0))).toEqual([0, 0, 6, 0, 0]);
  });

  it('weekday factors recover a known weekly pattern and average 1', () => {
    const pattern = [1, 1, 1, 1, 2, 3, 1];
    const data: number[] = [];
    for (let p = 0; p < 7 * 60; p++) data.push(100 * pattern[p % 7]);
    const f = weekdayFactors(tensorOf(7 * 60, 1, data), 52, 0);
    const mean = pattern.reduce((s, x) => s + x, 0) / 7;
    for (let ph = 0; ph < 7; ph++) expect(f[ph]).toBeCloseTo(pattern[ph] / mean, 9);
    expect(Array.from(weekdayFactors(tensorOf(3, 1, [1, 2, 3])))).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });
});
