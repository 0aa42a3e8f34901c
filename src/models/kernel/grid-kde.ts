/**
 * Kernel density on a regular grid: linear binning, then convolution with a unit-mass stencil, with optional
 * edge correction inside a study-area mask. Cost is O(points + cells × stencil) instead of O(points × cells).
 */
import { cropPadded, embedPadded, linearBin, padGrid, type GridSpec, type PlanarPoints } from './binning.js';
import { resolveBandwidth, type BandwidthRule } from './bandwidth.js';
import { convolveKernel, stencilRadius, type ConvolutionMethod } from './convolve.js';
import type { KernelName } from './kernels.js';

export type { GridSpec, PlanarPoints } from './binning.js';

/**
 * - none:  plain KDE; mass whose kernel spills outside the area is lost.
 * - event: each event's weight is divided by the share of its kernel that falls inside the area (Jones 1993),
 *          so the density integrates over the area to exactly the total weight.
 * - point: the density at x is divided by the kernel mass inside the area around x (Diggle 1985).
 */
export type EdgeCorrection = 'none' | 'event' | 'point';

export interface KdeOptions {
  kernel?: KernelName;
  /** Metres (Gaussian: standard deviation; quartic/Epanechnikov: radius) or a selection rule. Default 'scott'. */
  bandwidth?: number | BandwidthRule;
  /** Study area: 1 for grid cells inside (ny × nx, same layout as the output). Cells outside get density 0. */
  mask?: Uint8Array;
  /** Default 'event' when a mask is given, else 'none'. */
  edgeCorrection?: EdgeCorrection;
  /** Divide by the total weight, giving a probability density instead of an intensity. */
  normalize?: boolean;
  method?: ConvolutionMethod;
  /** Write the density into this array (nx × ny) instead of a new one: callers that only read it reuse one buffer. */
  out?: Float64Array;
}

export interface KdeResult {
  /** Per cell centre: weight per square metre (or probability per m² with `normalize`). */
  density: Float64Array;
  bandwidth: number;
  method: 'separable' | 'direct' | 'fft';
}

/**
 * The edge-correction surface (kernel mass inside the area around each padded cell) depends only on the mask, the
 * kernel, the bandwidth and the grid, never on the events: it is computed once and reused for every category and
 * every refit (it was re-convolved each time, a large share of a KDE backtest). Keyed on the mask array itself, which
 * the region rasters keep per unit set; the cached arrays are only ever read.
 */
const insideCache = new WeakMap<Uint8Array, Map<string, Float64Array>>();

export function insideMass(mask: Uint8Array | undefined, grid: GridSpec, pad: number, pg: { nx: number; ny: number }, kernel: KernelName, h: number, method: ConvolutionMethod): Float64Array {
  const compute = () => convolveKernel(embedPadded(mask ?? new Uint8Array(grid.nx * grid.ny).fill(1), grid, pad), pg.nx, pg.ny, kernel, h, grid.cell, method).mass;
  if (!mask) return compute();
  let byKey = insideCache.get(mask);
  if (!byKey) insideCache.set(mask, (byKey = new Map()));
  const key = `${kernel}|${h}|${grid.cell}|${grid.nx}|${grid.ny}|${pad}|${method}`;
  let v = byKey.get(key);
  if (!v) byKey.set(key, (v = compute()));
  return v;
}

/**
 * Padded-grid work arrays reused by every call of the same size (binned masses, convolved masses): a backtest draws
 * one surface per category per refit, and fresh 2–16 MB arrays each time were 9% of it in garbage collection.
 * Safe because kdeGridDetailed is synchronous and never hands them out.
 */
let binScratch = new Float64Array(0), convScratch = new Float64Array(0);

function scratch(n: number): [Float64Array, Float64Array] {
  if (binScratch.length !== n) { binScratch = new Float64Array(n); convScratch = new Float64Array(n); }
  return [binScratch, convScratch];
}

export function kdeGrid(points: PlanarPoints, grid: GridSpec, opts: KdeOptions = {}): Float64Array {
  return kdeGridDetailed(points, grid, opts).density;
}

export function kdeGridDetailed(points: PlanarPoints, grid: GridSpec, opts: KdeOptions = {}): KdeResult {
  const kernel = opts.kernel ?? 'gaussian';
  if (!(grid.cell > 0) || grid.nx < 1 || grid.ny < 1) throw new Error(`bad KDE grid ${JSON.stringify(grid)}`);
  if (opts.mask && opts.mask.length !== grid.nx * grid.ny) throw new Error(`mask has ${opts.mask.length} cells, grid has ${grid.nx * grid.ny}`);
  const h = resolveBandwidth(points, opts.bandwidth ?? 'scott', kernel);
  const pad = stencilRadius(kernel, h, grid.cell);
  const pg = padGrid(grid, pad);
  const [binBuf, convBuf] = scratch(pg.nx * pg.ny);
  const binned = linearBin(points, pg, binBuf);
  if (opts.out && opts.out.length !== grid.nx * grid.ny) throw new Error(`out has ${opts.out.length} cells, grid has ${grid.nx * grid.ny}`);
  const correction = opts.edgeCorrection ?? (opts.mask ? 'event' : 'none');
  const method = opts.method ?? 'auto';
  let inside: Float64Array | null = null;
  if (correction !== 'none') {
    // share of a kernel centred at each cell that falls inside the area (the whole grid when no mask)
    inside = insideMass(opts.mask, grid, pad, pg, kernel, h, method);
    if (correction === 'event') {
      for (let i = 0; i < binned.length; i++) if (binned[i] !== 0) binned[i] = inside[i] > 1e-9 ? binned[i] / inside[i] : 0;
    }
  }
  const conv = convolveKernel(binned, pg.nx, pg.ny, kernel, h, grid.cell, method, convBuf);
  const out = cropPadded(conv.mass, grid, pad, opts.out);
  const insideC = correction === 'point' && inside ? cropPadded(inside, grid, pad) : null;
  let total = 0;
  if (opts.normalize) {
    for (let i = 0; i < points.x.length; i++) total += points.w ? points.w[i] : 1;
  }
  const scale = 1 / (grid.cell * grid.cell) / (opts.normalize && total > 0 ? total : 1);
  for (let i = 0; i < out.length; i++) {
    if (opts.mask && !opts.mask[i]) { out[i] = 0; continue; }
    let v = out[i] * scale;
    if (insideC) v = insideC[i] > 1e-9 ? v / insideC[i] : 0;
    out[i] = v > 0 ? v : 0; // FFT round-off can leave -1e-18 where the density is zero
  }
  return { density: out, bandwidth: h, method: conv.method };
}
