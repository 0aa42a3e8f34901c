/**
 * Fixed-effects panel regression: y_it = α_i + x_it′β (+ ε) for units i observed over periods t, the
 * econometrician's model of area crime rates on time-varying indicators.
 *
 * - `poisson`: Poisson fixed effects (PPML with unit dummies). The α_i are profiled out in closed form
 *   (α_i = log Σ_t y_it − log Σ_t exp(x_it′β)), so Newton runs on β alone; Poisson FE has no incidental-parameter
 *   bias, and its cluster-robust variance is valid under any overdispersion (Wooldridge 1999).
 * - `linear`: the within estimator (OLS on unit-demeaned data), e.g. for rates per 1,000 residents.
 *
 * Standard errors: conventional (model-based) and cluster-robust by unit (CR1: G/(G−1), and (N−1)/(N−K) for
 * the linear model, as Stata's `xtreg, fe vce(cluster)`). Regressors with no within-unit variation (static area
 * covariates, the category) are absorbed by α and reported as such; exact collinearity among the rest (a full
 * set of dummies) drops the later column. Hand-written: no npm package fits fixed-effects models.
 */
import { invertSmall } from '../../util/dense-matrix.js';
import { normalQuantile, twoSidedP } from '../../util/special-functions.js';

export type PanelFamily = 'poisson' | 'linear';

export interface PanelInput {
  /** Outcome per row (counts for `poisson`). */
  y: ArrayLike<number>;
  /** Regressors, n × k row-major. Rows with a non-finite value are skipped (and counted). */
  X: ArrayLike<number>;
  k: number;
  /** Unit (panel member) of each row, 0 … groups − 1. */
  group: Int32Array;
  groups: number;
  /** Cluster of each unit for the robust variance (default: the unit itself). */
  clusterOfGroup?: Int32Array;
}

export interface PanelOptions {
  family?: PanelFamily;
  maxIter?: number;
  tol?: number;
}

export interface PanelFit {
  family: PanelFamily;
  /** Coefficient per input column (NaN for columns that were absorbed or collinear). */
  coef: Float64Array;
  /** Cluster-robust standard errors (NaN for dropped columns). */
  se: Float64Array;
  /** Conventional (model-based) standard errors. */
  seModel: Float64Array;
  /** Column state: kept, absorbed (no within-unit variation), collinear (with earlier kept columns). */
  status: ('kept' | 'absorbed' | 'collinear')[];
  /** Unit effect α_i (−Infinity for a Poisson unit with no events; NaN for a unit with no usable rows). */
  alpha: Float64Array;
  /** Cluster-robust covariance of the kept coefficients (kept × kept, in kept-column order). */
  vcov: Float64Array;
  kept: number[];
  /** Rows used, rows skipped (non-finite values, or a Poisson unit with no events), units, clusters. */
  n: number;
  skipped: number;
  units: number;
  clusters: number;
  iterations: number;
  converged: boolean;
  /** Poisson: log-likelihood (up to Σ log y!). Linear: within R². */
  logLik?: number;
  r2Within?: number;
}

/**
 * Columns to keep: within-unit variation, and not a linear combination of earlier kept columns (pivoted
 * Gram–Schmidt on X̃′X̃, the Gram matrix of the unit-demeaned columns). `rawScale[j]` is column j's own size
 * (its total sum of squares about the mean, or n·mean²), against which "no within variation" is judged.
 */
function chooseColumns(G: Float64Array, k: number, rawScale: Float64Array): PanelFit['status'] {
  const status: PanelFit['status'] = new Array(k).fill('kept');
  const keptList: number[] = [];
  const L = new Float64Array(k * k); // Cholesky rows of kept columns
  for (let j = 0; j < k; j++) {
    if (!(G[j * k + j] > 1e-10 * Math.max(rawScale[j], 1e-300))) { status[j] = 'absorbed'; continue; }
    // residual of column j after the kept columns: G_jj − ‖L⁻¹ G_Kj‖²
    const v = new Float64Array(keptList.length);
    for (let a = 0; a < keptList.length; a++) {
      let s = G[keptList[a] * k + j];
      for (let b = 0; b < a; b++) s -= L[a * k + b] * v[b];
      v[a] = s / L[a * k + a];
    }
    let res = G[j * k + j];
    for (let a = 0; a < v.length; a++) res -= v[a] * v[a];
    if (!(res > 1e-9 * G[j * k + j])) { status[j] = 'collinear'; continue; }
    const a = keptList.length;
    for (let b = 0; b < a; b++) L[a * k + b] = v[b];
    L[a * k + a] = Math.sqrt(res);
    keptList.push(j);
  }
  return status;
}

interface Prepared {
  rows: number;
  skipped: number;
  y: Float64Array;
  g: Int32Array;
  /** Kept columns, unit-demeaned (unweighted) and scaled to unit within-SD. */
  Z: Float64Array;
  p: number;
  kept: number[];
  scale: Float64Array;
  /** Unit means of the kept raw columns (G × p), to recover α. */
  xbar: Float64Array;
  ybar: Float64Array;
  count: Float64Array;
  status: PanelFit['status'];
}

function prepare(inp: PanelInput, family: PanelFamily): Prepared & { zeroUnits: Uint8Array } {
  const { k, groups } = inp;
  const n = inp.group.length;
  if (inp.y.length !== n || inp.X.length !== n * k) throw new RangeError(`panel: ${n} groups, ${inp.y.length} outcomes, ${inp.X.length} regressor values for k = ${k}`);
  // Poisson: a unit with no events has α = −∞ and says nothing about β; leave it out of the design
  const zeroUnits = new Uint8Array(groups);
  if (family === 'poisson') {
    const tot = new Float64Array(groups), seen = new Uint8Array(groups);
    for (let i = 0; i < n; i++) {
      const u = inp.group[i];
      if (u >= 0 && u < groups && Number.isFinite(inp.y[i])) { tot[u] += inp.y[i]; seen[u] = 1; }
    }
    for (let u = 0; u < groups; u++) zeroUnits[u] = seen[u] && tot[u] === 0 ? 1 : 0;
  }
  // one mask and small per-unit sums; the n × k input is read in place, never copied (big grids have many rows)
  const use = new Uint8Array(n);
  let rows = 0;
  for (let i = 0; i < n; i++) {
    let ok = Number.isFinite(inp.y[i]) && inp.group[i] >= 0 && inp.group[i] < groups && !zeroUnits[inp.group[i]];
    for (let j = 0; ok && j < k; j++) ok = Number.isFinite(inp.X[i * k + j]);
    if (ok) { use[i] = 1; rows++; }
  }
  const y = new Float64Array(rows), g = new Int32Array(rows);
  const count = new Float64Array(groups), ybar = new Float64Array(groups), xbarAll = new Float64Array(groups * k);
  const colSum = new Float64Array(k), colSq = new Float64Array(k);
  for (let i = 0, r = 0; i < n; i++) {
    if (!use[i]) continue;
    const u = inp.group[i], o = i * k;
    y[r] = inp.y[i]; g[r] = u; r++;
    count[u]++; ybar[u] += inp.y[i];
    for (let j = 0; j < k; j++) { const v = inp.X[o + j]; xbarAll[u * k + j] += v; colSum[j] += v; colSq[j] += v * v; }
  }
  for (let u = 0; u < groups; u++) {
    if (count[u] === 0) continue;
    ybar[u] /= count[u];
    for (let j = 0; j < k; j++) xbarAll[u * k + j] /= count[u];
  }
  // Gram matrix of the unit-demeaned columns
  const Gram = new Float64Array(k * k), xc = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    if (!use[i]) continue;
    const u = inp.group[i], o = i * k;
    for (let j = 0; j < k; j++) xc[j] = inp.X[o + j] - xbarAll[u * k + j];
    for (let a2 = 0; a2 < k; a2++) {
      const xa = xc[a2];
      if (xa === 0) continue;
      for (let b2 = a2; b2 < k; b2++) Gram[a2 * k + b2] += xa * xc[b2];
    }
  }
  for (let a2 = 0; a2 < k; a2++) for (let b2 = 0; b2 < a2; b2++) Gram[a2 * k + b2] = Gram[b2 * k + a2];
  const rawScale = Float64Array.from({ length: k }, (_, j) => {
    const m = colSum[j] / Math.max(rows, 1);
    return Math.max(colSq[j] - rows * m * m, m * m * rows);
  });
  const status = chooseColumns(Gram, k, rawScale);
  const kept = status.flatMap((st, j) => (st === 'kept' ? [j] : []));
  const p = kept.length;
  const scale = Float64Array.from(kept, (j) => Math.sqrt(Gram[j * k + j] / Math.max(rows, 1)) || 1);
  const Z = new Float64Array(rows * p), xbar = new Float64Array(groups * p);
  for (let i = 0, r = 0; i < n; i++) {
    if (!use[i]) continue;
    const u = inp.group[i], o = i * k;
    for (let a2 = 0; a2 < p; a2++) Z[r * p + a2] = (inp.X[o + kept[a2]] - xbarAll[u * k + kept[a2]]) / scale[a2];
    r++;
  }
  for (let u = 0; u < groups; u++) for (let a2 = 0; a2 < p; a2++) xbar[u * p + a2] = xbarAll[u * k + kept[a2]];
  return { rows, skipped: n - rows, y, g, Z, p, kept, scale, xbar, ybar, count, status, zeroUnits };
}

/** Sandwich A⁻¹ B A⁻¹ with B = Σ_c s_c s_cᵀ over clusters. */
function sandwich(Ainv: Float64Array, scores: Float64Array, clusters: number, p: number, factor: number): Float64Array {
  const B = new Float64Array(p * p);
  for (let c = 0; c < clusters; c++) {
    const o = c * p;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) B[a * p + b] += scores[o + a] * scores[o + b];
  }
  const AB = new Float64Array(p * p), V = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) {
    let s = 0;
    for (let m = 0; m < p; m++) s += Ainv[a * p + m] * B[m * p + b];
    AB[a * p + b] = s;
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) {
    let s = 0;
    for (let m = 0; m < p; m++) s += AB[a * p + m] * Ainv[m * p + b];
    V[a * p + b] = s * factor;
  }
  return V;
}

function clusterIndex(inp: PanelInput): { of: Int32Array; n: number } {
  if (!inp.clusterOfGroup) return { of: Int32Array.from({ length: inp.groups }, (_, u) => u), n: inp.groups };
  let n = 0;
  for (const c of inp.clusterOfGroup) n = Math.max(n, c + 1);
  return { of: inp.clusterOfGroup, n };
}

export function fitPanel(inp: PanelInput, opts: PanelOptions = {}): PanelFit {
  const family = opts.family ?? 'poisson';
  const maxIter = opts.maxIter ?? 100, tol = opts.tol ?? 1e-10;
  const P = prepare(inp, family);
  const { rows, y, g, Z, p } = P;
  const G = inp.groups;
  const cl = clusterIndex(inp);
  const beta = new Float64Array(p);
  const alpha = new Float64Array(G).fill(NaN);
  let info: Float64Array = new Float64Array(p * p);
  const scores = new Float64Array(cl.n * p);
  let iterations = 0, converged = false, logLik: number | undefined, r2Within: number | undefined;
  let df = 1;

  if (family === 'linear') {
    // within estimator: Z is already unit-demeaned; demean y too
    const yt = Float64Array.from(y, (v, r) => v - P.ybar[g[r]]);
    const xty = new Float64Array(p);
    for (let r = 0; r < rows; r++) {
      const o = r * p;
      for (let a = 0; a < p; a++) {
        xty[a] += Z[o + a] * yt[r];
        for (let b = a; b < p; b++) info[a * p + b] += Z[o + a] * Z[o + b];
      }
    }
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) info[a * p + b] = info[b * p + a];
    const inv = p ? invertSmall(info, p) : new Float64Array(0);
    if (!inv) throw new Error('panel: singular within design');
    for (let a = 0; a < p; a++) { let s = 0; for (let b = 0; b < p; b++) s += inv[a * p + b] * xty[b]; beta[a] = s; }
    let sse = 0, sst = 0;
    for (let r = 0; r < rows; r++) {
      let e = yt[r];
      for (let a = 0; a < p; a++) e -= Z[r * p + a] * beta[a];
      sse += e * e; sst += yt[r] * yt[r];
      const c = cl.of[g[r]];
      for (let a = 0; a < p; a++) scores[c * p + a] += Z[r * p + a] * e;
    }
    let units = 0;
    for (let u = 0; u < G; u++) if (P.count[u] > 0) units++;
    const dfResid = Math.max(rows - units - p, 1);
    df = sse / dfResid; // σ² for the model-based variance
    r2Within = sst > 0 ? 1 - sse / sst : NaN;
    info = inv; // reuse: (Z′Z)⁻¹
    iterations = 1; converged = true;
  } else {
    for (let r = 0; r < rows; r++) if (y[r] < 0) throw new RangeError(`panel: Poisson needs counts ≥ 0 (row ${r} has ${y[r]})`);
    const Y = new Float64Array(G);
    for (let r = 0; r < rows; r++) Y[g[r]] += y[r];
    const eta = new Float64Array(rows), mu = new Float64Array(rows);
    const gMax = new Float64Array(G), S = new Float64Array(G);
    // concentrated log-likelihood Σ y η − Σ_g Y_g log S_g (+ Σ_g Y_g log Y_g, constant), and μ
    const evaluate = (b: Float64Array): number => {
      gMax.fill(-Infinity); S.fill(0);
      for (let r = 0; r < rows; r++) {
        let e = 0;
        for (let a = 0; a < p; a++) e += Z[r * p + a] * b[a];
        eta[r] = e;
        if (e > gMax[g[r]]) gMax[g[r]] = e;
      }
      for (let r = 0; r < rows; r++) S[g[r]] += Math.exp(eta[r] - gMax[g[r]]);
      let ll = 0;
      for (let r = 0; r < rows; r++) {
        const u = g[r];
        mu[r] = Y[u] > 0 ? (Y[u] * Math.exp(eta[r] - gMax[u])) / S[u] : 0;
        ll += y[r] * eta[r];
      }
      for (let u = 0; u < G; u++) if (Y[u] > 0) ll -= Y[u] * (Math.log(S[u]) + gMax[u]);
      return ll;
    };
    let ll = evaluate(beta);
    const grad = new Float64Array(p), wmean = new Float64Array(G * p);
    const buildInfo = () => {
      // score Σ (y − μ) z; information Σ μ (z − z̄ᵘ)(z − z̄ᵘ)′ with z̄ᵘ the μ-weighted unit mean
      grad.fill(0); wmean.fill(0); info.fill(0);
      for (let r = 0; r < rows; r++) {
        const u = g[r];
        for (let a = 0; a < p; a++) { grad[a] += (y[r] - mu[r]) * Z[r * p + a]; wmean[u * p + a] += mu[r] * Z[r * p + a]; }
      }
      for (let u = 0; u < G; u++) if (Y[u] > 0) for (let a = 0; a < p; a++) wmean[u * p + a] /= Y[u];
      for (let r = 0; r < rows; r++) {
        if (mu[r] === 0) continue;
        const o = g[r] * p;
        for (let a = 0; a < p; a++) {
          const da = Z[r * p + a] - wmean[o + a];
          for (let b = a; b < p; b++) info[a * p + b] += mu[r] * da * (Z[r * p + b] - wmean[o + b]);
        }
      }
      for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) info[a * p + b] = info[b * p + a];
    };
    for (iterations = 0; iterations < maxIter && p > 0; iterations++) {
      buildInfo();
      const inv = invertSmall(info, p);
      if (!inv) throw new Error('panel: singular Poisson information (a regressor is constant among units with events)');
      const step = new Float64Array(p);
      for (let a = 0; a < p; a++) { let s = 0; for (let b = 0; b < p; b++) s += inv[a * p + b] * grad[b]; step[a] = s; }
      let t = 1, next = ll;
      const cand = new Float64Array(p);
      for (let h = 0; h < 30; h++, t /= 2) {
        for (let a = 0; a < p; a++) cand[a] = beta[a] + t * step[a];
        next = evaluate(cand);
        if (next >= ll - 1e-12 * Math.abs(ll)) break;
      }
      beta.set(cand);
      const change = Math.abs(next - ll);
      ll = next;
      let maxStep = 0;
      for (let a = 0; a < p; a++) maxStep = Math.max(maxStep, Math.abs(t * step[a]));
      if (maxStep < 1e-8 || change <= tol * (1 + Math.abs(ll))) { converged = true; iterations++; break; }
    }
    if (p === 0) converged = true;
    ll = evaluate(beta);
    buildInfo();
    const inv = p ? invertSmall(info, p) : new Float64Array(0);
    if (!inv) throw new Error('panel: singular Poisson information at the optimum');
    info = inv;
    for (let r = 0; r < rows; r++) {
      const c = cl.of[g[r]];
      for (let a = 0; a < p; a++) scores[c * p + a] += (y[r] - mu[r]) * Z[r * p + a];
    }
    let ly = 0;
    for (let u = 0; u < G; u++) if (Y[u] > 0) ly += Y[u] * Math.log(Y[u]);
    logLik = ll + ly - Array.from(y).reduce((s, v) => s + v, 0);
  }

  // back to the raw column scale
  const k = inp.k;
  const coef = new Float64Array(k).fill(NaN), se = new Float64Array(k).fill(NaN), seModel = new Float64Array(k).fill(NaN);
  let usedClusters = 0;
  const seen = new Uint8Array(cl.n);
  for (let r = 0; r < rows; r++) { const c = cl.of[g[r]]; if (!seen[c]) { seen[c] = 1; usedClusters++; } }
  const K = p + (family === 'linear' ? 1 : 0);
  const factor = (usedClusters / Math.max(usedClusters - 1, 1)) * (family === 'linear' ? (rows - 1) / Math.max(rows - K, 1) : 1);
  const Vz = sandwich(info, scores, cl.n, p, factor);
  const vcov = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    const j = P.kept[a], s = P.scale[a];
    coef[j] = beta[a] / s;
    se[j] = Math.sqrt(Vz[a * p + a]) / s;
    seModel[j] = Math.sqrt(info[a * p + a] * df) / s;
    for (let b = 0; b < p; b++) vcov[a * p + b] = Vz[a * p + b] / (s * P.scale[b]);
  }
  // unit effects on the raw scale: α_u = log Y_u − log Σ exp(x′β) (Poisson); ȳ_u − x̄_u′β (linear)
  if (family === 'linear') {
    for (let u = 0; u < G; u++) {
      if (P.count[u] === 0) continue;
      let s = P.ybar[u];
      for (let a = 0; a < p; a++) s -= P.xbar[u * p + a] * coef[P.kept[a]];
      alpha[u] = s;
    }
  } else {
    const Y = new Float64Array(G), S = new Float64Array(G), mx = new Float64Array(G).fill(-Infinity);
    const lin = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let e = 0;
      for (let a = 0; a < p; a++) e += (Z[r * p + a] * P.scale[a] + P.xbar[g[r] * p + a]) * coef[P.kept[a]];
      lin[r] = e; Y[g[r]] += y[r];
      if (e > mx[g[r]]) mx[g[r]] = e;
    }
    for (let r = 0; r < rows; r++) S[g[r]] += Math.exp(lin[r] - mx[g[r]]);
    for (let u = 0; u < G; u++) {
      if (P.zeroUnits[u]) alpha[u] = -Infinity;
      else if (P.count[u] > 0) alpha[u] = Math.log(Y[u]) - Math.log(S[u]) - mx[u];
    }
  }
  let units = 0;
  for (let u = 0; u < G; u++) if (P.count[u] > 0 || P.zeroUnits[u]) units++;
  return {
    family, coef, se, seModel, status: P.status, alpha, vcov, kept: P.kept,
    n: rows, skipped: P.skipped, units, clusters: usedClusters, iterations, converged, logLik, r2Within,
  };
}

export interface CoefficientRow {
  name: string;
  coef: number;
  se: number;
  seModel: number;
  z: number;
  p: number;
  lo: number;
  hi: number;
  status: 'kept' | 'absorbed' | 'collinear';
}

/** Coefficient table with Wald z, two-sided p and a normal CI from the cluster-robust SEs. */
export function coefficientTable(names: string[], fit: Pick<PanelFit, 'coef' | 'se' | 'seModel' | 'status'>, level = 0.95): CoefficientRow[] {
  const q = normalQuantile(0.5 + level / 2);
  return names.map((name, j) => {
    const c = fit.coef[j], s = fit.se[j];
    const z = c / s;
    return {
      name, coef: c, se: s, seModel: fit.seModel[j], z, p: Number.isFinite(z) ? twoSidedP(z) : NaN,
      lo: c - q * s, hi: c + q * s, status: fit.status[j],
    };
  });
}
