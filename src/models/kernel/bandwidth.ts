/**
 * Bandwidth selection for 2-D isotropic kernels: Scott's and Silverman's rules of thumb and likelihood
 * cross-validation (leave-one-out log-likelihood evaluated on binned data).
 */
import { convolveSeparable, gaussianWeights1d, stencilRadius } from './convolve.js';
import { gaussianToKernelBandwidth, type KernelName } from './kernels.js';
import { nearestBin, type GridSpec, type PlanarPoints } from './binning.js';

export type BandwidthRule = 'scott' | 'silverman' | 'lcv';

interface Moments { sd: number; iqr: number; nEff: number; minX: number; maxX: number; minY: number; maxY: number }

function moments(p: PlanarPoints): Moments {
  const n = p.x.length;
  let W = 0, W2 = 0, mx = 0, my = 0;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const w = p.w ? p.w[i] : 1;
    W += w; W2 += w * w; mx += w * p.x[i]; my += w * p.y[i];
    if (p.x[i] < minX) minX = p.x[i];
    if (p.x[i] > maxX) maxX = p.x[i];
    if (p.y[i] < minY) minY = p.y[i];
    if (p.y[i] > maxY) maxY = p.y[i];
  }
  mx /= W; my /= W;
  let vx = 0, vy = 0;
  for (let i = 0; i < n; i++) {
    const w = p.w ? p.w[i] : 1;
    vx += w * (p.x[i] - mx) ** 2; vy += w * (p.y[i] - my) ** 2;
  }
  const sd = Math.sqrt((vx + vy) / (2 * W));
  const iqr = (interquartile(p.x) + interquartile(p.y)) / 2;
  return { sd, iqr, nEff: (W * W) / W2, minX, maxX, minY, maxY };
}

function interquartile(a: ArrayLike<number>): number {
  const s = Float64Array.from(a).sort();
  const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * (s.length - 1)))];
  return q(0.75) - q(0.25);
}

/**
 * Rule-of-thumb bandwidth for `kernel`. In 2-D Scott's and Silverman's normal-reference factors coincide
 * (σ n^(-1/6)); "silverman" here is the robust variant with min(σ, IQR/1.349). σ pools both axes; n is the
 * effective sample size (Σw)²/Σw² under weights. Converted to other kernels by canonical bandwidth ratios.
 */
export function ruleOfThumbBandwidth(p: PlanarPoints, rule: 'scott' | 'silverman', kernel: KernelName = 'gaussian'): number {
  if (p.x.length < 2) throw new Error('bandwidth rule needs at least two points');
  const m = moments(p);
  const spread = rule === 'silverman' && m.iqr > 0 ? Math.min(m.sd, m.iqr / 1.349) : m.sd;
  return spread * Math.pow(m.nEff, -1 / 6) * gaussianToKernelBandwidth(kernel);
}

export interface LcvOptions {
  /** Candidate range as multiples of Scott's Gaussian bandwidth. */
  minFactor?: number;
  maxFactor?: number;
  /** Coarse log-spaced candidates before golden-section refinement. */
  candidates?: number;
  /** Bins per bandwidth (cell = h / binsPerBandwidth). */
  binsPerBandwidth?: number;
  /** Grid cell cap, to bound memory for tiny bandwidths over large areas. */
  maxCells?: number;
}

/** Leave-one-out log-likelihood of a Gaussian KDE at standard deviation h, on nearest-cell binned data. */
export function gaussianLooLogLik(p: PlanarPoints, h: number, opts: LcvOptions = {}): number {
  const m = moments(p);
  const bins = opts.binsPerBandwidth ?? 3, maxCells = opts.maxCells ?? 1_000_000;
  const w = m.maxX - m.minX, hgt = m.maxY - m.minY;
  let cell = h / bins;
  if (((w / cell) + 1) * ((hgt / cell) + 1) > maxCells) cell = Math.sqrt(((w + cell) * (hgt + cell)) / maxCells) * 1.01;
  const g: GridSpec = { x0: m.minX - cell / 2, y0: m.minY - cell / 2, cell, nx: Math.floor(w / cell) + 2, ny: Math.floor(hgt / cell) + 2 };
  const bin = nearestBin(p, g);
  const counts = new Float64Array(g.nx * g.ny);
  let W = 0;
  for (let i = 0; i < bin.length; i++) {
    const wi = p.w ? p.w[i] : 1;
    counts[bin[i]] += wi; W += wi;
  }
  const R = stencilRadius('gaussian', h, cell);
  const g1 = gaussianWeights1d(h, cell, R);
  const self = g1[R] * g1[R];
  const mass = convolveSeparable(counts, g.nx, g.ny, g1);
  let ll = 0;
  for (let i = 0; i < bin.length; i++) {
    const wi = p.w ? p.w[i] : 1;
    const f = (mass[bin[i]] - wi * self) / (cell * cell) / (W - wi);
    ll += wi * (f > 0 ? Math.log(f) : -745); // log of the smallest double: an isolated point, not a crash
  }
  return ll;
}

/**
 * Likelihood cross-validated bandwidth for `kernel`: maximise the leave-one-out log-likelihood of the
 * Gaussian KDE over log h (coarse grid, then golden section), then convert by the canonical ratio. The
 * Gaussian is used for the search because compact kernels give log 0 for any point without a neighbour
 * inside h, which makes their LCV degenerate.
 */
export function lcvBandwidth(p: PlanarPoints, kernel: KernelName = 'gaussian', opts: LcvOptions = {}): number {
  const scott = ruleOfThumbBandwidth(p, 'scott', 'gaussian');
  const lo = Math.log(scott * (opts.minFactor ?? 0.02)), hi = Math.log(scott * (opts.maxFactor ?? 2));
  const k = opts.candidates ?? 12;
  const score = (lh: number) => gaussianLooLogLik(p, Math.exp(lh), opts);
  let best = 0, bestScore = -Infinity;
  const step = (hi - lo) / (k - 1);
  for (let i = 0; i < k; i++) {
    const s = score(lo + i * step);
    if (s > bestScore) { bestScore = s; best = i; }
  }
  let a = lo + Math.max(0, best - 1) * step, b = lo + Math.min(k - 1, best + 1) * step;
  const phi = (Math.sqrt(5) - 1) / 2;
  let c = b - phi * (b - a), d = a + phi * (b - a);
  let fc = score(c), fd = score(d);
  for (let it = 0; it < 8; it++) {
    if (fc > fd) { b = d; d = c; fd = fc; c = b - phi * (b - a); fc = score(c); }
    else { a = c; c = d; fc = fd; d = a + phi * (b - a); fd = score(d); }
  }
  const lh = fc > fd ? c : d;
  const hStar = Math.max(fc, fd) >= bestScore ? Math.exp(lh) : Math.exp(lo + best * step);
  return hStar * gaussianToKernelBandwidth(kernel);
}

/** Resolve a bandwidth given as metres or as a rule name. */
export function resolveBandwidth(p: PlanarPoints, bw: number | BandwidthRule, kernel: KernelName): number {
  if (typeof bw === 'number') {
    if (!(bw > 0)) throw new Error(`bandwidth must be positive metres, got ${bw}`);
    return bw;
  }
  return bw === 'lcv' ? lcvBandwidth(p, kernel) : ruleOfThumbBandwidth(p, bw, kernel);
}
