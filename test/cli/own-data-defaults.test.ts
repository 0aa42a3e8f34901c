import { describe, expect, it } from 'vitest';
import { defaultRefitEvery, defaultTestFrom } from '../../src/cli/own-data-defaults.js';
import { localDateToUtc } from '../../src/time/bins.js';

describe('own-data backtest defaults', () => {
  const tz = 'America/Los_Angeles';
  const last = localDateToUtc('2016-09-30', tz) + 15 * 3_600_000;
  it('test the last 28 days, or 12 weeks, of the data, and say how to choose', () => {
    expect(defaultTestFrom([localDateToUtc('2016-08-01', tz), last], 'day', tz)).toEqual({
      testFrom: '2016-09-03', note: 'default test span: the last 28 days of the data, from 2016-09-03 (choose with --test-from)',
    });
    // 2016-09-30 is a Friday: its week starts Monday 26 September; 12 weeks back starts 2016-07-11
    expect(defaultTestFrom([last], 'week', tz).testFrom).toBe('2016-07-11');
  });
  it('refit weekly for daily data, updated in between', () => {
    expect(defaultRefitEvery('day')).toEqual({ refitEvery: 7, note: 'default refit cadence: every 7 days, models updated with each new day in between (choose with --refit-every)' });
    expect(defaultRefitEvery('month').refitEvery).toBe(1);
  });
});
