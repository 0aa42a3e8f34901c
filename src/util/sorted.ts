/** Binary searches on ascending Float64Arrays (times sorted once, queried at every cut-off). */

/** Number of values strictly below `cutoff` (= index of the first value ≥ cutoff). */
export function countBefore(sorted: Float64Array, cutoff: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < cutoff) lo = mid + 1; else hi = mid;
  }
  return lo;
}
