/**
 * The ST-SHN / ST-HSL "CHI" degree grid, reproduced bit for bit so the published tensors can be rebuilt:
 * row = int((lat − minLat) · 111 / 3), col = int((lon − minLon) · 84 / 3), region id = row · cols + col.
 * (111 and 84 km per degree of latitude / longitude at Chicago, 3 km cells.)
 * Points south or west of the origin are outside (-1): Python's int() would fold them into row/col 0,
 * but that never happens when minLat/minLon come from the data, which is how the benchmark was built.
 */
import type { IncidentTable } from '../data/incident-table.js';
import { UserError } from '../util/errors.js';
import { bboxOfPoints } from './bbox.js';
import { latticeAdjacency, type LatticeNeighbourhood } from './grid.js';
import { areaAndCentroid, projectGeometry } from './geom.js';
import { localProjection } from './projection.js';
import type { SpatialUnits } from './units.js';

/** The benchmark's origin (min over CHI_Crime.csv without its first row). */
export const STSHN_CHICAGO_ORIGIN = { minLat: 41.644604096, minLon: -87.927881741 } as const;

export interface StshnGridOptions {
  minLat?: number;
  minLon?: number;
  /** Points from which minLat/minLon are taken when not given. */
  points?: Pick<IncidentTable, 'lat' | 'lon'>;
  rows?: number;
  cols?: number;
  kmPerDegLat?: number;
  kmPerDegLon?: number;
  cellKm?: number;
  adjacency?: LatticeNeighbourhood;
}

export interface StshnGridUnits extends SpatialUnits {
  readonly kind: 'stshn-grid';
  readonly minLat: number;
  readonly minLon: number;
}

export function buildStshnGrid(opts: StshnGridOptions = {}): StshnGridUnits {
  let { minLat, minLon } = opts;
  if (minLat === undefined || minLon === undefined) {
    if (opts.points) {
      const b = bboxOfPoints(opts.points.lat, opts.points.lon);
      minLat ??= b.minLat;
      minLon ??= b.minLon;
    } else {
      minLat ??= STSHN_CHICAGO_ORIGIN.minLat;
      minLon ??= STSHN_CHICAGO_ORIGIN.minLon;
    }
  }
  const rows = opts.rows ?? 14, cols = opts.cols ?? 12;
  const kLat = opts.kmPerDegLat ?? 111, kLon = opts.kmPerDegLon ?? 84, cellKm = opts.cellKm ?? 3;
  if (!(rows > 0 && cols > 0 && kLat > 0 && kLon > 0 && cellKm > 0)) throw new UserError('stshn grid: rows, cols and scales must be positive');
  const lat0 = minLat, lon0 = minLon;
  const dLat = cellKm / kLat, dLon = cellKm / kLon;
  const n = rows * cols;
  const cellRing = (i: number): [number, number][] => {
    const r = Math.floor(i / cols), c = i % cols;
    const a = lat0 + r * dLat, b = a + dLat, o = lon0 + c * dLon, p = o + dLon;
    return [[o, a], [p, a], [p, b], [o, b], [o, a]];
  };
  const proj = localProjection(lat0 + (rows * dLat) / 2, lon0 + (cols * dLon) / 2);
  const area = new Float64Array(n), centroidLat = new Float64Array(n), centroidLon = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ring = cellRing(i);
    area[i] = areaAndCentroid(projectGeometry({ type: 'Polygon', coordinates: [ring] }, proj)).area;
    centroidLat[i] = (ring[0][1] + ring[2][1]) / 2;
    centroidLon[i] = (ring[0][0] + ring[2][0]) / 2;
  }
  const all = Int32Array.from({ length: n }, (_, i) => i);
  return {
    kind: 'stshn-grid',
    n,
    ids: Array.from({ length: n }, (_, i) => String(i)),
    area,
    centroidLat,
    centroidLon,
    adjacency: latticeAdjacency(rows, cols, opts.adjacency ?? 'queen', all, all),
    lattice: { rows, cols },
    minLat: lat0,
    minLon: lon0,
    assign(lat, lon) {
      const out = new Int32Array(lat.length);
      for (let i = 0; i < out.length; i++) {
        const y = lat[i] - lat0, x = lon[i] - lon0;
        // same operation order as the Python script, so the truncation sees the identical double
        const r = Math.trunc((y * kLat) / cellKm), c = Math.trunc((x * kLon) / cellKm);
        out[i] = y >= 0 && x >= 0 && r < rows && c < cols ? r * cols + c : -1;
      }
      return out;
    },
    geometry(i) {
      return { type: 'Polygon', coordinates: [cellRing(i)] };
    },
    spec: { kind: 'stshn-grid', minLat: lat0, minLon: lon0, rows, cols, kmPerDegLat: kLat, kmPerDegLon: kLon, cellKm, adjacency: opts.adjacency ?? 'queen' },
  };
}
