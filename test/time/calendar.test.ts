import { describe, it, expect } from 'vitest';
import { calendarFeatures, isUsFederalHoliday, usFederalHolidays } from '../../src/time/calendar.js';
import { makeBinning } from '../../src/time/bins.js';

const TZ = 'America/Chicago';

describe('calendar', () => {
  it('knows US federal holidays and their observed dates', () => {
    expect(isUsFederalHoliday(2017, 7, 4)).toBe(true);
    expect(isUsFederalHoliday(2017, 7, 5)).toBe(false);
    // New Year 2022 fell on a Saturday: observed Friday 2021-12-31, not on the Saturday
    expect(isUsFederalHoliday(2021, 12, 31)).toBe(true);
    expect(isUsFederalHoliday(2022, 1, 1)).toBe(false);
    expect(isUsFederalHoliday(2022, 1, 1, { observed: false })).toBe(true);
    // Christmas 2016 was a Sunday: observed Monday the 26th
    expect(isUsFederalHoliday(2016, 12, 26)).toBe(true);
    // Juneteenth from 2021 (2021-06-19 was a Saturday → Friday 18th); not before
    expect(isUsFederalHoliday(2021, 6, 18)).toBe(true);
    expect(isUsFederalHoliday(2020, 6, 19)).toBe(false);
    expect(usFederalHolidays(2017).map((h) => h.date)).toEqual([
      '2017-01-02', '2017-01-16', '2017-02-20', '2017-05-29', '2017-07-04', '2017-09-04', '2017-10-09', '2017-11-10', '2017-11-23', '2017-12-25',
    ]);
    expect(usFederalHolidays(2022).length).toBe(10); // its New Year's Day was observed in 2021
    expect(usFederalHolidays(2021).length).toBe(12);
  });

  it('derives per-period features in local time', () => {
    const days = makeBinning({ unit: 'day', tz: TZ, start: '2017-07-02', end: '2017-07-05' });
    const f = calendarFeatures(days.periodStart, 'day', TZ);
    expect(Array.from(f.dow)).toEqual([6, 0, 1, 2]); // Sun, Mon, Tue, Wed
    expect(Array.from(f.holiday)).toEqual([0, 0, 1, 0]);
    expect(Array.from(f.dayOfYear)).toEqual([183, 184, 185, 186]);
    expect(Array.from(f.month)).toEqual([7, 7, 7, 7]);
    const weeks = makeBinning({ unit: 'week', tz: TZ, start: '2017-11-20', end: '2017-12-31' });
    expect(Array.from(calendarFeatures(weeks.periodStart, 'week', TZ).holiday)).toEqual([1, 0, 0, 0, 0, 1]);
    const months = makeBinning({ unit: 'month', tz: TZ, start: '2017-01-01', end: '2017-12-31' });
    expect(Array.from(calendarFeatures(months.periodStart, 'month', TZ).holiday)).toEqual([2, 1, 0, 0, 1, 0, 1, 0, 1, 1, 2, 1]);
    const hours = makeBinning({ unit: 'hour', tz: TZ, start: '2017-03-12', end: '2017-03-12' });
    expect(Array.from(calendarFeatures(hours.periodStart, 'hour', TZ).hour.subarray(0, 4))).toEqual([0, 1, 3, 4]);
  });
});
