/**
 * KDE integrated over the regions of a SpatialUnits: the expected share of events per region.
 * The density is computed on a fine raster (see region-raster.ts), edge-corrected inside the study area
 * (the union of the regions), and summed per region. Regions smaller than a raster cell fall back to
 * density at their centroid × their area.
 */
import type { SpatialUnits } from '../../space/units.js';
import { resolveBandwidth, type BandwidthRule } from './bandwidth.js';
import { kdeGridDetailed, type EdgeCorrection } from './grid-kde.js';
import type { KernelName } from './kernels.js';
import { regionRaster, unitsProjection } from './region-raster.js';

export interface GeoPoints {
  lat: Float64Array;
  lon: Float64Array;
  w?: ArrayLike<number>;
}

export interface RegionKdeOptions {
  kernel?: KernelName;
  bandwidth?: number | BandwidthRule;
  edgeCorrection?: EdgeCorrection;
  /** Raster cells per bandwidth (finer = more exact integration, slower). Default 4. */
  cellsPerBandwidth?: number;
  maxCells?: number;
}

export interface RegionKdeResult {
  /** Integrated weight per region (sums to the total weight with event edge correction). */
  mass: Float64Array;
  /** mass / area: weight per square metre. */
  density: Float64Array;
  bandwidth: number;
}

export function kdeAtRegions(points: GeoPoints, units: SpatialUnits, opts: RegionKdeOptions = {}): RegionKdeResult {
  const kernel = opts.kernel ?? 'quartic';
  const bwOpt = opts.bandwidth ?? 'scott';
  const medianSide = Math.sqrt(median(units.area));
  const { x, y } = unitsProjection(units).forward(points.lat, points.lon);
  const planar = { x, y, w: points.w };
  const h = typeof bwOpt === 'number' ? bwOpt : points.lat.length >= 2 ? resolveBandwidth(planar, bwOpt, kernel) : medianSide;
  // raster fine enough to resolve both the kernel and the regions
  const raster = regionRaster(units, Math.min(h / (opts.cellsPerBandwidth ?? 4), medianSide / 2), opts.maxCells);
  const mass = new Float64Array(units.n);
  if (points.lat.length === 0) return { mass, density: new Float64Array(units.n), bandwidth: h };
  const { density } = kdeGridDetailed(planar, raster.grid, { kernel, bandwidth: h, mask: raster.mask, edgeCorrection: opts.edgeCorrection ?? 'event' });
  const cellArea = raster.grid.cell * raster.grid.cell;
  for (let i = 0; i < density.length; i++) {
    const r = raster.regionOf[i];
    if (r >= 0) mass[r] += density[i] * cellArea;
  }
  if (raster.uncovered.length) {
    const g = raster.grid;
    const lat = Float64Array.from(raster.uncovered, (r) => units.centroidLat[r]);
    const lon = Float64Array.from(raster.uncovered, (r) => units.centroidLon[r]);
    const c = raster.proj.forward(lat, lon);
    raster.uncovered.forEach((r, k) => {
      const ix = Math.floor((c.x[k] - g.x0) / g.cell), iy = Math.floor((c.y[k] - g.y0) / g.cell);
      if (ix >= 0 && iy >= 0 && ix < g.nx && iy < g.ny) mass[r] = density[iy * g.nx + ix] * units.area[r];
    });
  }
  const dens = Float64Array.from(mass, (m, r) => (units.area[r] > 0 ? m / units.area[r] : 0));
  return { mass, density: dens, bandwidth: h };
}

function median(a: Float64Array): number {
  if (a.length === 0) return 1;
  const s = Float64Array.from(a).sort();
  return s[s.length >> 1];
}
