/**
 * Count metrics of a point forecast against observed counts, per category.
 *
 * - MAE = Σ|p − y| / n, RMSE = √(Σ(p − y)² / n)
 * - Poisson deviance (mean unit deviance) = Σ 2[y log(y/μ) − (y − μ)] / n, with y log(y/μ) = 0 at y = 0.
 *   μ is floored at DEVIANCE_MU_FLOOR: a forecast of exactly 0 where y > 0 would otherwise score infinity.
 * - masked MAE / MAPE as ST-HSL reports: only cells with y > 0, MAPE = Σ|p − y|/y / n₊.
 *
 * Layout: flat arrays like a CountTensor slice; element i belongs to category i % categories.
 */
import type { Forecast } from '../../models/forecaster.js';
import { logPmf } from '../../models/distribution.js';

export const DEVIANCE_MU_FLOOR = 1e-10;

/**
 * Additive per-category sums (each field a Float64Array of length `categories`). Sum two periods' sums field
 * by field (`addCountSums`); metrics are ratios of these sums (`countMetricsFromSums`).
 * - absErr Σ|p − y|, sqErr Σ(p − y)², dev Σ unit deviance, n cell count
 * - maskedAbsErr Σ_{y>0} |p − y|, maskedApe Σ_{y>0} |p − y|/y, maskedN #{y > 0}
 */
export interface CountSums {
  categories: number;
  absErr: Float64Array;
  sqErr: Float64Array;
  dev: Float64Array;
  n: Float64Array;
  maskedAbsErr: Float64Array;
  maskedApe: Float64Array;
  maskedN: Float64Array;
}

const FIELDS = ['absErr', 'sqErr', 'dev', 'n', 'maskedAbsErr', 'maskedApe', 'maskedN'] as const;

export function emptyCountSums(categories: number): CountSums {
  const s = { categories } as CountSums;
  for (const k of FIELDS) s[k] = new Float64Array(categories);
  return s;
}

export function addCountSums(into: CountSums, from: CountSums): CountSums {
  for (const k of FIELDS) for (let c = 0; c < into.categories; c++) into[k][c] += from[k][c];
  return into;
}

/** Unit Poisson deviance 2[y log(y/μ) − (y − μ)]. */
export function poissonUnitDeviance(mu: number, y: number): number {
  const m = Math.max(mu, DEVIANCE_MU_FLOOR);
  return 2 * ((y > 0 ? y * Math.log(y / m) : 0) - (y - m));
}

/**
 * Per-period form: adds the sums of one period (or any block of cells) into `into` (created when absent).
 * `pred` is the point forecast (use the loss-optimal one: see point-forecasts.ts).
 * The deviance uses `pred` as μ, so pass the mean forecast when the deviance matters.
 */
export function countSumsPeriod(
  pred: ArrayLike<number>, observed: ArrayLike<number>, categories: number, into = emptyCountSums(categories),
): CountSums {
  if (pred.length !== observed.length) throw new RangeError(`countSumsPeriod: ${pred.length} forecasts but ${observed.length} observations`);
  for (let i = 0; i < pred.length; i++) {
    const c = i % categories, p = pred[i], y = observed[i], e = Math.abs(p - y);
    into.absErr[c] += e;
    into.sqErr[c] += e * e;
    into.dev[c] += poissonUnitDeviance(p, y);
    into.n[c]++;
    if (y > 0) { into.maskedAbsErr[c] += e; into.maskedApe[c] += e / y; into.maskedN[c]++; }
  }
  return into;
}

export interface CountMetrics {
  mae: Float64Array;
  rmse: Float64Array;
  deviance: Float64Array;
  maskedMae: Float64Array;
  maskedMape: Float64Array;
  /** All categories pooled (cell-weighted). */
  overall: { mae: number; rmse: number; deviance: number; maskedMae: number; maskedMape: number };
}

export function countMetricsFromSums(s: CountSums): CountMetrics {
  const C = s.categories, div = (a: number, b: number) => (b > 0 ? a / b : NaN);
  const m = {
    mae: new Float64Array(C), rmse: new Float64Array(C), deviance: new Float64Array(C),
    maskedMae: new Float64Array(C), maskedMape: new Float64Array(C),
  };
  const tot = new Float64Array(FIELDS.length);
  for (let c = 0; c < C; c++) {
    m.mae[c] = div(s.absErr[c], s.n[c]);
    m.rmse[c] = Math.sqrt(div(s.sqErr[c], s.n[c]));
    m.deviance[c] = div(s.dev[c], s.n[c]);
    m.maskedMae[c] = div(s.maskedAbsErr[c], s.maskedN[c]);
    m.maskedMape[c] = div(s.maskedApe[c], s.maskedN[c]);
    FIELDS.forEach((k, j) => { tot[j] += s[k][c]; });
  }
  const [absErr, sqErr, dev, n, mAbs, mApe, mN] = tot;
  return {
    ...m,
    overall: { mae: div(absErr, n), rmse: Math.sqrt(div(sqErr, n)), deviance: div(dev, n), maskedMae: div(mAbs, mN), maskedMape: div(mApe, mN) },
  };
}

/** Whole-array convenience. */
export function countMetrics(pred: ArrayLike<number>, observed: ArrayLike<number>, categories: number): CountMetrics {
  return countMetricsFromSums(countSumsPeriod(pred, observed, categories));
}

/**
 * Per-category log-likelihood sums Σ log P(Y = y) under the forecast distribution (the log score is its negative
 * mean), for the cells [cellStart, cellStart + observed.length) of `f` — pass cellStart = h·R·C for horizon step h.
 * Returns { logLik, n } per category; mean log-likelihood = logLik / n.
 */
export function logLikSumsPeriod(
  f: Forecast, observed: ArrayLike<number>, cellStart = 0,
  into = { logLik: new Float64Array(f.categories), n: new Float64Array(f.categories) },
): { logLik: Float64Array; n: Float64Array } {
  const C = f.categories;
  for (let j = 0; j < observed.length; j++) {
    const i = cellStart + j, c = i % C;
    into.logLik[c] += logPmf(f, i, Math.round(observed[j]));
    into.n[c]++;
  }
  return into;
}
