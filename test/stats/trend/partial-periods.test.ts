import { describe, expect, it } from 'vitest';
import { trimPartialPeriods, type TrendSeries } from '../../../src/cli/commands/trend.js';
import { analyzeTrend } from '../../../src/stats/trend/analyze.js';
import { localDateToUtc } from '../../../src/time/bins.js';

const DAY = 86_400_000;

describe('trend: partial first and last periods', () => {
  // weekly counts of a steady 10 a day, data from Thursday 2024-01-04 to Tuesday 2024-03-26: the first week
  // (Mon 1 Jan) holds 4 days of data and the last (Mon 25 Mar) 2 days
  const tz = 'UTC';
  const monday = localDateToUtc('2024-01-01', tz);
  const starts = Float64Array.from({ length: 13 }, (_, w) => monday + w * 7 * DAY);
  const values = Float64Array.from(starts, (_, w) => (w === 0 ? 40 : w === 12 ? 20 : 70));
  const s: TrendSeries = { values, periodStart: starts, unit: 'week', tz, region: 'city', category: 'all', covered: { start: monday + 3 * DAY, end: monday + (12 * 7 + 2) * DAY } };

  it('cuts them off and says how much of each the data covered', () => {
    const { series, leftOut } = trimPartialPeriods(s);
    expect(Array.from(series.values)).toEqual(new Array(11).fill(70));
    expect(leftOut.map((p) => [p.start, +p.coveredShare.toFixed(4)])).toEqual([[monday, +(4 / 7).toFixed(4)], [starts[12], +(2 / 7).toFixed(4)]]);
  });

  it('left in, the partial first week reads as a change point; cut off, there is none', () => {
    expect(analyzeTrend(values, 'week', { minSegment: 1 }).changePoints.length).toBeGreaterThan(0);
    expect(analyzeTrend(trimPartialPeriods(s).series.values, 'week', { minSegment: 1 }).changePoints).toEqual([]);
  });

  it('leaves whole periods alone', () => {
    const whole = { ...s, covered: { start: monday, end: monday + 13 * 7 * DAY } };
    expect(trimPartialPeriods(whole)).toEqual({ series: whole, leftOut: [] });
  });
});
