/**
 * What the kernel forecasters read from a History: the cut-off instant, the recent per-period event rate per
 * category (from the tensor), and the located events of one category (from the incidents, or — when the
 * history carries none — region centroids weighted by tensor counts, which is KDE on aggregated data).
 */
import type { History, Forecast } from '../forecaster.js';
import type { CountTensor } from '../../tensor/count-tensor.js';
import { stepPeriod } from '../../time/bins.js';
import { UserError } from '../../util/errors.js';

export const DAY_MS = 86_400_000;

/** End of the history (start of the first forecast period), UTC ms. */
export function historyEnd(t: CountTensor): number {
  if (t.periods === 0) throw new UserError('kernel forecasters need at least one period of history');
  return stepPeriod(t.periodStart[t.periods - 1], t.unit, t.tz, 1);
}

/** Number of tensor periods covering the last `days` days (at least 1, at most all). */
export function periodsInDays(t: CountTensor, days: number): number {
  const end = historyEnd(t), from = end - days * DAY_MS;
  let k = 0;
  while (k < t.periods && t.periodStart[t.periods - 1 - k] >= from) k++;
  return Math.max(1, Math.min(t.periods, k));
}

/** Mean events per period per category over the last `days` days. */
export function recentRate(t: CountTensor, days: number): Float64Array {
  const k = periodsInDays(t, days), C = t.categories, d = t.data;
  const rate = new Float64Array(C);
  // the window's periods are one contiguous block; each category is every C-th value, summed with four independent
  // accumulators (a single chain was ~20% of a daily KDE backtest); counts are whole numbers, so the order is exact
  const from = (t.periods - k) * t.regions * C, to = t.periods * t.regions * C, step = 4 * C;
  for (let c = 0; c < C; c++) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, o = from + c;
    for (; o + 3 * C < to; o += step) { s0 += d[o]; s1 += d[o + C]; s2 += d[o + 2 * C]; s3 += d[o + 3 * C]; }
    for (; o < to; o += C) s0 += d[o];
    rate[c] = s0 + s1 + s2 + s3;
  }
  for (let c = 0; c < C; c++) rate[c] /= k;
  return rate;
}

export interface EventSet {
  lat: Float64Array;
  lon: Float64Array;
  /** Age at the cut-off, days. */
  ageDays: Float64Array;
  /** Tensor counts as weights when the events are region centroids (fallback); undefined for incidents. */
  w?: Float64Array;
}

/** Category index of each incident in the tensor's category axis. */
function incidentCategories(h: History): Int32Array {
  if (h.incidentCategory) return h.incidentCategory;
  const inc = h.incidents!;
  const pos = inc.categories.map((n) => h.tensor.categoryNames.indexOf(n));
  return Int32Array.from(inc.cat, (c) => pos[c]);
}

/**
 * Indices of each category's incidents younger than `windowDays` at the cut-off, inside the study area, with a
 * finite location, in one pass over the incidents (not one pass per category). Needs `h.incidents`.
 */
export function categoryIncidents(h: History, windowDays: number): Int32Array[] {
  const t = h.tensor, end = historyEnd(t), from = end - windowDays * DAY_MS;
  const inc = h.incidents!, cats = incidentCategories(h), reg = h.incidentRegion, C = t.categories;
  const count = new Int32Array(C + 1), keep = new Int32Array(inc.n);
  for (let i = 0; i < inc.n; i++) {
    const c = cats[i];
    const ok = c >= 0 && c < C && inc.t[i] >= from && inc.t[i] < end && (!reg || reg[i] >= 0) && Number.isFinite(inc.lat[i]);
    keep[i] = ok ? c : -1;
    if (ok) count[c]++;
  }
  const out = Array.from({ length: C }, (_, c) => new Int32Array(count[c]));
  count.fill(0);
  for (let i = 0; i < inc.n; i++) { const c = keep[i]; if (c >= 0) out[c][count[c]++] = i; }
  return out;
}

/**
 * Events of category c younger than `windowDays` at the cut-off, inside the study area.
 * Without incidents: one point per (region centroid, period) with the tensor count as weight and the
 * period midpoint as time — coarser, but the forecaster still runs on tensor-only data.
 */
export function categoryEvents(h: History, c: number, windowDays: number): EventSet {
  const t = h.tensor, end = historyEnd(t), from = end - windowDays * DAY_MS;
  if (h.incidents) {
    const inc = h.incidents;
    const idx = categoryIncidents(h, windowDays)[c], n = idx.length;
    const lat = new Float64Array(n), lon = new Float64Array(n), ageDays = new Float64Array(n);
    for (let k = 0; k < n; k++) { const i = idx[k]; lat[k] = inc.lat[i]; lon[k] = inc.lon[i]; ageDays[k] = (end - inc.t[i]) / DAY_MS; }
    return { lat, lon, ageDays };
  }
  const u = h.units!;
  const lat: number[] = [], lon: number[] = [], age: number[] = [], w: number[] = [];
  for (let p = 0; p < t.periods; p++) {
    const start = t.periodStart[p];
    if (start < from) continue;
    const stop = p + 1 < t.periods ? t.periodStart[p + 1] : end;
    for (let r = 0; r < t.regions; r++) {
      const v = t.data[(p * t.regions + r) * t.categories + c];
      if (v > 0) { lat.push(u.centroidLat[r]); lon.push(u.centroidLon[r]); age.push((end - (start + stop) / 2) / DAY_MS); w.push(v); }
    }
  }
  return { lat: Float64Array.from(lat), lon: Float64Array.from(lon), ageDays: Float64Array.from(age), w: Float64Array.from(w) };
}

/** Identifies what a kernel surface was drawn from (history end and incidents seen), so updates can skip no-ops. */
export function surfaceStateKey(h: History): string {
  const t = h.tensor;
  return `${t.periods}:${t.periods ? t.periodStart[t.periods - 1] : 0}:${h.incidents?.n ?? -1}`;
}

/** The fallback every kernel model reports when the history has no incident points. */
export const surfaceSourceNote = {
  what: 'region centroids weighted by period counts instead of incident points',
  reason: 'the history carries no incidents (tensor-only data), so the surface is KDE on aggregated counts',
};

export function requireUnits(h: History, model: string): NonNullable<History['units']> {
  if (!h.units) throw new UserError(`model "${model}" needs the spatial units (region geometry) in the history`);
  if (h.units.n !== h.tensor.regions) throw new Error(`units have ${h.units.n} regions, tensor has ${h.tensor.regions}`);
  return h.units;
}

/**
 * Turn per-category region scores into a Poisson forecast: each category's scores become shares, mixed with
 * an area-proportional floor (so no region gets probability exactly zero), times the recent rate.
 * Categories with no score at all fall back to their long-run share in the tensor.
 */
export function scoresToForecast(score: Float64Array[], h: History, rate: Float64Array, horizon: number, floor: number): Forecast {
  const t = h.tensor, R = t.regions, C = t.categories, units = h.units!;
  let totalArea = 0;
  for (let r = 0; r < R; r++) totalArea += units.area[r];
  const mean = new Float32Array(horizon * R * C);
  for (let c = 0; c < C; c++) {
    let s = score[c], sum = 0;
    for (let r = 0; r < R; r++) sum += s[r];
    if (!(sum > 0)) {
      s = new Float64Array(R);
      for (let i = 0; i < t.periods * R; i++) s[i % R] += t.data[i * C + c];
      sum = s.reduce((a, b) => a + b, 0);
    }
    for (let r = 0; r < R; r++) {
      const share = (1 - floor) * (sum > 0 ? s[r] / sum : units.area[r] / totalArea) + floor * (units.area[r] / totalArea);
      const m = rate[c] * share;
      for (let k = 0; k < horizon; k++) mean[(k * R + r) * C + c] = m;
    }
  }
  return { horizon, regions: R, categories: C, mean, dist: { family: 'poisson' } };
}
