/**
 * Exact Gaussian likelihood of a zero-mean ARMA(p, q) series by the Kalman filter in Harvey's state-space form
 * (state dimension r = max(p, q + 1); T has φ in its first column and an identity on the super-diagonal,
 * R = (1, θ₁, …, θ_{r−1})′). The state starts from its stationary covariance, so the first observations count
 * in full (exact ML, as statsmodels' SARIMAX), not conditionally (CSS).
 *
 * Regression columns are filtered with the same gains: the filter is linear, so innovations of y − Xβ are
 * innov(y) − innov(X)β and β has a closed-form GLS solution given the ARMA parameters (β profiled out).
 */
import { solveSymmetric } from '../../util/dense-matrix.js';

/** Stationary state covariance P = T P T′ + R R′ by the doubling algorithm (log₂ of the steps needed). */
export function stationaryCovariance(ar: Float64Array, ma: Float64Array, r: number): Float64Array {
  const Rv = new Float64Array(r);
  Rv[0] = 1;
  for (let i = 1; i < r; i++) Rv[i] = i - 1 < ma.length ? ma[i - 1] : 0;
  const P = new Float64Array(r * r), A = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) P[i * r + j] = Rv[i] * Rv[j];
  for (let i = 0; i < r; i++) { if (i < ar.length) A[i * r] = ar[i]; if (i + 1 < r) A[i * r + i + 1] = 1; }
  const tmp = new Float64Array(r * r), tmp2 = new Float64Array(r * r);
  for (let it = 0; it < 64; it++) {
    // P ← P + A P A′ ; A ← A²
    matMul(A, P, tmp, r);
    matMulT(tmp, A, tmp2, r);
    let delta = 0, scale = 0;
    for (let k = 0; k < r * r; k++) { P[k] += tmp2[k]; delta = Math.max(delta, Math.abs(tmp2[k])); scale = Math.max(scale, Math.abs(P[k])); }
    if (delta <= 1e-13 * scale) break;
    matMul(A, A, tmp, r);
    A.set(tmp);
  }
  return P;
}

function matMul(a: Float64Array, b: Float64Array, out: Float64Array, r: number): void {
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) {
    let s = 0;
    for (let k = 0; k < r; k++) s += a[i * r + k] * b[k * r + j];
    out[i * r + j] = s;
  }
}

/** out = a b′ */
function matMulT(a: Float64Array, b: Float64Array, out: Float64Array, r: number): void {
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) {
    let s = 0;
    for (let k = 0; k < r; k++) s += a[i * r + k] * b[j * r + k];
    out[i * r + j] = s;
  }
}

export interface ArmaFilterResult {
  /** −2 × concentrated log-likelihood (σ² and β profiled out), including the 2π constant. */
  m2ll: number;
  sigma2: number;
  beta: Float64Array;
  /** Standardised one-step innovations v_t/√F_t of y − Xβ (length n). */
  residuals: Float64Array;
  /** Predicted state a_{n+1|n} of y − Xβ (length r) for forecasting. */
  state: Float64Array;
  /** Its covariance P_{n+1|n} (divided by σ²). */
  stateCov: Float64Array;
  /** The covariance recursion had converged (its gain no longer changes). */
  steady: boolean;
  r: number;
}

/**
 * Filter y (and the columns of X, n × k row-major) through the ARMA model.
 * `full` also returns residuals and the final state (needed after the fit, not during optimisation).
 */
export function armaFilter(y: Float64Array, X: Float64Array | null, k: number, ar: Float64Array, ma: Float64Array, full = false): ArmaFilterResult {
  const n = y.length, r = Math.max(ar.length, ma.length + 1), m = k + 1;
  const Rv = new Float64Array(r);
  Rv[0] = 1;
  for (let i = 1; i < r; i++) Rv[i] = i - 1 < ma.length ? ma[i - 1] : 0;
  const P = stationaryCovariance(ar, ma, r);
  // states of the m series (y and the k regressors) share P, K, F
  const a = new Float64Array(m * r);
  const v = full ? new Float64Array(n * m) : new Float64Array(m);
  const Fs = full ? new Float64Array(n) : new Float64Array(1);
  const K = new Float64Array(r), M = new Float64Array(r * r), vt = new Float64Array(m);
  let sumLogF = 0;
  // accumulators of Σ v v′ / F over the m series
  const S = new Float64Array(m * m);
  let steady = false;
  for (let t = 0; t < n; t++) {
    const F = P[0];
    for (let s = 0; s < m; s++) vt[s] = (s === 0 ? y[t] : X![t * k + s - 1]) - a[s * r];
    sumLogF += Math.log(F);
    for (let i = 0; i < m; i++) for (let j = i; j < m; j++) S[i * m + j] += (vt[i] * vt[j]) / F;
    if (full) { for (let s = 0; s < m; s++) v[t * m + s] = vt[s]; Fs[t] = F; }
    for (let i = 0; i < r; i++) K[i] = P[i * r] / F;
    // a ← T (a + K v)
    for (let s = 0; s < m; s++) {
      const o = s * r, vs = vt[s];
      for (let i = 0; i < r; i++) a[o + i] += K[i] * vs;
      const a0 = a[o];
      for (let i = 0; i < r; i++) a[o + i] = (i < ar.length ? ar[i] * a0 : 0) + (i + 1 < r ? a[o + i + 1] : 0);
    }
    if (steady) continue;
    // once the Riccati recursion has converged the gain is fixed: skip the O(r²) update from here on
    if (covarianceStep(P, M, ar, Rv, r, F) < 1e-9) steady = true;
  }
  // profile out β: minimise Σ (v_y − V_x β)²/F
  const beta = new Float64Array(k);
  let ss = S[0];
  if (k > 0) {
    const A = new Float64Array(k * k), b = new Float64Array(k);
    for (let i = 0; i < k; i++) { b[i] = S[i + 1]; for (let j = 0; j < k; j++) A[i * k + j] = i <= j ? S[(i + 1) * m + j + 1] : S[(j + 1) * m + i + 1]; }
    const sol = solveSymmetric(A, b, k);
    if (sol) {
      beta.set(sol);
      for (let i = 0; i < k; i++) ss -= b[i] * sol[i];
    }
  }
  ss = Math.max(ss, 1e-300);
  const sigma2 = ss / n;
  const m2ll = n * (Math.log(2 * Math.PI) + Math.log(sigma2) + 1) + sumLogF;
  const out: ArmaFilterResult = { m2ll, sigma2, beta, residuals: new Float64Array(0), state: new Float64Array(r), stateCov: P, steady, r };
  if (full) {
    const res = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      let e = v[t * m];
      for (let j = 0; j < k; j++) e -= v[t * m + j + 1] * beta[j];
      res[t] = e / Math.sqrt(Fs[t]);
    }
    out.residuals = res;
    for (let i = 0; i < r; i++) {
      let s = a[i];
      for (let j = 0; j < k; j++) s -= a[(j + 1) * r + i] * beta[j];
      out.state[i] = s;
    }
  }
  return out;
}


/**
 * The filter of one zero-mean ARMA series between observations: predicted state a_{t+1|t}, its covariance and
 * whether that covariance has converged. `armaStep` is one iteration of `armaFilter`'s loop, in the same
 * arithmetic, so a state advanced observation by observation equals the state of a batch run.
 */
export interface ArmaState {
  a: Float64Array;
  P: Float64Array;
  steady: boolean;
  r: number;
}

/** The state before the first observation: zero mean, stationary covariance. */
export function armaStart(ar: Float64Array, ma: Float64Array): ArmaState {
  const r = Math.max(ar.length, ma.length + 1);
  return { a: new Float64Array(r), P: stationaryCovariance(ar, ma, r), steady: false, r };
}

/** Filter one observation w: a ← T(a + K v), and the covariance recursion until it has converged. */
export function armaStep(st: ArmaState, w: number, ar: Float64Array, ma: Float64Array): void {
  const { a, P, r } = st, F = P[0], v = w - a[0];
  for (let i = 0; i < r; i++) a[i] += (P[i * r] / F) * v;
  const a0 = a[0];
  for (let i = 0; i < r; i++) a[i] = (i < ar.length ? ar[i] * a0 : 0) + (i + 1 < r ? a[i + 1] : 0);
  if (st.steady) return;
  const Rv = new Float64Array(r);
  Rv[0] = 1;
  for (let i = 1; i < r; i++) Rv[i] = i - 1 < ma.length ? ma[i - 1] : 0;
  if (covarianceStep(P, new Float64Array(r * r), ar, Rv, r, F) < 1e-9) st.steady = true;
}

/**
 * One Riccati step in place: P ← T (P − K P[0,:]) T′ + R R′ with K = P[:,0] / F, using
 * (T M T′)_{ij} = φ_i φ_j M00 + φ_i M[0, j+1] + φ_j M[i+1, 0] + M[i+1, j+1]. `M` is scratch. Returns the largest change.
 */
function covarianceStep(P: Float64Array, M: Float64Array, ar: Float64Array, Rv: Float64Array, r: number, F: number): number {
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) M[i * r + j] = P[i * r + j] - (P[i * r] / F) * P[j];
  let change = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      const phiI = i < ar.length ? ar[i] : 0, phiJ = j < ar.length ? ar[j] : 0;
      let val = phiI * phiJ * M[0];
      if (j + 1 < r) val += phiI * M[j + 1];
      if (i + 1 < r) val += phiJ * M[(i + 1) * r];
      if (i + 1 < r && j + 1 < r) val += M[(i + 1) * r + j + 1];
      val += Rv[i] * Rv[j];
      change = Math.max(change, Math.abs(val - P[i * r + j]));
      P[i * r + j] = val;
    }
  }
  return change;
}
