/**
 * k-nearest-neighbour regression on standardised features: the prediction is the (distance-weighted or plain)
 * mean target of the k closest training rows. Brute force over a seeded subsample of at most `maxTrain` rows —
 * with ~20 dense features tree indexes don't beat a linear scan (scikit-learn's 'auto' picks brute force there
 * too), and the subsample bounds the cost.
 *
 * The scan is a partial-distance search: a training row is dropped as soon as its running distance passes the
 * current k-th best. Each query sums its coordinates in order of decreasing |q_j| (on standardised features the
 * expected term is q_j² + 1, so the largest terms come first and most rows are dropped after a few of them).
 * A row that survives every coordinate gets its distance recomputed in the natural coordinate order, so the
 * neighbours and their distances are exactly those of a plain scan: the k smallest (distance, row index) pairs.
 */
import type { Learner, LearnerFitOptions } from '../learned/learner.js';
import { applyStandardizer, fitStandardizer, type Standardizer } from '../linear/standardize.js';
import { Rng } from '../../util/rng.js';

/** A pruned partial sum must pass the bound by this relative margin: the reordered sum differs by rounding. */
const PRUNE_MARGIN = 1 + 1e-12;

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

  /** The k nearest training rows of every row of X (k capped at the training size). */
  neighbours(X: Float32Array, nRows: number): Neighbours {
    if (!this.std) throw new Error('k-NN: predict before fit');
    const Q = applyStandardizer(this.std, X, nRows, this.p);
    const k = Math.min(this.k, this.n), p = this.p, n = this.n, Z = this.Z;
    const index = new Int32Array(nRows * k), dist2 = new Float64Array(nRows * k);
    const heapD = new Float64Array(k), heapI = new Int32Array(k);
    const order = new Int32Array(p), qs = new Float64Array(p);
    for (let q = 0; q < nRows; q++) {
      const qo = q * p;
      // coordinates by decreasing |q_j|
      for (let j = 0; j < p; j++) order[j] = j;
      order.sort((a, b) => Math.abs(Q[qo + b]) - Math.abs(Q[qo + a]) || a - b);
      for (let j = 0; j < p; j++) qs[j] = Q[qo + order[j]];
      const size = this.scan(Q, qo, order, qs, heapD, heapI, k);
      // heap → nearest first (ties by row index)
      for (let m = size - 1; m >= 0; m--) {
        index[q * k + m] = heapI[0]; dist2[q * k + m] = heapD[0];
        heapD[0] = heapD[m]; heapI[0] = heapI[m];
        siftDown(heapD, heapI, m);
      }
    }
    return { k, index, dist2 };
  }

  private scanner: Scanner | null = null;

  /** Fills the heap with the k nearest training rows of query row Q[qo …]; returns the heap size. */
  private scan(Q: Float64Array, qo: number, order: Int32Array, qs: Float64Array, heapD: Float64Array, heapI: Int32Array, k: number): number {
    if (!this.scanner || this.scanner.p !== this.p) this.scanner = makeScanner(this.p);
    return this.scanner.fn(this.Z, this.n, Q, qo, order, qs, heapD, heapI, k, siftUp, siftDown);
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

type ScanFn = (Z: Float64Array, n: number, Q: Float64Array, qo: number, order: Int32Array, qs: Float64Array,
  heapD: Float64Array, heapI: Int32Array, k: number, up: typeof siftUp, down: typeof siftDown) => number;
interface Scanner { p: number; fn: ScanFn }

/**
 * The scan loop unrolled for p features: the query's sorted coordinates and their column offsets sit in locals,
 * so the partial sum is straight-line code with a bound check halfway (a generic loop with an
 * index array measured ~1.5× slower). Generated from the feature count only — no data reaches the source text.
 */
function makeScanner(p: number): Scanner {
  // one check halfway (measured on 20 features: checks every 4 terms cost more in mispredicted branches
  // than they save in arithmetic)
  const every = Math.max(4, Math.ceil(p / 2));
  const lines: string[] = [];
  for (let j = 0; j < p; j++) lines.push(`const c${j} = order[${j}], q${j} = qs[${j}];`);
  const partial: string[] = [];
  for (let j = 0; j < p; j++) {
    partial.push(`t = q${j} - Z[o + c${j}]; d += t * t;`);
    if ((j + 1) % every === 0 && j + 1 < p) partial.push('if (d > cut) continue;');
  }
  const body = `${lines.join('\n')}
  let size = 0, t = 0;
  for (let i = 0, o = 0; i < n; i++, o += ${p}) {
    if (size === k) {
      const cut = heapD[0] * ${PRUNE_MARGIN};
      let d = 0;
      ${partial.join('\n      ')}
      if (d > cut) continue;
    }
    let d = 0;
    for (let j = 0; j < ${p}; j++) { t = Q[qo + j] - Z[o + j]; d += t * t; }
    if (size < k) { heapD[size] = d; heapI[size] = i; up(heapD, heapI, size++); }
    else if (d < heapD[0]) { heapD[0] = d; heapI[0] = i; down(heapD, heapI, k); }
  }
  return size;`;
  return { p, fn: new Function('Z', 'n', 'Q', 'qo', 'order', 'qs', 'heapD', 'heapI', 'k', 'up', 'down', body) as ScanFn };
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
