/**
 * What every deep model reads: the count tensor as normalised log-counts, a per-cell log-rate offset, and
 * calendar features of each period, all with room for forecast periods appended after the history.
 *
 * Normalisation is fitted on the training periods only (never the validation tail or anything after it):
 * z = (log1p(count) − mean_c) / sd_c per category. The offset is each cell's log mean rate over the same
 * periods (shrunk towards its category's mean), so a network with zero output already forecasts the
 * historical average and learns departures from it.
 */
import type { CountTensor } from '../../tensor/count-tensor.js';
import { periodStartAt } from '../../features/period-start.js';
import { calendarFeatures } from '../../time/calendar.js';

export interface Normaliser {
  /** Per-category mean and sd of log1p(count). */
  mean: number[];
  sd: number[];
  /** Per-cell (region × category) log mean rate. */
  offset: number[];
}

export function fitNormaliser(t: CountTensor, from: number, to: number): Normaliser {
  const R = t.regions, C = t.categories, n = to - from;
  if (n <= 0) throw new Error(`fitNormaliser: empty period range [${from}, ${to})`);
  const s1 = new Float64Array(C), s2 = new Float64Array(C), cell = new Float64Array(R * C);
  for (let p = from; p < to; p++) {
    for (let i = 0; i < R * C; i++) {
      const v = t.data[p * R * C + i];
      const z = Math.log1p(v);
      s1[i % C] += z; s2[i % C] += z * z; cell[i] += v;
    }
  }
  const mean: number[] = [], sd: number[] = [], catRate: number[] = [];
  for (let c = 0; c < C; c++) {
    const m = s1[c] / (n * R);
    mean.push(m);
    sd.push(Math.sqrt(Math.max(s2[c] / (n * R) - m * m, 0)) || 1);
    let tot = 0;
    for (let r = 0; r < R; r++) tot += cell[r * C + c];
    catRate.push(tot / (n * R));
  }
  // one pseudo-period at the category's mean rate keeps never-seen cells at a finite, small log rate
  const offset = Array.from(cell, (s, i) => Math.log(Math.max((s + catRate[i % C]) / (n + 1), 1e-4)));
  return { mean, sd, offset };
}

/** Calendar columns per period: day-of-week one-hot (sub-weekly data), annual sin/cos, holiday. */
export function calendarWidth(unit: CountTensor['unit']): number {
  return (unit === 'day' || unit === 'hour' ? 7 : 0) + 3;
}

export interface DeepSeries {
  /** Periods held (history plus appended forecast periods). */
  periods: number;
  regions: number;
  categories: number;
  /** Normalised log-counts, [p][r][c]. */
  z: Float32Array;
  /** Raw counts, [p][r][c] (targets). */
  counts: Float32Array;
  /** Calendar features, [p][k]. */
  cal: Float32Array;
  calWidth: number;
  offset: Float32Array;
}

/** The series for `t` plus `extra` empty periods after it (filled in as a multi-step forecast proceeds). */
export function buildSeries(t: CountTensor, norm: Normaliser, extra = 0): DeepSeries {
  const R = t.regions, C = t.categories, P = t.periods + extra, RC = R * C;
  if (norm.offset.length !== RC) {
    throw new Error(`the model was fitted on ${norm.offset.length / norm.mean.length} regions × ${norm.mean.length} categories, but this history has ${R} × ${C}`);
  }
  const counts = new Float32Array(P * RC);
  counts.set(t.data.subarray(0, t.periods * RC));
  const z = new Float32Array(P * RC);
  for (let i = 0; i < t.periods * RC; i++) z[i] = (Math.log1p(counts[i]) - norm.mean[i % C]) / norm.sd[i % C];
  const K = calendarWidth(t.unit);
  const starts = Float64Array.from({ length: P }, (_, p) => periodStartAt(t, p));
  const f = calendarFeatures(starts, t.unit, t.tz);
  const cal = new Float32Array(P * K);
  const dowCols = t.unit === 'day' || t.unit === 'hour';
  for (let p = 0; p < P; p++) {
    let k = p * K;
    if (dowCols) { cal[k + f.dow[p]] = 1; k += 7; }
    const a = (2 * Math.PI * (f.dayOfYear[p] - 1)) / 365.25;
    cal[k] = Math.sin(a); cal[k + 1] = Math.cos(a); cal[k + 2] = f.holiday[p] > 0 ? 1 : 0;
  }
  return { periods: P, regions: R, categories: C, z, counts, cal, calWidth: K, offset: Float32Array.from(norm.offset) };
}

/** Write a forecast mean into period p (for the next step of a multi-step forecast). */
export function setPeriod(s: DeepSeries, norm: Normaliser, p: number, mean: ArrayLike<number>): void {
  const RC = s.regions * s.categories, C = s.categories;
  for (let i = 0; i < RC; i++) {
    s.counts[p * RC + i] = mean[i];
    s.z[p * RC + i] = (Math.log1p(mean[i]) - norm.mean[i % C]) / norm.sd[i % C];
  }
}
