/**
 * Builds the feature matrix for target periods of a history, strictly without look-ahead: every feature of
 * a row at target period t is computed from periods < t (and incidents before periodStart[t]) only.
 * A target period may equal history.tensor.periods — the first period after the history — which is how
 * forecast rows are made with the same code as training rows.
 */
import type { History } from '../models/forecaster.js';
import { neighborsOf } from '../space/units.js';
import { type FeatureSpec, defaultFeatureSpec } from './spec.js';
import type { FeatureMatrix } from './matrix.js';
import { lagValue, prefixSums, windowMax, windowMean } from './temporal.js';
import { calendarNames, calendarOf, writeCalendar } from './calendar-features.js';
import { nearRepeatIndex, nearRepeatCount } from './near-repeat.js';
import { periodStartAt } from './period-start.js';
import { timeCovariateAt } from './time-covariates.js';

export interface BuildOptions {
  /** Target periods [from, to); `to` may be tensor.periods + horizon for forecast rows. */
  from: number;
  to: number;
  /** Categories to make rows for (default: all). */
  categories?: number[];
  /** Regions to make rows for (default: all). */
  regions?: number[];
}

export function featureNames(history: History, spec: FeatureSpec): string[] {
  const names: string[] = [];
  for (const l of spec.lags) names.push(`lag_${l}`);
  for (const w of spec.windows) names.push(`mean_${w}`, `max_${w}`);
  if (spec.otherCategories && history.tensor.categories > 1) for (const w of spec.windows) names.push(`other_mean_${w}`);
  if (history.units) for (const w of spec.spatialWindows) names.push(`nbr_mean_${w}`);
  if (spec.calendar) names.push(...calendarNames(spec.calendarOneHot));
  if (history.incidents && history.units && spec.nearRepeatDistances.length) {
    for (const d of spec.nearRepeatDistances) for (const k of spec.nearRepeatDays) names.push(`nr_${d}m_${k}d`);
  }
  if (spec.categoryFeature && history.tensor.categories > 1) names.push('category');
  if (history.covariates) names.push(...history.covariates.names.map((n) => `cov_${n}`));
  if (history.timeCovariates) names.push(...history.timeCovariates.names.map((n) => `tv_${n}`));
  return names;
}

export function buildFeatures(history: History, opts: BuildOptions, specIn?: Partial<FeatureSpec>): FeatureMatrix {
  const spec = { ...defaultFeatureSpec(), ...specIn } as FeatureSpec;
  const t = history.tensor;
  const R = t.regions, C = t.categories, RC = R * C;
  if (opts.from < 0 || opts.to < opts.from) throw new RangeError(`feature rows: bad period range [${opts.from}, ${opts.to})`);
  const cats = opts.categories ?? Array.from({ length: C }, (_, c) => c);
  const regs = opts.regions ?? Array.from({ length: R }, (_, r) => r);
  const names = featureNames(history, spec);
  const nCols = names.length;
  const nRows = (opts.to - opts.from) * regs.length * cats.length;
  const X = new Float32Array(nRows * nCols);
  const y = new Float32Array(nRows);
  const rowPeriod = new Int32Array(nRows), rowRegion = new Int32Array(nRows), rowCategory = new Int32Array(nRows);

  const cum = prefixSums(t);
  // totals over categories per region (for "other categories" features)
  const totalCum = new Float64Array((t.periods + 1) * R);
  for (let p = 0; p <= t.periods; p++) for (let r = 0; r < R; r++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += cum[p * RC + r * C + c];
    totalCum[p * R + r] = s;
  }
  const nr = history.incidents && history.units && spec.nearRepeatDistances.length
    ? nearRepeatIndex(history, spec.nearRepeatDistances)
    : null;

  let row = 0;
  for (let tp = opts.from; tp < opts.to; tp++) {
    // features may only look at periods < tp that exist in the history
    const th = Math.min(tp, t.periods);
    const gap = tp - th; // forecast rows beyond the first future period see an older history
    const startMs = periodStartAt(t, tp);
    const cal = spec.calendar ? calendarOf(startMs, t.unit, t.tz) : null;
    for (const r of regs) {
      const nbrs = history.units ? neighborsOf(history.units.adjacency, r) : null;
      for (const c of cats) {
        const rc = r * C + c;
        const o = row * nCols;
        let j = 0;
        for (const l of spec.lags) X[o + j++] = lagValue(t.data, RC, rc, th, l - gap);
        for (const w of spec.windows) {
          X[o + j++] = windowMean(cum, RC, rc, th, w);
          X[o + j++] = windowMax(t.data, RC, rc, th, w);
        }
        if (spec.otherCategories && C > 1) {
          for (const w of spec.windows) {
            const own = windowMean(cum, RC, rc, th, w);
            const from = Math.max(0, th - w);
            const tot = th > from ? (totalCum[th * R + r] - totalCum[from * R + r]) / (th - from) : NaN;
            X[o + j++] = tot - own;
          }
        }
        if (nbrs) {
          for (const w of spec.spatialWindows) {
            if (nbrs.length === 0) { X[o + j++] = NaN; continue; }
            let s = 0;
            for (const nb of nbrs) s += windowMean(cum, RC, nb * C + c, th, w);
            X[o + j++] = s / nbrs.length;
          }
        }
        if (cal) {
          writeCalendar(cal, spec.calendarOneHot, X, o + j);
          j += spec.calendarOneHot ? 20 : 4;
        }
        if (nr) {
          for (let d = 0; d < spec.nearRepeatDistances.length; d++) {
            for (const k of spec.nearRepeatDays) X[o + j++] = nearRepeatCount(nr, r, c, d, startMs, k);
          }
        }
        if (spec.categoryFeature && C > 1) X[o + j++] = c;
        if (history.covariates) {
          const cv = history.covariates, k = cv.names.length;
          for (let q = 0; q < k; q++) X[o + j++] = cv.values[r * k + q];
        }
        if (history.timeCovariates) {
          // the value known `timeLag` periods before the target; beyond the history, the last one known
          const tc = history.timeCovariates;
          const at = Math.min(tp - spec.timeLag, tc.periods - 1, th - 1);
          for (let q = 0; q < tc.names.length; q++) X[o + j++] = timeCovariateAt(tc, R, at, r, q);
        }
        y[row] = tp < t.periods ? t.data[tp * RC + rc] : NaN;
        rowPeriod[row] = tp; rowRegion[row] = r; rowCategory[row] = c;
        row++;
      }
    }
  }
  return { nRows, nCols, names, X, y, rowPeriod, rowRegion, rowCategory };
}
