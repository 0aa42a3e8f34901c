/**
 * The Gaussian part of kdeAtRegions for a handful of points, without convolving the whole raster: each point is
 * linearly binned exactly as linearBin does, and each bin's (2R+1)² Gaussian stencil is summed into the regions of
 * the raster cells it covers. Because the binned KDE is linear in the points, adding these masses to a surface equals
 * redrawing it with the points included (no edge correction, as kdeAtRegions with edgeCorrection 'none'), at a cost
 * ∝ points × stencil instead of ∝ raster cells. Point processes use it to advance their excitation by a day's events.
 */
import type { SpatialUnits } from '../../space/units.js';
import { gaussianWeights1d, stencilRadius } from './convolve.js';
import { medianArea } from './region-kde.js';
import { regionRaster, type RegionRaster } from './region-raster.js';

interface Uncovered { r: Int32Array; ix: Int32Array; iy: Int32Array }
const uncoveredCache = new WeakMap<RegionRaster, Uncovered>();

/** Regions smaller than a raster cell, with the (unmasked) raster cell of their centroid, as kdeAtRegions reads them. */
function uncoveredCells(raster: RegionRaster, units: SpatialUnits): Uncovered {
  let u = uncoveredCache.get(raster);
  if (u) return u;
  const g = raster.grid, r: number[] = [], ix: number[] = [], iy: number[] = [];
  if (raster.uncovered.length) {
    const lat = Float64Array.from(raster.uncovered, (k) => units.centroidLat[k]);
    const lon = Float64Array.from(raster.uncovered, (k) => units.centroidLon[k]);
    const c = raster.proj.forward(lat, lon);
    raster.uncovered.forEach((reg, k) => {
      const x = Math.floor((c.x[k] - g.x0) / g.cell), y = Math.floor((c.y[k] - g.y0) / g.cell);
      if (x >= 0 && y >= 0 && x < g.nx && y < g.ny && raster.mask[y * g.nx + x]) { r.push(reg); ix.push(x); iy.push(y); }
    });
  }
  u = { r: Int32Array.from(r), ix: Int32Array.from(ix), iy: Int32Array.from(iy) };
  uncoveredCache.set(raster, u);
  return u;
}

/**
 * Adds Σ_i w_i · (Gaussian of σ = `sigma` metres around (x_i, y_i), binned, integrated over region r) into mass[r].
 * x, y are in the units' plane (unitsProjection(units)); the raster is the one kdeAtRegions picks for this σ.
 */
export function addGaussianRegionMass(x: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>, units: SpatialUnits, sigma: number, mass: Float64Array): void {
  const raster = regionRaster(units, Math.min(sigma / 4, Math.sqrt(medianArea(units)) / 2));
  const g = raster.grid, nx = g.nx, ny = g.ny, regionOf = raster.regionOf;
  const R = stencilRadius('gaussian', sigma, g.cell), gw = gaussianWeights1d(sigma, g.cell, R);
  const unc = uncoveredCells(raster, units), cellArea = g.cell * g.cell;
  const bin = (cx: number, cy: number, v: number) => {
    if (v === 0 || cx < -R || cy < -R || cx >= nx + R || cy >= ny + R) return; // off the padded grid: dropped, as linearBin does
    const y0 = Math.max(0, cy - R), y1 = Math.min(ny - 1, cy + R), x0 = Math.max(0, cx - R), x1 = Math.min(nx - 1, cx + R);
    for (let yy = y0; yy <= y1; yy++) {
      const wy = v * gw[yy - cy + R], row = yy * nx, gi = R - cx;
      for (let xx = x0; xx <= x1; xx++) {
        const r = regionOf[row + xx];
        if (r >= 0) mass[r] += wy * gw[xx + gi];
      }
    }
    for (let k = 0; k < unc.r.length; k++) {
      const dx = unc.ix[k] - cx, dy = unc.iy[k] - cy;
      if (dx >= -R && dx <= R && dy >= -R && dy <= R) mass[unc.r[k]] += ((v * gw[dy + R]) * gw[dx + R]) * (units.area[unc.r[k]] / cellArea);
    }
  };
  for (let i = 0; i < x.length; i++) {
    const wi = w[i];
    if (!(wi !== 0) || !Number.isFinite(x[i]) || !Number.isFinite(y[i])) continue;
    const fx = (x[i] - g.x0) / g.cell - 0.5, fy = (y[i] - g.y0) / g.cell - 0.5;
    const ix = Math.floor(fx), iy = Math.floor(fy), ax = fx - ix, ay = fy - iy;
    bin(ix, iy, wi * (1 - ax) * (1 - ay));
    bin(ix + 1, iy, wi * ax * (1 - ay));
    bin(ix, iy + 1, wi * (1 - ax) * ay);
    bin(ix + 1, iy + 1, wi * ax * ay);
  }
}
