/**
 * Calendar features of periods (day of week, month, day of year, hour, US federal holidays), computed in the
 * periods' local zone. Holidays follow 5 U.S.C. 6103 as in force today (MLK Day from 1986, Juneteenth from
 * 2021); the observed day moves a Saturday holiday to Friday and a Sunday one to Monday, so New Year's Day
 * 2022 (a Saturday) was observed on Friday 2021-12-31. Computed here because no maintained npm package
 * covers observed dates without pulling a locale-holiday framework.
 */
import type { PeriodUnit } from '../tensor/count-tensor.js';
import { utcToLocalParts } from './zone.js';

export interface Holiday {
  /** 'YYYY-MM-DD' */
  date: string;
  name: string;
}

const ymd = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Day of month of the n-th given weekday (0 = Sunday) of a month; n = -1 for the last. */
function nthWeekday(y: number, m: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
    return 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
  }
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lastWd = new Date(Date.UTC(y, m - 1, lastDay)).getUTCDay();
  return lastDay - ((lastWd - weekday + 7) % 7);
}

/** The nominal (actual-date) federal holidays of a year. */
function nominalHolidays(y: number): { m: number; d: number; name: string }[] {
  return [
    { m: 1, d: 1, name: "New Year's Day" },
    ...(y >= 1986 ? [{ m: 1, d: nthWeekday(y, 1, 1, 3), name: 'Martin Luther King Jr. Day' }] : []),
    { m: 2, d: nthWeekday(y, 2, 1, 3), name: "Washington's Birthday" },
    { m: 5, d: nthWeekday(y, 5, 1, -1), name: 'Memorial Day' },
    ...(y >= 2021 ? [{ m: 6, d: 19, name: 'Juneteenth National Independence Day' }] : []),
    { m: 7, d: 4, name: 'Independence Day' },
    { m: 9, d: nthWeekday(y, 9, 1, 1), name: 'Labor Day' },
    { m: 10, d: nthWeekday(y, 10, 1, 2), name: 'Columbus Day' },
    { m: 11, d: 11, name: 'Veterans Day' },
    { m: 11, d: nthWeekday(y, 11, 4, 4), name: 'Thanksgiving Day' },
    { m: 12, d: 25, name: 'Christmas Day' },
  ];
}

/**
 * Federal holidays whose date falls in `year`: observed dates by default (the day offices close),
 * or the nominal dates with `observed: false`.
 */
export function usFederalHolidays(year: number, opts: { observed?: boolean } = {}): Holiday[] {
  const observed = opts.observed ?? true;
  if (!observed) return nominalHolidays(year).map((h) => ({ date: ymd(year, h.m, h.d), name: h.name }));
  const out: Holiday[] = [];
  for (const y of [year, year + 1]) {
    for (const h of nominalHolidays(y)) {
      const wd = new Date(Date.UTC(y, h.m - 1, h.d)).getUTCDay();
      const shift = wd === 6 ? -1 : wd === 0 ? 1 : 0;
      const d = new Date(Date.UTC(y, h.m - 1, h.d + shift));
      if (d.getUTCFullYear() === year) out.push({ date: ymd(year, d.getUTCMonth() + 1, d.getUTCDate()), name: h.name + (shift ? ' (observed)' : '') });
    }
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : 1));
}

const holidayCache = new Map<string, Set<string>>();
export function isUsFederalHoliday(year: number, month: number, day: number, opts: { observed?: boolean } = {}): boolean {
  const key = `${year}:${opts.observed ?? true}`;
  let set = holidayCache.get(key);
  if (!set) holidayCache.set(key, (set = new Set(usFederalHolidays(year, opts).map((h) => h.date))));
  return set.has(ymd(year, month, day));
}

export interface CalendarFeatures {
  /** ISO day of week of the period start, 0 = Monday … 6 = Sunday. */
  dow: Uint8Array;
  /** 1–12 */
  month: Uint8Array;
  /** 1–366 */
  dayOfYear: Uint16Array;
  /** Local hour of the period start (0 for day and longer periods). */
  hour: Uint8Array;
  /** Number of observed federal holidays within the period (0/1 for hours and days). */
  holiday: Uint8Array;
  /** Number of nominal-date federal holidays within the period. */
  holidayActual: Uint8Array;
}

export function calendarFeatures(periodStart: Float64Array, unit: PeriodUnit, tz: string): CalendarFeatures {
  const n = periodStart.length;
  const f: CalendarFeatures = {
    dow: new Uint8Array(n), month: new Uint8Array(n), dayOfYear: new Uint16Array(n), hour: new Uint8Array(n),
    holiday: new Uint8Array(n), holidayActual: new Uint8Array(n),
  };
  for (let p = 0; p < n; p++) {
    const s = utcToLocalParts(periodStart[p], tz);
    f.dow[p] = (s.weekday + 6) % 7;
    f.month[p] = s.month;
    f.dayOfYear[p] = (Date.UTC(s.year, s.month - 1, s.day) - Date.UTC(s.year, 0, 1)) / 86_400_000 + 1;
    f.hour[p] = unit === 'hour' ? s.hour : 0;
    // every local date the period touches: one for hours and days, 7 for weeks, 28–31 for months
    const days = unit === 'week' ? 7 : unit === 'month' ? new Date(Date.UTC(s.year, s.month, 0)).getUTCDate() - s.day + 1 : 1;
    for (let k = 0; k < days; k++) {
      const d = new Date(Date.UTC(s.year, s.month - 1, s.day + k));
      const y = d.getUTCFullYear(), m = d.getUTCMonth() + 1, dd = d.getUTCDate();
      if (isUsFederalHoliday(y, m, dd)) f.holiday[p]++;
      if (isUsFederalHoliday(y, m, dd, { observed: false })) f.holidayActual[p]++;
    }
  }
  return f;
}
