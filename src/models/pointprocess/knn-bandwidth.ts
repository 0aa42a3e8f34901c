/**
 * Variable (adaptive) bandwidths from k-th nearest-neighbour distances, as in Mohler et al. (2011): each
 * point's kernel is as wide as the distance to its k-th neighbour, so dense clusters get sharp kernels and
 * sparse areas smooth ones.
 */
import KDBush from 'kdbush';

/** Distance from each point to its k-th nearest other point in the plane, floored at `minBw`. */
export function knnDistance2d(x: Float64Array, y: Float64Array, k: number, minBw: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n).fill(minBw);
  if (n <= k) return out.fill(Math.max(minBw, spread(x, y)));
  const idx = new KDBush(n);
  for (let i = 0; i < n; i++) idx.add(x[i], y[i]);
  idx.finish();
  // a starting radius that holds about k points at the average density
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    if (x[i] < minX) minX = x[i];
    if (x[i] > maxX) maxX = x[i];
    if (y[i] < minY) minY = y[i];
    if (y[i] > maxY) maxY = y[i];
  }
  const r0 = Math.max(minBw, Math.sqrt(((maxX - minX) * (maxY - minY) * (k + 1)) / (Math.PI * n)) / 4);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let r = r0;
    for (;;) {
      const hits = idx.within(x[i], y[i], r);
      if (hits.length > k) {
        let m = 0;
        for (const j of hits) d[m++] = (x[j] - x[i]) ** 2 + (y[j] - y[i]) ** 2;
        // hits include the point itself at distance 0, so the k-th neighbour is the (k+1)-th smallest
        const kth = Math.sqrt(d.subarray(0, m).sort()[k]);
        out[i] = Math.max(minBw, kth);
        break;
      }
      r *= 2;
    }
  }
  return out;
}

/** k-th nearest-neighbour distance of each value among the others on a line (sorted two-pointer scan). */
export function knnDistance1d(v: Float64Array, k: number, minBw: number): Float64Array {
  const n = v.length;
  const out = new Float64Array(n).fill(minBw);
  if (n <= k) return n > 1 ? out.fill(Math.max(minBw, Math.max(...v) - Math.min(...v))) : out;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const s = Float64Array.from(order, (i) => v[i]);
  for (let p = 0; p < n; p++) {
    // the k nearest neighbours of s[p] form a window of k other points around it; slide it greedily
    let lo = p, hi = p;
    for (let c = 0; c < k; c++) {
      if (lo === 0) hi++;
      else if (hi === n - 1) lo--;
      else if (s[p] - s[lo - 1] <= s[hi + 1] - s[p]) lo--;
      else hi++;
    }
    out[order[p]] = Math.max(minBw, s[p] - s[lo], s[hi] - s[p]);
  }
  return out;
}

function spread(x: Float64Array, y: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) for (let j = 0; j < i; j++) m = Math.max(m, Math.hypot(x[i] - x[j], y[i] - y[j]));
  return m;
}
