/**
 * Exponential smoothing in the innovations state-space form ETS(error, trend, season) of Hyndman, Koehler,
 * Snyder & Grose (2002) / Hyndman et al. (2008): simple (ANN), Holt (AAN), damped (AAdN), Holt–Winters additive
 * (AAA) and multiplicative (MAM, MNM, …), each with additive or multiplicative errors. Smoothing parameters and
 * the initial level/trend maximise the likelihood (Nelder–Mead); initial seasonal states come from a classical
 * decomposition of the first cycles. `autoEts` picks the model by AICc.
 */
import { minimize } from './nelder-mead.js';

export type EtsError = 'A' | 'M';
export type EtsTrend = 'N' | 'A' | 'Ad';
export type EtsSeason = 'N' | 'A' | 'M';

export interface EtsSpec { error: EtsError; trend: EtsTrend; season: EtsSeason; period?: number }

export interface EtsModel {
  spec: Required<EtsSpec>;
  label: string;
  alpha: number; beta: number; gamma: number; phi: number;
  /** Final states: level, trend and the last `period` seasonal states (oldest first). */
  level: number; trend: number; seasonal: Float64Array;
  /** Estimated initial states (before the first observation): the filter restarts from them. */
  initial: { level: number; trend: number; seasonal: Float64Array };
  /** Observations the model was fitted on. */
  n: number;
  sigma2: number;
  loglik: number;
  aic: number; aicc: number; bic: number;
  npar: number;
  /** One-step fitted values. */
  fitted: Float64Array;
}

export function etsLabel(s: EtsSpec): string {
  return `ETS(${s.error},${s.trend},${s.season})`;
}

interface Params { alpha: number; beta: number; gamma: number; phi: number; l0: number; b0: number }

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));

/** Classical-decomposition starting values of the seasonal states (mean 0 additive, mean 1 multiplicative). */
function initialSeason(y: Float64Array, m: number, kind: EtsSeason): Float64Array {
  const s = new Float64Array(m);
  if (kind === 'N' || m < 2) return s;
  const cycles = Math.min(3, Math.floor(y.length / m));
  const idx = new Float64Array(m);
  for (let c = 0; c < cycles; c++) {
    let mean = 0;
    for (let j = 0; j < m; j++) mean += y[c * m + j] / m;
    for (let j = 0; j < m; j++) idx[j] += (kind === 'A' ? y[c * m + j] - mean : y[c * m + j] / (mean || 1)) / cycles;
  }
  let norm = 0;
  for (let j = 0; j < m; j++) norm += idx[j] / m;
  for (let j = 0; j < m; j++) s[j] = kind === 'A' ? idx[j] - norm : idx[j] / (norm || 1);
  return s;
}

interface RunResult { sse: number; sumLogAbsYhat: number; level: number; trend: number; seasonal: Float64Array; ok: boolean }

/** Run the state recursions; fitted (if given) receives one-step means. */
function runEts(y: Float64Array, spec: Required<EtsSpec>, p: Params, season0: Float64Array, fitted: Float64Array | null): RunResult {
  const m = spec.period, hasS = spec.season !== 'N', n = y.length;
  const phi = spec.trend === 'Ad' ? p.phi : 1, useB = spec.trend !== 'N';
  let l = p.l0, b = useB ? p.b0 : 0, sse = 0, sla = 0;
  // seasonal states in a ring: s[t mod m] holds s_{t−m} when observation t arrives
  const s = Float64Array.from(season0);
  for (let t = 0; t < n; t++) {
    const q = l + phi * b;
    const st = hasS ? s[t % m] : spec.season === 'M' ? 1 : 0;
    const yhat = spec.season === 'M' ? q * st : q + st;
    if (fitted) fitted[t] = yhat;
    if (spec.error === 'M' && !(yhat > 0)) return { sse: Infinity, sumLogAbsYhat: 0, level: l, trend: b, seasonal: s, ok: false };
    const e = spec.error === 'A' ? y[t] - yhat : (y[t] - yhat) / yhat;
    sse += e * e;
    if (spec.error === 'M') sla += Math.log(Math.abs(yhat));
    // ε expressed as the additive innovation of each state equation
    const ea = spec.error === 'A' ? e : yhat * e;
    if (spec.season === 'M') {
      l = q + (p.alpha * ea) / st;
      if (useB) b = phi * b + (p.beta * ea) / st;
      s[t % m] = st + (p.gamma * ea) / q;
    } else {
      l = q + p.alpha * ea;
      if (useB) b = phi * b + p.beta * ea;
      if (hasS) s[t % m] = st + p.gamma * ea;
    }
    if (!Number.isFinite(l)) return { sse: Infinity, sumLogAbsYhat: 0, level: l, trend: b, seasonal: s, ok: false };
  }
  // reorder the ring so seasonal[j] is the state for period n + j (oldest first)
  const seasonal = new Float64Array(hasS ? m : 0);
  for (let j = 0; j < seasonal.length; j++) seasonal[j] = s[(n + j) % m];
  return { sse, sumLogAbsYhat: sla, level: l, trend: b, seasonal, ok: true };
}

export function fitEts(series: ArrayLike<number>, specIn: EtsSpec): EtsModel {
  const y = Float64Array.from(series), n = y.length;
  const spec: Required<EtsSpec> = { ...specIn, period: specIn.season === 'N' ? 1 : specIn.period ?? 1 };
  const m = spec.period, hasS = spec.season !== 'N';
  if (hasS && (m < 2 || n < 2 * m + 2)) throw new RangeError(`${etsLabel(spec)} needs a period ≥ 2 and at least two cycles of data`);
  if ((spec.error === 'M' || spec.season === 'M') && y.some((v) => !(v > 0))) throw new RangeError(`${etsLabel(spec)} needs strictly positive data`);
  const season0 = initialSeason(y, m, spec.season);
  const head = Math.min(n, hasS ? m : 10);
  let l0 = 0;
  for (let i = 0; i < head; i++) l0 += (spec.season === 'M' ? y[i] / season0[i % m] : y[i] - (hasS ? season0[i % m] : 0)) / head;
  const b0 = n > 2 * head ? (mean(y, n - head, n) - mean(y, 0, head)) / (n - head) : 0;
  const useB = spec.trend !== 'N', damped = spec.trend === 'Ad';
  const scale = Math.max(1e-6, Math.abs(l0), sd(y));
  // unconstrained → admissible (Hyndman's usual region): 0 < α < 1, 0 < β < α, 0 < γ < 1 − α, 0.8 < φ < 0.98
  const decode = (x: Float64Array): Params => {
    let i = 0;
    const alpha = 1e-4 + (1 - 2e-4) * logistic(x[i++]);
    const beta = useB ? alpha * logistic(x[i++]) : 0;
    const gamma = hasS ? (1 - alpha) * logistic(x[i++]) : 0;
    const phi = damped ? 0.8 + 0.18 * logistic(x[i++]) : 1;
    const l = l0 + scale * x[i++];
    const b = useB ? b0 + (scale / Math.max(10, n / 10)) * x[i++] : 0;
    return { alpha, beta, gamma, phi, l0: l, b0: b };
  };
  const x0: number[] = [logit(0.2)];
  if (useB) x0.push(logit(0.3));
  if (hasS) x0.push(logit(0.1));
  if (damped) x0.push(0);
  x0.push(0);
  if (useB) x0.push(0);
  const objective = (x: Float64Array) => {
    const r = runEts(y, spec, decode(x), season0, null);
    if (!r.ok || !(r.sse > 0)) return Infinity;
    return n * Math.log(r.sse) + 2 * r.sumLogAbsYhat;
  };
  const res = minimize(objective, x0, { step: 0.5, maxEvals: 150 * x0.length + 100, fTol: 1e-9, xTol: 1e-6, restarts: 1 });
  const p = decode(res.x);
  const fitted = new Float64Array(n);
  const r = runEts(y, spec, p, season0, fitted);
  const sigma2 = r.sse / n;
  const loglik = -0.5 * (n * Math.log(2 * Math.PI * sigma2) + n) - r.sumLogAbsYhat;
  // smoothing parameters, initial level/trend, the m − 1 free seasonal states, σ²
  const npar = 1 + (useB ? 2 : 0) + (hasS ? m : 0) + (damped ? 1 : 0) + 1 + 1;
  const aic = -2 * loglik + 2 * npar;
  return {
    spec, label: etsLabel(spec), alpha: p.alpha, beta: p.beta, gamma: p.gamma, phi: p.phi,
    level: r.level, trend: r.trend, seasonal: r.seasonal, initial: { level: p.l0, trend: spec.trend === 'N' ? 0 : p.b0, seasonal: Float64Array.from(season0) }, n, sigma2, loglik, aic,
    aicc: n - npar - 1 > 0 ? aic + (2 * npar * (npar + 1)) / (n - npar - 1) : Infinity,
    bic: -2 * loglik + npar * Math.log(n), npar, fitted,
  };
}

function mean(y: Float64Array, a: number, b: number): number {
  let s = 0;
  for (let i = a; i < b; i++) s += y[i];
  return s / Math.max(1, b - a);
}
function sd(y: Float64Array): number {
  const mu = mean(y, 0, y.length);
  let v = 0;
  for (const x of y) v += (x - mu) ** 2;
  return Math.sqrt(v / Math.max(1, y.length - 1));
}

/**
 * The filter state between observations: level, trend and a ring of seasonal states where
 * seasonal[(pos + j) % period] belongs to the j-th next period. `skipped` counts observations that could not
 * correct the state (a multiplicative-error model whose one-step mean was not positive).
 */
export interface EtsState {
  n: number;
  level: number;
  trend: number;
  seasonal: Float64Array;
  pos: number;
  skipped: number;
}

/** The state at the end of the fitted series. */
export function etsState(m: EtsModel): EtsState {
  return { n: m.n, level: m.level, trend: m.trend, seasonal: Float64Array.from(m.seasonal), pos: 0, skipped: 0 };
}

/** The state before the first observation of the fitted series. */
export function etsStart(m: EtsModel): EtsState {
  const hasS = m.spec.season !== 'N';
  return { n: 0, level: m.initial.level, trend: m.initial.trend, seasonal: hasS ? Float64Array.from(m.initial.seasonal) : new Float64Array(0), pos: 0, skipped: 0 };
}

/** Advance the state over further observations at the fitted smoothing parameters (the fit's recursion, step by step). */
export function advanceEts(m: EtsModel, st: EtsState, y: ArrayLike<number>): void {
  const { spec, alpha, beta, gamma } = m;
  const period = spec.period, hasS = spec.season !== 'N', multS = spec.season === 'M', useB = spec.trend !== 'N';
  const phi = spec.trend === 'Ad' ? m.phi : 1, s = st.seasonal;
  let l = st.level, b = st.trend, pos = st.pos;
  for (let i = 0; i < y.length; i++) {
    const q = l + phi * b;
    const sv = hasS ? s[pos] : multS ? 1 : 0;
    const yhat = multS ? q * sv : q + sv;
    if (spec.error === 'M' && !(yhat > 0)) {
      // no relative error exists: the states move on without correction, and the skip is counted
      st.skipped++;
      l = q; b = phi * b;
    } else {
      const e = spec.error === 'A' ? y[i] - yhat : (y[i] - yhat) / yhat;
      const ea = spec.error === 'A' ? e : yhat * e;
      if (multS) {
        l = q + (alpha * ea) / sv;
        if (useB) b = phi * b + (beta * ea) / sv;
        s[pos] = sv + (gamma * ea) / q;
      } else {
        l = q + alpha * ea;
        if (useB) b = phi * b + beta * ea;
        if (hasS) s[pos] = sv + gamma * ea;
      }
    }
    if (hasS) pos = (pos + 1) % period;
  }
  st.level = l; st.trend = b; st.pos = pos; st.n += y.length;
}

/** The state after `y` computed from scratch by the fit's own recursion at the fitted parameters (for checks). */
export function etsFilter(m: EtsModel, y: ArrayLike<number>): EtsState {
  const p: Params = { alpha: m.alpha, beta: m.beta, gamma: m.gamma, phi: m.phi, l0: m.initial.level, b0: m.initial.trend };
  const r = runEts(Float64Array.from(y), m.spec, p, m.initial.seasonal, null);
  return { n: y.length, level: r.level, trend: r.trend, seasonal: r.seasonal, pos: 0, skipped: 0 };
}

export interface EtsForecast { mean: Float64Array; se: Float64Array }

/**
 * Point forecasts from the final states, and standard errors from the class-1 formula
 * Var_h = σ²[1 + Σ_{j<h} c_j²], c_j = α + βφ_j + γ·[j ≡ 0 mod m] (Hyndman et al. 2008, Table 6.1).
 * For multiplicative errors σ is relative, so the same sum is scaled by the squared point forecast
 * (a first-order approximation that ignores the growth of the variance with the level).
 * `state` (default: the end of the fitted series) is where the forecast starts.
 */
export function forecastEts(model: EtsModel, h: number, state: EtsState = etsState(model)): EtsForecast {
  const { spec, phi, alpha, beta, gamma } = model;
  const m = spec.period, damped = spec.trend === 'Ad', useB = spec.trend !== 'N';
  const out = new Float64Array(h), se = new Float64Array(h);
  let phiSum = 0, acc = 0;
  for (let j = 1; j <= h; j++) {
    phiSum += damped ? Math.pow(phi, j) : 1;
    const q = state.level + (useB ? phiSum * state.trend : 0);
    const s = spec.season === 'N' ? 0 : state.seasonal[(state.pos + j - 1) % m];
    out[j - 1] = spec.season === 'M' ? q * s : q + s;
    // c_{j−1} for the j-th step variance
    if (j > 1) {
      const k = j - 1;
      let phiK = 0;
      for (let i = 1; i <= k; i++) phiK += damped ? Math.pow(phi, i) : 1;
      const c = alpha + (useB ? beta * phiK : 0) + (spec.season !== 'N' && k % m === 0 ? gamma : 0);
      acc += c * c;
    }
    const v = model.sigma2 * (1 + acc);
    se[j - 1] = Math.sqrt(spec.error === 'M' ? v * out[j - 1] * out[j - 1] : v);
  }
  return { mean: out, se };
}

export interface AutoEtsOptions {
  period?: number;
  /** Allow damped trends (default true) and trends at all (default true). */
  damped?: boolean;
  trend?: boolean;
  /** Restrict to additive-error models (counts with zeros are forced to this anyway). */
  additiveOnly?: boolean;
}

/** Fit the admissible ETS models and keep the lowest AICc (additive error with multiplicative season is excluded as unstable). */
export function autoEts(series: ArrayLike<number>, opts: AutoEtsOptions = {}): { model: EtsModel; tried: { label: string; aicc: number }[] } {
  const y = Float64Array.from(series);
  const positive = y.every((v) => v > 0);
  const m = opts.period ?? 1;
  const seasons: EtsSeason[] = m >= 2 && y.length >= 2 * m + 2 ? ['N', 'A', 'M'] : ['N'];
  const trends: EtsTrend[] = opts.trend === false ? ['N'] : opts.damped === false ? ['N', 'A'] : ['N', 'A', 'Ad'];
  const errors: EtsError[] = positive && !opts.additiveOnly ? ['A', 'M'] : ['A'];
  const tried: { label: string; aicc: number }[] = [];
  let best: EtsModel | null = null;
  for (const error of errors) for (const trend of trends) for (const season of seasons) {
    if (season === 'M' && (error === 'A' || !positive)) continue;
    try {
      const fit = fitEts(y, { error, trend, season, period: m });
      tried.push({ label: fit.label, aicc: fit.aicc });
      if (Number.isFinite(fit.aicc) && (!best || fit.aicc < best.aicc)) best = fit;
    } catch { /* inadmissible for these data */ }
  }
  if (!best) throw new RangeError('autoEts: no ETS model could be fitted');
  return { model: best, tried };
}
