/**
 * Exact TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution for tree
 * ensembles", Algorithm 2): Shapley values of one prediction in O(leaves · depth²) instead of the 2^M
 * subsets of the definition. The value of a feature subset S is the path-dependent conditional
 * expectation: at a split on a feature in S follow the row, otherwise average both children weighted by
 * their training cover.
 *
 * The recursion carries the "unique path" of features met from the root: for each, the fraction of
 * cover that flows down the path when the feature is unknown (zero fraction) and whether the row itself
 * follows the path (one fraction), plus the permutation weights of every subset size. Extending or
 * unwinding the path updates those weights in O(depth); a feature met twice is unwound first so its
 * fractions multiply.
 *
 * Values add up: Σ φ_j = f(x) − E[f], with E[f] the cover-weighted mean of the leaf values. For ensembles
 * φ is the sum over trees (scaled by the learning rate, or 1/trees for a forest); for log- or logit-link
 * models it is in the margin (log-rate / log-odds) space, where the trees add up.
 */
import type { FlatTree } from './flat-tree.js';

/** Scratch memory for one tree depth; reused across rows. */
export class ShapWorkspace {
  feat: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  pw: Float64Array;
  constructor(readonly maxDepth: number) {
    const size = ((maxDepth + 3) * (maxDepth + 4)) / 2 + 2;
    this.feat = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.pw = new Float64Array(size);
  }
}

/**
 * Adds scale × the SHAP values of the row X[xOff … xOff + nCols) under `tree` to phi[phiOff + j].
 */
export function treeShapAdd(tree: FlatTree, X: Float32Array, xOff: number, phi: Float64Array, phiOff: number,
  scale: number, ws: ShapWorkspace): void {
  const { feat, zero, one, pw } = ws;
  const { feature, threshold, missingLeft, left, right, value, cover } = tree;

  // Extend the path at [off, off + d] with a new element (d = its index).
  const extend = (off: number, d: number, pz: number, po: number, pi: number): void => {
    feat[off + d] = pi; zero[off + d] = pz; one[off + d] = po; pw[off + d] = d === 0 ? 1 : 0;
    for (let i = d - 1; i >= 0; i--) {
      pw[off + i + 1] += (po * pw[off + i] * (i + 1)) / (d + 1);
      pw[off + i] = (pz * pw[off + i] * (d - i)) / (d + 1);
    }
  };

  // Remove element k from the path of length d + 1, undoing its extend.
  const unwind = (off: number, d: number, k: number): void => {
    const po = one[off + k], pz = zero[off + k];
    let next = pw[off + d];
    for (let i = d - 1; i >= 0; i--) {
      if (po !== 0) {
        const t = pw[off + i];
        pw[off + i] = (next * (d + 1)) / ((i + 1) * po);
        next = t - (pw[off + i] * pz * (d - i)) / (d + 1);
      } else {
        pw[off + i] = (pw[off + i] * (d + 1)) / (pz * (d - i));
      }
    }
    for (let i = k; i < d; i++) { feat[off + i] = feat[off + i + 1]; zero[off + i] = zero[off + i + 1]; one[off + i] = one[off + i + 1]; }
  };

  // Total permutation weight of the path with element k unwound, without modifying it.
  const unwoundSum = (off: number, d: number, k: number): number => {
    const po = one[off + k], pz = zero[off + k];
    let next = pw[off + d], total = 0;
    for (let i = d - 1; i >= 0; i--) {
      if (po !== 0) {
        const t = (next * (d + 1)) / ((i + 1) * po);
        total += t;
        next = pw[off + i] - (t * pz * (d - i)) / (d + 1);
      } else {
        total += pw[off + i] / pz / ((d - i) / (d + 1));
      }
    }
    return total;
  };

  const recurse = (node: number, parentOff: number, d: number, pz: number, po: number, pi: number): void => {
    // each level works on its own copy of the parent's path, placed right after it
    const off = parentOff + d + 1;
    for (let i = 0; i < d; i++) {
      feat[off + i] = feat[parentOff + i]; zero[off + i] = zero[parentOff + i];
      one[off + i] = one[parentOff + i]; pw[off + i] = pw[parentOff + i];
    }
    extend(off, d, pz, po, pi);
    const f = feature[node];
    if (f < 0) {
      const v = value[node] * scale;
      for (let i = 1; i <= d; i++) {
        phi[phiOff + feat[off + i]] += unwoundSum(off, d, i) * (one[off + i] - zero[off + i]) * v;
      }
      return;
    }
    const x = X[xOff + f];
    const goLeft = x === x ? x <= threshold[node] : missingLeft[node] === 1;
    const hot = goLeft ? left[node] : right[node], cold = goLeft ? right[node] : left[node];
    const w = cover[node];
    let iz = 1, io = 1;
    let k = 0;
    while (k <= d && feat[off + k] !== f) k++;
    if (k <= d) {
      iz = zero[off + k]; io = one[off + k];
      unwind(off, d, k);
      d--;
    }
    recurse(hot, off, d + 1, (cover[hot] / w) * iz, io, f);
    recurse(cold, off, d + 1, (cover[cold] / w) * iz, 0, f);
  };

  // the root path starts with a dummy element (feature −1) at offset 0
  recurse(0, -1, 0, 1, 1, -1);
}

/**
 * SHAP values of every row under an ensemble prediction base + scale · Σ_t tree_t(x).
 * Returns values[row * nCols + j] and the expected value base + scale · Σ_t E[tree_t].
 */
export function ensembleShap(trees: readonly FlatTree[], scale: number, base: number, X: Float32Array, nRows: number,
  nCols: number): { values: Float64Array; expectedValue: number } {
  let maxDepth = 0, expected = base;
  for (const t of trees) { maxDepth = Math.max(maxDepth, t.depth); expected += scale * t.expectedValue(); }
  const ws = new ShapWorkspace(maxDepth);
  const values = new Float64Array(nRows * nCols);
  for (let i = 0; i < nRows; i++) {
    for (const t of trees) treeShapAdd(t, X, i * nCols, values, i * nCols, scale, ws);
  }
  return { values, expectedValue: expected };
}
