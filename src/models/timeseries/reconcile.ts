/**
 * Forecast reconciliation (Hyndman et al. 2011; Wickramasuriya, Athanasopoulos & Hyndman 2019, MinT):
 * base forecasts ŷ of every node of a hierarchy (here: regions and the city total) are replaced by coherent
 * ones S b̃ with b̃ = (S′W⁻¹S)⁻¹S′W⁻¹ŷ, so the map adds up to the city forecast.
 * W = I is OLS; W = diag(forecast variances) is WLS, the diagonal (variance-scaling) version of MinT.
 */
import { solveSymmetric } from '../../util/dense-matrix.js';

export type ReconcileMethod = 'none' | 'bu' | 'ols' | 'wls';

/**
 * Two-level hierarchy: n bottom forecasts and one total. The closed form of the GLS projection with diagonal W
 * gives each bottom series a share of the discrepancy T − Σb proportional to its weight:
 *   b̃_i = b_i + w_i (T − Σb) / (w_T + Σw).
 * With `nonNegative`, series pushed below zero are fixed at zero and the rest re-projected (active set),
 * so counts never go negative. 'bu' and 'none' return the bottom forecasts unchanged.
 */
export function reconcileToTotal(
  bottom: ArrayLike<number>, total: number, method: ReconcileMethod,
  opts: { bottomVariance?: ArrayLike<number>; totalVariance?: number; nonNegative?: boolean } = {},
): Float64Array {
  const n = bottom.length, out = Float64Array.from(bottom);
  if (method === 'bu' || method === 'none') return out;
  const w = new Float64Array(n);
  let wT: number;
  if (method === 'ols') { w.fill(1); wT = 1; }
  else {
    if (!opts.bottomVariance || opts.totalVariance === undefined) throw new RangeError('WLS reconciliation needs forecast variances');
    for (let i = 0; i < n; i++) w[i] = Math.max(opts.bottomVariance[i], 1e-12);
    wT = Math.max(opts.totalVariance, 1e-12);
  }
  const active = new Uint8Array(n).fill(1);
  for (let iter = 0; iter <= n; iter++) {
    let sumB = 0, sumW = 0;
    for (let i = 0; i < n; i++) {
      if (active[i]) { sumB += bottom[i]; sumW += w[i]; }
    }
    const gap = total - sumB;
    let negative = false;
    for (let i = 0; i < n; i++) {
      if (!active[i]) { out[i] = 0; continue; }
      out[i] = bottom[i] + (w[i] * gap) / (wT + sumW);
      if (opts.nonNegative !== false && out[i] < 0) negative = true;
    }
    if (!negative) break;
    for (let i = 0; i < n; i++) if (active[i] && out[i] < 0) { active[i] = 0; out[i] = 0; }
  }
  return out;
}

/**
 * General reconciliation for any hierarchy: S is the m × n summing matrix (row-major; its rows include the
 * identity rows of the bottom series), ŷ the m base forecasts, w the m diagonal entries of W (default 1: OLS).
 * Returns the n reconciled bottom forecasts (aggregate with S to get every node).
 */
export function reconcileGeneral(S: ArrayLike<number>, m: number, n: number, yhat: ArrayLike<number>, w?: ArrayLike<number>): Float64Array {
  if (S.length !== m * n || yhat.length !== m) throw new RangeError('reconcileGeneral: S must be m × n and ŷ of length m');
  const A = new Float64Array(n * n), b = new Float64Array(n);
  for (let r = 0; r < m; r++) {
    const wi = 1 / (w ? Math.max(w[r], 1e-12) : 1);
    for (let i = 0; i < n; i++) {
      const si = S[r * n + i];
      if (si === 0) continue;
      b[i] += si * wi * yhat[r];
      for (let j = 0; j < n; j++) A[i * n + j] += si * wi * S[r * n + j];
    }
  }
  const x = solveSymmetric(A, b, n);
  if (!x) throw new RangeError('reconcileGeneral: S′W⁻¹S is singular (does S contain the bottom identity rows?)');
  return x;
}
