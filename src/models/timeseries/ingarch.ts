/**
 * INGARCH(1,1) count time series (Ferland, Latour & Oraichi 2006; Fokianos, Rahbek & Tjøstheim 2009):
 *   identity link  λ_t = s_{d(t)} ν_t,  ν_t = ω + α y_{t−1}/s_{d(t−1)} + β ν_{t−1}   (ω > 0, α, β ≥ 0, α + β < 1)
 *   log link       log λ_t = log s_{d(t)} + η_t,  η_t = ω + α log(1 + y_{t−1}) + β η_{t−1}   (Fokianos & Tjøstheim 2011)
 * with a multiplicative seasonal factor s (day of week for daily data) estimated from shrunken category means.
 * Mean parameters by Poisson quasi-ML (consistent under over-dispersion, Christou & Fokianos 2014), then the
 * negative-binomial size by ML given the fitted intensities. Intensities are positive by construction.
 */
import { fitNegBinSize } from '../dispersion.js';
import { minimize } from './nelder-mead.js';

export type IngarchLink = 'identity' | 'log';

export interface IngarchOptions {
  link?: IngarchLink;
  family?: 'poisson' | 'negbin';
  /** Seasonal level index of each observation (e.g. ISO day of week 0–6); omit for no seasonal factor. */
  season?: ArrayLike<number>;
  /** Number of seasonal levels (7 for day of week). */
  seasonLevels?: number;
  /** Pseudo-counts shrinking each seasonal factor towards 1 (sparse series have noisy day-of-week means). */
  seasonShrink?: number;
  maxEvals?: number;
}

export interface IngarchModel {
  link: IngarchLink;
  omega: number;
  alpha: number;
  beta: number;
  /** Multiplicative seasonal factors (mean 1 over the history); length seasonLevels, or empty. */
  seasonFactor: Float64Array;
  /** NB size (Infinity = Poisson). */
  size: number;
  /** Fitted intensities λ_t (length n). */
  lambda: Float64Array;
  /** Latent value at the first observation (the recursion's start): the filter restarts from it. */
  init: number;
  /** Latent ν_n (identity) or η_n (log) and y_n, the state needed to forecast. */
  lastLatent: number;
  lastY: number;
  lastSeason: number;
  /** Poisson quasi log-likelihood (without −log y!). */
  quasiLoglik: number;
  converged: boolean;
  /** Set when the series was all zeros and no dynamics could be fitted. */
  degenerate: boolean;
}

/** Smallest intensity ever returned: an all-zero history still leaves a crime possible. */
export function intensityFloor(n: number): number {
  return 0.5 / (n + 1);
}

function seasonFactors(y: ArrayLike<number>, season: ArrayLike<number> | undefined, levels: number, shrink: number): Float64Array {
  if (!season || levels < 2) return new Float64Array(0);
  const n = y.length, sum = new Float64Array(levels), cnt = new Float64Array(levels);
  let tot = 0;
  for (let t = 0; t < n; t++) { sum[season[t]] += y[t]; cnt[season[t]]++; tot += y[t]; }
  const mean = tot / n, f = new Float64Array(levels);
  if (!(mean > 0)) return f.fill(1);
  // shrunken ratio (S_d + κ·ȳ·… ) keeps empty or sparse levels near 1
  for (let d = 0; d < levels; d++) f[d] = (sum[d] + shrink) / (cnt[d] * mean + shrink);
  let norm = 0;
  for (let t = 0; t < n; t++) norm += f[season[t]];
  norm /= n;
  for (let d = 0; d < levels; d++) f[d] /= norm;
  return f;
}

interface Params { omega: number; alpha: number; beta: number }

function decode(x: Float64Array, link: IngarchLink): Params | null {
  if (link === 'identity') {
    // α, β ≥ 0 and α + β < 1 through a 3-way softmax
    const ea = Math.exp(x[1]), eb = Math.exp(x[2]), z = 1 + ea + eb;
    return { omega: Math.exp(x[0]), alpha: ea / z, beta: eb / z };
  }
  const alpha = Math.tanh(x[1]), beta = Math.tanh(x[2]);
  if (Math.abs(alpha + beta) >= 0.999) return null;
  return { omega: x[0], alpha, beta };
}

/** Run the recursion; fills lam (if given) and returns the Poisson quasi log-likelihood and final state. */
function run(y: ArrayLike<number>, p: Params, link: IngarchLink, sf: Float64Array, season: ArrayLike<number> | undefined, init: number, lam: Float64Array | null, floor: number) {
  const n = y.length, useS = sf.length > 0;
  let latent = init, ll = 0;
  for (let t = 0; t < n; t++) {
    const s = useS ? sf[season![t]] : 1;
    if (t > 0) {
      const sPrev = useS ? sf[season![t - 1]] : 1;
      latent = link === 'identity' ? p.omega + (p.alpha * y[t - 1]) / sPrev + p.beta * latent : p.omega + p.alpha * Math.log1p(y[t - 1]) + p.beta * latent;
    }
    let l = link === 'identity' ? s * latent : s * Math.exp(Math.min(latent, 30));
    if (!(l > floor)) l = floor;
    if (lam) lam[t] = l;
    ll += y[t] * Math.log(l) - l;
  }
  return { ll, latent };
}

export function fitIngarch(series: ArrayLike<number>, opts: IngarchOptions = {}): IngarchModel {
  const y = Float64Array.from(series), n = y.length;
  const link = opts.link ?? 'identity';
  const levels = opts.seasonLevels ?? 7;
  const sf = seasonFactors(y, opts.season, levels, opts.seasonShrink ?? 5);
  const floor = intensityFloor(n);
  let tot = 0;
  for (let t = 0; t < n; t++) tot += y[t];
  const mean = tot / Math.max(1, n);
  if (!(tot > 0) || n < 3) {
    const lambda = new Float64Array(n).fill(Math.max(mean, floor));
    const level = link === 'identity' ? Math.max(mean, floor) : Math.log(Math.max(mean, floor));
    return { link, omega: level, alpha: 0, beta: 0, seasonFactor: sf, size: Infinity, lambda, init: level, lastLatent: link === 'identity' ? Math.max(mean, floor) : Math.log(Math.max(mean, floor)), lastY: n ? y[n - 1] : 0, lastSeason: 0, quasiLoglik: 0, converged: true, degenerate: true };
  }
  // start at α = 0.1, β = 0.6, ω matching the mean
  const x0 = link === 'identity'
    ? Float64Array.of(Math.log(mean * 0.3), Math.log(0.1 / 0.3), Math.log(0.6 / 0.3))
    : Float64Array.of(0.3 * Math.log(mean) - 0.1 * Math.log1p(mean), Math.atanh(0.1), Math.atanh(0.6));
  const init = link === 'identity' ? mean : Math.log(mean);
  const objective = (x: Float64Array) => {
    const p = decode(x, link);
    return p ? -run(y, p, link, sf, opts.season, init, null, floor).ll : Infinity;
  };
  const res = minimize(objective, x0, { step: 0.5, maxEvals: opts.maxEvals ?? 400, fTol: 1e-9, xTol: 1e-5, restarts: 1 });
  const p = decode(res.x, link)!;
  const lambda = new Float64Array(n);
  const { ll, latent } = run(y, p, link, sf, opts.season, init, lambda, floor);
  const size = opts.family === 'poisson' ? Infinity : fitNegBinSize(y, lambda);
  return {
    link, ...p, seasonFactor: sf, size, lambda, init, lastLatent: latent, lastY: y[n - 1],
    lastSeason: opts.season ? opts.season[n - 1] : 0, quasiLoglik: ll, converged: res.converged, degenerate: false,
  };
}

/**
 * The filter state between observations: after `n` observations, the latent value of the last one and that
 * observation with its seasonal level. Advancing it at fixed parameters is what `update` does between refits.
 */
export interface IngarchState {
  n: number;
  latent: number;
  lastY: number;
  lastSeason: number;
}

/** The state at the end of the fitted series. */
export function ingarchState(m: IngarchModel): IngarchState {
  return { n: m.lambda.length, latent: m.lastLatent, lastY: m.lastY, lastSeason: m.lastSeason };
}

/** The state before the first observation of the fitted series (restart the filter from there). */
export function ingarchStart(m: IngarchModel): IngarchState {
  return { n: 0, latent: m.init, lastY: 0, lastSeason: 0 };
}

/** Advance the state over further observations y (with their seasonal levels) at the fitted parameters. */
export function advanceIngarch(m: IngarchModel, s: IngarchState, y: ArrayLike<number>, season?: ArrayLike<number>): void {
  const useS = m.seasonFactor.length > 0, identity = m.link === 'identity';
  let latent = s.latent, prevY = s.lastY, prevLevel = s.lastSeason;
  for (let i = 0; i < y.length; i++) {
    // the first observation of a series takes the starting latent value (as in the fit's recursion)
    if (s.n + i > 0) {
      latent = identity
        ? m.omega + (m.alpha * prevY) / (useS ? m.seasonFactor[prevLevel] : 1) + m.beta * latent
        : m.omega + m.alpha * Math.log1p(prevY) + m.beta * latent;
    }
    prevY = y[i];
    prevLevel = season ? season[i] : 0;
  }
  s.latent = latent; s.lastY = prevY; s.lastSeason = prevLevel; s.n += y.length;
}

/** The state after `y` computed from scratch by the fit's own recursion at the fitted parameters (for checks). */
export function ingarchFilter(m: IngarchModel, y: ArrayLike<number>, season?: ArrayLike<number>): IngarchState {
  const n = y.length;
  const { latent } = run(y, m, m.link, m.seasonFactor, season, m.init, null, intensityFloor(n));
  return { n, latent, lastY: n ? y[n - 1] : 0, lastSeason: season && n ? season[n - 1] : 0 };
}

/**
 * Mean forecasts λ_{n+1..n+h}. Identity link: exact conditional means (E[y/s] = ν propagates linearly).
 * Log link: plug-in recursion with log(1 + λ) in place of E[log(1 + y)], a slight downward-biased approximation.
 * `futureSeason` gives the seasonal level of each forecast period; `state` (default: the end of the fitted series)
 * is where the forecast starts.
 */
export function forecastIngarch(m: IngarchModel, h: number, futureSeason?: ArrayLike<number>, state: IngarchState = ingarchState(m)): Float64Array {
  const out = new Float64Array(h), floor = intensityFloor(state.n);
  const useS = m.seasonFactor.length > 0;
  const sOf = (j: number) => (useS && futureSeason ? m.seasonFactor[futureSeason[j]] : 1);
  if (m.degenerate) return out.fill(m.lambda[0] ?? floor);
  let latent = state.latent, prevY = state.lastY, prevS = useS ? m.seasonFactor[state.lastSeason] : 1;
  for (let j = 0; j < h; j++) {
    if (m.link === 'identity') latent = m.omega + (m.alpha * prevY) / prevS + m.beta * latent;
    else latent = m.omega + m.alpha * Math.log1p(prevY) + m.beta * latent;
    const s = sOf(j);
    const l = m.link === 'identity' ? s * latent : s * Math.exp(Math.min(latent, 30));
    out[j] = l > floor ? l : floor;
    // the expected next count replaces the unknown one
    prevY = out[j]; prevS = s;
  }
  return out;
}
