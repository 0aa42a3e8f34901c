/**
 * Treatment effect as a rate ratio from a count GLM: log μ_i = β0 + β_T·z_i + β_b·log(b_i + ½) + log(exposure_i),
 * fitted with the project's Glm (Poisson or NB, unpenalised). The Wald CI uses the model-based Fisher information
 * Xᵀ W X at the fit, W = μ / (1 + μ/size) (NB; size = ∞ gives Poisson); the NB size is treated as known, which is
 * asymptotically harmless because β and the dispersion are orthogonal parameters. The reported SE is the larger of
 * that and the HC1 sandwich SE (robust to a wrong variance function).
 */
import { Glm } from '../../models/linear/glm.js';
import { normalCdf } from '../../util/special-functions.js';
import { normalQuantile } from '../../util/special-functions.js';
import { invertSmall as invertDense } from '../../util/dense-matrix.js';
import { UserError } from '../../util/errors.js';

export interface RateRatioInputs {
  /** Outcome count per unit over the trial. */
  y: ArrayLike<number>;
  assignment: ArrayLike<number>;
  /** Pre-trial count per unit (adjusts for baseline crime; omit for an unadjusted comparison). */
  baseline?: ArrayLike<number>;
  /** Exposure per unit (e.g. days observed); default 1. */
  exposure?: ArrayLike<number>;
  family?: 'poisson' | 'negbin';
  level?: number;
}

export interface RateRatioEstimate {
  rateRatio: number;
  lo: number;
  hi: number;
  logRateRatio: number;
  /** max(model-based, robust sandwich) standard error of the log rate ratio. */
  se: number;
  seModel: number;
  seRobust: number;
  /** Two-sided Wald p-value for RR = 1. */
  pWald: number;
  /** NB overdispersion k = 1/size (0 for Poisson). */
  dispersion: number;
  family: 'poisson' | 'negbin';
}

/** Inverse of the information matrix, with the error an analyst can act on when it is singular. */
export function invertSmall(m: Float64Array, p: number): Float64Array {
  const inv = invertDense(m, p);
  if (!inv) throw new UserError('the information matrix is singular (does every arm have units with crime?)');
  return inv;
}

export function estimateRateRatio(inp: RateRatioInputs): RateRatioEstimate {
  const n = inp.y.length;
  const family = inp.family ?? 'negbin';
  if (inp.assignment.length !== n) throw new UserError(`${n} outcomes but ${inp.assignment.length} assignments`);
  let nt = 0;
  for (let i = 0; i < n; i++) nt += inp.assignment[i] ? 1 : 0;
  if (nt === 0 || nt === n) throw new UserError('both arms need at least one unit');
  const cols = inp.baseline ? 2 : 1;
  const X = new Float32Array(n * cols), y = new Float32Array(n), offset = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    X[i * cols] = inp.assignment[i] ? 1 : 0;
    if (inp.baseline) X[i * cols + 1] = Math.log(inp.baseline[i] + 0.5);
    y[i] = inp.y[i];
    offset[i] = Math.log(inp.exposure ? inp.exposure[i] : 1);
  }
  const glm = new Glm({ family, lambda: 0, maxIter: 100, tol: 1e-10 }).fit(X, n, cols, y, { offset });
  const mu = glm.predict(X, n, offset);
  // Fisher information over (intercept, treatment, log baseline)
  const p = cols + 1, info = new Float64Array(p * p), row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    row[0] = 1;
    for (let j = 0; j < cols; j++) row[j + 1] = X[i * cols + j];
    const w = Number.isFinite(glm.size) ? mu[i] / (1 + mu[i] / glm.size) : mu[i];
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) info[a * p + b] += w * row[a] * row[b];
  }
  // robust (sandwich) variance I⁻¹ (Σ s_i s_iᵀ) I⁻¹ with the n/(n − p) small-sample factor: real crime counts are
  // not exactly NB, and the larger of the two SEs keeps the CI honest when the model is off
  const inv = invertSmall(info, p), meat = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    row[0] = 1;
    for (let j = 0; j < cols; j++) row[j + 1] = X[i * cols + j];
    const s = (y[i] - mu[i]) / (Number.isFinite(glm.size) ? 1 + mu[i] / glm.size : 1);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) meat[a * p + b] += s * s * row[a] * row[b];
  }
  let robust = 0;
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) robust += inv[p + a] * meat[a * p + b] * inv[b * p + 1];
  const seModel = Math.sqrt(inv[p + 1]), seRobust = Math.sqrt(Math.max(robust, 0) * n / Math.max(n - p, 1));
  const se = Math.max(seModel, seRobust);
  const beta = glm.coef[0];
  const z = normalQuantile(1 - (1 - (inp.level ?? 0.95)) / 2);
  return {
    rateRatio: Math.exp(beta), lo: Math.exp(beta - z * se), hi: Math.exp(beta + z * se),
    logRateRatio: beta, se, seModel, seRobust, pWald: 2 * normalCdf(-Math.abs(beta / se)),
    dispersion: Number.isFinite(glm.size) ? 1 / glm.size : 0, family,
  };
}
