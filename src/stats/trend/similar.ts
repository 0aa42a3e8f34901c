/**
 * Which areas' crime series are most like one area's: DTW on z-normalised series (shape: when crime rises and
 * falls, allowing a shift of a few periods) or Mahalanobis distance between trend descriptors (level, slope,
 * seasonal amplitude, persistence), whitened by their covariance over all areas so no descriptor dominates.
 * Areas whose series is constant (often all zeros) have no shape or persistence and are left out, counted.
 */
import { dtwDistance, zNormalize } from './dtw.js';
import { fitMahalanobis } from './mahalanobis.js';

export type SimilarityMethod = 'dtw' | 'mahalanobis';

export interface SimilarOptions {
  method: SimilarityMethod;
  top: number;
  /** DTW band half-width in periods (default 10% of the series). */
  window?: number;
  /** Seasonal cycle in periods (7 for days, 24 for hours, 12 for months); 0 or a cycle longer than half the series: none. */
  cycle?: number;
  /** Periods per year, to state the slope per year. */
  periodsPerYear: number;
}

export interface SimilarUnit { index: number; distance: number; correlation: number }

export interface SimilarResult {
  method: SimilarityMethod;
  /** Descriptor names (mahalanobis) or the DTW band used. */
  descriptors?: string[];
  window?: number;
  /** Areas left out: constant series. */
  constant: number[];
  /** The target's descriptors and each listed area's (mahalanobis). */
  features?: Float64Array;
  similar: SimilarUnit[];
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i] / n; mb += b[i] / n; }
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const x = a[i] - ma, y = b[i] - mb; sab += x * y; saa += x * x; sbb += y * y; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** Level, OLS slope per year, seasonal amplitude (range of cycle-position means / mean; when a cycle is given) and lag-1 autocorrelation. */
export function trendDescriptors(x: ArrayLike<number>, periodsPerYear: number, cycle = 0): number[] {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i] / n;
  const tm = (n - 1) / 2;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (i - tm) * (x[i] - mean); sxx += (i - tm) ** 2; }
  const slope = sxx > 0 ? (sxy / sxx) * periodsPerYear : 0;
  const out = [mean, slope];
  if (cycle > 1) {
    const s = new Float64Array(cycle), k = new Float64Array(cycle);
    for (let i = 0; i < n; i++) { s[i % cycle] += x[i]; k[i % cycle]++; }
    const m = Array.from(s, (v, j) => v / k[j]);
    out.push(mean > 0 ? (Math.max(...m) - Math.min(...m)) / mean : 0);
  }
  // the sample autocorrelation at lag 1 (about the whole series' mean): defined for every non-constant series
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) { den += (x[i] - mean) ** 2; if (i + 1 < n) num += (x[i] - mean) * (x[i + 1] - mean); }
  out.push(den > 0 ? num / den : 0);
  return out;
}

/** Periods per year and the seasonal cycle (0: none) of each period unit, for the descriptors and DTW. */
export const PERIODS_PER_YEAR: Record<'hour' | 'day' | 'week' | 'month', number> = { hour: 8766, day: 365.25, week: 365.25 / 7, month: 12 };
export const SEASONAL_CYCLE: Record<'hour' | 'day' | 'week' | 'month', number> = { hour: 24, day: 7, week: 0, month: 12 };

/** The `top` areas most similar to `target` among the rows of `series` (R × n, row-major). */
export function similarUnits(series: Float64Array, R: number, n: number, target: number, o: SimilarOptions): SimilarResult {
  const row = (r: number) => series.subarray(r * n, (r + 1) * n);
  const constant: number[] = [];
  for (let r = 0; r < R; r++) {
    const x = row(r);
    if (x.every((v) => v === x[0])) constant.push(r);
  }
  if (constant.includes(target)) throw new RangeError('the target area\'s series is constant: it has no shape to compare');
  const keep = Array.from({ length: R }, (_, r) => r).filter((r) => !constant.includes(r));
  let dist: (r: number) => number;
  let descriptors: string[] | undefined, features: Float64Array | undefined, window: number | undefined;
  if (o.method === 'dtw') {
    window = o.window ?? Math.ceil(0.1 * n);
    const z = new Map(keep.map((r) => [r, zNormalize(row(r))]));
    const zt = z.get(target)!;
    dist = (r) => dtwDistance(zt, z.get(r)!, { window });
  } else {
    const cycle = o.cycle && o.cycle > 1 && 2 * o.cycle <= n ? o.cycle : 0;
    descriptors = ['mean per period', 'slope per year', ...(cycle ? [`seasonal amplitude (cycle ${cycle})`] : []), 'lag-1 autocorrelation'];
    const d = descriptors.length;
    features = new Float64Array(keep.length * d);
    keep.forEach((r, i) => features!.set(trendDescriptors(row(r), o.periodsPerYear, cycle), i * d));
    if (keep.length < d + 1) throw new RangeError(`mahalanobis needs more than ${d} areas with a varying series, got ${keep.length}`);
    const metric = fitMahalanobis(features, keep.length, d);
    const ti = keep.indexOf(target);
    const ft = features.subarray(ti * d, (ti + 1) * d);
    dist = (r) => { const i = keep.indexOf(r); return metric.distance(ft, features!.subarray(i * d, (i + 1) * d)); };
  }
  const scored = keep.filter((r) => r !== target).map((r) => ({ index: r, distance: dist(r), correlation: pearson(row(target), row(r)) }));
  scored.sort((a, b) => a.distance - b.distance || a.index - b.index);
  return { method: o.method, descriptors, window, constant, features, similar: scored.slice(0, o.top) };
}
