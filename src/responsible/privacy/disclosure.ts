/**
 * Disclosure control before export: incident points are moved to the centroid of their spatial unit (or of a
 * metre grid cell), and small cells are suppressed so no published count singles out fewer than k incidents.
 */
import type { SpatialUnits } from '../../space/units.js';

export interface SnappedPoints {
  lat: Float64Array;
  lon: Float64Array;
  /** Region each point was snapped to (-1: outside every region; its coordinates are NaN and must not be exported). */
  region: Int32Array;
  /** Points outside every region (dropped). */
  dropped: number;
}

/** Replaces each point by the centroid of the unit containing it. */
export function snapToUnitCentroids(lat: Float64Array, lon: Float64Array, units: SpatialUnits): SnappedPoints {
  const region = units.assign(lat, lon);
  const outLat = new Float64Array(lat.length), outLon = new Float64Array(lat.length);
  let dropped = 0;
  for (let i = 0; i < lat.length; i++) {
    const r = region[i];
    if (r < 0) { outLat[i] = NaN; outLon[i] = NaN; dropped++; continue; }
    outLat[i] = units.centroidLat[r];
    outLon[i] = units.centroidLon[r];
  }
  return { lat: outLat, lon: outLon, region, dropped };
}

const M_PER_DEG_LAT = 111_320;

/**
 * Snaps points to the centre of square cells of `cellMetres` in a local equirectangular frame anchored at
 * (lat0, lon0) (cells are exact metres near the anchor, within ~0.5% over a city). Every point in a cell
 * maps to the same coordinates, so the export reveals only the cell.
 */
export function snapToGrid(lat: Float64Array, lon: Float64Array, cellMetres: number, lat0: number, lon0: number): { lat: Float64Array; lon: Float64Array } {
  if (!(cellMetres > 0)) throw new RangeError('cellMetres must be > 0');
  const dLat = cellMetres / M_PER_DEG_LAT, dLon = cellMetres / (M_PER_DEG_LAT * Math.cos((lat0 * Math.PI) / 180));
  const oLat = new Float64Array(lat.length), oLon = new Float64Array(lat.length);
  for (let i = 0; i < lat.length; i++) {
    oLat[i] = lat0 + (Math.floor((lat[i] - lat0) / dLat) + 0.5) * dLat;
    oLon[i] = lon0 + (Math.floor((lon[i] - lon0) / dLon) + 0.5) * dLon;
  }
  return { lat: oLat, lon: oLon };
}

export interface SuppressionResult {
  /** Published values: NaN where suppressed. */
  values: Float64Array;
  /** Cells suppressed. */
  suppressed: number;
  /** Incidents inside suppressed cells (withheld from the published total). */
  suppressedIncidents: number;
}

/**
 * Suppresses every cell whose count is below k (k-anonymity-style small-cell rule). Zeros are published by default
 * (an empty cell names nobody); with `suppressZeros` they are withheld too.
 */
export function suppressSmallCells(counts: ArrayLike<number>, k: number, opts: { suppressZeros?: boolean } = {}): SuppressionResult {
  if (!(k >= 1)) throw new RangeError('k must be ≥ 1');
  const values = new Float64Array(counts.length);
  let suppressed = 0, suppressedIncidents = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c < k && (c > 0 || opts.suppressZeros)) { values[i] = NaN; suppressed++; suppressedIncidents += c; }
    else values[i] = c;
  }
  return { values, suppressed, suppressedIncidents };
}
