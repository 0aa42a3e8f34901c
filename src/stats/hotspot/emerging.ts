/**
 * Emerging hot-spot analysis (ArcGIS semantics): a space-time Gi* per (period, region) bin, a
 * Mann-Kendall trend test on each region's Gi* z-score series, and one pattern per region.
 *
 * Space-time neighbourhood of bin (t, i): the bins (s, j) with j in i's spatial neighbourhood
 * (i itself included) and t − timeWindow ≤ s ≤ t — ArcGIS's "neighborhood time step" looks back only.
 * The mean and standard deviation in Gi* are those of the whole cube (ArcGIS's default global window).
 */
import type { CountTensor } from '../../tensor/count-tensor.js';
import { UserError } from '../../util/errors.js';
import { confidenceBin } from './confidence.js';
import { classifyEmerging, type EmergingPattern } from './emerging-patterns.js';
import { benjaminiHochberg } from './fdr.js';
import { giStarZ } from './gi-star.js';
import { mannKendall } from './mann-kendall.js';
import { twoSidedP } from '../../util/special-functions.js';
import { neighbourCount, rowSums, spatialLag, type SpatialWeights } from './weights.js';

/** A periods × regions cube of values, period-major (index = t * regions + i). */
export interface SpaceTimeCube {
  readonly periods: number;
  readonly regions: number;
  readonly values: Float64Array;
}

/** Cube of one category (by name or index) or, when none is given, all categories summed. */
export function cubeFromTensor(t: CountTensor, category?: string | number): SpaceTimeCube {
  const { periods, regions, categories: C, data } = t;
  const values = new Float64Array(periods * regions);
  if (category === undefined) {
    for (let pr = 0; pr < periods * regions; pr++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += data[pr * C + c];
      values[pr] = s;
    }
  } else {
    const c = typeof category === 'number' ? category : t.categoryNames.indexOf(category);
    if (c < 0 || c >= C) throw new UserError(`unknown category "${category}"`, `the tensor has: ${t.categoryNames.join(', ')}`);
    for (let pr = 0; pr < periods * regions; pr++) values[pr] = data[pr * C + c];
  }
  return { periods, regions, values };
}

export interface EmergingOptions {
  /** Number of earlier time steps in each bin's neighbourhood. Default 1. */
  timeWindow?: number;
  /** Significance level for hot/cold bins and for the trend. Default 0.05. */
  alpha?: number;
  /** Benjamini–Hochberg FDR over all bins before deciding significance. Default false. */
  fdr?: boolean;
}

export interface EmergingResult {
  readonly method: 'emerging';
  readonly n: number;
  readonly periods: number;
  readonly timeWindow: number;
  readonly alpha: number;
  readonly fdr: boolean;
  /** Per-bin Gi* z, p and confidence bin, period-major; meaningful only where `binDefined` is 1. */
  readonly binZ: Float64Array;
  readonly binP: Float64Array;
  readonly binBin: Int8Array;
  readonly binDefined: Uint8Array;
  /** Per-region pattern; null where the region could not be analysed (see `reason`). */
  readonly pattern: (EmergingPattern | null)[];
  /** Mann-Kendall on the region's Gi* z-series. */
  readonly trendZ: (number | null)[];
  readonly trendP: (number | null)[];
  readonly trendS: (number | null)[];
  /** Significant hot / cold bins per region. */
  readonly hotCount: Int32Array;
  readonly coldCount: Int32Array;
  /** Confidence bin of the final period. */
  readonly finalBin: Int8Array;
  readonly reason: (string | null)[];
  readonly islands: number[];
  readonly singleNeighbour: number[];
}

export function emergingHotSpots(cube: SpaceTimeCube, w: SpatialWeights, opts: EmergingOptions = {}): EmergingResult {
  const { periods: T, regions: n, values } = cube;
  if (w.n !== n) throw new Error(`emergingHotSpots: weights for ${w.n} regions, cube has ${n}`);
  if (!w.selfIncluded) throw new Error('emergingHotSpots needs weights built with includeSelf: true (Gi*)');
  const k = opts.timeWindow ?? 1;
  const alpha = opts.alpha ?? 0.05;
  const fdr = opts.fdr ?? false;
  if (!Number.isInteger(k) || k < 0) throw new UserError(`time window must be a non-negative integer, got ${k}`);
  if (T < 2) throw new UserError(`emerging hot-spot analysis needs at least 2 periods, got ${T}`);

  const N = T * n;
  let s = 0, s2 = 0;
  for (let b = 0; b < N; b++) { s += values[b]; s2 += values[b] * values[b]; }
  const mean = s / N;
  const sd = Math.sqrt(Math.max(0, s2 / N - mean * mean));
  const flat = !(sd > 1e-12 * Math.max(1, Math.abs(mean)));

  // Spatial lag per slice, then a sliding sum over the trailing time window.
  const lag = new Float64Array(N);
  for (let t = 0; t < T; t++) spatialLag(w, values.subarray(t * n, (t + 1) * n), lag.subarray(t * n, (t + 1) * n));
  const { sum: wSum, sumSq: wSumSq } = rowSums(w);

  const reason: (string | null)[] = new Array(n).fill(null);
  const islands: number[] = [], singleNeighbour: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = neighbourCount(w, i);
    if (c === 0) { islands.push(i); reason[i] = 'no neighbours'; }
    else if (c === 1) singleNeighbour.push(i);
    if (flat && reason[i] === null) reason[i] = 'all values equal (zero variance)';
  }

  const binZ = new Float64Array(N), binP = new Float64Array(N);
  const binDefined = new Uint8Array(N);
  const window = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    const steps = Math.min(t, k) + 1;
    for (let i = 0; i < n; i++) {
      window[i] += lag[t * n + i];
      if (t - k - 1 >= 0) window[i] -= lag[(t - k - 1) * n + i];
      if (reason[i] !== null) continue;
      const b = t * n + i;
      const z = giStarZ(window[i], steps * wSum[i], steps * wSumSq[i], mean, sd, N);
      if (!Number.isFinite(z)) { reason[i] = 'neighbourhood covers the whole cube'; continue; }
      binZ[b] = z; binP[b] = twoSidedP(z); binDefined[b] = 1;
    }
  }
  // A region whose window became degenerate part-way loses every bin, not just some.
  for (let i = 0; i < n; i++) if (reason[i] !== null) for (let t = 0; t < T; t++) binDefined[t * n + i] = 0;

  // FDR runs over the defined bins only; q stays NaN-free because undefined bins are never read.
  const q = new Float64Array(N);
  if (fdr) {
    let m = 0;
    for (let b = 0; b < N; b++) m += binDefined[b];
    const pDef = new Float64Array(m);
    for (let b = 0, j = 0; b < N; b++) if (binDefined[b]) pDef[j++] = binP[b];
    const qDef = benjaminiHochberg(pDef);
    for (let b = 0, j = 0; b < N; b++) if (binDefined[b]) q[b] = qDef[j++];
  }
  const binBin = new Int8Array(N);
  const sig = new Uint8Array(N);
  for (let b = 0; b < N; b++) {
    if (!binDefined[b]) continue;
    const pv = fdr ? q[b] : binP[b];
    binBin[b] = confidenceBin(binZ[b], pv);
    sig[b] = pv < alpha ? 1 : 0;
  }

  const pattern: (EmergingPattern | null)[] = new Array(n).fill(null);
  const trendZ: (number | null)[] = new Array(n).fill(null);
  const trendP: (number | null)[] = new Array(n).fill(null);
  const trendS: (number | null)[] = new Array(n).fill(null);
  const hotCount = new Int32Array(n), coldCount = new Int32Array(n), finalBin = new Int8Array(n);
  const series = new Float64Array(T), hot = new Uint8Array(T), cold = new Uint8Array(T);
  for (let i = 0; i < n; i++) {
    if (reason[i] !== null) continue;
    for (let t = 0; t < T; t++) {
      const b = t * n + i;
      series[t] = binZ[b];
      hot[t] = sig[b] && binZ[b] > 0 ? 1 : 0;
      cold[t] = sig[b] && binZ[b] < 0 ? 1 : 0;
      hotCount[i] += hot[t]; coldCount[i] += cold[t];
    }
    finalBin[i] = binBin[(T - 1) * n + i];
    const mk = mannKendall(series);
    trendZ[i] = mk.z; trendP[i] = mk.p; trendS[i] = mk.S;
    pattern[i] = classifyEmerging(hot, cold, mk.z, mk.p !== null && mk.p < alpha);
  }
  return {
    method: 'emerging', n, periods: T, timeWindow: k, alpha, fdr,
    binZ, binP, binBin, binDefined, pattern, trendZ, trendP, trendS, hotCount, coldCount, finalBin,
    reason, islands, singleNeighbour,
  };
}
