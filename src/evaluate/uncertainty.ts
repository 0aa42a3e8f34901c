/**
 * Uncertainty of backtest metrics over test periods.
 *
 * Contributions are a P × K matrix, row-major (period p, field k at p·K + k): each metric module's per-period
 * sums flattened (e.g. for MAE of one category, K = 2: [absErr, n]). A metric is a function of the field totals,
 * so ratio metrics (MAE = Σ|e|/Σn, hit rate = Σcaptured/ΣN) are recomputed from resampled periods' numerators and
 * denominators, never averaged as per-period ratios.
 *
 * - Percentile bootstrap: resample P periods with replacement B times (seeded), recompute, take the
 *   α/2 and 1 − α/2 quantiles (type-7 interpolation). Default: periods drawn independently (block = 1). Test
 *   periods are serially dependent (crime has weekly cycles and runs), which makes iid intervals too narrow:
 *   `block` > 1 draws circular blocks of that many consecutive periods (Politis–Romano circular block bootstrap);
 *   `blockLength(P)` is the usual P^(1/3) rule.
 * - With fewer than MIN_BOOTSTRAP_UNITS periods (windows) the bootstrap distribution is a handful of points: callers
 *   report no interval or p-value instead (see protocols/summarise.ts).
 * - Paired bootstrap: the same resampled periods for both models; CI of the difference and a two-sided p-value
 *   2·min(share of Δ* ≤ 0, share of Δ* ≥ 0), capped at 1.
 * - Diebold–Mariano with the Harvey–Leybourne–Newbold (1997) small-sample correction.
 */
import { Rng } from '../util/rng.js';
import { normalCdf, studentTCdf } from '../util/special-functions.js';

export interface BootstrapOptions {
  /** Resamples (default 2000). */
  B?: number;
  seed?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Circular block length in periods (default 1: independent periods). */
  block?: number;
}

/** Fewer test periods (or windows) than this give no bootstrap interval or p-value: it would be a handful of points. */
export const MIN_BOOTSTRAP_UNITS = 10;

/** The P^(1/3) block-length rule for a circular block bootstrap of P periods (at least 1). */
export function blockLength(P: number): number {
  return Math.max(1, Math.round(Math.cbrt(P)));
}

export interface ConfidenceInterval {
  estimate: number;
  lo: number;
  hi: number;
  B: number;
}

export type Statistic = (totals: Float64Array) => number;

/** Quantile of sorted values, linear interpolation between order statistics (R type 7 / numpy default). */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q, lo = Math.floor(h), hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Column totals of a P × K contribution matrix over the periods listed in `idx` (all periods when absent). */
export function totalsOf(contrib: ArrayLike<number>, K: number, idx?: ArrayLike<number>, out = new Float64Array(K)): Float64Array {
  out.fill(0);
  const P = idx ? idx.length : contrib.length / K;
  for (let m = 0; m < P; m++) {
    const row = (idx ? idx[m] : m) * K;
    for (let k = 0; k < K; k++) out[k] += contrib[row + k];
  }
  return out;
}

/** Draws the period indices of each resample: B × P, row-major; circular blocks of `block` periods. Shared by paired comparisons. */
function resampleIndices(P: number, B: number, seed: number, block = 1): Int32Array {
  const rng = new Rng(seed), idx = new Int32Array(B * P);
  if (block <= 1) {
    for (let i = 0; i < idx.length; i++) idx[i] = rng.int(P);
    return idx;
  }
  const L = Math.min(Math.floor(block), P);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < P; i += L) {
      const start = rng.int(P);
      for (let j = 0; j < L && i + j < P; j++) idx[b * P + i + j] = (start + j) % P;
    }
  }
  return idx;
}

function replicates(contrib: ArrayLike<number>, K: number, stat: Statistic, idx: Int32Array, P: number, B: number): Float64Array {
  const out = new Float64Array(B), tot = new Float64Array(K);
  for (let b = 0; b < B; b++) out[b] = stat(totalsOf(contrib, K, idx.subarray(b * P, (b + 1) * P), tot));
  return out;
}

function interval(estimate: number, reps: Float64Array, level: number): ConfidenceInterval {
  const finite = reps.filter(Number.isFinite).sort();
  const a = (1 - level) / 2;
  return { estimate, lo: sortedQuantile(finite, a), hi: sortedQuantile(finite, 1 - a), B: reps.length };
}

/** Two-sided bootstrap p-value for "the difference is 0": 2·min(share ≤ 0, share ≥ 0) over finite replicates, capped at 1. */
function twoSidedP(d: Float64Array): number {
  let le = 0, ge = 0, n = 0;
  for (let b = 0; b < d.length; b++) {
    if (!Number.isFinite(d[b])) continue;
    n++;
    if (d[b] <= 0) le++;
    if (d[b] >= 0) ge++;
  }
  return n > 0 ? Math.min(1, (2 * Math.min(le, ge)) / n) : NaN;
}

/** Percentile-bootstrap CI of `stat` over periods of a P × K contribution matrix. */
export function bootstrapCI(contrib: ArrayLike<number>, K: number, stat: Statistic, opts: BootstrapOptions = {}): ConfidenceInterval {
  const { B = 2000, seed = 1, level = 0.95, block = 1 } = opts;
  const P = contrib.length / K;
  if (!Number.isInteger(P) || P < 1) throw new RangeError(`bootstrapCI: ${contrib.length} values is not a P × ${K} matrix`);
  const estimate = stat(totalsOf(contrib, K));
  return interval(estimate, replicates(contrib, K, stat, resampleIndices(P, B, seed, block), P, B), level);
}

/** Percentile-bootstrap CI of a per-period mean (K = 1 shortcut). */
export function bootstrapMeanCI(perPeriod: ArrayLike<number>, opts: BootstrapOptions = {}): ConfidenceInterval {
  return bootstrapCI(perPeriod, 1, (t) => t[0] / perPeriod.length, opts);
}

export interface PairedComparison {
  /** stat(A) − stat(B) on all periods. */
  diff: number;
  lo: number;
  hi: number;
  /** Two-sided bootstrap p-value for "no difference". */
  p: number;
  B: number;
}

/**
 * Paired bootstrap of stat(A) − stat(B), A and B the two models' P × K contributions on the SAME test periods.
 */
export function pairedBootstrap(
  contribA: ArrayLike<number>, contribB: ArrayLike<number>, K: number, stat: Statistic, opts: BootstrapOptions = {},
): PairedComparison {
  const { B = 2000, seed = 1, level = 0.95, block = 1 } = opts;
  if (contribA.length !== contribB.length) throw new RangeError('pairedBootstrap: the two models cover different periods');
  const P = contribA.length / K;
  const idx = resampleIndices(P, B, seed, block);
  const ra = replicates(contribA, K, stat, idx, P, B), rb = replicates(contribB, K, stat, idx, P, B);
  const d = new Float64Array(B);
  for (let b = 0; b < B; b++) d[b] = ra[b] - rb[b];
  const ci = interval(stat(totalsOf(contribA, K)) - stat(totalsOf(contribB, K)), d, level);
  return { diff: ci.estimate, lo: ci.lo, hi: ci.hi, p: twoSidedP(d), B };
}

/**
 * Bootstrap for metrics that are not functions of additive sums (AUC-ROC, average precision): `stat(idx)` computes
 * the metric from the periods listed in idx (with repeats). Slower: the metric is recomputed from scratch B times.
 * With `statB`, the result is the paired difference stat(idx) − statB(idx) on the same resamples.
 */
export function bootstrapResample(
  P: number, stat: (idx: Int32Array) => number, opts: BootstrapOptions = {}, statB?: (idx: Int32Array) => number,
): PairedComparison {
  const { B = 2000, seed = 1, level = 0.95, block = 1 } = opts;
  const all = Int32Array.from({ length: P }, (_, p) => p);
  const idx = resampleIndices(P, B, seed, block);
  const f = (ix: Int32Array) => stat(ix) - (statB ? statB(ix) : 0);
  const d = new Float64Array(B);
  for (let b = 0; b < B; b++) d[b] = f(idx.subarray(b * P, (b + 1) * P));
  const ci = interval(f(all), d, level);
  // p is only meaningful for a paired difference (H0: 0); for a single statistic it tests "the metric is 0".
  return { diff: ci.estimate, lo: ci.lo, hi: ci.hi, p: twoSidedP(d), B };
}

export interface DieboldMarianoResult {
  /** Mean loss difference d̄ = mean(lossA − lossB); negative favours A. */
  meanDiff: number;
  /** HLN-corrected statistic, compared with Student t on T − 1 df. */
  statistic: number;
  pValue: number;
  df: number;
  /** The uncorrected DM statistic (asymptotically standard normal) and its p-value. */
  dm: number;
  dmPValue: number;
}

/**
 * Diebold–Mariano test of equal expected loss from per-period losses of two models (same periods).
 * Var(d̄) = (γ₀ + 2 Σ_{k=1}^{h−1} γ_k) / T, autocovariances γ_k with divisor T (the truncated uniform HAC window
 * appropriate for h-step forecasts, whose errors are MA(h − 1)); if that is not positive, γ₀ alone is used.
 * HLN: DM* = DM · √[(T + 1 − 2h + h(h − 1)/T) / T], two-sided p-value from Student t with T − 1 df.
 */
export function dieboldMariano(lossA: ArrayLike<number>, lossB: ArrayLike<number>, horizon = 1): DieboldMarianoResult {
  const T = lossA.length;
  if (lossB.length !== T) throw new RangeError('dieboldMariano: loss series differ in length');
  if (T < 2) throw new RangeError('dieboldMariano needs at least two periods');
  const h = Math.max(1, Math.floor(horizon));
  const d = new Float64Array(T);
  let mean = 0;
  for (let t = 0; t < T; t++) { d[t] = lossA[t] - lossB[t]; mean += d[t]; }
  mean /= T;
  const gamma = (k: number) => {
    let s = 0;
    for (let t = k; t < T; t++) s += (d[t] - mean) * (d[t - k] - mean);
    return s / T;
  };
  const g0 = gamma(0);
  let lrv = g0;
  for (let k = 1; k < h && k < T; k++) lrv += 2 * gamma(k);
  if (!(lrv > 0)) lrv = g0;
  const dm = lrv > 0 ? mean / Math.sqrt(lrv / T) : mean === 0 ? 0 : Math.sign(mean) * Infinity;
  const hln = Math.sqrt((T + 1 - 2 * h + (h * (h - 1)) / T) / T);
  const statistic = dm * hln;
  const df = T - 1;
  return {
    meanDiff: mean, statistic, df, dm,
    pValue: 2 * studentTCdf(-Math.abs(statistic), df),
    dmPValue: 2 * normalCdf(-Math.abs(dm)),
  };
}
