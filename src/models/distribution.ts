/**
 * Per-cell predictive distribution functions for every family in distribution-types.ts.
 * A cell index i addresses `f.mean[i]` and the family's per-cell arrays ((h * regions + r) * categories + c).
 *
 * Numerics: Poisson and NB probabilities are walked in log space with the ratio p(y+1)/p(y), so large means
 * never underflow e^{-μ}; NB with size ≥ POISSON_SIZE (or Infinity) is treated as Poisson (the limit k → ∞).
 */
import type { Forecast } from './forecaster.js';
import type { PredictiveDistribution } from './distribution-types.js';
import { logFactorial, type Rng } from '../util/rng.js';
import { logGamma } from '../util/special-functions.js';

/** NB sizes at or above this are indistinguishable from Poisson in double precision for count data. */
export const POISSON_SIZE = 1e12;

// ---------------------------------------------------------------------------------------------- constructors

type Shape = [horizon: number, regions: number, categories: number];

function checkLength(name: string, a: ArrayLike<number>, size: number): void {
  if (a.length !== size) throw new RangeError(`${name} has ${a.length} values, expected ${size}`);
}

function perCell(name: string, v: ArrayLike<number> | number, size: number): Float32Array {
  if (typeof v === 'number') return new Float32Array(size).fill(v);
  checkLength(name, v, size);
  return v instanceof Float32Array ? v : Float32Array.from(v);
}

function make(mean: ArrayLike<number>, dist: PredictiveDistribution, shape: Shape): Forecast {
  const [horizon, regions, categories] = shape;
  const size = horizon * regions * categories;
  checkLength('mean', mean, size);
  return { horizon, regions, categories, mean: mean instanceof Float32Array ? mean : Float32Array.from(mean), dist };
}

export function poissonForecast(mean: ArrayLike<number>, horizon: number, regions: number, categories: number): Forecast {
  return make(mean, { family: 'poisson' }, [horizon, regions, categories]);
}

/** Negative binomial with per-cell (or one shared) size k; variance μ + μ²/k. */
export function negbinForecast(
  mean: ArrayLike<number>, size: ArrayLike<number> | number, horizon: number, regions: number, categories: number,
): Forecast {
  const n = horizon * regions * categories;
  return make(mean, { family: 'negbin', size: perCell('size', size, n) }, [horizon, regions, categories]);
}

/** Zero-inflated Poisson; `mean` is the overall mean (1 − π)λ. */
export function zipForecast(
  mean: ArrayLike<number>, pi: ArrayLike<number> | number, horizon: number, regions: number, categories: number,
): Forecast {
  const n = horizon * regions * categories;
  return make(mean, { family: 'zip', pi: perCell('pi', pi, n) }, [horizon, regions, categories]);
}

export function zinbForecast(
  mean: ArrayLike<number>, pi: ArrayLike<number> | number, size: ArrayLike<number> | number,
  horizon: number, regions: number, categories: number,
): Forecast {
  const n = horizon * regions * categories;
  return make(mean, { family: 'zinb', pi: perCell('pi', pi, n), size: perCell('size', size, n) }, [horizon, regions, categories]);
}

/** Y ∈ {0, 1} with P(Y = 1) = prob. */
export function bernoulliForecast(prob: ArrayLike<number>, horizon: number, regions: number, categories: number): Forecast {
  return make(prob, { family: 'bernoulli' }, [horizon, regions, categories]);
}

/** Empirical distribution of `n` joint draws laid out [s][cell]; the mean is the sample average. */
export function samplesForecast(samples: Float32Array, n: number, horizon: number, regions: number, categories: number): Forecast {
  const cells = horizon * regions * categories;
  checkLength('samples', samples, n * cells);
  if (!(n >= 1)) throw new RangeError('samplesForecast needs at least one draw');
  const acc = new Float64Array(cells);
  for (let s = 0; s < n; s++) {
    const off = s * cells;
    for (let i = 0; i < cells; i++) acc[i] += samples[off + i];
  }
  const mean = new Float32Array(cells);
  for (let i = 0; i < cells; i++) mean[i] = acc[i] / n;
  return make(mean, { family: 'samples', n, samples }, [horizon, regions, categories]);
}

export function cellCount(f: Forecast): number {
  return f.horizon * f.regions * f.categories;
}

// ---------------------------------------------------------------------------------------------- base NB / Poisson

/** NB size of cell i (Infinity = Poisson) for the Poisson-like families. */
function sizeOf(f: Forecast, i: number): number {
  const d = f.dist;
  if (d.family === 'negbin' || d.family === 'zinb') return d.size[i] >= POISSON_SIZE ? Infinity : d.size[i];
  return Infinity;
}

/** Zero-inflation π of cell i (0 for non-inflated families). */
function piOf(f: Forecast, i: number): number {
  const d = f.dist;
  return d.family === 'zip' || d.family === 'zinb' ? d.pi[i] : 0;
}

/** Mean of the count component: λ = μ / (1 − π). */
function baseMean(mu: number, pi: number): number {
  return pi > 0 ? (pi >= 1 ? 0 : mu / (1 - pi)) : mu;
}

/** log P(Y = y) for Poisson(mu) (k = Infinity) or NB(mu, k); y a non-negative integer. */
export function baseLogPmf(mu: number, k: number, y: number): number {
  if (y < 0 || y !== Math.floor(y)) return -Infinity;
  if (!(mu > 0)) return y === 0 ? 0 : -Infinity;
  if (!Number.isFinite(k)) return y * Math.log(mu) - mu - logFactorial(y);
  // log Γ(y+k) − log Γ(k) as Σ_{j<y} log(k + j) for small y or large k: the difference of two large log-gammas
  // cancels badly (absolute error ~ eps·k log k).
  let lg = 0;
  if (y < 64 || k > 1e6) for (let j = 0; j < y; j++) lg += Math.log(k + j);
  else lg = logGamma(y + k) - logGamma(k);
  return lg - logFactorial(y) - k * Math.log1p(mu / k) + y * (Math.log(mu) - Math.log(k + mu));
}

function baseLogP0(mu: number, k: number): number {
  if (!(mu > 0)) return 0;
  return Number.isFinite(k) ? -k * Math.log1p(mu / k) : -mu;
}

/**
 * Walks P(Y = 0), P(Y = 1), … of Poisson(mu) / NB(mu, k) with the ratio p(j+1)/p(j) — a multiplication per
 * term — switching to log space only when p(0) would underflow (means beyond ~700).
 * One module-level instance is reused: JS is single-threaded and no caller nests two walks.
 */
class BaseWalk {
  j = 0;
  p = 0;
  private mu = 0;
  private k = Infinity;
  private odds = 0; // μ/(k+μ) for NB
  private lp = 0;
  private logMode = false;

  start(mu: number, k: number): number {
    this.mu = mu > 0 ? mu : 0; this.k = k; this.j = 0;
    this.odds = Number.isFinite(k) ? this.mu / (k + this.mu) : 0;
    this.lp = baseLogP0(this.mu, k);
    this.logMode = this.lp < -700;
    this.p = Math.exp(this.lp);
    return this.p;
  }

  next(): number {
    const j = this.j, ratio = Number.isFinite(this.k) ? ((j + this.k) / (j + 1)) * this.odds : this.mu / (j + 1);
    this.j = j + 1;
    if (this.logMode) { this.lp += Math.log(ratio); this.p = Math.exp(this.lp); }
    else this.p *= ratio;
    return this.p;
  }

  /** True once past the mode with negligible terms: the remaining tail cannot add anything in double precision. */
  exhausted(): boolean {
    return this.j > this.mu && this.p < 1e-300;
  }
}
const walk = new BaseWalk();

/** Smallest y with CDF(y) ≥ q for Poisson / NB (q in [0, 1)). */
function baseQuantile(mu: number, k: number, q: number): number {
  if (q <= 0 || !(mu > 0)) return 0;
  const sd = Math.sqrt(mu + (Number.isFinite(k) ? (mu * mu) / k : 0));
  const cap = mu + 60 * sd + 1000;
  let cum = walk.start(mu, k);
  // q − 1e-12 absorbs rounding in the running sum.
  while (cum < q - 1e-12 && !walk.exhausted() && walk.j < cap) cum += walk.next();
  return walk.j;
}

// ---------------------------------------------------------------------------------------------- per-cell functions

/** log P(Y = y) at cell i. */
export function logPmf(f: Forecast, i: number, y: number): number {
  const d = f.dist, mu = f.mean[i];
  switch (d.family) {
    case 'poisson': return baseLogPmf(mu, Infinity, y);
    case 'negbin': return baseLogPmf(mu, sizeOf(f, i), y);
    case 'zip':
    case 'zinb': {
      const pi = piOf(f, i), lam = baseMean(mu, pi), k = sizeOf(f, i);
      if (y === 0) return Math.log(pi + (1 - pi) * Math.exp(baseLogP0(lam, k)));
      return Math.log1p(-pi) + baseLogPmf(lam, k, y);
    }
    case 'bernoulli':
      return y === 0 ? Math.log1p(-mu) : y === 1 ? Math.log(mu) : -Infinity;
    case 'samples': {
      const c = countSamples(f, i, y, y);
      return Math.log(c / d.n);
    }
  }
}

export function pmf(f: Forecast, i: number, y: number): number {
  return Math.exp(logPmf(f, i, y));
}

/** Number of draws of cell i with lo ≤ value ≤ hi. */
function countSamples(f: Forecast, i: number, lo: number, hi: number): number {
  const d = f.dist;
  if (d.family !== 'samples') return 0;
  const cells = cellCount(f);
  let c = 0;
  for (let s = 0; s < d.n; s++) {
    const v = d.samples[s * cells + i];
    if (v >= lo && v <= hi) c++;
  }
  return c;
}

/**
 * Fills out[0..maxY] with P(Y = y) at cell i and returns it (the hot path for RPS and loss-optimal points).
 */
export function pmfTable(f: Forecast, i: number, maxY: number, out = new Float64Array(maxY + 1)): Float64Array {
  out.fill(0, 0, maxY + 1);
  const d = f.dist, mu = f.mean[i];
  if (d.family === 'bernoulli') {
    out[0] = 1 - mu;
    if (maxY >= 1) out[1] = mu;
    return out;
  }
  if (d.family === 'samples') {
    const cells = cellCount(f);
    for (let s = 0; s < d.n; s++) {
      const v = d.samples[s * cells + i];
      if (v >= 0 && v <= maxY) out[Math.round(v)] += 1 / d.n;
    }
    return out;
  }
  const pi = piOf(f, i);
  out[0] = (1 - pi) * walk.start(baseMean(mu, pi), sizeOf(f, i));
  for (let y = 1; y <= maxY; y++) out[y] = (1 - pi) * walk.next();
  out[0] += pi;
  return out;
}

/**
 * Reusable pmf buffer for per-cell loops (point forecasts, scores): `fill` tabulates P(Y = y) for
 * y = 0..maxY in one walk, stopping once the CDF reaches 1 − tail (and maxY ≥ atLeast), and returns maxY.
 * Only p[0..maxY] is meaningful afterwards.
 */
export class PmfWorkspace {
  p = new Float64Array(64);

  private ensure(n: number): void {
    if (this.p.length < n) {
      const q = new Float64Array(Math.max(n, 2 * this.p.length));
      q.set(this.p);
      this.p = q;
    }
  }

  fill(f: Forecast, i: number, tail = 1e-12, atLeast = 0): number {
    const d = f.dist, mu = f.mean[i];
    if (d.family === 'bernoulli' || d.family === 'samples') {
      let maxY = Math.max(1, atLeast);
      if (d.family === 'samples') {
        const cells = cellCount(f);
        for (let s = 0; s < d.n; s++) maxY = Math.max(maxY, Math.round(d.samples[s * cells + i]));
      }
      this.ensure(maxY + 1);
      pmfTable(f, i, maxY, this.p);
      return maxY;
    }
    const pi = piOf(f, i), lam = baseMean(mu, pi), k = sizeOf(f, i);
    const sd = Math.sqrt(lam + (Number.isFinite(k) ? (lam * lam) / k : 0));
    const cap = lam + 60 * sd + 1000;
    let p = (1 - pi) * walk.start(lam, k) + pi;
    this.p[0] = p;
    let cum = p, y = 0;
    while (y < atLeast || (cum < 1 - tail && !walk.exhausted() && y < cap)) {
      y++;
      this.ensure(y + 1);
      p = (1 - pi) * walk.next();
      this.p[y] = p;
      cum += p;
    }
    return y;
  }
}

/** P(Y ≤ y) at cell i. */
export function cdf(f: Forecast, i: number, y: number): number {
  if (y < 0) return 0;
  const yy = Math.floor(y);
  const d = f.dist;
  if (d.family === 'samples') return countSamples(f, i, -Infinity, yy) / d.n;
  if (d.family === 'bernoulli') return yy >= 1 ? 1 : 1 - f.mean[i];
  const pi = piOf(f, i);
  let cum = walk.start(baseMean(f.mean[i], pi), sizeOf(f, i));
  while (walk.j < yy && !walk.exhausted()) cum += walk.next();
  return Math.min(1, pi + (1 - pi) * cum);
}

/** Smallest integer y with P(Y ≤ y) ≥ q. q ≥ 1 returns the upper end of the support (Infinity for unbounded families). */
export function quantile(f: Forecast, i: number, q: number): number {
  const d = f.dist, mu = f.mean[i];
  if (d.family === 'bernoulli') return q <= 1 - mu ? 0 : 1;
  if (d.family === 'samples') return sampleQuantile(f, i, q);
  if (q >= 1) return mu > 0 ? Infinity : 0;
  const pi = piOf(f, i);
  if (q <= pi) return 0;
  return baseQuantile(baseMean(mu, pi), sizeOf(f, i), (q - pi) / (1 - pi));
}

function sampleQuantile(f: Forecast, i: number, q: number): number {
  const d = f.dist;
  if (d.family !== 'samples') return NaN;
  const cells = cellCount(f), v = new Float64Array(d.n);
  for (let s = 0; s < d.n; s++) v[s] = d.samples[s * cells + i];
  v.sort();
  // The ceil(q·n)-th smallest draw is the smallest value whose empirical CDF reaches q.
  const rank = Math.min(d.n, Math.max(1, Math.ceil(q * d.n - 1e-9)));
  return v[rank - 1];
}

/** Variance per cell. */
export function variance(f: Forecast): Float32Array {
  const n = cellCount(f), out = new Float32Array(n), d = f.dist;
  if (d.family === 'samples') {
    for (let i = 0; i < n; i++) {
      let s2 = 0;
      for (let s = 0; s < d.n; s++) { const e = d.samples[s * n + i] - f.mean[i]; s2 += e * e; }
      out[i] = s2 / d.n;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const mu = f.mean[i];
    if (d.family === 'bernoulli') { out[i] = mu * (1 - mu); continue; }
    const pi = piOf(f, i), lam = baseMean(mu, pi), k = sizeOf(f, i);
    const baseVar = lam + (Number.isFinite(k) ? (lam * lam) / k : 0);
    // Mixture: E[Y²] = (1 − π)(Var_base + λ²), Var = E[Y²] − μ².
    out[i] = pi > 0 ? (1 - pi) * (baseVar + lam * lam) - mu * mu : baseVar;
  }
  return out;
}

/** P(Y ≥ 1) per cell, computed with expm1 so tiny means keep their precision. */
export function probAtLeastOne(f: Forecast): Float32Array {
  const n = cellCount(f), out = new Float32Array(n), d = f.dist;
  for (let i = 0; i < n; i++) {
    const mu = f.mean[i];
    if (d.family === 'bernoulli') out[i] = mu;
    else if (d.family === 'samples') out[i] = countSamples(f, i, 0.5, Infinity) / d.n;
    else {
      const pi = piOf(f, i), lam = baseMean(mu, pi);
      out[i] = Math.max(0, -(1 - pi) * Math.expm1(baseLogP0(lam, sizeOf(f, i)))); // max: no −0 for μ = 0
    }
  }
  return out;
}

/**
 * `n` joint draws of the whole forecast, laid out [s][cell] like the 'samples' family.
 * A 'samples' forecast is resampled by whole draws, keeping its dependence across cells.
 */
export function sampleForecast(f: Forecast, rng: Rng, n: number): Float32Array {
  const cells = cellCount(f), out = new Float32Array(n * cells), d = f.dist;
  for (let s = 0; s < n; s++) {
    const off = s * cells;
    if (d.family === 'samples') {
      const src = rng.int(d.n) * cells;
      out.set(d.samples.subarray(src, src + cells), off);
      continue;
    }
    for (let i = 0; i < cells; i++) {
      const mu = f.mean[i];
      if (d.family === 'bernoulli') { out[off + i] = rng.random() < mu ? 1 : 0; continue; }
      const pi = piOf(f, i);
      if (pi > 0 && rng.random() < pi) continue; // structural zero
      const lam = baseMean(mu, pi), k = sizeOf(f, i);
      out[off + i] = Number.isFinite(k) ? rng.negbin(lam, k) : rng.poisson(lam);
    }
  }
  return out;
}
