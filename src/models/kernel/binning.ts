/** Spreading weighted points onto grid-cell centres. */

/** A regular grid in projected metres: (x0, y0) is the south-west corner of cell (0, 0); index = iy * nx + ix, row 0 south. */
export interface GridSpec {
  x0: number;
  y0: number;
  cell: number;
  nx: number;
  ny: number;
}

/** Planar points in metres with optional weights (default 1). */
export interface PlanarPoints {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  w?: ArrayLike<number>;
}

/**
 * Linear (bilinear) binning: each point's weight is split among the four surrounding cell centres in
 * proportion to proximity — Wand & Jones' choice, far more accurate than nearest-cell binning at equal cost.
 * Weight falling outside the grid is dropped.
 */
export function linearBin(p: PlanarPoints, g: GridSpec, into?: Float64Array): Float64Array {
  const out = into ? into.fill(0) : new Float64Array(g.nx * g.ny);
  const n = p.x.length;
  for (let i = 0; i < n; i++) {
    const w = p.w ? p.w[i] : 1;
    if (!(w !== 0) || !Number.isFinite(p.x[i]) || !Number.isFinite(p.y[i])) continue;
    const fx = (p.x[i] - g.x0) / g.cell - 0.5, fy = (p.y[i] - g.y0) / g.cell - 0.5;
    const ix = Math.floor(fx), iy = Math.floor(fy);
    const ax = fx - ix, ay = fy - iy;
    addCell(out, g, ix, iy, w * (1 - ax) * (1 - ay));
    addCell(out, g, ix + 1, iy, w * ax * (1 - ay));
    addCell(out, g, ix, iy + 1, w * (1 - ax) * ay);
    addCell(out, g, ix + 1, iy + 1, w * ax * ay);
  }
  return out;
}

function addCell(out: Float64Array, g: GridSpec, ix: number, iy: number, v: number): void {
  if (v !== 0 && ix >= 0 && iy >= 0 && ix < g.nx && iy < g.ny) out[iy * g.nx + ix] += v;
}

/** Nearest-cell index of each point (-1 off the grid); used by cross-validation, where each point needs one bin. */
export function nearestBin(p: PlanarPoints, g: GridSpec): Int32Array {
  const n = p.x.length, out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const ix = Math.floor((p.x[i] - g.x0) / g.cell), iy = Math.floor((p.y[i] - g.y0) / g.cell);
    out[i] = ix >= 0 && iy >= 0 && ix < g.nx && iy < g.ny ? iy * g.nx + ix : -1;
  }
  return out;
}

/** The grid grown by `pad` cells on every side (same cell alignment). */
export function padGrid(g: GridSpec, pad: number): GridSpec {
  return { x0: g.x0 - pad * g.cell, y0: g.y0 - pad * g.cell, cell: g.cell, nx: g.nx + 2 * pad, ny: g.ny + 2 * pad };
}

/** Copy the inner nx × ny block out of a grid padded by `pad` (into `into` when given). */
export function cropPadded(a: Float64Array, g: GridSpec, pad: number, into?: Float64Array): Float64Array {
  const out = into ?? new Float64Array(g.nx * g.ny), pnx = g.nx + 2 * pad;
  for (let y = 0; y < g.ny; y++) out.set(a.subarray((y + pad) * pnx + pad, (y + pad) * pnx + pad + g.nx), y * g.nx);
  return out;
}

/** Embed an nx × ny array into a grid padded by `pad` (zeros around). */
export function embedPadded(a: ArrayLike<number>, g: GridSpec, pad: number): Float64Array {
  const pnx = g.nx + 2 * pad, out = new Float64Array(pnx * (g.ny + 2 * pad));
  for (let y = 0; y < g.ny; y++) for (let x = 0; x < g.nx; x++) out[(y + pad) * pnx + pad + x] = a[y * g.nx + x];
  return out;
}
