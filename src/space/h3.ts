/**
 * H3 hexagons (h3-js) at one resolution. The unit set is the cells holding incidents (optionally grown by a
 * k-ring buffer so near-empty edges are still forecast), the cells whose centres fall inside a study-area
 * polygon (H3's polyfill rule), or an explicit list. Regions are sorted by index for a stable order;
 * adjacency links cells within `k` grid steps (k = 1: the six touching hexagons).
 */
import { cellArea, cellToBoundary, cellToLatLng, getResolution, gridDisk, isValidCell, latLngToCell, polygonToCells } from 'h3-js';
import type { IncidentTable } from '../data/incident-table.js';
import { UserError } from '../util/errors.js';
import { polygonsOf } from './geom.js';
import { adjacencyFromLists, type AreaGeometry, type SpatialUnits } from './units.js';

export interface H3Options {
  /** H3 resolution 0–15 (res 9 ≈ 0.1 km², res 8 ≈ 0.74 km²). */
  res: number;
  /** Cells that hold at least one of these points. */
  points?: Pick<IncidentTable, 'lat' | 'lon'>;
  /** Cells whose centre lies in this polygon. */
  polygon?: AreaGeometry;
  /** Explicit cells (all at `res`). */
  cells?: string[];
  /** Grow the set by this many rings (default 0). */
  buffer?: number;
  /** Adjacency ring size (default 1). */
  k?: number;
  /** Guard against an over-fine resolution. */
  maxCells?: number;
}

export interface H3Units extends SpatialUnits {
  readonly kind: 'h3';
  readonly res: number;
}

const DEFAULT_MAX_CELLS = 2_000_000;

export function buildH3Units(opts: H3Options): H3Units {
  const { res } = opts;
  if (!Number.isInteger(res) || res < 0 || res > 15) throw new UserError(`H3 resolution must be an integer 0–15 (got ${res})`);
  const buffer = opts.buffer ?? 0, k = opts.k ?? 1;
  if (!Number.isInteger(buffer) || buffer < 0 || !Number.isInteger(k) || k < 1) throw new UserError('H3 buffer must be an integer ≥ 0 and k an integer ≥ 1');
  const maxCells = opts.maxCells ?? DEFAULT_MAX_CELLS;
  const set = new Set<string>();
  if (opts.cells) {
    for (const c of opts.cells) {
      if (!isValidCell(c) || getResolution(c) !== res) throw new UserError(`"${c}" is not an H3 cell at resolution ${res}`);
      set.add(c);
    }
  }
  if (opts.points) {
    const { lat, lon } = opts.points;
    for (let i = 0; i < lat.length; i++) if (Number.isFinite(lat[i]) && Number.isFinite(lon[i])) set.add(latLngToCell(lat[i], lon[i], res));
  }
  if (opts.polygon) for (const poly of polygonsOf(opts.polygon)) for (const c of polygonToCells(poly, res, true)) set.add(c);
  if (set.size === 0) throw new UserError('the H3 unit set is empty: give incidents, a polygon or cells');
  if (buffer > 0) for (const c of [...set]) for (const d of gridDisk(c, buffer)) set.add(d);
  if (set.size > maxCells) throw new UserError(`${set.size} H3 cells at resolution ${res} (limit ${maxCells})`, 'use a coarser resolution');
  return h3UnitsFromCells([...set].sort(), res, k, { res, buffer, k });
}

function h3UnitsFromCells(ids: string[], res: number, k: number, specExtra: Record<string, unknown>): H3Units {
  const n = ids.length;
  const pos = new Map(ids.map((c, i) => [c, i]));
  const area = new Float64Array(n), centroidLat = new Float64Array(n), centroidLon = new Float64Array(n);
  const lists: number[][] = [];
  ids.forEach((c, i) => {
    area[i] = cellArea(c, 'm2');
    [centroidLat[i], centroidLon[i]] = cellToLatLng(c);
    const nb: number[] = [];
    for (const d of gridDisk(c, k)) {
      const j = pos.get(d);
      if (j !== undefined && j !== i) nb.push(j);
    }
    lists.push(nb.sort((a, b) => a - b));
  });
  return {
    kind: 'h3',
    n,
    ids,
    res,
    area,
    centroidLat,
    centroidLon,
    adjacency: adjacencyFromLists(lists),
    assign(lat, lon) {
      const out = new Int32Array(lat.length);
      for (let i = 0; i < out.length; i++) {
        out[i] = Number.isFinite(lat[i]) && Number.isFinite(lon[i]) ? (pos.get(latLngToCell(lat[i], lon[i], res)) ?? -1) : -1;
      }
      return out;
    },
    geometry(i) {
      // GeoJSON order, closed ring
      return { type: 'Polygon', coordinates: [cellToBoundary(ids[i], true) as [number, number][]] };
    },
    spec: { kind: 'h3', ...specExtra, cells: ids },
  };
}
