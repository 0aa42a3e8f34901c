import { describe, expect, it } from 'vitest';
import { similarUnits, trendDescriptors } from '../../src/stats/trend/similar.js';
import { regionSeriesMatrix, sparkline } from '../../src/cli/commands/trend.js';
import { createTensor } from '../../src/tensor/count-tensor.js';
import { localDateToUtc, stepPeriod } from '../../src/time/bins.js';
import { Rng } from '../../src/util/rng.js';

const n = 60;
const wave = (shift: number, level: number, amp: number) => Array.from({ length: n }, (_, i) => level + amp * Math.sin((2 * Math.PI * (i - shift)) / 15));

describe('trend similarity (--similar-to)', () => {
  it('DTW on z-normalised series: same shape at another level first, a small shift next, then noise, the opposite phase last; constant series left out', () => {
    const rng = new Rng(3);
    const rows = [wave(0, 10, 4), wave(0, 50, 20), wave(2, 10, 4), Array.from({ length: n }, () => 10 + 4 * (rng.random() - 0.5)), new Array(n).fill(0), wave(7, 10, 4)];
    const m = Float64Array.from(rows.flat());
    const r = similarUnits(m, rows.length, n, 0, { method: 'dtw', top: 10, periodsPerYear: 365, window: 3 });
    expect(r.constant).toEqual([4]);
    // a 7-period shift of a 15-period wave is nearly opposite in phase: the ±3 band cannot align it
    expect(r.similar.map((s) => s.index)).toEqual([1, 2, 3, 5]);
    expect(r.similar[0].distance).toBeCloseTo(0, 9);
    expect(r.similar[0].correlation).toBeCloseTo(1, 9);
    expect(r.window).toBe(3);
    expect(() => similarUnits(m, rows.length, n, 4, { method: 'dtw', top: 3, periodsPerYear: 365 })).toThrow(/constant/);
  });

  it('Mahalanobis on level, slope, seasonal amplitude and persistence ranks the area with the closest descriptors first', () => {
    const rng = new Rng(5);
    const rows: number[][] = [];
    // 30 areas with random level and trend; area 0 and area 7 share both
    for (let a = 0; a < 30; a++) {
      const level = a === 7 ? 20 : 5 + 30 * rng.random(), slope = a === 7 ? 0.1 : (rng.random() - 0.5) * 0.4;
      const base = a === 0 ? { level: 20, slope: 0.1 } : { level, slope };
      rows.push(Array.from({ length: n }, (_, i) => base.level + base.slope * i + (i % 7 === 0 ? 3 : 0) + (rng.random() - 0.5)));
    }
    const r = similarUnits(Float64Array.from(rows.flat()), 30, n, 0, { method: 'mahalanobis', top: 3, cycle: 7, periodsPerYear: 365 });
    expect(r.descriptors).toEqual(['mean per period', 'slope per year', 'seasonal amplitude (cycle 7)', 'lag-1 autocorrelation']);
    expect(r.similar[0].index).toBe(7);
    const d = trendDescriptors([1, 2, 3, 4, 5, 6, 7, 8], 365);
    expect(d[0]).toBe(4.5);
    expect(d[1]).toBeCloseTo(365, 9);
  });

  it('every region\'s series from a tensor, categories summed and days into weeks', () => {
    const tz = 'UTC', start = localDateToUtc('2024-01-01', tz); // a Monday
    const periodStart = new Float64Array(14);
    for (let p = 0, t = start; p < 14; p++, t = stepPeriod(t, 'day', tz)) periodStart[p] = t;
    const t = createTensor({ periods: 14, regions: 2, categories: 2, unit: 'day', tz, periodStart, regionIds: ['a', 'b'], categoryNames: ['x', 'y'] });
    for (let p = 0; p < 14; p++) { t.data[(p * 2 + 0) * 2 + 0] = 1; t.data[(p * 2 + 1) * 2 + 1] = p; }
    const m = regionSeriesMatrix(t, undefined, 'week');
    expect(m.periodStart.length).toBe(2);
    expect(Array.from(m.values)).toEqual([7, 7, 21, 70]);
    expect(Array.from(regionSeriesMatrix(t, 'x', 'day').values.subarray(0, 3))).toEqual([1, 1, 1]);
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
  });
});
