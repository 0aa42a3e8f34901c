/**
 * Non-parametric space-time SEPP by stochastic declustering (Mohler et al. 2011, after Zhuang et al. 2002):
 *   λ(x, y, t) = μ(x, y) + Σ_{t_j < t} g(x − x_j, y − y_j, t − t_j).
 * Each iteration (1) samples a branching structure from the current probabilities — every event is
 * background (prob. μ/λ) or the child of one candidate parent (prob. g/λ); (2) re-estimates μ from the sampled
 * background events and g from the sampled parent→child displacements by kernel density with variable
 * (k-th nearest-neighbour) bandwidths; (3) recomputes the probabilities.
 *
 * Deviations from the paper, for speed and for forecasting: μ is stationary in time (a 2-D KDE / T, not
 * 3-D); g is estimated as θ̂ f_t(Δt) f_s(Δx, Δy) — the product of a 1-D time KDE (reflected at Δt = 0) and a
 * 2-D displacement KDE, each on a grid over the candidate window — rather than one 3-D KDE; background
 * bandwidths come from k-th neighbour distances among all events (fixed across iterations). The background
 * KDE is summed directly and leave-one-out (variable-kde.ts).
 */
import { Rng } from '../../util/rng.js';
import type { CandidatePairs } from './candidate-pairs.js';
import { knnDistance1d, knnDistance2d } from './knn-bandwidth.js';
import { variableKdeAtPoints } from './variable-kde.js';

export interface NonparamSeppData {
  x: Float64Array;
  y: Float64Array;
  /** Days, ascending. */
  t: Float64Array;
  T: number;
  pairs: CandidatePairs;
  maxDt: number;
  maxDist: number;
}

export interface NonparamSeppOptions {
  iterations?: number;
  /** Neighbour rank for background / trigger bandwidths (Mohler et al. use small k such as 15). */
  kBackground?: number;
  kTrigger?: number;
  /** Bandwidth floors: metres, days. */
  minBandwidth?: number;
  minTimeBandwidth?: number;
  /** Grid resolution of the trigger estimate. */
  spaceCells?: number;
  timeCells?: number;
  /** Initial parametric guess used for the first E-step. */
  theta0?: number;
  omega0?: number;
  sigma0?: number;
  seed?: number;
}

export interface NonparamSeppFit {
  /** Background probability of each event, averaged over the second half of the iterations. */
  pBackground: Float64Array;
  /** Share of events sampled as offspring (θ), averaged over the second half of the iterations. */
  branchingRatio: number;
  /** f_t on [0, maxDt]: density per day at cell centres (cell width maxDt / timeCells). */
  timeDensity: Float64Array;
  /** f_s on [−maxDist, maxDist]²: density per m² at cell centres, row-major (row = Δy). */
  spaceDensity: Float64Array;
  /** Mean delay of f_t (days) and RMS displacement per axis of f_s (metres). */
  meanDelay: number;
  spatialSd: number;
  /** Background kernel bandwidth of each event (k-th neighbour distance, metres). */
  bgBandwidth: Float64Array;
  iterations: number;
}

export function fitSeppNonparametric(d: NonparamSeppData, opts: NonparamSeppOptions = {}): NonparamSeppFit {
  const { x, y, t, T, pairs, maxDt, maxDist: R } = d;
  const n = t.length;
  const iters = opts.iterations ?? 30, kB = opts.kBackground ?? 15, kT = opts.kTrigger ?? 15;
  const minBw = opts.minBandwidth ?? 10, minTbw = opts.minTimeBandwidth ?? 0.05;
  const ns = opts.spaceCells ?? 48, nt = opts.timeCells ?? 96;
  const rng = new Rng(opts.seed ?? 1);
  const { off, parent } = pairs;
  const bgBw = knnDistance2d(x, y, kB, minBw);

  // current model: μ at each event, g as θ f_t f_s on grids
  const muAt = new Float64Array(n);
  const ft = new Float64Array(nt), fs = new Float64Array(ns * ns);
  const tau = maxDt / nt, cs = (2 * R) / ns;
  let theta = opts.theta0 ?? 0.5;
  {
    // first E-step from a parametric guess: uniform background, exponential × Gaussian trigger
    const om = opts.omega0 ?? 0.1, sg = opts.sigma0 ?? R / 5;
    for (let c = 0; c < nt; c++) ft[c] = om * Math.exp(-om * (c + 0.5) * tau);
    for (let b = 0; b < ns; b++) for (let a = 0; a < ns; a++) {
      const dx = -R + (a + 0.5) * cs, dy = -R + (b + 0.5) * cs;
      fs[b * ns + a] = Math.exp(-(dx * dx + dy * dy) / (2 * sg * sg)) / (2 * Math.PI * sg * sg);
    }
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, x[i]); maxX = Math.max(maxX, x[i]); minY = Math.min(minY, y[i]); maxY = Math.max(maxY, y[i]);
    }
    muAt.fill(((1 - theta) * n) / Math.max((maxX - minX) * (maxY - minY), 1) / T);
  }
  const pAvg = new Float64Array(n);
  let thetaAvg = 0, avgCount = 0;
  const isBg = new Float64Array(n);
  let g = new Float64Array(64); // trigger value of each candidate parent of the current event
  const odx: number[] = [], ody: number[] = [], odt: number[] = [];
  for (let it = 0; it < iters; it++) {
    // E-step + sampling of the branching structure
    isBg.fill(0);
    odx.length = ody.length = odt.length = 0;
    const keep = it >= Math.floor(iters / 2);
    for (let i = 0; i < n; i++) {
      const a = off[i], b = off[i + 1];
      if (b - a > g.length) g = new Float64Array(2 * (b - a));
      let lam = muAt[i];
      for (let k = a; k < b; k++) {
        const j = parent[k];
        const v = theta * lookupTime(ft, tau, t[i] - t[j]) * lookupSpace(fs, ns, cs, R, x[i] - x[j], y[i] - y[j]);
        g[k - a] = v;
        lam += v;
      }
      if (keep) pAvg[i] += muAt[i] / lam;
      let u = rng.random() * lam - muAt[i];
      if (u < 0) { isBg[i] = 1; continue; }
      let k = a;
      for (; k < b - 1; k++) { u -= g[k - a]; if (u < 0) break; }
      const j = parent[k];
      odx.push(x[i] - x[j]); ody.push(y[i] - y[j]); odt.push(t[i] - t[j]);
    }
    // M-step: θ, f_t, f_s from the sampled offspring; μ from the sampled background
    const M = odt.length;
    theta = M / n;
    if (keep) { thetaAvg += theta; avgCount++; }
    if (M > 0) {
      estimateTime(Float64Array.from(odt), knnDistance1d(Float64Array.from(odt), kT, minTbw), ft, tau);
      const dxs = Float64Array.from(odx), dys = Float64Array.from(ody);
      estimateSpace(dxs, dys, knnDistance2d(dxs, dys, kT, minBw), fs, ns, cs, R);
    }
    variableKdeAtPoints(x, y, isBg, bgBw, muAt);
    // an event with no background kernel within reach still needs a positive rate
    const floor = (1e-9 * Math.max(n - M, 1)) / T;
    for (let i = 0; i < n; i++) muAt[i] = Math.max(muAt[i] / T, floor);
  }
  for (let i = 0; i < n; i++) pAvg[i] /= Math.max(avgCount, 1);
  let meanDelay = 0, m2 = 0;
  for (let c = 0; c < nt; c++) meanDelay += (c + 0.5) * tau * ft[c] * tau;
  for (let b = 0; b < ns; b++) for (let a = 0; a < ns; a++) {
    const dx = -R + (a + 0.5) * cs, dy = -R + (b + 0.5) * cs;
    m2 += ((dx * dx + dy * dy) / 2) * fs[b * ns + a] * cs * cs;
  }
  return {
    pBackground: pAvg, branchingRatio: avgCount ? thetaAvg / avgCount : theta, timeDensity: ft, spaceDensity: fs,
    meanDelay, spatialSd: Math.sqrt(m2), bgBandwidth: bgBw, iterations: iters,
  };
}

function lookupTime(ft: Float64Array, tau: number, dt: number): number {
  const f = dt / tau - 0.5;
  if (f <= 0) return ft[0];
  const i = Math.floor(f);
  if (i >= ft.length - 1) return ft[ft.length - 1];
  const w = f - i;
  return (1 - w) * ft[i] + w * ft[i + 1];
}

function lookupSpace(fs: Float64Array, ns: number, cs: number, R: number, dx: number, dy: number): number {
  const fx = Math.min(Math.max((dx + R) / cs - 0.5, 0), ns - 1.000001);
  const fy = Math.min(Math.max((dy + R) / cs - 0.5, 0), ns - 1.000001);
  const ix = Math.floor(fx), iy = Math.floor(fy), wx = fx - ix, wy = fy - iy;
  const r0 = iy * ns, r1 = r0 + ns;
  return (1 - wy) * ((1 - wx) * fs[r0 + ix] + wx * fs[r0 + ix + 1]) + wy * ((1 - wx) * fs[r1 + ix] + wx * fs[r1 + ix + 1]);
}

/** Variable-bandwidth Gaussian KDE of delays on [0, maxDt], reflected at 0 and normalised over the window. */
function estimateTime(dt: Float64Array, h: Float64Array, ft: Float64Array, tau: number): void {
  ft.fill(0);
  for (let k = 0; k < dt.length; k++) {
    const inv = 1 / (2 * h[k] * h[k]);
    for (let c = 0; c < ft.length; c++) {
      const s = (c + 0.5) * tau;
      ft[c] += (Math.exp(-((s - dt[k]) ** 2) * inv) + Math.exp(-((s + dt[k]) ** 2) * inv)) / h[k];
    }
  }
  normalise(ft, tau);
}

/** Variable-bandwidth Gaussian KDE of displacements on [−R, R]², separable per sample (two 1-D factors). */
function estimateSpace(dx: Float64Array, dy: Float64Array, h: Float64Array, fs: Float64Array, ns: number, cs: number, R: number): void {
  fs.fill(0);
  const ex = new Float64Array(ns);
  for (let k = 0; k < dx.length; k++) {
    const inv = 1 / (2 * h[k] * h[k]), reach = 6 * h[k];
    // only cells within 6 bandwidths of the sample get weight (e^{-18} beyond)
    const a0 = Math.max(0, Math.floor((dx[k] - reach + R) / cs)), a1 = Math.min(ns - 1, Math.ceil((dx[k] + reach + R) / cs));
    const b0 = Math.max(0, Math.floor((dy[k] - reach + R) / cs)), b1 = Math.min(ns - 1, Math.ceil((dy[k] + reach + R) / cs));
    for (let a = a0; a <= a1; a++) {
      const c = -R + (a + 0.5) * cs;
      ex[a] = Math.exp(-((c - dx[k]) ** 2) * inv);
    }
    for (let b = b0; b <= b1; b++) {
      const c = -R + (b + 0.5) * cs;
      const e = Math.exp(-((c - dy[k]) ** 2) * inv) * inv;
      const row = b * ns;
      for (let a = a0; a <= a1; a++) fs[row + a] += e * ex[a];
    }
  }
  normalise(fs, cs * cs);
}

function normalise(a: Float64Array, cellMeasure: number): void {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  if (s > 0) for (let i = 0; i < a.length; i++) a[i] /= s * cellMeasure;
}
