/**
 * Local polynomial (degree 0 or 1) regression on equally spaced abscissae 0..m−1 with tricube weights over
 * the q nearest points, optionally times robustness weights — the smoother inside STL (Cleveland et al. 1990).
 */

/**
 * Loess fit at abscissa x (may lie outside [0, m−1], which STL uses to extend cycle-subseries by one point).
 * Returns NaN when every weight in the neighbourhood is zero.
 */
export function loessAt(y: ArrayLike<number>, m: number, x: number, q: number, degree: 0 | 1, rho: ArrayLike<number> | null, off = 0, stride = 1): number {
  const span = Math.min(q, m);
  // the `span` nearest integer abscissae to x
  let lo = Math.round(x - (span - 1) / 2);
  lo = Math.max(0, Math.min(m - span, lo));
  const hi = lo + span - 1;
  let h = Math.max(x - lo, hi - x);
  if (q > m) h += Math.floor((q - m) / 2); // Cleveland: a span beyond the data widens the bandwidth
  if (h <= 0) h = 1;
  const hLo = 0.001 * h, hHi = 0.999 * h;
  let sw = 0, swx = 0, swy = 0, swxx = 0, swxy = 0;
  for (let i = lo; i <= hi; i++) {
    const d = Math.abs(i - x);
    let w: number;
    if (d <= hLo) w = 1;
    else if (d > hHi) w = 0;
    else { const u = d / h, c = 1 - u * u * u; w = c * c * c; }
    if (rho) w *= rho[i];
    if (w <= 0) continue;
    const yi = y[off + i * stride];
    sw += w; swy += w * yi;
    if (degree === 1) { const dx = i - x; swx += w * dx; swxx += w * dx * dx; swxy += w * dx * yi; }
  }
  if (!(sw > 0)) return NaN;
  if (degree === 0) return swy / sw;
  // local linear at dx = 0: intercept of the weighted least-squares line in dx
  const mx = swx / sw, my = swy / sw, vxx = swxx / sw - mx * mx;
  // Cleveland's guard: a neighbourhood with almost no spread in x falls back to the local mean
  if (vxx <= 1e-10 * (span * span)) return my;
  const slope = (swxy / sw - mx * my) / vxx;
  return my - slope * mx;
}

/** Loess of y (length m) at every abscissa 0..m−1. */
export function loess(y: ArrayLike<number>, q: number, degree: 0 | 1, rho: ArrayLike<number> | null = null, out = new Float64Array(y.length)): Float64Array {
  const m = y.length;
  for (let i = 0; i < m; i++) out[i] = loessAt(y, m, i, q, degree, rho);
  return out;
}

/** Centred moving average of width w: out has length n − w + 1. */
export function movingAverage(x: ArrayLike<number>, w: number): Float64Array {
  const n = x.length, out = new Float64Array(Math.max(0, n - w + 1));
  let s = 0;
  for (let i = 0; i < w && i < n; i++) s += x[i];
  if (n >= w) out[0] = s / w;
  for (let i = w; i < n; i++) { s += x[i] - x[i - w]; out[i - w + 1] = s / w; }
  return out;
}

export function nextOdd(x: number): number {
  const c = Math.ceil(x);
  return c % 2 === 1 ? c : c + 1;
}
