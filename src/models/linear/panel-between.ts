/**
 * Second stage of the fixed-effects panel: the unit effects α_i absorb every static area characteristic, so the
 * economic indicators that do not change over the panel (poverty, unemployment, income…) are related to the
 * estimated effects by a between regression α̂_i = γ₀ + z_i′γ + u_i (OLS, CR1 cluster-robust SEs by area;
 * the α̂ estimation noise is part of u, so the SEs include it). Rows are (area, category) effects when the panel
 * is per category; category dummies then soak up the category levels.
 */
import { invertSmall } from '../../util/dense-matrix.js';
import { coefficientTable, type CoefficientRow } from './panel-fe.js';

export interface OlsFit {
  /** Intercept first, then one per column. */
  coef: Float64Array;
  se: Float64Array;
  seModel: Float64Array;
  n: number;
  clusters: number;
  r2: number;
}

/** OLS with an intercept and CR1 cluster-robust standard errors (rows with a non-finite value are skipped). */
export function olsClustered(y: ArrayLike<number>, X: ArrayLike<number>, k: number, cluster: Int32Array): OlsFit {
  const p = k + 1;
  const rows: number[] = [];
  for (let i = 0; i < y.length; i++) {
    let ok = Number.isFinite(y[i]);
    for (let j = 0; ok && j < k; j++) ok = Number.isFinite(X[i * k + j]);
    if (ok) rows.push(i);
  }
  const n = rows.length;
  if (n <= p) throw new RangeError(`between regression: ${n} usable rows for ${p} coefficients`);
  const row = (i: number, out: Float64Array) => { out[0] = 1; for (let j = 0; j < k; j++) out[j + 1] = X[i * k + j]; };
  const xi = new Float64Array(p), XtX = new Float64Array(p * p), Xty = new Float64Array(p);
  for (const i of rows) {
    row(i, xi);
    for (let a = 0; a < p; a++) { Xty[a] += xi[a] * y[i]; for (let b = 0; b < p; b++) XtX[a * p + b] += xi[a] * xi[b]; }
  }
  const inv = invertSmall(XtX, p);
  if (!inv) throw new RangeError('between regression: the indicators are collinear');
  const coef = new Float64Array(p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) coef[a] += inv[a * p + b] * Xty[b];
  let nc = 0;
  for (const i of rows) nc = Math.max(nc, cluster[i] + 1);
  const scores = new Float64Array(nc * p);
  let sse = 0, ym = 0, sst = 0;
  for (const i of rows) ym += y[i];
  ym /= n;
  const used = new Uint8Array(nc);
  for (const i of rows) {
    row(i, xi);
    let e = y[i];
    for (let a = 0; a < p; a++) e -= xi[a] * coef[a];
    sse += e * e; sst += (y[i] - ym) ** 2;
    used[cluster[i]] = 1;
    for (let a = 0; a < p; a++) scores[cluster[i] * p + a] += xi[a] * e;
  }
  const G = used.reduce((s, v) => s + v, 0);
  const factor = (G / Math.max(G - 1, 1)) * ((n - 1) / (n - p));
  const B = new Float64Array(p * p);
  for (let c = 0; c < nc; c++) for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) B[a * p + b] += scores[c * p + a] * scores[c * p + b];
  const se = new Float64Array(p), seModel = new Float64Array(p);
  const s2 = sse / (n - p);
  for (let a = 0; a < p; a++) {
    // (inv B inv)_aa
    let v = 0;
    for (let m = 0; m < p; m++) for (let q = 0; q < p; q++) v += inv[a * p + m] * B[m * p + q] * inv[q * p + a];
    se[a] = Math.sqrt(v * factor);
    seModel[a] = Math.sqrt(inv[a * p + a] * s2);
  }
  return { coef, se, seModel, n, clusters: G, r2: sst > 0 ? 1 - sse / sst : NaN };
}

export interface BetweenResult {
  rows: CoefficientRow[];
  n: number;
  clusters: number;
  r2: number;
}

/**
 * Regress unit effects on static indicators. `effects[u]` belongs to area `areaOf[u]` and category `categoryOf[u]`;
 * `indicators` is areas × names. Units with an infinite or missing effect (no events) are left out.
 */
export function betweenRegression(
  effects: Float64Array, areaOf: Int32Array, categoryOf: Int32Array, categories: string[],
  indicators: Float64Array, names: string[],
): BetweenResult {
  const q = names.length, C = categories.length;
  const k = q + C - 1;
  const U = effects.length;
  const X = new Float64Array(U * k);
  for (let u = 0; u < U; u++) {
    for (let j = 0; j < q; j++) X[u * k + j] = indicators[areaOf[u] * q + j];
    for (let c = 1; c < C; c++) X[u * k + q + c - 1] = categoryOf[u] === c ? 1 : 0;
  }
  const y = Float64Array.from(effects, (a) => (Number.isFinite(a) ? a : NaN));
  const fit = olsClustered(y, X, k, areaOf);
  const all = ['(intercept)', ...names, ...categories.slice(1).map((c) => `category=${c}`)];
  const rows = coefficientTable(all, { coef: fit.coef, se: fit.se, seModel: fit.seModel, status: all.map(() => 'kept' as const) });
  return { rows, n: fit.n, clusters: fit.clusters, r2: fit.r2 };
}
