/**
 * k-nearest-neighbour regression on standardised features: the prediction is the (distance-weighted or plain)
 * mean target of the k closest training rows. Brute force over a seeded subsample of at most `maxTrain` rows —
 * with ~20 dense features tree indexes don't beat a linear scan, and the subsample bounds the cost — with a
 * partial-distance cut: a row is dropped as soon as its running distance exceeds the current k-th best.
 */
import type { Learner, LearnerFitOptions } from '../learned/learner.js';
import { applyStandardizer, fitStandardizer, type Standardizer } from '../linear/standardize.js';
import { Rng } from '../../util/rng.js';

export class KNearestNeighbors implements Learner {
  readonly target = 'count' as const;
  private std: Standardizer | null = null;
  private Z: Float64Array = new Float64Array(0);
  private yTrain = new Float64Array(0);
  private n = 0;
  private p = 0;

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
  }

  predict(X: Float32Array, nRows: number): Float32Array {
    if (!this.std) throw new Error('k-NN: predict before fit');
    const Q = applyStandardizer(this.std, X, nRows, this.p);
    const k = Math.min(this.k, this.n), p = this.p, n = this.n, Z = this.Z;
    const heapD = new Float64Array(k), heapI = new Int32Array(k);
    const out = new Float32Array(nRows);
    for (let q = 0; q < nRows; q++) {
      let size = 0;
      const qo = q * p;
      for (let i = 0; i < n; i++) {
        // partial distance: once the heap is full, stop summing as soon as d passes the k-th best
        const bound = size < k ? Infinity : heapD[0];
        let d = 0;
        const o = i * p;
        let j = 0;
        for (; j + 4 <= p && d < bound; j += 4) {
          const t0 = Q[qo + j] - Z[o + j], t1 = Q[qo + j + 1] - Z[o + j + 1];
          const t2 = Q[qo + j + 2] - Z[o + j + 2], t3 = Q[qo + j + 3] - Z[o + j + 3];
          d += t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3;
        }
        if (d >= bound) continue;
        for (; j < p; j++) { const t = Q[qo + j] - Z[o + j]; d += t * t; }
        if (d >= bound) continue;
        if (size < k) {
          // sift up into a max-heap of the k best distances
          let c = size++;
          heapD[c] = d; heapI[c] = i;
          while (c > 0) { const par = (c - 1) >> 1; if (heapD[par] >= heapD[c]) break; swap(heapD, heapI, par, c); c = par; }
        } else if (d < heapD[0]) {
          heapD[0] = d; heapI[0] = i;
          let c = 0;
          for (;;) {
            const l = 2 * c + 1, r = l + 1;
            let m = c;
            if (l < k && heapD[l] > heapD[m]) m = l;
            if (r < k && heapD[r] > heapD[m]) m = r;
            if (m === c) break;
            swap(heapD, heapI, m, c); c = m;
          }
        }
      }
      let s = 0, sw = 0;
      for (let h = 0; h < size; h++) {
        const w = this.weighted ? 1 / (Math.sqrt(heapD[h]) + 1e-6) : 1;
        s += w * this.yTrain[heapI[h]]; sw += w;
      }
      out[q] = s / sw;
    }
    return out;
  }
}

function swap(d: Float64Array, ix: Int32Array, a: number, b: number): void {
  const td = d[a]; d[a] = d[b]; d[b] = td;
  const ti = ix[a]; ix[a] = ix[b]; ix[b] = ti;
}
