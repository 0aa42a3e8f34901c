/**
 * Calendar periods (hour / day / week / month) in a local time zone, DST-correct: a local day is the span
 * between two local midnights, so it lasts 23 h or 25 h on a clock change; weeks start Monday 00:00 (ISO).
 * Hour bins are absolute hours aligned to the local hour, so a spring-forward day has 23 of them.
 */
import type { CountTensor, PeriodUnit } from '../tensor/count-tensor.js';
import { UserError } from '../util/errors.js';
import { localToUtc, tzOffsetMs, utcToLocalParts } from './zone.js';

export type { PeriodUnit };

export interface Binning {
  readonly unit: PeriodUnit;
  readonly tz: string;
  readonly periods: number;
  /** Start of each period, UTC ms (length = periods). */
  readonly periodStart: Float64Array;
  /** Period boundaries, UTC ms (length = periods + 1): period p is [edges[p], edges[p+1]). */
  readonly edges: Float64Array;
  /** Period index of each instant, -1 outside [edges[0], edges[periods]). */
  index(t: Float64Array): Int32Array;
}

export interface BinningOptions {
  unit: PeriodUnit;
  tz: string;
  /** First instant covered: UTC ms, or a local date 'YYYY-MM-DD' (its midnight). Floored to its period's start. */
  start: number | string;
  /**
   * End of the span: UTC ms (exclusive), or a local date 'YYYY-MM-DD' (inclusive: the whole day is covered).
   * The last period is the one holding the last covered instant, so a partial final week/month is kept whole.
   */
  end: number | string;
}

const HOUR = 3_600_000;
const NOMINAL: Record<PeriodUnit, number> = { hour: HOUR, day: 24 * HOUR, week: 168 * HOUR, month: 30.436875 * 24 * HOUR };
const MAX_PERIODS = 2_000_000;
export const PERIOD_UNITS: readonly PeriodUnit[] = ['hour', 'day', 'week', 'month'];

export function parsePeriodUnit(s: string): PeriodUnit {
  if ((PERIOD_UNITS as readonly string[]).includes(s)) return s as PeriodUnit;
  throw new UserError(`unknown period "${s}"`, `use one of ${PERIOD_UNITS.join(', ')}`);
}

/** Parse a local calendar date 'YYYY-MM-DD'. */
export function parseLocalDate(s: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (m) {
    const year = +m[1], month = +m[2], day = +m[3];
    const d = new Date(Date.UTC(year, month - 1, day));
    if (d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day) return { year, month, day };
  }
  throw new UserError(`bad date "${s}"`, 'write dates as YYYY-MM-DD');
}

/** UTC instant of local midnight starting a date 'YYYY-MM-DD'. */
export function localDateToUtc(s: string, tz: string): number {
  const { year, month, day } = parseLocalDate(s);
  return localToUtc(year, month, day, 0, 0, 0, 0, tz);
}

/** Start (UTC ms) of the period holding instant t. */
export function floorToPeriod(t: number, unit: PeriodUnit, tz: string): number {
  if (unit === 'hour') {
    // floor the wall clock, then undo the offset in force at t (right in both copies of a repeated hour)
    const off = tzOffsetMs(t, tz);
    return Math.floor((t + off) / HOUR) * HOUR - off;
  }
  const p = utcToLocalParts(t, tz);
  if (unit === 'day') return localToUtc(p.year, p.month, p.day, 0, 0, 0, 0, tz);
  if (unit === 'month') return localToUtc(p.year, p.month, 1, 0, 0, 0, 0, tz);
  const back = (p.weekday + 6) % 7; // days since Monday
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day - back));
  return localToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, 0, 0, 0, tz);
}

/** Start of the period k periods after the one starting at `periodStart` (which must be a period start). */
export function stepPeriod(periodStart: number, unit: PeriodUnit, tz: string, k = 1): number {
  if (unit === 'hour') return periodStart + k * HOUR;
  // local midnight may not exist (zones that change clocks at 00:00): the local date is still right
  const p = utcToLocalParts(periodStart, tz);
  if (unit === 'month') {
    const d = new Date(Date.UTC(p.year, p.month - 1 + k, 1));
    return localToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, 1, 0, 0, 0, 0, tz);
  }
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + k * (unit === 'week' ? 7 : 1)));
  return localToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, 0, 0, 0, tz);
}

/** Period binning from boundaries (used to rebuild a binning from a tensor's metadata). */
export function binningFromEdges(unit: PeriodUnit, tz: string, edges: Float64Array): Binning {
  const periods = edges.length - 1;
  if (periods < 1) throw new UserError('a binning needs at least one period');
  const e0 = edges[0], last = edges[periods], nominal = NOMINAL[unit];
  return {
    unit,
    tz,
    periods,
    edges,
    periodStart: edges.subarray(0, periods),
    index(t) {
      const out = new Int32Array(t.length);
      for (let i = 0; i < t.length; i++) {
        const v = t[i];
        if (!(v >= e0 && v < last)) { out[i] = -1; continue; }
        // guess from the nominal length, then walk: periods differ from nominal by at most a few percent
        let g = Math.floor((v - e0) / nominal);
        if (g >= periods) g = periods - 1;
        while (edges[g] > v) g--;
        while (edges[g + 1] <= v) g++;
        out[i] = g;
      }
      return out;
    },
  };
}

export function makeBinning(opts: BinningOptions): Binning {
  const { unit, tz } = opts;
  parsePeriodUnit(unit);
  tzOffsetMs(0, tz); // validates the zone early
  const startMs = typeof opts.start === 'string' ? localDateToUtc(opts.start, tz) : opts.start;
  let endMs: number;
  if (typeof opts.end === 'string') {
    const { year, month, day } = parseLocalDate(opts.end);
    endMs = localToUtc(year, month, day + 1, 0, 0, 0, 0, tz);
  } else endMs = opts.end;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) throw new UserError('binning start and end must be finite instants');
  if (endMs <= startMs) throw new UserError(`binning end (${new Date(endMs).toISOString()}) is not after its start (${new Date(startMs).toISOString()})`);
  const approx = Math.ceil((endMs - startMs) / NOMINAL[unit]) + 2;
  if (approx > MAX_PERIODS) throw new UserError(`${approx} ${unit} periods is too many (limit ${MAX_PERIODS})`, 'use a coarser period or a shorter span');
  const edges: number[] = [floorToPeriod(startMs, unit, tz)];
  while (edges[edges.length - 1] < endMs) edges.push(stepPeriod(edges[edges.length - 1], unit, tz));
  return binningFromEdges(unit, tz, Float64Array.from(edges));
}

/** `periods` consecutive periods from the one holding `start` (UTC ms or local 'YYYY-MM-DD'). */
export function binningFromStart(unit: PeriodUnit, tz: string, start: number | string, periods: number): Binning {
  if (!(periods >= 1) || !Number.isInteger(periods)) throw new UserError(`period count must be a positive integer (got ${periods})`);
  const s = typeof start === 'string' ? localDateToUtc(start, tz) : start;
  const edges = new Float64Array(periods + 1);
  edges[0] = floorToPeriod(s, unit, tz);
  for (let p = 1; p <= periods; p++) edges[p] = stepPeriod(edges[p - 1], unit, tz);
  return binningFromEdges(unit, tz, edges);
}

/** The binning a tensor was built with (periods must be consecutive). */
export function binningOfTensor(t: Pick<CountTensor, 'unit' | 'tz' | 'periodStart' | 'periods'>): Binning {
  const edges = new Float64Array(t.periods + 1);
  edges.set(t.periodStart);
  edges[t.periods] = stepPeriod(t.periodStart[t.periods - 1], t.unit, t.tz);
  return binningFromEdges(t.unit, t.tz, edges);
}

/** Starts (UTC ms) of the `horizon` periods following the last one: where a forecast lands. */
export function nextPeriodStarts(b: Pick<Binning, 'unit' | 'tz' | 'periodStart'> | Pick<CountTensor, 'unit' | 'tz' | 'periodStart'>, horizon: number): Float64Array {
  const n = b.periodStart.length;
  if (n === 0) throw new Error('nextPeriodStarts: no periods');
  const out = new Float64Array(horizon);
  let cur = b.periodStart[n - 1];
  for (let h = 0; h < horizon; h++) out[h] = cur = stepPeriod(cur, b.unit, b.tz);
  return out;
}

/** Sortable local label of a period start: '2017-03' (month), '2017-03-12' (day, week), '2017-03-12T03:00' (hour). */
export function periodLabel(startMs: number, unit: PeriodUnit, tz: string): string {
  const p = utcToLocalParts(startMs, tz);
  const d = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  if (unit === 'month') return d.slice(0, 7);
  if (unit === 'hour') return `${d}T${String(p.hour).padStart(2, '0')}:00`;
  return d;
}

/** ISO 8601 local time with offset, e.g. '2017-03-12T00:00:00-06:00' (exact, parseable by Date.parse). */
export function isoLocal(ms: number, tz: string): string {
  const off = tzOffsetMs(ms, tz);
  const d = new Date(ms + off);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off) / 60000;
  const hh = String(Math.floor(a / 60)).padStart(2, '0'), mm = String(a % 60).padStart(2, '0');
  return `${d.toISOString().slice(0, 19)}${sign}${hh}:${mm}`;
}
