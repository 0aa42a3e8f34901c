/**
 * Variable-bandwidth (sample-point) Gaussian KDE evaluated at the points themselves, leave-one-out:
 *   f(x_i) = Σ_{j ≠ i} w_j N(x_i − x_j; h_j² I).
 * Summed directly: sources are grouped into bandwidth classes a factor √2 apart, each with its own kdbush,
 * searched to 4 × the class's widest kernel — so cost follows the local neighbour counts, not n².
 * Unlike a gridded KDE it stays exact for metre-scale kernels at repeat locations.
 */
import KDBush from 'kdbush';

export function variableKdeAtPoints(x: Float64Array, y: Float64Array, w: Float64Array, h: Float64Array, out = new Float64Array(x.length)): Float64Array {
  const n = x.length;
  let hMin = Infinity;
  for (let i = 0; i < n; i++) if (w[i] > 0) hMin = Math.min(hMin, h[i]);
  out.fill(0);
  if (!Number.isFinite(hMin)) return out;
  const classOf = new Int32Array(n);
  let maxClass = 0;
  for (let i = 0; i < n; i++) {
    classOf[i] = Math.max(0, Math.ceil(2 * Math.log2(h[i] / hMin) - 1e-9));
    if (w[i] > 0) maxClass = Math.max(maxClass, classOf[i]);
  }
  const members: number[] = [];
  for (let c = 0; c <= maxClass; c++) {
    members.length = 0;
    let hMax = 0;
    for (let i = 0; i < n; i++) if (w[i] > 0 && classOf[i] === c) { members.push(i); hMax = Math.max(hMax, h[i]); }
    if (members.length === 0) continue;
    const idx = new KDBush(members.length);
    for (const j of members) idx.add(x[j], y[j]);
    idx.finish();
    const radius = 4 * hMax;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (const local of idx.within(x[i], y[i], radius)) {
        const j = members[local];
        if (j === i) continue;
        const hj = h[j], d2 = (x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2;
        s += (w[j] * Math.exp(-d2 / (2 * hj * hj))) / (2 * Math.PI * hj * hj);
      }
      out[i] += s;
    }
  }
  return out;
}
