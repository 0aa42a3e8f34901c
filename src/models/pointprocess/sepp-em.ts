/**
 * Parametric continuous space-time SEPP (after Mohler et al. 2011), fitted by EM:
 *   λ(x, y, t) = μ(x, y) + Σ_{t_j < t} θ ω e^{−ω(t − t_j)} · N(x − x_j, y − y_j; 0, σ²I),
 * where μ(x, y) = (1/T) Σ_i p_bg(i) K_h(x − x_i) is a Gaussian KDE of the background-weighted events
 * (bandwidth fixed, or adaptive per event as in the paper), as in the paper's declustering but with a
 * parametric trigger.
 *
 * E-step over the candidate pairs (triggering beyond maxDt days or maxDist metres is zero):
 *   p_ij = g(i, j) / λ(i),  p_bg(i) = μ(x_i) / λ(i).
 * M-step: θ = Σp_ij / Σ_j (1 − e^{−ω r_j}), ω = Σp_ij / (Σp_ij Δt_ij + θ Σ_j r_j e^{−ω r_j}),
 * σ² = Σp_ij d²_ij / (2 Σp_ij), with r_j = min(T − t_j, maxDt) (offspring after T, or beyond the time cut, are
 * unseen). Spatial truncation is not corrected for: keep maxDist ≥ 4σ (mass lost < e^{−8}).
 */
import type { GridSpec } from '../kernel/binning.js';
import { backgroundGrid, weightedKdeAtPoints } from './background-kde.js';
import type { CandidatePairs } from './candidate-pairs.js';
import { variableKdeAtPoints } from './variable-kde.js';

export interface SeppData {
  /** Metres. */
  x: Float64Array;
  y: Float64Array;
  /** Days since the window start, ascending. */
  t: Float64Array;
  /** Window length, days. */
  T: number;
  pairs: CandidatePairs;
  maxDt: number;
}

export interface SeppOptions {
  /**
   * Background KDE bandwidth, metres: one value (gridded KDE, fast), or one per event (adaptive, e.g. k-th
   * neighbour distances; summed directly, and exact at the metre-scale kernels of repeat locations).
   */
  bgBandwidth: number | Float64Array;
  maxIter?: number;
  tol?: number;
  theta0?: number;
  omega0?: number;
  sigma0?: number;
  maxTheta?: number;
  /**
   * Lower bound on σ, metres. Police data geocode many incidents to the same point (an address, a block
   * centroid), and with exact repeats the likelihood grows without bound as σ → 0; the floor keeps the
   * trigger a density at the data's spatial resolution.
   */
  minSigma?: number;
  onIteration?: (iter: number, logLik: number) => void;
}

export interface SeppFit {
  theta: number;
  /** Per day. */
  omega: number;
  /** Metres. */
  sigma: number;
  bgBandwidth: number | Float64Array;
  /** Background probability of each event (final E-step). */
  pBackground: Float64Array;
  T: number;
  iterations: number;
  converged: boolean;
  logLik: number;
  backgroundShare: number;
  /** Grid of the fixed-bandwidth background KDE (absent for adaptive bandwidths). */
  grid?: GridSpec;
}

export function fitSepp(d: SeppData, opts: SeppOptions): SeppFit {
  const { x, y, t, T, pairs } = d;
  const n = t.length;
  const h = opts.bgBandwidth, maxIter = opts.maxIter ?? 100, tol = opts.tol ?? 1e-4, maxTheta = opts.maxTheta ?? 0.99, minSigma = opts.minSigma ?? 10;
  let theta = opts.theta0 ?? 0.5, omega = opts.omega0 ?? 0.1, sigma = opts.sigma0 ?? 50;
  const grid = typeof h === 'number' ? backgroundGrid(x, y, h) : undefined;
  const area = boxArea(x, y);
  const pbg = new Float64Array(n).fill(0.5);
  const pNew = new Float64Array(n);
  const muAt = new Float64Array(n);
  const { off, dt, d2 } = pairs;
  // the edge sums depend only on ω, but ω changes each iteration, so they are recomputed in the loop
  const r = Float64Array.from(t, (ti) => Math.min(T - ti, d.maxDt));
  let iterations = 0, converged = false, logLik = -Infinity;
  for (let it = 0; it < maxIter; it++) {
    if (grid) weightedKdeAtPoints(x, y, pbg, h as number, grid, muAt);
    else variableKdeAtPoints(x, y, pbg, h as Float64Array, muAt);
    let bgTotal = 0;
    for (let i = 0; i < n; i++) bgTotal += pbg[i];
    const floor = (1e-6 * bgTotal) / area / T;
    const c = (theta * omega) / (2 * Math.PI * sigma * sigma), inv2s2 = 1 / (2 * sigma * sigma);
    let P = 0, D = 0, Q = 0, ll = 0;
    for (let i = 0; i < n; i++) {
      const mu = Math.max(muAt[i] / T, floor);
      let trig = 0, tdt = 0, td2 = 0;
      for (let k = off[i]; k < off[i + 1]; k++) {
        const g = c * Math.exp(-omega * dt[k] - d2[k] * inv2s2);
        trig += g; tdt += g * dt[k]; td2 += g * d2[k];
      }
      const lam = mu + trig;
      pNew[i] = mu / lam;
      P += trig / lam; D += tdt / lam; Q += td2 / lam;
      ll += Math.log(lam);
    }
    let E1 = 0, E2 = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(-omega * r[j]);
      E1 += 1 - e; E2 += r[j] * e;
    }
    ll -= bgTotal + theta * E1; // ∫μ over the window ≈ Σ p_bg (KDE mass, edge-corrected)
    logLik = ll;
    opts.onIteration?.(it, ll);
    pbg.set(pNew);
    iterations = it + 1;
    if (!Number.isFinite(P) || !Number.isFinite(ll)) throw new Error(`SEPP EM diverged at iteration ${it + 1} (θ=${theta}, ω=${omega}, σ=${sigma})`);
    if (P === 0) { theta = 0; converged = true; break; } // no pair carries any triggering weight
    const th = Math.min(maxTheta, P / E1);
    const om = P / (D + th * E2);
    const sg = Math.max(minSigma, Math.sqrt(Q / (2 * P)));
    const change = Math.max(Math.abs(th - theta) / theta, Math.abs(om - omega) / omega, Math.abs(sg - sigma) / sigma);
    theta = th; omega = om; sigma = sg;
    if (change < tol) { converged = true; break; }
  }
  let bg = 0;
  for (let i = 0; i < n; i++) bg += pbg[i];
  return { theta, omega, sigma, bgBandwidth: h, pBackground: pbg, T, iterations, converged, logLik, backgroundShare: n ? bg / n : 1, grid };
}

function boxArea(x: Float64Array, y: Float64Array): number {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < minX) minX = x[i];
    if (x[i] > maxX) maxX = x[i];
    if (y[i] < minY) minY = y[i];
    if (y[i] > maxY) maxY = y[i];
  }
  return Math.max((maxX - minX) * (maxY - minY), 1);
}
