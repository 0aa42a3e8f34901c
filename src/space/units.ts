/**
 * A spatial unit set: the regions a forecast is made for (grid cells, H3 hexagons, user polygons).
 * Every model family sees space only through this interface.
 */
export type Position = [number, number];
export interface PolygonGeometry { type: 'Polygon'; coordinates: Position[][] }
export interface MultiPolygonGeometry { type: 'MultiPolygon'; coordinates: Position[][][] }
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

/** Compressed sparse row adjacency: neighbours of region i are neighbors[offsets[i] .. offsets[i+1]). */
export interface Adjacency {
  offsets: Int32Array;
  neighbors: Int32Array;
}

export interface SpatialUnits {
  readonly kind: 'grid' | 'h3' | 'polygons' | 'stshn-grid';
  /** Number of regions. */
  readonly n: number;
  /** Stable region ids (e.g. "r3c7", an H3 index, a beat number). */
  readonly ids: string[];
  /** Region areas in square metres (hot-spot metrics use area, not cell count). */
  readonly area: Float64Array;
  readonly centroidLat: Float64Array;
  readonly centroidLon: Float64Array;
  readonly adjacency: Adjacency;
  /** For lattice unit sets: region i sits at (row = floor(i / cols), col = i % cols). Used by CNN-style models. */
  readonly lattice?: { rows: number; cols: number };
  /** Region index of each point, -1 when outside every region. */
  assign(lat: Float64Array, lon: Float64Array): Int32Array;
  /** GeoJSON geometry of region i (WGS84 lon/lat). */
  geometry(i: number): AreaGeometry;
  /** Serialisable description from which the same unit set can be rebuilt. */
  readonly spec: Record<string, unknown>;
}

export function neighborsOf(adj: Adjacency, i: number): Int32Array {
  return adj.neighbors.subarray(adj.offsets[i], adj.offsets[i + 1]);
}

/** Build CSR adjacency from neighbour lists. */
export function adjacencyFromLists(lists: number[][]): Adjacency {
  const offsets = new Int32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) offsets[i + 1] = offsets[i] + lists[i].length;
  const neighbors = new Int32Array(offsets[lists.length]);
  for (let i = 0; i < lists.length; i++) neighbors.set(lists[i], offsets[i]);
  return { offsets, neighbors };
}
