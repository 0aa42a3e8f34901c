/**
 * Per-cell summaries of the recent past of a count tensor (regions × categories, period-major).
 * Shared by the naive baselines; every function reads only the tensor it is given, i.e. the history view.
 */
import type { CountTensor } from '../../tensor/count-tensor.js';

/** Mean count per cell over the last `window` periods (all periods when window ≤ 0 or beyond the history). */
export function windowMean(tensor: CountTensor, window: number, out: Float32Array = new Float32Array(tensor.regions * tensor.categories)): Float32Array {
  const RC = tensor.regions * tensor.categories;
  const T = tensor.periods;
  const from = window > 0 ? Math.max(0, T - window) : 0;
  const acc = new Float64Array(RC);
  const d = tensor.data;
  for (let p = from; p < T; p++) {
    const off = p * RC;
    for (let i = 0; i < RC; i++) acc[i] += d[off + i];
  }
  const n = T - from;
  for (let i = 0; i < RC; i++) out[i] = n > 0 ? acc[i] / n : 0;
  return out;
}

/** Share of the last `window` periods with at least one event, per cell. */
export function windowOccurrenceShare(tensor: CountTensor, window: number, out: Float32Array = new Float32Array(tensor.regions * tensor.categories)): Float32Array {
  const RC = tensor.regions * tensor.categories;
  const T = tensor.periods;
  const from = window > 0 ? Math.max(0, T - window) : 0;
  const acc = new Int32Array(RC);
  const d = tensor.data;
  for (let p = from; p < T; p++) {
    const off = p * RC;
    for (let i = 0; i < RC; i++) if (d[off + i] > 0) acc[i]++;
  }
  const n = T - from;
  for (let i = 0; i < RC; i++) out[i] = n > 0 ? acc[i] / n : 0;
  return out;
}

/**
 * Mean over the periods `lags` steps before the end of the history (lag 1 = the last period).
 * Lags reaching before the first period are skipped; a cell with no usable lag gets 0.
 */
export function lagMean(tensor: CountTensor, lags: ArrayLike<number>, out: Float32Array = new Float32Array(tensor.regions * tensor.categories)): Float32Array {
  const RC = tensor.regions * tensor.categories;
  const T = tensor.periods;
  out.fill(0);
  let n = 0;
  for (let j = 0; j < lags.length; j++) {
    const p = T - lags[j];
    if (p < 0 || p >= T) continue;
    n++;
    const off = p * RC;
    for (let i = 0; i < RC; i++) out[i] += tensor.data[off + i];
  }
  if (n > 1) for (let i = 0; i < RC; i++) out[i] /= n;
  return out;
}
