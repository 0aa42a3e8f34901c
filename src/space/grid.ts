/**
 * Square grid in metres on a local projection. Region index = row * cols + col, row 0 at the south
 * (smallest y), col 0 at the west; ids "r{row}c{col}".
 *
 * Masking: by default every lattice cell is a region and `lattice` is set, so CNN-style models can reshape
 * the region axis into an image. With `mask` ('incidents' or a study-area polygon) only kept cells become
 * regions; `lattice` is then absent (index ≠ row*cols+col) but `fullLattice` + `latticeIndex` let a model
 * scatter regions back onto the full image.
 */
import type { IncidentTable } from '../data/incident-table.js';
import { UserError } from '../util/errors.js';
import { bboxCentre, bboxOfPoints, type BBox } from './bbox.js';
import { projectGeometry, rectIntersectsPolygon, ringsBBox } from './geom.js';
import { localProjection, projectionFromDef, type Projection } from './projection.js';
import { adjacencyFromLists, type Adjacency, type AreaGeometry, type SpatialUnits } from './units.js';

export type LatticeNeighbourhood = 'rook' | 'queen';

export interface GridLattice {
  /** proj4 definition of the metric plane. */
  projection: string;
  /** South-west corner of cell (0, 0) in projected metres. */
  x0: number;
  y0: number;
  /** Cell side, metres. */
  cell: number;
  rows: number;
  cols: number;
}

export interface GridOptions {
  /** Cell side in metres. */
  cell: number;
  /** Extent to cover; default: the extent of `points`. */
  bbox?: BBox;
  /** Points whose extent the grid covers (and that `mask: 'incidents'` keeps cells for). */
  points?: Pick<IncidentTable, 'lat' | 'lon'>;
  /** A cell corner the lattice aligns to; default: the south-west corner of the extent. */
  origin?: { lat: number; lon: number };
  /** proj4 definition; default: transverse Mercator centred on the extent. */
  projection?: string;
  adjacency?: LatticeNeighbourhood;
  /** Keep only cells holding a point, or cells intersecting a study-area polygon. Default: the full lattice. */
  mask?: 'none' | 'incidents' | AreaGeometry;
  /** Guard against a cell size typo producing billions of cells. */
  maxCells?: number;
}

export interface GridUnits extends SpatialUnits {
  readonly kind: 'grid';
  readonly grid: GridLattice;
  readonly fullLattice: { rows: number; cols: number };
  /** Full-lattice index (row * cols + col) of each region; identity when unmasked. */
  readonly latticeIndex: Int32Array;
  /** Region of each full-lattice cell, -1 where masked out. */
  readonly regionOfCell: Int32Array;
  readonly proj: Projection;
}

const DEFAULT_MAX_CELLS = 4_000_000;

/** Lattice covering an extent (from a bbox or points), aligned to an optional origin. */
export function gridLattice(opts: GridOptions): GridLattice {
  const { cell } = opts;
  if (!(cell > 0) || !Number.isFinite(cell)) throw new UserError(`grid cell size must be a positive number of metres (got ${cell})`);
  const bbox = opts.bbox ?? (opts.points ? bboxOfPoints(opts.points.lat, opts.points.lon) : undefined);
  if (!bbox) throw new UserError('a grid needs an extent: give a bbox or incidents');
  const c = bboxCentre(bbox);
  const projDef = opts.projection ?? localProjection(c.lat, c.lon).def;
  const proj = projectionFromDef(projDef);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const take = (x: number, y: number) => {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  };
  if (!opts.bbox && opts.points) {
    const { x, y } = proj.forward(opts.points.lat, opts.points.lon);
    for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) take(x[i], y[i]);
  } else {
    // the bbox edges are curves in the plane: sample them densely enough to bound the extent
    const K = 32;
    for (let k = 0; k <= K; k++) {
      const f = k / K;
      const lon = bbox.minLon + f * (bbox.maxLon - bbox.minLon), lat = bbox.minLat + f * (bbox.maxLat - bbox.minLat);
      take(...proj.forwardPoint(bbox.minLat, lon));
      take(...proj.forwardPoint(bbox.maxLat, lon));
      take(...proj.forwardPoint(lat, bbox.minLon));
      take(...proj.forwardPoint(lat, bbox.maxLon));
    }
  }
  let x0 = minX, y0 = minY;
  if (opts.origin) {
    const [ox, oy] = proj.forwardPoint(opts.origin.lat, opts.origin.lon);
    x0 = ox + Math.floor((minX - ox) / cell) * cell;
    y0 = oy + Math.floor((minY - oy) / cell) * cell;
  }
  // +1 so a point exactly on the max edge still falls inside the last cell
  const cols = Math.floor((maxX - x0) / cell) + 1;
  const rows = Math.floor((maxY - y0) / cell) + 1;
  const maxCells = opts.maxCells ?? DEFAULT_MAX_CELLS;
  if (rows * cols > maxCells) {
    throw new UserError(`a ${cell} m grid over this extent has ${rows}×${cols} = ${rows * cols} cells (limit ${maxCells})`, 'use a larger cell size or a smaller bbox');
  }
  return { projection: projDef, x0, y0, cell, rows, cols };
}

/** Lattice cell index of each point (-1 outside the lattice). */
export function latticeCellOf(g: GridLattice, proj: Projection, lat: Float64Array, lon: Float64Array): Int32Array {
  const { x, y } = proj.forward(lat, lon);
  const out = new Int32Array(lat.length);
  const inv = 1 / g.cell;
  for (let i = 0; i < out.length; i++) {
    const c = Math.floor((x[i] - g.x0) * inv), r = Math.floor((y[i] - g.y0) * inv);
    // NaN coordinates fail both comparisons and land at -1
    out[i] = c >= 0 && c < g.cols && r >= 0 && r < g.rows ? r * g.cols + c : -1;
  }
  return out;
}

/** Build the unit set: a lattice plus an optional list of kept cells (ascending full-lattice indices). */
export function gridUnits(g: GridLattice, opts: { adjacency?: LatticeNeighbourhood; keep?: Int32Array } = {}): GridUnits {
  const proj = projectionFromDef(g.projection);
  const full = g.rows * g.cols;
  const latticeIndex = opts.keep ? Int32Array.from(opts.keep) : Int32Array.from({ length: full }, (_, i) => i);
  for (let k = 1; k < latticeIndex.length; k++) if (latticeIndex[k] <= latticeIndex[k - 1]) throw new Error('grid keep list must be strictly ascending');
  const regionOfCell = new Int32Array(full).fill(-1);
  latticeIndex.forEach((cellIdx, i) => (regionOfCell[cellIdx] = i));
  const n = latticeIndex.length;
  const ids = new Array<string>(n);
  const cx = new Float64Array(n), cy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.floor(latticeIndex[i] / g.cols), c = latticeIndex[i] % g.cols;
    ids[i] = `r${r}c${c}`;
    cx[i] = g.x0 + (c + 0.5) * g.cell;
    cy[i] = g.y0 + (r + 0.5) * g.cell;
  }
  const { lat: centroidLat, lon: centroidLon } = proj.inverse(cx, cy);
  const neighbourhood = opts.adjacency ?? 'queen';
  const adjacency = latticeAdjacency(g.rows, g.cols, neighbourhood, latticeIndex, regionOfCell);
  const masked = n !== full;
  return {
    kind: 'grid',
    n,
    ids,
    area: new Float64Array(n).fill(g.cell * g.cell),
    centroidLat,
    centroidLon,
    adjacency,
    lattice: masked ? undefined : { rows: g.rows, cols: g.cols },
    fullLattice: { rows: g.rows, cols: g.cols },
    latticeIndex,
    regionOfCell,
    grid: g,
    proj,
    assign(lat, lon) {
      const cellIdx = latticeCellOf(g, proj, lat, lon);
      if (masked) for (let i = 0; i < cellIdx.length; i++) if (cellIdx[i] >= 0) cellIdx[i] = regionOfCell[cellIdx[i]];
      return cellIdx;
    },
    geometry(i) {
      const r = Math.floor(latticeIndex[i] / g.cols), c = latticeIndex[i] % g.cols;
      const xa = g.x0 + c * g.cell, xb = xa + g.cell, ya = g.y0 + r * g.cell, yb = ya + g.cell;
      const ring = [[xa, ya], [xb, ya], [xb, yb], [xa, yb], [xa, ya]].map(([x, y]) => {
        const [lat, lon] = proj.inversePoint(x, y);
        return [lon, lat] as [number, number];
      });
      return { type: 'Polygon', coordinates: [ring] };
    },
    spec: { kind: 'grid', ...g, adjacency: neighbourhood, ...(masked ? { keep: Array.from(latticeIndex) } : {}) },
  };
}

/** Square grid over a bbox or the points' extent, optionally masked. */
export function buildGrid(opts: GridOptions): GridUnits {
  const g = gridLattice(opts);
  const mask = opts.mask ?? 'none';
  if (mask === 'none') return gridUnits(g, { adjacency: opts.adjacency });
  const proj = projectionFromDef(g.projection);
  const kept = new Uint8Array(g.rows * g.cols);
  if (mask === 'incidents') {
    if (!opts.points) throw new UserError("grid mask 'incidents' needs incidents");
    const cells = latticeCellOf(g, proj, opts.points.lat, opts.points.lon);
    for (const c of cells) if (c >= 0) kept[c] = 1;
  } else {
    for (const rings of projectGeometry(mask, proj)) {
      const [bx0, by0, bx1, by1] = ringsBBox([rings]);
      const c0 = Math.max(0, Math.floor((bx0 - g.x0) / g.cell)), c1 = Math.min(g.cols - 1, Math.floor((bx1 - g.x0) / g.cell));
      const r0 = Math.max(0, Math.floor((by0 - g.y0) / g.cell)), r1 = Math.min(g.rows - 1, Math.floor((by1 - g.y0) / g.cell));
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) {
        const x = g.x0 + c * g.cell, y = g.y0 + r * g.cell;
        if (!kept[r * g.cols + c] && rectIntersectsPolygon(x, y, x + g.cell, y + g.cell, rings)) kept[r * g.cols + c] = 1;
      }
    }
  }
  const keep: number[] = [];
  kept.forEach((k, i) => { if (k) keep.push(i); });
  if (keep.length === 0) throw new UserError('the grid mask keeps no cell');
  return gridUnits(g, { adjacency: opts.adjacency, keep: Int32Array.from(keep) });
}

/** Rook (4) or queen (8) neighbours on a lattice, restricted to kept cells. */
export function latticeAdjacency(rows: number, cols: number, kind: LatticeNeighbourhood, latticeIndex: Int32Array, regionOfCell: Int32Array): Adjacency {
  const steps = kind === 'rook' ? [[-1, 0], [0, -1], [0, 1], [1, 0]] : [[-1, -1], [-1, 0], [-1, 1], [0, -1], [0, 1], [1, -1], [1, 0], [1, 1]];
  const lists: number[][] = [];
  for (const cellIdx of latticeIndex) {
    const r = Math.floor(cellIdx / cols), c = cellIdx % cols;
    const nb: number[] = [];
    for (const [dr, dc] of steps) {
      const rr = r + dr, cc = c + dc;
      if (rr < 0 || rr >= rows || cc < 0 || cc >= cols) continue;
      const j = regionOfCell[rr * cols + cc];
      if (j >= 0) nb.push(j);
    }
    lists.push(nb);
  }
  return adjacencyFromLists(lists);
}
