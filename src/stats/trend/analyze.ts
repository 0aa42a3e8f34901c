/**
 * Trend analysis of one crime series: STL/MSTL decomposition (weekly for days, yearly when three years exist;
 * yearly for weeks), PELT change points of the seasonally adjusted level, and a linear slope per year.
 * Sparse series (mean < 5 per period) use the Poisson change-point cost on the raw counts, since a Gaussian
 * cost on mostly zeros mistakes single busy days for level shifts.
 */
import type { PeriodUnit } from '../../tensor/count-tensor.js';
import { componentStrength, mstl } from '../../models/timeseries/stl.js';
import { pelt, type PeltCost } from './pelt.js';

export interface TrendAnalysis {
  n: number;
  unit: PeriodUnit;
  periods: number[];
  observed: Float64Array;
  trend: Float64Array;
  /** Sum of the seasonal components. */
  seasonal: Float64Array;
  remainder: Float64Array;
  seasonalStrength: number[];
  trendStrength: number;
  /** Least-squares slope of the trend component, in counts per period per year. */
  slopePerYear: number;
  changeCost: PeltCost;
  changePoints: { index: number; before: number; after: number }[];
  segments: { start: number; end: number; mean: number }[];
}

const PER_YEAR: Record<PeriodUnit, number> = { hour: 8766, day: 365.25, week: 52.18, month: 12 };

export function seasonalPeriods(unit: PeriodUnit, n: number): number[] {
  if (unit === 'day') return n >= 3 * 365 ? [7, 365] : [7];
  if (unit === 'week') return n >= 3 * 52 ? [52] : [];
  if (unit === 'hour') return n >= 3 * 168 ? [24, 168] : [24];
  return n >= 36 ? [12] : [];
}

export function analyzeTrend(series: ArrayLike<number>, unit: PeriodUnit, opts: { robust?: boolean; penalty?: number; minSegment?: number } = {}): TrendAnalysis {
  const y = Float64Array.from(series), n = y.length;
  if (n < 8) throw new RangeError(`trend analysis needs at least 8 periods (got ${n})`);
  const dec = mstl(y, seasonalPeriods(unit, n), { robust: opts.robust ?? true });
  const seasonal = new Float64Array(n);
  for (const s of dec.seasonals) for (let i = 0; i < n; i++) seasonal[i] += s[i];
  let mean = 0;
  for (const v of y) mean += v / n;
  const changeCost: PeltCost = mean < 5 ? 'poisson' : 'normal-mean';
  const adjusted = new Float64Array(n);
  for (let i = 0; i < n; i++) adjusted[i] = y[i] - seasonal[i];
  // a change must last at least a season (a week for daily data) to count as a trend shift
  const minSegment = opts.minSegment ?? Math.max(2, dec.periods[0] ?? 2);
  const cp = pelt(changeCost === 'poisson' ? y : adjusted, { cost: changeCost, penalty: opts.penalty, minSegment });
  // slope by least squares on the trend component
  let st = 0, sy = 0, stt = 0, sty = 0;
  for (let i = 0; i < n; i++) { st += i; sy += dec.trend[i]; stt += i * i; sty += i * dec.trend[i]; }
  const slope = (n * sty - st * sy) / (n * stt - st * st);
  return {
    n, unit, periods: dec.periods, observed: y, trend: dec.trend, seasonal, remainder: dec.remainder,
    seasonalStrength: dec.seasonals.map((s) => componentStrength(s, dec.remainder)),
    trendStrength: componentStrength(dec.trend, dec.remainder),
    slopePerYear: slope * PER_YEAR[unit],
    changeCost,
    changePoints: cp.changePoints.map((index, k) => ({ index, before: cp.segments[k].mean, after: cp.segments[k + 1].mean })),
    segments: cp.segments,
  };
}
