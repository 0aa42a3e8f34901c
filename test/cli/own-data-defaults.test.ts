import { describe, expect, it } from 'vitest';
import { defaultRefitEvery, defaultTestFrom, runPlanNote } from '../../src/cli/own-data-defaults.js';
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
  it('says the work before the run: fits at the first test period and every k after it, updates in between', () => {
    // 28 test days refitted every 7: fits on days 0, 7, 14, 21 and 24 updates; 3 models
    expect(runPlanNote(3, 28, 7, 1, { regions: 2109, categories: 4, periods: 730, unit: 'day' })).toBe(
      'plan: 3 models × 4 fits and 24 updates each over 28 test days, on 2,109 regions × 4 categories × 730 days (6,158,280 cell-days); ' +
      'a fit costs most, so fewer fits (--refit-every) or regions (--units) shorten it');
    expect(runPlanNote(1, 10, 4, 1, { regions: 5, categories: 1, periods: 40, unit: 'week' })).toMatch(/^plan: 1 model × 3 fits and 7 updates each over 10 test weeks, on 5 regions × 1 category × 40 weeks \(200 cell-weeks\)/);
    // 7-day horizon over 28 days, refit every 14: origins 0, 7, 14, 21 → fits at 0 and 14, updates at 7 and 21
    expect(runPlanNote(1, 28, 14, 7, { regions: 1, categories: 1, periods: 100, unit: 'day' })).toMatch(/^plan: 1 model × 2 fits and 2 updates each over 28 test days \(an origin every 7\)/);
  });
});
