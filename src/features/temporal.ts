/**
 * Temporal features of a (region, category) series at a target period t, using only periods < t:
 * lagged counts, rolling means and maxima over several windows, and the same for the other categories' total.
 */
import type { CountTensor } from '../tensor/count-tensor.js';

/**
 * Prefix sums over periods per (region, category): cum[p * RC + rc] = Σ_{q < p} x[q, rc].
 * Float64 so long histories keep exact integer sums.
 */
export function prefixSums(t: CountTensor): Float64Array {
  const RC = t.regions * t.categories;
  const cum = new Float64Array((t.periods + 1) * RC);
  for (let p = 0; p < t.periods; p++) {
    const src = p * RC, prev = p * RC, dst = (p + 1) * RC;
    for (let k = 0; k < RC; k++) cum[dst + k] = cum[prev + k] + t.data[src + k];
  }
  return cum;
}

/** Mean of x[rc] over periods [t - w, t) clipped at 0; NaN when no period is available. */
export function windowMean(cum: Float64Array, RC: number, rc: number, t: number, w: number): number {
  const from = Math.max(0, t - w);
  if (t <= from) return NaN;
  return (cum[t * RC + rc] - cum[from * RC + rc]) / (t - from);
}

/** Max of x[rc] over periods [t - w, t); NaN when none. */
export function windowMax(data: Float32Array, RC: number, rc: number, t: number, w: number): number {
  const from = Math.max(0, t - w);
  if (t <= from) return NaN;
  let m = -Infinity;
  for (let p = from; p < t; p++) {
    const v = data[p * RC + rc];
    if (v > m) m = v;
  }
  return m;
}

/** Count at period t - lag, NaN before the start of the data. */
export function lagValue(data: Float32Array, RC: number, rc: number, t: number, lag: number): number {
  const p = t - lag;
  return p >= 0 ? data[p * RC + rc] : NaN;
}
