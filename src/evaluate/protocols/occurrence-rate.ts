/** Which (region, category) pairs an occurrence protocol scores, by their occurrence rate over a span (ST-SHN). */
import type { CountTensor } from '../../tensor/count-tensor.js';

/** 1 for (region, category) pairs whose share of periods in [from, to) with ≥1 event is in (lo, hi). */
export function occurrenceRateMask(t: CountTensor, from: number, to: number, lo = 0.2, hi = 0.8): Uint8Array {
  const RC = t.regions * t.categories;
  const hits = new Int32Array(RC);
  for (let p = from; p < to; p++) for (let i = 0; i < RC; i++) if (t.data[p * RC + i] > 0) hits[i]++;
  return Uint8Array.from(hits, (h) => { const rate = h / (to - from); return rate > lo && rate < hi ? 1 : 0; });
}
