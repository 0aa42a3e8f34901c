/**
 * Benjamini–Hochberg false-discovery-rate adjustment. Adjusted q_i ≤ α exactly when BH at level α
 * rejects test i, so thresholding q at 0.10/0.05/0.01 reproduces the per-level FDR bins ArcGIS draws.
 */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  const m = p.length;
  // Native numeric sort of the values (no comparator closure: fast on space-time cubes of 10⁶ bins).
  const sorted = Float64Array.from(p).sort();
  // qs[r] = min over ranks s ≥ r+1 of p_(s)·m/s — the step-up cumulative minimum from the top.
  const qs = new Float64Array(m);
  let running = 1;
  for (let r = m; r >= 1; r--) {
    const v = (sorted[r - 1] * m) / r;
    if (v < running) running = v;
    qs[r - 1] = running;
  }
  // Tied p-values share the q of the tie group's last rank (p·m/r is smallest there), so an
  // upper-bound search on the sorted values gives every test its adjusted value.
  const q = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const v = p[i];
    let lo = 0, hi = m;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (sorted[mid] <= v) lo = mid + 1; else hi = mid; }
    q[i] = qs[lo - 1];
  }
  return q;
}
