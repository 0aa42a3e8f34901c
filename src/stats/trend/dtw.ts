/**
 * Dynamic time warping distance (Sakoe & Chiba 1978) between two areas' series: the cheapest monotone
 * alignment, with the warp limited to a band of ±`window` steps so a weekly peak may shift a few days but a
 * summer never matches a winter. O(n·window) time and O(window) memory per row pair.
 */
export interface DtwOptions {
  /** Sakoe–Chiba band half-width in steps (default: 10% of the longer series; Infinity = unconstrained). */
  window?: number;
  /** Local cost: squared (default, sqrt taken at the end) or absolute difference. */
  cost?: 'squared' | 'absolute';
}

export function dtwDistance(a: ArrayLike<number>, b: ArrayLike<number>, opts: DtwOptions = {}): number {
  const n = a.length, m = b.length;
  if (n === 0 || m === 0) return n === m ? 0 : Infinity;
  // the band must at least cover the length difference or no path exists
  const w = Math.max(Math.abs(n - m), Math.min(Math.max(n, m), opts.window ?? Math.ceil(0.1 * Math.max(n, m))));
  const sq = (opts.cost ?? 'squared') === 'squared';
  let prev = new Float64Array(m + 1).fill(Infinity), cur = new Float64Array(m + 1).fill(Infinity);
  prev[0] = 0;
  for (let i = 1; i <= n; i++) {
    cur.fill(Infinity);
    const lo = Math.max(1, i - w), hi = Math.min(m, i + w);
    for (let j = lo; j <= hi; j++) {
      const d = a[i - 1] - b[j - 1], c = sq ? d * d : Math.abs(d);
      const best = Math.min(prev[j], cur[j - 1], prev[j - 1]);
      cur[j] = c + best;
    }
    [prev, cur] = [cur, prev];
  }
  return sq ? Math.sqrt(prev[m]) : prev[m];
}

/** Z-normalise a series (mean 0, sd 1) so DTW compares shapes rather than levels; a constant series maps to zeros. */
export function zNormalize(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  let mu = 0;
  for (let i = 0; i < n; i++) mu += x[i] / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - mu) ** 2;
  const sd = Math.sqrt(v / Math.max(1, n - 1));
  const out = new Float64Array(n);
  if (sd > 0) for (let i = 0; i < n; i++) out[i] = (x[i] - mu) / sd;
  return out;
}

/** Symmetric matrix (k × k, row-major) of DTW distances between k series. */
export function dtwMatrix(series: ArrayLike<number>[], opts: DtwOptions = {}): Float64Array {
  const k = series.length, out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) {
    const d = dtwDistance(series[i], series[j], opts);
    out[i * k + j] = d; out[j * k + i] = d;
  }
  return out;
}
