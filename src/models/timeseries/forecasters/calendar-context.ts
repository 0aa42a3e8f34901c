/**
 * Calendar context of a count tensor for per-series models: the seasonal index (day of week for days, hour of
 * day for hours), the natural seasonal period, and regressors for ARIMA (day-of-week dummies, holiday) —
 * for the history and for the periods being forecast.
 */
import type { CountTensor } from '../../../tensor/count-tensor.js';
import { calendarFeatures } from '../../../time/calendar.js';
import { nextPeriodStarts } from '../../../time/bins.js';

/** Calendar values of a run of periods: seasonal levels and the regressors (the fit's columns), n × k row-major. */
export interface CalendarSlice {
  season?: Uint8Array;
  xreg?: Float64Array;
}

export interface CalendarContext {
  /** Seasonal period of the unit: 7 (day), 24 (hour), 52 (week), 12 (month). */
  period: number;
  /** Seasonal level of each history period (length periods) and the number of levels; absent for week/month. */
  season?: Uint8Array;
  seasonLevels: number;
  /** Seasonal levels of the `h` periods after the history. */
  futureSeason(h: number): Uint8Array | undefined;
  /** Regressors: day-of-week dummies (Tuesday…Sunday vs Monday) and a holiday indicator, n × k row-major. */
  xreg?: Float64Array;
  xregNames: string[];
  xregFuture(h: number): Float64Array | undefined;
  /** Seasonal levels and regressors (the same columns as `xreg`) of any periods, given their starts: new periods between refits, and forecast periods. */
  at(periodStarts: Float64Array): CalendarSlice;
}

const PERIOD = { hour: 24, day: 7, week: 52, month: 12 } as const;

function regressors(periodStart: Float64Array, t: CountTensor, holidays: boolean): { X: Float64Array; names: string[] } {
  const f = calendarFeatures(periodStart, t.unit, t.tz), n = periodStart.length;
  const names: string[] = [];
  if (t.unit === 'day') for (let d = 1; d < 7; d++) names.push(`dow${d}`);
  if (holidays && (t.unit === 'day' || t.unit === 'week')) names.push('holiday');
  const k = names.length, X = new Float64Array(n * k);
  for (let p = 0; p < n; p++) {
    let c = 0;
    if (t.unit === 'day') for (let d = 1; d < 7; d++) X[p * k + c++] = f.dow[p] === d ? 1 : 0;
    if (holidays && (t.unit === 'day' || t.unit === 'week')) X[p * k + c++] = f.holiday[p];
  }
  return { X, names };
}

/** Context for the last `n` periods of `t` (n ≤ t.periods). */
export function calendarContext(t: CountTensor, n: number, opts: { holidays?: boolean } = {}): CalendarContext {
  const from = t.periods - n, starts = t.periodStart.subarray(from);
  const seasonOf = (ps: Float64Array): Uint8Array | undefined => {
    if (t.unit !== 'day' && t.unit !== 'hour') return undefined;
    const f = calendarFeatures(ps, t.unit, t.tz);
    return t.unit === 'day' ? f.dow : f.hour;
  };
  const holidays = opts.holidays ?? true;
  const hist = regressors(starts, t, holidays);
  // a regressor constant over the history (e.g. no holiday in the window) cannot be estimated: drop it
  const k = hist.names.length, keep: number[] = [];
  for (let j = 0; j < k; j++) {
    let lo = Infinity, hi = -Infinity;
    for (let p = 0; p < n; p++) { const v = hist.X[p * k + j]; lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (hi > lo) keep.push(j);
  }
  const select = (X: Float64Array, rows: number) => {
    const out = new Float64Array(rows * keep.length);
    for (let p = 0; p < rows; p++) for (let j = 0; j < keep.length; j++) out[p * keep.length + j] = X[p * k + keep[j]];
    return out;
  };
  return {
    period: PERIOD[t.unit],
    season: seasonOf(starts),
    seasonLevels: t.unit === 'day' ? 7 : t.unit === 'hour' ? 24 : 0,
    futureSeason: (h) => seasonOf(nextPeriodStarts(t, h)),
    xreg: keep.length ? select(hist.X, n) : undefined,
    xregNames: keep.map((j) => hist.names[j]),
    xregFuture: (h) => (keep.length ? select(regressors(nextPeriodStarts(t, h), t, holidays).X, h) : undefined),
    at: (ps) => ({ season: seasonOf(ps), xreg: keep.length ? select(regressors(ps, t, holidays).X, ps.length) : undefined }),
  };
}
