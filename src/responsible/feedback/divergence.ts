/**
 * Distances between an allocation (or a model's belief) and the true rates, and concentration measures.
 * All inputs are non-negative weights; they are normalised to shares here, so callers may pass raw counts.
 */

/** Weights → shares summing to 1 (all zeros → all zeros). */
export function toShares(w: ArrayLike<number>, out = new Float64Array(w.length)): Float64Array {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i] > 0 ? w[i] : 0;
  for (let i = 0; i < w.length; i++) out[i] = s > 0 && w[i] > 0 ? w[i] / s : 0;
  return out;
}

/** Total variation distance ½ Σ |p_i − q_i| between the shares of p and q, in [0, 1]. */
export function totalVariation(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new RangeError('totalVariation: lengths differ');
  const a = toShares(p), b = toShares(q);
  let d = 0;
  for (let i = 0; i < a.length; i++) d += Math.abs(a[i] - b[i]);
  return d / 2;
}

/**
 * KL(p ‖ q) in nats between shares. q is mixed with a `floor` share of the uniform distribution so a region the
 * allocation ignores gives a large but finite value instead of ∞ (the ordering of policies is what matters).
 */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>, floor = 1e-6): number {
  if (p.length !== q.length) throw new RangeError('klDivergence: lengths differ');
  const a = toShares(p), b = toShares(q), u = 1 / a.length;
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > 0) d += a[i] * Math.log(a[i] / ((1 - floor) * b[i] + floor * u));
  }
  return d;
}

/** Gini coefficient of non-negative weights: 0 = equal, → 1 = all weight in one region. */
export function gini(w: ArrayLike<number>): number {
  const n = w.length;
  if (n === 0) return 0;
  const s = Float64Array.from(w, (v) => (v > 0 ? v : 0)).sort();
  let total = 0, weighted = 0;
  for (let i = 0; i < n; i++) { total += s[i]; weighted += (i + 1) * s[i]; }
  return total > 0 ? (2 * weighted) / (n * total) - (n + 1) / n : 0;
}

/** Share of the total held by the k largest weights. */
export function topKShare(w: ArrayLike<number>, k: number): number {
  const s = Float64Array.from(w, (v) => (v > 0 ? v : 0)).sort().reverse();
  let top = 0, total = 0;
  for (let i = 0; i < s.length; i++) { total += s[i]; if (i < k) top += s[i]; }
  return total > 0 ? top / total : 0;
}
