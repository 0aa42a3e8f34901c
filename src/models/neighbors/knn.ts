/**
 * k-nearest-neighbour regression on standardised features: the prediction is the (distance-weighted or plain)
 * mean target of the k closest training rows. Brute force over a seeded subsample of at most `maxTrain` rows —
 * with ~20 dense features tree indexes don't beat a linear scan (scikit-learn's 'auto' picks brute force there
 * too), and the subsample bounds the cost.
 *
 * The scan is filtered: a WebAssembly SIMD kernel (distance-kernel.ts) computes float32 distances from four
 * queries at a time to every training row and, per query, the k-th smallest of them, T (a bounded max-heap).
 * k rows then lie within T + err in float64 (err bounds float32 rounding), so every true neighbour's float32
 * distance is ≤ T + 2·err, and only the rows under that cut (about k of them) are re-scored in float64 in
 * natural coordinate order. The neighbours and their distances are therefore exactly those of a plain float64
 * scan: the k smallest (distance, row index) pairs.
 * Queries whose values are too large for float32 (or not finite) take the plain float64 scan.
 */
import type { Learner, LearnerFitOptions } from '../learned/learner.js';
import { applyStandardizer, fitStandardizer, type Standardizer } from '../linear/standardize.js';
import { Rng } from '../../util/rng.js';
import { DistanceKernel, QUERY_BLOCK } from './distance-kernel.js';

/**
 * |float32 distance − float64 distance| ≤ F32_ERR(p) · (‖q‖ + ‖z‖)²: float32 rounding of the standardised
 * values, the differences, the squares and a p-term sum is (p + 4)·2⁻²⁴ of that (Cauchy–Schwarz bounds
 * Σ(|q_j| + |z_j|)² by (‖q‖ + ‖z‖)²), and the float64 sum's own error is 2²⁹ times smaller; doubled for margin.
 */
const F32_ERR = (p: number): number => 2 * (p + 8) * 2 ** -24;
/** Beyond this (‖q‖ + ‖z‖)² float32 sums could overflow: such queries take the float64 scan. */
const F32_SAFE = 1e36;

export interface Neighbours {
  k: number;
  /** Row q's neighbours are index[q·k … (q+1)·k), nearest first, as rows of the (subsampled) training set. */
  index: Int32Array;
  /** Squared Euclidean distances on standardised features, same layout. */
  dist2: Float64Array;
}

export class KNearestNeighbors implements Learner {
  readonly target = 'count' as const;
  private std: Standardizer | null = null;
  private Z: Float64Array = new Float64Array(0);
  private yTrain = new Float64Array(0);
  private n = 0;
  private p = 0;
  private zMax = 0;

  constructor(readonly k = 25, readonly maxTrain = 5000, readonly weighted = false) {}

  fit(X: Float32Array, nRows: number, nCols: number, y: Float32Array, opts: LearnerFitOptions = {}): void {
    const rng = new Rng(opts.seed ?? 1);
    let idx = Int32Array.from({ length: nRows }, (_, i) => i);
    if (nRows > this.maxTrain) idx = rng.shuffle(idx).subarray(0, this.maxTrain).sort();
    const sub = new Float32Array(idx.length * nCols);
    idx.forEach((i, r) => sub.set(X.subarray(i * nCols, (i + 1) * nCols), r * nCols));
    this.std = fitStandardizer(sub, idx.length, nCols);
    this.Z = applyStandardizer(this.std, sub, idx.length, nCols);
    this.yTrain = Float64Array.from(idx, (i) => y[i]);
    this.n = idx.length;
    this.p = nCols;
    this.kernel = null;
    // largest training-row norm: bounds every query's float32 rounding error (NaN/Infinity → float64 scan)
    let zMax = 0;
    for (let i = 0; i < this.n; i++) {
      let s = 0;
      for (let j = 0; j < nCols; j++) s += this.Z[i * nCols + j] ** 2;
      zMax = Math.max(zMax, Math.sqrt(s));
    }
    this.zMax = zMax;
  }

  /** The k nearest training rows of every row of X (k capped at the training size). */
  neighbours(X: Float32Array, nRows: number): Neighbours {
    if (!this.std) throw new Error('k-NN: predict before fit');
    const Q = applyStandardizer(this.std, X, nRows, this.p);
    const k = Math.min(this.k, this.n), p = this.p;
    const index = new Int32Array(nRows * k), dist2 = new Float64Array(nRows * k);
    const heapD = new Float64Array(k), heapI = new Int32Array(k);
    const kernel = this.kernel ??= DistanceKernel.create(this.Z, this.n, p);
    const errScale = F32_ERR(p), zMax = this.zMax;
    for (let q0 = 0; q0 < nRows; q0 += QUERY_BLOCK) {
      const filtered = kernel !== null && Number.isFinite(zMax);
      if (filtered) kernel.distances(Q, q0, nRows);
      for (let q = q0; q < Math.min(q0 + QUERY_BLOCK, nRows); q++) {
        const qo = q * p;
        let qNorm = 0;
        for (let j = 0; j < p; j++) qNorm += Q[qo + j] * Q[qo + j];
        const reach = (Math.sqrt(qNorm) + zMax) ** 2;
        const size = filtered && reach < F32_SAFE
          ? this.scanFiltered(Q, qo, kernel, q - q0, errScale * reach + 1e-30, heapD, heapI, k)
          : this.scanExact(Q, qo, heapD, heapI, k);
        // heap → nearest first (ties by row index)
        for (let m = size - 1; m >= 0; m--) {
          index[q * k + m] = heapI[0]; dist2[q * k + m] = heapD[0];
          heapD[0] = heapD[m]; heapI[0] = heapI[m];
          siftDown(heapD, heapI, m);
        }
      }
    }
    return { k, index, dist2 };
  }

  private kernel: DistanceKernel | null = null;

  /**
   * Fills the heap with the k nearest training rows of query Q[qo …] (query qq of the kernel's block); returns
   * the heap size. With T the k-th smallest float32 distance, k rows lie within T + err exactly, so every true
   * neighbour's float32 distance is ≤ T + 2·err: only rows under that cut are scored in float64.
   */
  private scanFiltered(Q: Float64Array, qo: number, kernel: DistanceKernel, qq: number, err: number,
    heapD: Float64Array, heapI: Int32Array, k: number): number {
    const n = this.n, cut = kernel.kth(qq, k) + 2 * err;
    let size = 0;
    for (let i = kernel.next(qq, 0, cut); i < n; i = kernel.next(qq, i + 1, cut)) {
      const d = this.exact(Q, qo, i);
      if (size < k) { heapD[size] = d; heapI[size] = i; siftUp(heapD, heapI, size++); }
      else if (d < heapD[0]) { heapD[0] = d; heapI[0] = i; siftDown(heapD, heapI, k); }
    }
    return size;
  }

  /** The plain float64 scan (rows in order; an equal distance never evicts a lower row index). */
  private scanExact(Q: Float64Array, qo: number, heapD: Float64Array, heapI: Int32Array, k: number): number {
    let size = 0;
    for (let i = 0; i < this.n; i++) {
      const d = this.exact(Q, qo, i);
      if (size < k) { heapD[size] = d; heapI[size] = i; siftUp(heapD, heapI, size++); }
      else if (d < heapD[0]) { heapD[0] = d; heapI[0] = i; siftDown(heapD, heapI, k); }
    }
    return size;
  }

  /** Squared float64 distance of query Q[qo …] to training row i, summed in coordinate order. */
  private exact(Q: Float64Array, qo: number, i: number): number {
    const p = this.p, Z = this.Z, o = i * p;
    let d = 0;
    for (let j = 0; j < p; j++) { const t = Q[qo + j] - Z[o + j]; d += t * t; }
    return d;
  }

  predict(X: Float32Array, nRows: number): Float32Array {
    const { k, index, dist2 } = this.neighbours(X, nRows);
    const out = new Float32Array(nRows);
    for (let q = 0; q < nRows; q++) {
      let s = 0, sw = 0;
      for (let m = q * k; m < (q + 1) * k; m++) {
        const w = this.weighted ? 1 / (Math.sqrt(dist2[m]) + 1e-6) : 1;
        s += w * this.yTrain[index[m]]; sw += w;
      }
      out[q] = s / sw;
    }
    return out;
  }
}

// max-heap on (distance, row index): among equal distances the higher row index is evicted first
const above = (d: Float64Array, ix: Int32Array, a: number, b: number): boolean => d[a] > d[b] || (d[a] === d[b] && ix[a] > ix[b]);

function siftUp(d: Float64Array, ix: Int32Array, c: number): void {
  while (c > 0) {
    const par = (c - 1) >> 1;
    if (!above(d, ix, c, par)) break;
    swap(d, ix, par, c); c = par;
  }
}

function siftDown(d: Float64Array, ix: Int32Array, size: number): void {
  let c = 0;
  for (;;) {
    const l = 2 * c + 1, r = l + 1;
    let m = c;
    if (l < size && above(d, ix, l, m)) m = l;
    if (r < size && above(d, ix, r, m)) m = r;
    if (m === c) return;
    swap(d, ix, m, c); c = m;
  }
}

function swap(d: Float64Array, ix: Int32Array, a: number, b: number): void {
  const td = d[a]; d[a] = d[b]; d[b] = td;
  const ti = ix[a]; ix[a] = ix[b]; ix[b] = ti;
}
