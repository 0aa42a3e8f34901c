/**
 * A fitted tree as parallel typed arrays (node 0 is the root), so prediction and TreeSHAP walk flat memory
 * instead of node objects. A row goes left when x[feature] ≤ threshold, or when x[feature] is NaN and
 * missingLeft is set.
 */
import { MISSING_BIN } from './binning.js';

export interface FlatTreeArrays {
  /** Split feature, −1 at a leaf. */
  feature: Int32Array;
  /** Split as a bin index (rows with bin ≤ thresholdBin go left) — for predicting on binned training data. */
  thresholdBin: Uint8Array;
  /** Split as a raw value (x ≤ threshold goes left). */
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Node output (at leaves: the prediction, already scaled by any learning rate). */
  value: Float64Array;
  /** Sum of training sample weights reaching the node (the data distribution TreeSHAP conditions on). */
  cover: Float64Array;
  /** Loss reduction of the node's split (0 at leaves), for gain-based importance. */
  gain: Float64Array;
}

export class FlatTree implements FlatTreeArrays {
  readonly feature: Int32Array;
  readonly thresholdBin: Uint8Array;
  readonly threshold: Float64Array;
  readonly missingLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  readonly cover: Float64Array;
  readonly gain: Float64Array;

  constructor(a: FlatTreeArrays) {
    this.feature = a.feature; this.thresholdBin = a.thresholdBin; this.threshold = a.threshold;
    this.missingLeft = a.missingLeft; this.left = a.left; this.right = a.right;
    this.value = a.value; this.cover = a.cover; this.gain = a.gain;
  }

  get nNodes(): number { return this.feature.length; }

  get nLeaves(): number {
    let n = 0;
    for (let i = 0; i < this.feature.length; i++) if (this.feature[i] < 0) n++;
    return n;
  }

  /** Depth of the deepest leaf (a lone root has depth 0). */
  get depth(): number {
    const d = new Int32Array(this.nNodes);
    let max = 0;
    // children always have larger ids than their parent
    for (let i = 0; i < this.nNodes; i++) {
      if (this.feature[i] >= 0) { d[this.left[i]] = d[i] + 1; d[this.right[i]] = d[i] + 1; }
      else if (d[i] > max) max = d[i];
    }
    return max;
  }

  /** Leaf reached by the row at X[off … off + nCols). */
  leafOf(X: Float32Array, off: number): number {
    const feature = this.feature, threshold = this.threshold;
    let node = 0;
    for (;;) {
      const f = feature[node];
      if (f < 0) return node;
      const v = X[off + f];
      const goLeft = v === v ? v <= threshold[node] : this.missingLeft[node] === 1;
      node = goLeft ? this.left[node] : this.right[node];
    }
  }

  /** out[i] += scale · prediction of row i (row-major X). */
  predictAdd(X: Float32Array, nRows: number, nCols: number, out: Float64Array, scale = 1): void {
    const value = this.value;
    for (let i = 0; i < nRows; i++) out[i] += scale * value[this.leafOf(X, i * nCols)];
  }

  /** Leaf of row `row` of a column-major binned matrix. */
  leafOfBinned(binned: Uint8Array, nRows: number, row: number): number {
    const feature = this.feature, tb = this.thresholdBin;
    let node = 0;
    for (;;) {
      const f = feature[node];
      if (f < 0) return node;
      const b = binned[f * nRows + row];
      const goLeft = b === MISSING_BIN ? this.missingLeft[node] === 1 : b <= tb[node];
      node = goLeft ? this.left[node] : this.right[node];
    }
  }

  /** Cover-weighted mean of the leaf values: the prediction's expectation under the training distribution. */
  expectedValue(): number {
    let s = 0;
    for (let i = 0; i < this.nNodes; i++) if (this.feature[i] < 0) s += this.cover[i] * this.value[i];
    return this.cover[0] > 0 ? s / this.cover[0] : this.value[0];
  }

  /** Adds each split's gain to its feature. */
  addGains(into: Float64Array): void {
    for (let i = 0; i < this.nNodes; i++) if (this.feature[i] >= 0) into[this.feature[i]] += this.gain[i];
  }

  /** Multiplies every node value (learning-rate shrinkage). */
  scaleValues(s: number): void {
    for (let i = 0; i < this.value.length; i++) this.value[i] *= s;
  }
}

/** Normalise summed gains to fractions (all zero when no split was made). */
export function normalizeImportance(g: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i];
  if (s > 0) for (let i = 0; i < g.length; i++) g[i] /= s;
  return g;
}
