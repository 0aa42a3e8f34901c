/**
 * Quantile binning of raw features into ≤ 255 bins per feature, the first step of the histogram method
 * (LightGBM; scikit-learn HistGradientBoosting): split search then scans 255 bin totals instead of sorting
 * raw values at every node.
 *
 * Bin b of feature f holds the values x with edges[b-1] < x ≤ edges[b]; the last edge is +Infinity.
 * Missing values (NaN) get their own bin, MISSING_BIN, whose direction each split learns.
 */
import { Rng } from '../../util/rng.js';
import { UserError } from '../../util/errors.js';
import { sortFloat32 } from './float32-sort.js';

/** The bin of NaN in every feature; numeric bins are 0 … nBins[f] − 1 ≤ 254. */
export const MISSING_BIN = 255;
/** Histogram slots per feature (254 numeric + missing, rounded to 256). */
export const BIN_SLOTS = 256;
/** Rows sampled to place the quantiles (as scikit-learn), so binning stays cheap on millions of rows. */
const QUANTILE_SUBSAMPLE = 200_000;

export interface BinnedMatrix {
  /** Column-major bins: binned[f * nRows + i]. */
  binned: Uint8Array;
  nRows: number;
  nCols: number;
}

export class BinMapper {
  /** Upper edge of every numeric bin, per feature (last = +Infinity). */
  edges: Float64Array[] = [];
  /** Numeric bins per feature (1 = constant feature, never split). */
  nBins = new Uint16Array(0);

  constructor(readonly maxBins = 255) {
    if (!(maxBins >= 2 && maxBins <= 255)) throw new UserError(`maxBins must lie in [2, 255], got ${maxBins}`);
  }

  fit(X: Float32Array, nRows: number, nCols: number, seed = 0): this {
    const take = Math.min(nRows, QUANTILE_SUBSAMPLE);
    // a seeded subsample of row indices (all rows when few)
    let idx: Uint32Array;
    if (take === nRows) {
      idx = new Uint32Array(nRows);
      for (let i = 0; i < nRows; i++) idx[i] = i;
    } else {
      const perm = new Uint32Array(nRows);
      for (let i = 0; i < nRows; i++) perm[i] = i;
      const rng = new Rng(seed ^ 0x5bd1e995);
      for (let i = 0; i < take; i++) {
        const j = i + rng.int(nRows - i);
        const t = perm[i]; perm[i] = perm[j]; perm[j] = t;
      }
      // ascending, so the per-feature gathers below walk X forward (the edges depend only on the sampled set)
      idx = perm.subarray(0, take).sort();
    }
    const vals = new Float32Array(take); // the inputs are float32: sorted exactly as such
    this.edges = [];
    this.nBins = new Uint16Array(nCols);
    for (let f = 0; f < nCols; f++) {
      let n = 0;
      for (let k = 0; k < take; k++) {
        const v = X[idx[k] * nCols + f];
        if (v === v) vals[n++] = v;
      }
      const e = edgesOf(sortFloat32(vals.subarray(0, n)), this.maxBins);
      this.edges.push(e);
      this.nBins[f] = e.length;
    }
    return this;
  }

  /** Bin a row-major matrix into a column-major Uint8Array. */
  transform(X: Float32Array, nRows: number, nCols: number): BinnedMatrix {
    if (nCols !== this.edges.length) throw new UserError(`expected ${this.edges.length} features, got ${nCols}`);
    const binned = new Uint8Array(nRows * nCols);
    for (let f = 0; f < nCols; f++) {
      const e = this.edges[f], last = e.length - 1, off = f * nRows;
      for (let i = 0; i < nRows; i++) {
        const v = X[i * nCols + f];
        if (v !== v) { binned[off + i] = MISSING_BIN; continue; }
        // first bin whose upper edge is ≥ v
        let lo = 0, hi = last;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (v <= e[mid]) hi = mid; else lo = mid + 1;
        }
        binned[off + i] = lo;
      }
    }
    return { binned, nRows, nCols };
  }
}

/** Bin edges from sorted finite values: midpoints between distinct values when few, else quantile cut points. */
function edgesOf(sorted: Float32Array, maxBins: number): Float64Array {
  const n = sorted.length;
  if (n === 0) return Float64Array.of(Infinity);
  const distinct: number[] = [sorted[0]];
  for (let i = 1; i < n && distinct.length <= maxBins; i++) if (sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  const cuts: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) cuts.push((distinct[i] + distinct[i + 1]) / 2);
  } else {
    for (let k = 1; k < maxBins; k++) {
      const pos = (k / maxBins) * (n - 1);
      const lo = Math.floor(pos), frac = pos - lo;
      const q = frac === 0 ? sorted[lo] : sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
      // repeated values make equal quantiles: keep each cut once
      if (cuts.length === 0 || q > cuts[cuts.length - 1]) cuts.push(q);
    }
    // a cut at the maximum would leave the top bin empty
    while (cuts.length > 0 && cuts[cuts.length - 1] >= sorted[n - 1]) cuts.pop();
  }
  cuts.push(Infinity);
  return Float64Array.from(cuts);
}
