/**
 * Convolution of binned point masses with a kernel stencil whose weights sum to one, so the total mass is
 * conserved exactly on the grid. Gaussian: separable 1-D passes. Radial compact kernels: a direct 2-D
 * stencil scattered from the non-empty bins, or FFT when that is cheaper (bench/kde.mjs measured the costs).
 */
import { fftConvolve, nextPow2 } from './fft.js';
import { kernelSupport, kernelValue, type KernelName } from './kernels.js';
import { SeparablePass } from './separable-pass.js';

export type ConvolutionMethod = 'auto' | 'direct' | 'fft';

/** Stencil radius in cells. */
export function stencilRadius(kernel: KernelName, h: number, cell: number): number {
  return Math.max(0, Math.ceil(kernelSupport(kernel, h) / cell - 1e-9));
}

/** 1-D Gaussian weights for offsets -R..R cells, summing to one. */
export function gaussianWeights1d(h: number, cell: number, R: number): Float64Array {
  const g = new Float64Array(2 * R + 1);
  let s = 0;
  for (let k = -R; k <= R; k++) {
    const u = (k * cell) / h;
    s += g[k + R] = Math.exp(-0.5 * u * u);
  }
  for (let k = 0; k < g.length; k++) g[k] /= s;
  return g;
}

/** 2-D radial stencil for offsets -R..R (row-major, (2R+1)²), summing to one. */
export function radialStencil(kernel: KernelName, h: number, cell: number, R: number): Float64Array {
  const side = 2 * R + 1;
  const st = new Float64Array(side * side);
  let s = 0;
  for (let dy = -R; dy <= R; dy++) {
    for (let dx = -R; dx <= R; dx++) s += st[(dy + R) * side + dx + R] = kernelValue(kernel, Math.hypot(dx, dy) * cell, h);
  }
  if (s === 0) st[R * side + R] = 1; // bandwidth far below the cell size: the kernel is a point mass
  else for (let i = 0; i < st.length; i++) st[i] /= s;
  return st;
}

/**
 * Separable convolution with the same 1-D weights along x then y; zero outside the array. Both passes run in a
 * WebAssembly SIMD kernel (separable-pass.ts), or in the JS loops below where the runtime lacks it. Writes into `out`
 * when given.
 */
export function convolveSeparable(src: Float64Array, nx: number, ny: number, g: Float64Array, out?: Float64Array): Float64Array {
  const res = out ?? new Float64Array(nx * ny);
  const k = SeparablePass.get();
  return k && k.convolve(src, nx, ny, g, res) ? res : convolveSeparableJs(src, nx, ny, g, res);
}

/** Where the separable passes run, for a model's fitted() summary: the Wasm SIMD kernel, or the JS loops (same densities, slower). */
export function convolutionBackend(): string {
  return SeparablePass.get() ? 'wasm-simd' : 'js (this runtime has no WebAssembly SIMD)';
}

/** The same convolution in plain JS (row scatter, then row-by-row axpy down the columns); the fallback and the check. */
export function convolveSeparableJs(src: Float64Array, nx: number, ny: number, g: Float64Array, out?: Float64Array): Float64Array {
  const R = (g.length - 1) >> 1;
  const tmp = new Float64Array(nx * ny);
  for (let y = 0; y < ny; y++) {
    const o = y * nx;
    for (let x = 0; x < nx; x++) {
      const v = src[o + x];
      if (v === 0) continue;
      const lo = Math.max(0, x - R), hi = Math.min(nx - 1, x + R);
      for (let xx = lo; xx <= hi; xx++) tmp[o + xx] += v * g[xx - x + R];
    }
  }
  const res = out ?? new Float64Array(nx * ny);
  if (out) res.fill(0);
  for (let y = 0; y < ny; y++) {
    const lo = Math.max(0, y - R), hi = Math.min(ny - 1, y + R);
    for (let yy = lo; yy <= hi; yy++) {
      const w = g[yy - y + R], oi = y * nx, oo = yy * nx;
      for (let x = 0; x < nx; x++) res[oo + x] += w * tmp[oi + x];
    }
  }
  return res;
}

/** Direct scatter of each non-empty bin through a (2R+1)² stencil; cost ∝ non-empty bins × stencil size. */
export function convolveDirect(src: Float64Array, nx: number, ny: number, st: Float64Array, R: number, into?: Float64Array): Float64Array {
  const side = 2 * R + 1;
  const out = into ? into.fill(0) : new Float64Array(nx * ny);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const v = src[y * nx + x];
      if (v === 0) continue;
      const y0 = Math.max(0, y - R), y1 = Math.min(ny - 1, y + R);
      const x0 = Math.max(0, x - R), x1 = Math.min(nx - 1, x + R);
      for (let yy = y0; yy <= y1; yy++) {
        const so = (yy - y + R) * side - x + R, oo = yy * nx;
        for (let xx = x0; xx <= x1; xx++) out[oo + xx] += v * st[so + xx];
      }
    }
  }
  return out;
}

/** Relative cost of one FFT butterfly vs one stencil multiply-add, measured with bench/kde.mjs. */
const FFT_COST_FACTOR = 6;

export function pickMethod(src: Float64Array, nx: number, ny: number, R: number): 'direct' | 'fft' {
  let nnz = 0;
  for (let i = 0; i < src.length; i++) if (src[i] !== 0) nnz++;
  const side = 2 * R + 1;
  const direct = nnz * side * side;
  const size = nextPow2(nx) * nextPow2(ny);
  const fft = FFT_COST_FACTOR * 3 * size * Math.log2(size);
  return direct <= fft ? 'direct' : 'fft';
}

/**
 * Convolve binned masses with the kernel (weights summing to one); output is mass per cell, written into `out` when
 * given (separable and direct; the FFT returns its own array).
 */
export function convolveKernel(
  src: Float64Array, nx: number, ny: number, kernel: KernelName, h: number, cell: number, method: ConvolutionMethod = 'auto', out?: Float64Array,
): { mass: Float64Array; method: 'separable' | 'direct' | 'fft' } {
  const R = stencilRadius(kernel, h, cell);
  if (kernel === 'gaussian' && method === 'auto') return { mass: convolveSeparable(src, nx, ny, gaussianWeights1d(h, cell, R), out), method: 'separable' };
  const st = kernel === 'gaussian' ? outer(gaussianWeights1d(h, cell, R)) : radialStencil(kernel, h, cell, R);
  const m = method === 'auto' ? pickMethod(src, nx, ny, R) : method;
  return m === 'direct' ? { mass: convolveDirect(src, nx, ny, st, R, out), method: 'direct' } : { mass: fftConvolve(src, nx, ny, st, R), method: 'fft' };
}

function outer(g: Float64Array): Float64Array {
  const n = g.length, st = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) st[i * n + j] = g[i] * g[j];
  return st;
}
