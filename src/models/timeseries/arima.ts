/**
 * Seasonal ARIMA with regressors (SARIMAX as regression with SARIMA errors, the R `arima` / statsmodels
 * `ARIMA` convention): y_t = x_t′β + u_t, φ(B)Φ(B^s)(1−B)^d(1−B^s)^D u_t = θ(B)Θ(B^s)ε_t.
 * Fitted by exact maximum likelihood on the differenced series (Kalman filter, β and σ² profiled out,
 * Nelder–Mead over the transformed ARMA coefficients, which keeps every candidate stationary and invertible).
 */
import { armaFilter, armaStart, armaStep, type ArmaFilterResult, type ArmaState } from './arma-kalman.js';
import { applyLagPolynomial, differencingPolynomial, expandSeasonal, pacfToAr, psiWeights } from './arima-polynomial.js';
import { minimize } from './nelder-mead.js';
import { normalQuantile } from '../../util/special-functions.js';

export interface ArimaOrder {
  p: number; d: number; q: number;
  P?: number; D?: number; Q?: number;
  /** Seasonal period (1 = none). */
  s?: number;
}

export interface ArimaOptions {
  /** Constant (the mean) when the model is not differenced; default true. */
  mean?: boolean;
  /** Drift (a linear trend) when differenced once; default false. */
  drift?: boolean;
  /** Exogenous regressors, n × k row-major (e.g. holiday dummies, temperature). */
  xreg?: Float64Array;
  xregNames?: string[];
  maxEvals?: number;
  /** Looser optimisation (no restart, fewer evaluations): for ranking candidates in an order search. */
  quick?: boolean;
}

export interface ArimaModel {
  order: Required<ArimaOrder>;
  ar: Float64Array; ma: Float64Array; sar: Float64Array; sma: Float64Array;
  /** Regression coefficients, named in `betaNames` ('const', 'drift', then xreg names). */
  beta: Float64Array;
  betaNames: string[];
  sigma2: number;
  loglik: number;
  aic: number;
  aicc: number;
  bic: number;
  /** Observations in the likelihood (after differencing). */
  nobs: number;
  /** Estimated parameters (ARMA + β + σ²). */
  npar: number;
  converged: boolean;
  /** Original series and regressors, kept for forecasting. */
  y: Float64Array;
  xreg?: Float64Array;
  filter: ArmaFilterResult;
}

export function fullOrder(o: ArimaOrder): Required<ArimaOrder> {
  const s = o.s ?? 1;
  return { p: o.p, d: o.d, q: o.q, P: s > 1 ? o.P ?? 0 : 0, D: s > 1 ? o.D ?? 0 : 0, Q: s > 1 ? o.Q ?? 0 : 0, s };
}

export function orderLabel(o: ArimaOrder): string {
  const f = fullOrder(o);
  return `ARIMA(${f.p},${f.d},${f.q})` + (f.s > 1 && f.P + f.D + f.Q > 0 ? `(${f.P},${f.D},${f.Q})[${f.s}]` : '');
}

/** Design columns of the regression part: const, drift, then xreg (n × k row-major, undifferenced). */
function designMatrix(n: number, o: Required<ArimaOrder>, opts: ArimaOptions, start = 0): { X: Float64Array; names: string[]; k: number } {
  const names: string[] = [];
  const diffOrder = o.d + o.D;
  const useMean = (opts.mean ?? true) && diffOrder === 0;
  const useDrift = !!opts.drift && diffOrder === 1;
  if (useMean) names.push('const');
  if (useDrift) names.push('drift');
  const kx = opts.xreg ? opts.xreg.length / (start + n) : 0;
  if (opts.xreg && !Number.isInteger(kx)) throw new RangeError('xreg length is not a multiple of the series length');
  for (let j = 0; j < kx; j++) names.push(opts.xregNames?.[j] ?? `x${j + 1}`);
  const k = names.length, X = new Float64Array(n * k);
  for (let t = 0; t < n; t++) {
    let c = 0;
    if (useMean) X[t * k + c++] = 1;
    if (useDrift) X[t * k + c++] = start + t + 1;
    for (let j = 0; j < kx; j++) X[t * k + c++] = opts.xreg![(start + t) * kx + j];
  }
  return { X, names, k };
}

/** |transformed| ≤ 6 keeps partial autocorrelations within ±(1 − 1.2e-5): the optimiser cannot crawl along a unit root. */
const X_BOUND = 6;

function splitParams(x: Float64Array, o: Required<ArimaOrder>) {
  let i = 0;
  const take = (m: number) => { const v = x.subarray(i, i + m).map((u) => Math.max(-X_BOUND, Math.min(X_BOUND, u))); i += m; return v; };
  const ar = pacfToAr(take(o.p));
  const ma = pacfToAr(take(o.q)).map((v) => -v);
  const sar = pacfToAr(take(o.P));
  const sma = pacfToAr(take(o.Q)).map((v) => -v);
  return { ar, ma, sar, sma };
}

export function fitArima(series: ArrayLike<number>, order: ArimaOrder, opts: ArimaOptions = {}): ArimaModel {
  const o = fullOrder(order);
  const y = Float64Array.from(series), n = y.length;
  const delta = differencingPolynomial(o.d, o.D, o.s);
  const lost = delta.length - 1;
  if (n - lost < o.p + o.q + o.P + o.Q + 3) throw new RangeError(`${orderLabel(o)} needs more than ${n} observations`);
  const yd = applyLagPolynomial(y, delta);
  const { X, names, k } = designMatrix(n, o, opts);
  // difference every regressor column the same way (the model is linear in β)
  let Xd: Float64Array | null = null;
  if (k > 0) {
    Xd = new Float64Array((n - lost) * k);
    const col = new Float64Array(n);
    for (let j = 0; j < k; j++) {
      for (let t = 0; t < n; t++) col[t] = X[t * k + j];
      const dc = applyLagPolynomial(col, delta);
      for (let t = 0; t < dc.length; t++) Xd[t * k + j] = dc[t];
    }
  }
  const nParm = o.p + o.q + o.P + o.Q;
  const expand = (x: Float64Array) => {
    const { ar, ma, sar, sma } = splitParams(x, o);
    return { ar, ma, sar, sma, arFull: expandSeasonal(ar, sar, o.s, -1), maFull: expandSeasonal(ma, sma, o.s, 1) };
  };
  const objective = (x: Float64Array) => {
    const e = expand(x);
    return armaFilter(yd, Xd, k, e.arFull, e.maFull).m2ll;
  };
  const res = opts.quick
    ? minimize(objective, new Float64Array(nParm).fill(0.1), { step: 0.3, maxEvals: opts.maxEvals ?? 60 * Math.max(1, nParm) + 60, fTol: 1e-7, xTol: 1e-4, restarts: 0 })
    : minimize(objective, new Float64Array(nParm).fill(0.1), { step: 0.3, maxEvals: opts.maxEvals ?? 150 * Math.max(1, nParm) + 100, fTol: 1e-10, xTol: 1e-6, restarts: 1 });
  const e = expand(res.x);
  const filter = armaFilter(yd, Xd, k, e.arFull, e.maFull, true);
  const nobs = yd.length, npar = nParm + k + 1;
  const loglik = -filter.m2ll / 2;
  const aic = filter.m2ll + 2 * npar;
  return {
    order: o, ar: e.ar, ma: e.ma, sar: e.sar, sma: e.sma, beta: filter.beta, betaNames: names, sigma2: filter.sigma2,
    loglik, aic, aicc: nobs - npar - 1 > 0 ? aic + (2 * npar * (npar + 1)) / (nobs - npar - 1) : Infinity,
    bic: filter.m2ll + npar * Math.log(nobs), nobs, npar, converged: res.converged, y, xreg: opts.xreg ? Float64Array.from(opts.xreg) : undefined, filter,
  };
}

export interface ArimaForecast {
  mean: Float64Array;
  /** Standard deviation of the h-step forecast error. */
  se: Float64Array;
}

/**
 * The filter state between observations: how many observations were seen (the drift regressor's time index),
 * the last L regression errors u = y − x′β (L = degree of the differencing polynomial, oldest first), and the
 * Kalman state of the differenced errors w = δ(B)u. Advancing it at fixed parameters is `update` between refits.
 */
export interface ArimaState {
  n: number;
  uTail: Float64Array;
  kalman: ArmaState;
}

interface ArimaPolys { arFull: Float64Array; maFull: Float64Array; delta: Float64Array; kx: number; useMean: boolean; useDrift: boolean }

const polyCache = new WeakMap<ArimaModel, ArimaPolys>();
function polys(m: ArimaModel): ArimaPolys {
  let p = polyCache.get(m);
  if (!p) {
    const o = m.order;
    p = {
      arFull: expandSeasonal(m.ar, m.sar, o.s, -1), maFull: expandSeasonal(m.ma, m.sma, o.s, 1), delta: differencingPolynomial(o.d, o.D, o.s),
      kx: m.xreg ? m.xreg.length / m.y.length : 0, useMean: m.betaNames.includes('const'), useDrift: m.betaNames.includes('drift'),
    };
    polyCache.set(m, p);
  }
  return p;
}

/** x′β of observation t (0-based from the start of the fitted series) with its regressor row xrow[off..]. */
function regression(m: ArimaModel, p: ArimaPolys, t: number, xrow: ArrayLike<number> | undefined, off: number): number {
  let c = 0, v = 0;
  if (p.useMean) v += m.beta[c++];
  if (p.useDrift) v += m.beta[c++] * (t + 1);
  for (let j = 0; j < p.kx; j++) v += m.beta[c++] * xrow![off + j];
  return v;
}

/** The state at the end of the fitted series. */
export function arimaState(m: ArimaModel): ArimaState {
  const p = polys(m), n = m.y.length, L = p.delta.length - 1;
  const uTail = new Float64Array(Math.min(L, n));
  for (let i = 0; i < uTail.length; i++) {
    const t = n - uTail.length + i;
    uTail[i] = m.y[t] - regression(m, p, t, m.xreg, t * p.kx);
  }
  return { n, uTail, kalman: { a: Float64Array.from(m.filter.state), P: Float64Array.from(m.filter.stateCov), steady: m.filter.steady, r: m.filter.r } };
}

/** The state before the first observation of the fitted series. */
export function arimaStart(m: ArimaModel): ArimaState {
  const p = polys(m);
  return { n: 0, uTail: new Float64Array(0), kalman: armaStart(p.arFull, p.maFull) };
}

/** Advance the state over further observations y (with their regressors, rows × k, when the model has any) at fixed parameters. */
export function advanceArima(m: ArimaModel, st: ArimaState, y: ArrayLike<number>, xreg?: Float64Array): void {
  const p = polys(m), L = p.delta.length - 1;
  if (p.kx > 0 && (!xreg || xreg.length !== y.length * p.kx)) throw new RangeError(`advanceArima: need ${y.length} × ${p.kx} regressor values`);
  const tail = new Float64Array(L);
  tail.set(st.uTail, L - st.uTail.length);
  let have = st.uTail.length;
  for (let i = 0; i < y.length; i++) {
    const u = y[i] - regression(m, p, st.n, xreg, i * p.kx);
    // the first L observations only fill the differencing lags (they are lost to differencing in the fit too)
    if (have >= L) {
      let w = u;
      for (let k = 1; k <= L; k++) w += p.delta[k] * tail[L - k];
      armaStep(st.kalman, w, p.arFull, p.maFull);
    }
    if (L > 0) { tail.copyWithin(0, 1); tail[L - 1] = u; }
    have = Math.min(L, have + 1);
    st.n++;
  }
  st.uTail = tail.slice(L - have);
}

/** The state after `y` computed from scratch by the fit's batch filter at the fitted parameters (for checks). */
export function arimaFilter(m: ArimaModel, y: ArrayLike<number>, xreg?: Float64Array): ArimaState {
  const p = polys(m), n = y.length, L = p.delta.length - 1;
  const u = new Float64Array(n);
  for (let t = 0; t < n; t++) u[t] = y[t] - regression(m, p, t, xreg, t * p.kx);
  const f = armaFilter(applyLagPolynomial(u, p.delta), null, 0, p.arFull, p.maFull, true);
  return { n, uTail: u.slice(Math.max(0, n - L)), kalman: { a: f.state, P: f.stateCov, steady: f.steady, r: f.r } };
}

/**
 * h-step forecasts: the ARMA state a_{n+1|n} of the differenced errors is propagated, integrated back to
 * levels through the differencing polynomial, and the regression part added. The error variance uses the
 * ψ-weights of θ*(B)/(φ*(B)δ(B)) (exact for long series, where the filter has reached its steady state).
 * `xregFuture` is h × k row-major with the same columns as the fit's xreg; `state` (default: the end of the
 * fitted series) is where the forecast starts.
 */
export function forecastArima(m: ArimaModel, h: number, xregFuture?: Float64Array, state: ArimaState = arimaState(m)): ArimaForecast {
  const p = polys(m), { arFull, maFull, delta, kx } = p, L = delta.length - 1, n = state.n;
  if (kx > 0 && (!xregFuture || xregFuture.length !== h * kx)) throw new RangeError(`forecastArima: need ${h} × ${kx} future regressor values`);
  const r = state.kalman.r;
  // ARMA forecasts of the differenced regression errors w
  const a = Float64Array.from(state.kalman.a), w = new Float64Array(h);
  for (let j = 0; j < h; j++) {
    w[j] = a[0];
    const a0 = a[0];
    for (let i = 0; i < r; i++) a[i] = (i < arFull.length ? arFull[i] * a0 : 0) + (i + 1 < r ? a[i + 1] : 0);
  }
  // integrate: u_t = w_t − Σ δ_i u_{t−i}
  const T = state.uTail.length, u = new Float64Array(T + h);
  u.set(state.uTail);
  const mean = new Float64Array(h);
  for (let j = 0; j < h; j++) {
    let v = w[j];
    for (let i = 1; i <= L; i++) v -= delta[i] * u[T + j - i];
    u[T + j] = v;
    mean[j] = regression(m, p, n + j, xregFuture, j * kx) + v;
  }
  // AR side of the integrated model: φ*(z)δ(z) = 1 − Σ a_i z^i
  const arPoly = new Float64Array(arFull.length + 1);
  arPoly[0] = 1;
  for (let i = 0; i < arFull.length; i++) arPoly[i + 1] = -arFull[i];
  const full = (() => { const out = new Float64Array(arPoly.length + L); for (let i = 0; i < arPoly.length; i++) for (let j = 0; j <= L; j++) out[i + j] += arPoly[i] * delta[j]; return out; })();
  const arInt = new Float64Array(full.length - 1);
  for (let i = 1; i < full.length; i++) arInt[i - 1] = -full[i];
  const psi = psiWeights(arInt, maFull, h);
  const se = new Float64Array(h);
  let acc = 0;
  for (let j = 0; j < h; j++) { acc += psi[j] * psi[j]; se[j] = Math.sqrt(m.sigma2 * acc); }
  return { mean, se };
}

/**
 * Central Gaussian prediction interval at `level` (e.g. 0.95) from a mean/se forecast (ARIMA or ETS).
 * `nonNegative` clips at zero for counts — the forecasters instead use a count law with the same moments.
 */
export function predictionInterval(f: { mean: ArrayLike<number>; se: ArrayLike<number> }, level = 0.95, nonNegative = false): { lower: Float64Array; upper: Float64Array } {
  const z = normalQuantile(0.5 + level / 2), h = f.mean.length;
  const lower = new Float64Array(h), upper = new Float64Array(h);
  for (let j = 0; j < h; j++) {
    lower[j] = f.mean[j] - z * f.se[j];
    upper[j] = f.mean[j] + z * f.se[j];
    if (nonNegative) { lower[j] = Math.max(0, lower[j]); upper[j] = Math.max(0, upper[j]); }
  }
  return { lower, upper };
}
