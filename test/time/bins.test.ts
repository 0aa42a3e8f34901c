import { describe, it, expect } from 'vitest';
import { makeBinning, nextPeriodStarts, floorToPeriod, periodLabel, isoLocal, binningOfTensor } from '../../src/time/bins.js';
import { localToUtc } from '../../src/time/zone.js';

const TZ = 'America/Chicago';
const H = 3_600_000;

describe('time bins', () => {
  it('makes DST-correct local days (23 h and 25 h on the change days)', () => {
    const b = makeBinning({ unit: 'day', tz: TZ, start: '2017-03-11', end: '2017-03-13' });
    expect(b.periods).toBe(3);
    expect(b.periodStart[0]).toBe(Date.UTC(2017, 2, 11, 6));
    expect((b.edges[2] - b.edges[1]) / H).toBe(23);
    const f = makeBinning({ unit: 'day', tz: TZ, start: '2017-11-05', end: '2017-11-05' });
    expect(f.periods).toBe(1);
    expect((f.edges[1] - f.edges[0]) / H).toBe(25);
    // a whole year of Chicago days: 365 of them, totalling 8760 h
    const y = makeBinning({ unit: 'day', tz: TZ, start: '2017-01-01', end: '2017-12-31' });
    expect(y.periods).toBe(365);
    expect((y.edges[365] - y.edges[0]) / H).toBe(8760);
  });

  it('indexes instants, including both copies of the repeated hour', () => {
    const b = makeBinning({ unit: 'day', tz: TZ, start: '2017-11-04', end: '2017-11-06' });
    const t = Float64Array.from([
      localToUtc(2017, 11, 4, 0, 0, 0, 0, TZ), localToUtc(2017, 11, 4, 23, 59, 59, 999, TZ),
      Date.UTC(2017, 10, 5, 6, 30), Date.UTC(2017, 10, 5, 7, 30), // 01:30 CDT and 01:30 CST
      localToUtc(2017, 11, 6, 23, 0, 0, 0, TZ), localToUtc(2017, 11, 7, 0, 0, 0, 0, TZ), localToUtc(2017, 11, 3, 23, 0, 0, 0, TZ), NaN,
    ]);
    expect(Array.from(b.index(t))).toEqual([0, 0, 1, 1, 2, -1, -1, -1]);
    const h = makeBinning({ unit: 'hour', tz: TZ, start: '2017-11-05', end: '2017-11-05' });
    expect(h.periods).toBe(25);
    expect(Array.from(h.index(Float64Array.from([Date.UTC(2017, 10, 5, 6, 30), Date.UTC(2017, 10, 5, 7, 30)])))).toEqual([1, 2]);
    expect(makeBinning({ unit: 'hour', tz: TZ, start: '2017-03-12', end: '2017-03-12' }).periods).toBe(23);
  });

  it('starts weeks on Monday and months on the 1st, local time', () => {
    // 2017-03-15 is a Wednesday: its week starts Monday 2017-03-13 (CDT)
    const w = makeBinning({ unit: 'week', tz: TZ, start: '2017-03-15', end: '2017-03-27' });
    expect(w.periodStart[0]).toBe(localToUtc(2017, 3, 13, 0, 0, 0, 0, TZ));
    expect(w.periods).toBe(3);
    expect(periodLabel(w.periodStart[2], 'week', TZ)).toBe('2017-03-27');
    // the week holding the spring-forward Sunday lasts 167 h
    const wk = makeBinning({ unit: 'week', tz: TZ, start: '2017-03-06', end: '2017-03-12' });
    expect((wk.edges[1] - wk.edges[0]) / H).toBe(167);
    const m = makeBinning({ unit: 'month', tz: TZ, start: '2016-01-20', end: '2016-03-01' });
    expect(m.periods).toBe(3);
    expect(Array.from(m.periodStart, (s) => periodLabel(s, 'month', TZ))).toEqual(['2016-01', '2016-02', '2016-03']);
    expect((m.edges[2] - m.edges[1]) / H).toBe(29 * 24); // leap February, no DST change
    expect(Array.from(m.index(Float64Array.from([localToUtc(2016, 2, 29, 23, 59, 0, 0, TZ), localToUtc(2016, 3, 31, 12, 0, 0, 0, TZ)])))).toEqual([1, 2]);
  });

  it('accepts UTC instants and floors the start to its period', () => {
    const b = makeBinning({ unit: 'hour', tz: 'UTC', start: Date.UTC(2020, 0, 1, 5, 45), end: Date.UTC(2020, 0, 1, 8) });
    expect(Array.from(b.periodStart)).toEqual([5, 6, 7].map((h) => Date.UTC(2020, 0, 1, h)));
    expect(floorToPeriod(Date.UTC(2017, 10, 5, 7, 30), 'hour', TZ)).toBe(Date.UTC(2017, 10, 5, 7));
    expect(() => makeBinning({ unit: 'day', tz: TZ, start: '2017-02-30', end: '2017-03-01' })).toThrow(/bad date/);
    expect(() => makeBinning({ unit: 'day', tz: TZ, start: '2017-03-01', end: '2017-02-01' })).toThrow(/not after/);
  });

  it('gives the periods after the data for forecasting', () => {
    const b = makeBinning({ unit: 'day', tz: TZ, start: '2017-03-10', end: '2017-03-11' });
    const next = nextPeriodStarts(b, 3);
    expect(Array.from(next, (s) => isoLocal(s, TZ))).toEqual(['2017-03-12T00:00:00-06:00', '2017-03-13T00:00:00-05:00', '2017-03-14T00:00:00-05:00']);
    const m = makeBinning({ unit: 'month', tz: TZ, start: '2017-11-01', end: '2017-12-01' });
    expect(Array.from(nextPeriodStarts(m, 2), (s) => periodLabel(s, 'month', TZ))).toEqual(['2018-01', '2018-02']);
    const back = binningOfTensor({ unit: 'day', tz: TZ, periods: b.periods, periodStart: b.periodStart });
    expect(Array.from(back.edges)).toEqual(Array.from(b.edges));
  });
});
