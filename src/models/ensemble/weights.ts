/**
 * Combination weights fitted on validation forecasts. Every routine takes per-member arrays over the same
 * validation cells and an optional list of cell indices (one category's cells, for per-category weights).
 *
 * - mixtureWeights: weights of the linear opinion pool Σ w_m p_m(y) maximising the validation log likelihood,
 *   by EM (each step is a closed form and never lowers the likelihood; weights stay on the simplex).
 * - poissonStackWeights: w ≥ 0 maximising the Poisson likelihood of y under the mean Σ w_m μ_m (minimum Poisson
 *   deviance), by projected Newton (the objective is convex in w).
 * - nnlsWeights: w ≥ 0 minimising Σ (y − Σ w_m μ_m)², by coordinate descent on the M × M normal equations
 *   (exact for this convex quadratic; M is a handful of members).
 */
import { solveSymmetric } from '../../util/dense-matrix.js';

const MAX_ITER = 2000;

function cellsOf(n: number, cells?: ArrayLike<number>): ArrayLike<number> {
  if (cells) return cells;
  const all = new Uint32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  return all;
}

export function mixtureWeights(logp: Float64Array[], cells?: ArrayLike<number>, tol = 1e-10): Float64Array {
  const M = logp.length, idx = cellsOf(logp[0].length, cells), n = idx.length;
  const w = new Float64Array(M).fill(1 / M);
  if (n === 0) return w;
  // member probabilities scaled by each cell's largest (they can all be ~1e-12 at once), computed once
  const p = new Float64Array(n * M), top = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = idx[k];
    let t = -Infinity;
    for (let m = 0; m < M; m++) t = Math.max(t, logp[m][i]);
    top[k] = t;
    for (let m = 0; m < M; m++) p[k * M + m] = Math.exp(logp[m][i] - t);
  }
  const acc = new Float64Array(M);
  let prev = -Infinity;
  for (let it = 0; it < MAX_ITER; it++) {
    acc.fill(0);
    let ll = 0;
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let m = 0; m < M; m++) s += w[m] * p[k * M + m];
      ll += top[k] + Math.log(s);
      for (let m = 0; m < M; m++) acc[m] += (w[m] * p[k * M + m]) / s;
    }
    for (let m = 0; m < M; m++) w[m] = acc[m] / n;
    if (ll - prev <= tol * Math.abs(ll)) break;
    prev = ll;
  }
  return w;
}

const MU_FLOOR = 1e-10;

/** Poisson negative log likelihood (up to a constant) of y under Σ w_m μ_m; gradient and Hessian when asked. */
function poissonNll(mean: Float64Array[], y: Float64Array, idx: ArrayLike<number>, w: Float64Array, g?: Float64Array, H?: Float64Array): number {
  const M = mean.length;
  g?.fill(0); H?.fill(0);
  let nll = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    let fit = 0;
    for (let m = 0; m < M; m++) fit += w[m] * mean[m][i];
    if (!(fit > MU_FLOOR)) {
      if (y[i] > 0) return Infinity;
      fit = MU_FLOOR;
    }
    nll += fit - y[i] * Math.log(fit);
    if (!g || !H) continue;
    const r = y[i] / fit, c = r / fit;
    for (let a = 0; a < M; a++) {
      const xa = mean[a][i];
      g[a] += xa * (1 - r);
      for (let b = a; b < M; b++) H[a * M + b] += xa * mean[b][i] * c;
    }
  }
  if (H) for (let a = 0; a < M; a++) for (let b = 0; b < a; b++) H[a * M + b] = H[b * M + a];
  return nll;
}

/**
 * Projected Newton with an active set: members at 0 whose gradient pushes below 0 stay fixed, the others take
 * a Newton step (the Hessian Σ μμᵀ y/fit² is positive semi-definite), then a projected backtracking line search.
 * A handful of iterations, where the multiplicative ML-EM update crawls towards weights on the boundary.
 */
export function poissonStackWeights(mean: Float64Array[], y: Float64Array, cells?: ArrayLike<number>, tol = 1e-12): Float64Array {
  const M = mean.length, idx = cellsOf(y.length, cells), n = idx.length;
  const w = new Float64Array(M);
  if (n === 0) return w.fill(1 / M);
  // start with equal weights scaled so the stacked total matches the observed total
  let ySum = 0, muSum = 0;
  for (let k = 0; k < n; k++) {
    const i = idx[k];
    ySum += y[i];
    for (let m = 0; m < M; m++) muSum += mean[m][i];
  }
  if (!(ySum > 0) || !(muSum > 0)) return w; // nothing happened (or nothing forecast): the MLE is all zero
  w.fill(ySum / muSum);
  const g = new Float64Array(M), H = new Float64Array(M * M), trial = new Float64Array(M);
  let nll = poissonNll(mean, y, idx, w, g, H);
  for (let it = 0; it < 100; it++) {
    const free = [] as number[];
    for (let m = 0; m < M; m++) if (w[m] > 0 || g[m] < 0) free.push(m);
    const F = free.length, HF = new Float64Array(F * F), gF = new Float64Array(F);
    let trace = 0;
    for (let a = 0; a < F; a++) { gF[a] = -g[free[a]]; trace += H[free[a] * M + free[a]]; for (let b = 0; b < F; b++) HF[a * F + b] = H[free[a] * M + free[b]]; }
    // a small ridge keeps collinear members (e.g. two near-identical forecasts) solvable
    for (let a = 0; a < F; a++) HF[a * F + a] += 1e-10 * (trace / Math.max(F, 1) + 1e-300);
    const d = F > 0 ? solveSymmetric(HF, gF, F) : null;
    if (!d) break;
    let step = 1, next = Infinity;
    for (let ls = 0; ls < 40; ls++, step /= 2) {
      trial.set(w);
      for (let a = 0; a < F; a++) trial[free[a]] = Math.max(0, w[free[a]] + step * d[a]);
      next = poissonNll(mean, y, idx, trial);
      if (next <= nll) break;
    }
    if (!(next <= nll)) break;
    const gain = nll - next;
    w.set(trial);
    nll = poissonNll(mean, y, idx, w, g, H);
    if (gain <= tol * Math.abs(nll)) break;
  }
  return w;
}

export function nnlsWeights(mean: Float64Array[], y: Float64Array, cells?: ArrayLike<number>, tol = 1e-12): Float64Array {
  const M = mean.length, idx = cellsOf(y.length, cells), n = idx.length;
  const G = new Float64Array(M * M), b = new Float64Array(M);
  for (let k = 0; k < n; k++) {
    const i = idx[k];
    for (let a = 0; a < M; a++) {
      const xa = mean[a][i];
      b[a] += xa * y[i];
      for (let c = a; c < M; c++) G[a * M + c] += xa * mean[c][i];
    }
  }
  for (let a = 0; a < M; a++) for (let c = 0; c < a; c++) G[a * M + c] = G[c * M + a];
  const w = new Float64Array(M);
  for (let it = 0; it < MAX_ITER * 50; it++) {
    let change = 0;
    for (let a = 0; a < M; a++) {
      if (!(G[a * M + a] > 0)) continue;
      let g = b[a];
      for (let c = 0; c < M; c++) g -= G[a * M + c] * w[c];
      const next = Math.max(0, w[a] + g / G[a * M + a]);
      change = Math.max(change, Math.abs(next - w[a]));
      w[a] = next;
    }
    if (change <= tol * Math.max(1, ...w)) break;
  }
  return w;
}
