/**
 * A fine raster laid over a spatial unit set, with the region of every raster cell, so a gridded KDE can be
 * integrated over each region. Lattice grids are subdivided exactly (no projection round trip); polygons
 * and H3 cells are covered by sub-cells whose centres are assigned with the unit set's own `assign`.
 * Built once per (unit set, cell size) and cached, because backtests refit the same units many times.
 */
import type { GridUnits } from '../../space/grid.js';
import { projectGeometry, ringsBBox } from '../../space/geom.js';
import { localProjection, projectionFromDef, type Projection } from '../../space/projection.js';
import type { SpatialUnits } from '../../space/units.js';
import type { GridSpec } from './binning.js';

export interface RegionRaster {
  grid: GridSpec;
  proj: Projection;
  /** Region of each raster cell (-1 outside every region). */
  regionOf: Int32Array;
  /** 1 where the raster cell belongs to some region: the study-area mask for edge correction. */
  mask: Uint8Array;
  /** Regions covering no raster cell centre (smaller than a raster cell): evaluated at their centroid. */
  uncovered: Int32Array;
}

/** Raster cell sizes (metres) tried from coarse to fine; a fixed ladder keeps the cache hit rate high. */
const LADDER = [2000, 1000, 500, 250, 200, 100, 50, 25, 20, 10, 5];

const cache = new WeakMap<SpatialUnits, Map<number, RegionRaster>>();

function isGridUnits(u: SpatialUnits): u is GridUnits {
  return u.kind === 'grid' && 'regionOfCell' in u && 'grid' in u;
}

/**
 * Raster whose cells are no larger than `targetCell` metres (rounded down the ladder, or a whole subdivision
 * of a lattice cell), and coarser when more than `maxCells` would be needed.
 */
export function regionRaster(units: SpatialUnits, targetCell: number, maxCells = 2_000_000): RegionRaster {
  let byCell = cache.get(units);
  if (!byCell) cache.set(units, (byCell = new Map()));
  if (isGridUnits(units)) {
    // look the subdivision up before building it: a backtest asks once per category per refit
    const s = latticeSubdivision(units, targetCell, maxCells), key = units.grid.cell / s;
    let hit = byCell.get(key);
    if (!hit) byCell.set(key, (hit = latticeRaster(units, s)));
    return hit;
  }
  const ext = extentOf(units);
  const area = (ext.maxX - ext.minX) * (ext.maxY - ext.minY);
  let cell = LADDER.find((c) => c <= targetCell) ?? LADDER[LADDER.length - 1];
  while (area / (cell * cell) > maxCells) cell *= 2;
  const hit = byCell.get(cell);
  if (hit) return hit;
  const r = sampledRaster(units, ext, cell);
  byCell.set(cell, r);
  return r;
}

/** Sub-cells per lattice cell side: no larger than targetCell, at most maxCells in all. */
function latticeSubdivision(u: GridUnits, targetCell: number, maxCells: number): number {
  const g = u.grid;
  let s = Math.max(1, Math.ceil(g.cell / targetCell));
  while (s > 1 && g.rows * g.cols * s * s > maxCells) s--;
  return s;
}

function latticeRaster(u: GridUnits, s: number): RegionRaster {
  const g = u.grid;
  const nx = g.cols * s, ny = g.rows * s;
  const regionOf = new Int32Array(nx * ny), mask = new Uint8Array(nx * ny);
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      const r = u.regionOfCell[Math.floor(iy / s) * g.cols + Math.floor(ix / s)];
      regionOf[iy * nx + ix] = r;
      mask[iy * nx + ix] = r >= 0 ? 1 : 0;
    }
  }
  return { grid: { x0: g.x0, y0: g.y0, cell: g.cell / s, nx, ny }, proj: u.proj, regionOf, mask, uncovered: new Int32Array(0) };
}

interface Extent { proj: Projection; minX: number; minY: number; maxX: number; maxY: number }

const projCache = new WeakMap<SpatialUnits, Projection>();

/** The metric plane a unit set's raster lives in: its own projection when it has one, else one centred on it. */
export function unitsProjection(units: SpatialUnits): Projection {
  if (isGridUnits(units)) return units.proj;
  let proj = projCache.get(units);
  if (!proj) {
    let sLat = 0, sLon = 0;
    for (let i = 0; i < units.n; i++) { sLat += units.centroidLat[i]; sLon += units.centroidLon[i]; }
    proj = typeof units.spec.projection === 'string' ? projectionFromDef(units.spec.projection) : localProjection(sLat / units.n, sLon / units.n);
    projCache.set(units, proj);
  }
  return proj;
}

function extentOf(units: SpatialUnits): Extent {
  const proj = unitsProjection(units);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < units.n; i++) {
    const [a, b, c, d] = ringsBBox(projectGeometry(units.geometry(i), proj));
    if (a < minX) minX = a;
    if (b < minY) minY = b;
    if (c > maxX) maxX = c;
    if (d > maxY) maxY = d;
  }
  return { proj, minX, minY, maxX, maxY };
}

function sampledRaster(units: SpatialUnits, e: Extent, cell: number): RegionRaster {
  const nx = Math.max(1, Math.ceil((e.maxX - e.minX) / cell)), ny = Math.max(1, Math.ceil((e.maxY - e.minY) / cell));
  const cx = new Float64Array(nx * ny), cy = new Float64Array(nx * ny);
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) { cx[iy * nx + ix] = e.minX + (ix + 0.5) * cell; cy[iy * nx + ix] = e.minY + (iy + 0.5) * cell; }
  }
  const { lat, lon } = e.proj.inverse(cx, cy);
  const regionOf = units.assign(lat, lon);
  const mask = new Uint8Array(nx * ny);
  const covered = new Uint8Array(units.n);
  for (let i = 0; i < regionOf.length; i++) if (regionOf[i] >= 0) { mask[i] = 1; covered[regionOf[i]] = 1; }
  const uncovered: number[] = [];
  covered.forEach((c, r) => { if (!c) uncovered.push(r); });
  return { grid: { x0: e.minX, y0: e.minY, cell, nx, ny }, proj: e.proj, regionOf, mask, uncovered: Int32Array.from(uncovered) };
}
