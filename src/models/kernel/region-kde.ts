/**
 * KDE integrated over the regions of a SpatialUnits: the expected share of events per region.
 * The density is computed on a fine raster (see region-raster.ts), edge-corrected inside the study area
 * (the union of the regions), and summed per region. Regions smaller than a raster cell fall back to
 * density at their centroid × their area.
 */
import type { SpatialUnits } from '../../space/units.js';
import { resolveBandwidth, type BandwidthRule } from './bandwidth.js';
import { kdeGridDetailed, type EdgeCorrection, type PlanarPoints } from './grid-kde.js';
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
  const { x, y } = unitsProjection(units).forward(points.lat, points.lon);
  return kdeAtRegionsPlanar({ x, y, w: points.w }, units, opts);
}

/** Density read back from the raster; reused across calls of the same raster size (only read here). */
let densityScratch = new Float64Array(0);

/** kdeAtRegions for points already in the units' plane (`unitsProjection(units)`), e.g. projected once and cached. */
export function kdeAtRegionsPlanar(planar: PlanarPoints, units: SpatialUnits, opts: RegionKdeOptions = {}): RegionKdeResult {
  const kernel = opts.kernel ?? 'quartic';
  const bwOpt = opts.bandwidth ?? 'scott';
  const medianSide = Math.sqrt(medianArea(units));
  const n = planar.x.length;
  const h = typeof bwOpt === 'number' ? bwOpt : n >= 2 ? resolveBandwidth(planar, bwOpt, kernel) : medianSide;
  // raster fine enough to resolve both the kernel and the regions
  const raster = regionRaster(units, Math.min(h / (opts.cellsPerBandwidth ?? 4), medianSide / 2), opts.maxCells);
  const mass = new Float64Array(units.n);
  if (n === 0) return { mass, density: new Float64Array(units.n), bandwidth: h };
  const cells = raster.grid.nx * raster.grid.ny;
  if (densityScratch.length !== cells) densityScratch = new Float64Array(cells);
  const { density } = kdeGridDetailed(planar, raster.grid, { kernel, bandwidth: h, mask: raster.mask, edgeCorrection: opts.edgeCorrection ?? 'event', out: densityScratch });
  const cellArea = raster.grid.cell * raster.grid.cell, regionOf = raster.regionOf;
  for (let i = 0; i < cells; i++) {
    const r = regionOf[i];
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
  const dens = new Float64Array(units.n);
  for (let r = 0; r < units.n; r++) dens[r] = units.area[r] > 0 ? mass[r] / units.area[r] : 0;
  return { mass, density: dens, bandwidth: h };
}

const medianCache = new WeakMap<SpatialUnits, number>();

/** Median region area (1 for an empty set), computed once per unit set. */
export function medianArea(units: SpatialUnits): number {
  let m = medianCache.get(units);
  if (m === undefined) {
    const a = units.area;
    m = a.length === 0 ? 1 : Float64Array.from(a).sort()[a.length >> 1];
    medianCache.set(units, m);
  }
  return m;
}
