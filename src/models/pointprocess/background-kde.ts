/**
 * The background intensity μ(x, y) of a continuous SEPP: a weighted Gaussian KDE of the events (weights =
 * background probabilities), computed on a grid by binning + convolution and read back at the events by
 * bilinear interpolation — O(events + cells) per EM iteration instead of O(events²).
 */
import { kdeGrid, type GridSpec } from '../kernel/grid-kde.js';

/** A grid covering the points with cells of about h/3, coarser if it would exceed maxCells. */
export function backgroundGrid(x: Float64Array, y: Float64Array, h: number, maxCells = 1_000_000): GridSpec {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < minX) minX = x[i];
    if (x[i] > maxX) maxX = x[i];
    if (y[i] < minY) minY = y[i];
    if (y[i] > maxY) maxY = y[i];
  }
  const w = Math.max(maxX - minX, h), ht = Math.max(maxY - minY, h);
  let cell = h / 3;
  while ((w / cell + 1) * (ht / cell + 1) > maxCells) cell *= 1.5;
  const nx = Math.ceil(w / cell) + 1, ny = Math.ceil(ht / cell) + 1;
  return { x0: minX - (nx * cell - w) / 2, y0: minY - (ny * cell - ht) / 2, cell, nx, ny };
}

/** Bilinear interpolation of cell-centre values at (px, py); clamps to the grid's border cells. */
export function sampleGrid(values: Float64Array, g: GridSpec, px: Float64Array, py: Float64Array, into?: Float64Array): Float64Array {
  const out = into ?? new Float64Array(px.length);
  for (let i = 0; i < px.length; i++) {
    let fx = (px[i] - g.x0) / g.cell - 0.5, fy = (py[i] - g.y0) / g.cell - 0.5;
    fx = Math.min(Math.max(fx, 0), g.nx - 1); fy = Math.min(Math.max(fy, 0), g.ny - 1);
    const ix = Math.min(Math.floor(fx), g.nx - 2 < 0 ? 0 : g.nx - 2), iy = Math.min(Math.floor(fy), g.ny - 2 < 0 ? 0 : g.ny - 2);
    const ax = g.nx > 1 ? fx - ix : 0, ay = g.ny > 1 ? fy - iy : 0;
    const ix1 = Math.min(ix + 1, g.nx - 1), iy1 = Math.min(iy + 1, g.ny - 1);
    out[i] = (1 - ay) * ((1 - ax) * values[iy * g.nx + ix] + ax * values[iy * g.nx + ix1])
      + ay * ((1 - ax) * values[iy1 * g.nx + ix] + ax * values[iy1 * g.nx + ix1]);
  }
  return out;
}

/**
 * Leave-one-out weighted KDE at the points themselves (weight per m²). Point edge correction inside the
 * grid (the events' bounding box) stops the density sagging at the border of the study area.
 */
export function weightedKdeAtPoints(x: Float64Array, y: Float64Array, w: Float64Array, h: number, g: GridSpec, out?: Float64Array): Float64Array {
  const dens = kdeGrid({ x, y, w }, g, { kernel: 'gaussian', bandwidth: h, edgeCorrection: 'point' });
  const res = sampleGrid(dens, g, x, y, out);
  // remove each event's own kernel peak, so an isolated event is not explained by itself
  const k0 = 1 / (2 * Math.PI * h * h);
  for (let i = 0; i < res.length; i++) res[i] = Math.max(res[i] - w[i] * k0, 0);
  return res;
}
